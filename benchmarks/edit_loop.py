"""Benchmark: the shipped study's clean run, no-op rerun and edit loop.

Usage::

    python benchmarks/edit_loop.py                 # 3 runs of each case, --cores 2
    python benchmarks/edit_loop.py --runs 5 --configfile config/examples/derde-meting.yaml

Run it with the Python of the install to measure (``.venv/bin/python`` after
``make study``): Snakemake imports every installed executor plugin on each call,
so an install with the SLURM plugins (``make test``, ``make setup-cluster``)
starts about 0.5 s slower.

In a temporary copy of the workflow (the files git tracks, plus uncommitted
edits), after one warm-up run, it times with ``time.perf_counter`` around each
``snakemake`` call, ``runs`` times each:

- **clean**: ``results/``, ``logs/`` and ``.snakemake/`` removed, then a full run;
- **no-op**: a second call with nothing to do;
- **words**: a comment appended to ``resources/report/words.yaml``, then a rerun;
- **template**: a Jinja comment appended to the report's main template, then a rerun;
- **html**: the same edit, then only ``snakemake results/report/rapport.html``
  (the HTML of the edited text, without the PDF's layout).

Each case prints the median, every run, and the jobs Snakemake reran; the machine
(CPU model, cores) and the load average before and after. Nothing here is a test:
it measures.
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from scaled_study import copy_workflow

KEY = "benchmark-key-0123456789abcdef"
WORDS = Path("resources/report/words.yaml")
TEMPLATE = Path("report/templates/rapport.html.j2")
HTML = "results/report/rapport.html"


def machine() -> str:
    """CPU model and number of cores, as ``lscpu`` and ``os.cpu_count`` give them."""
    model = platform.processor() or ""
    try:
        lscpu = subprocess.run(["lscpu"], capture_output=True, text=True, check=True).stdout
        model = re.search(r"Model name:\s*(.+)", lscpu).group(1).strip()
    except (OSError, subprocess.CalledProcessError, AttributeError):
        pass
    return f"{model}, {os.cpu_count()} cores, Python {platform.python_version()}"


def load() -> str:
    return "load average " + ", ".join(f"{x:.2f}" for x in os.getloadavg())


def snakemake(workdir: Path, cores: int, extra: list[str]) -> tuple[float, Counter]:
    """Wall time of one call, and how many jobs of each rule it ran."""
    env = dict(os.environ, BUURTPREVENTIE_PANEL_KEY=KEY, PYTHONPATH=str(workdir / "src"))
    command = [str(Path(sys.executable).parent / "snakemake"), "--cores", str(cores), *extra]
    start = time.perf_counter()
    done = subprocess.run(command, cwd=workdir, env=env, capture_output=True, text=True)
    wall = time.perf_counter() - start
    if done.returncode:
        sys.exit(f"snakemake failed ({done.returncode}):\n{done.stderr[-2000:]}")
    return wall, Counter(re.findall(r"^(?:local)?rule (\w+):", done.stderr, re.MULTILINE))


def clean(workdir: Path) -> None:
    for name in ("results", "logs", ".snakemake"):
        shutil.rmtree(workdir / name, ignore_errors=True)


def append(path: Path, text: str) -> None:
    with open(path, "a", encoding="utf-8") as handle:
        handle.write(text)


def show(case: str, walls: list[float], jobs: Counter) -> None:
    runs = ", ".join(f"{w:.2f}" for w in walls)
    reran = ", ".join(f"{rule} x{n}" if n > 1 else rule for rule, n in sorted(jobs.items()))
    print(f"{case:9} median {statistics.median(walls):6.2f} s  ({runs})  jobs: {reran or 'none'}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--cores", type=int, default=2)
    parser.add_argument("--configfile", default=None, help="a config overlay (a third wave)")
    args = parser.parse_args()
    extra = ["--configfile", args.configfile] if args.configfile else []
    print(machine())
    print("before:", load())
    with tempfile.TemporaryDirectory(prefix="edit-loop-") as folder:
        workdir = Path(folder)
        copy_workflow(workdir)
        snakemake(workdir, args.cores, extra)  # warm-up: file caches, __pycache__
        cases: dict[str, tuple[list[float], Counter]] = {}
        for case in ("clean", "no-op", "words", "template", "html"):
            walls, jobs = [], Counter()
            for run in range(args.runs):
                if case == "clean":
                    clean(workdir)
                elif case == "words":
                    append(workdir / WORDS, f"# benchmark edit {run}\n")
                elif case in ("template", "html"):
                    append(workdir / TEMPLATE, f"{{# benchmark {case} edit {run} #}}\n")
                target = [HTML] if case == "html" else []
                wall, jobs = snakemake(workdir, args.cores, [*extra, *target])
                walls.append(wall)
            cases[case] = (walls, jobs)
            show(case, walls, jobs)
    print("after:", load())


if __name__ == "__main__":
    main()
