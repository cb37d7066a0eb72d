"""Benchmark: the workflow against the same work in one process (issue 19).

Usage::

    python benchmarks/dag_overhead.py                  # 3 runs each, after one warm-up
    python benchmarks/dag_overhead.py --runs 5 --study three-wave
    python benchmarks/dag_overhead.py --check          # also: are the outputs the same?

For each study (``shipped``: config.yaml; ``three-wave``: plus
``config/examples/derde-meting.yaml``) it copies the workflow (the files git
tracks, :func:`scaled_study.copy_workflow`) into two temporary folders, one
for Snakemake and one for the comparator (``one_process.py``), and then, after
one warm-up run of each, times ``--runs`` clean runs of each, alternating:

* workflow: ``snakemake --cores 2 -q [--configfile ...]``, with
  ``PYTHONPATH=<copy>/src`` and a panel key in the environment;
* one process: ``python benchmarks/one_process.py`` in its copy, same environment.

``results/``, ``logs/`` and ``.snakemake/`` are removed before each run. It
prints each run, the medians and the ratio workflow / one process, the CPU
model, ``nproc`` and the load average before and after each study.

``--check`` compares, after the last runs, every file under ``results/`` of
the two copies: the same bytes, else equal as tables (CSV and parquet, with
pandas), else (provenance records) equal but for the runtime; it lists each
difference and the files only one side made. Nothing here is a test: it measures.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from scaled_study import copy_workflow

KEY = "benchmark-key-0123456789abcdef"
STUDIES = {"shipped": [], "three-wave": ["config/examples/derde-meting.yaml"]}
BIN = Path(sys.executable).parent


def machine() -> str:
    """The CPU model (lscpu) and nproc."""
    model = "?"
    try:
        for line in subprocess.run(["lscpu"], capture_output=True, text=True).stdout.splitlines():
            if line.startswith("Model name:"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    nproc = subprocess.run(["nproc"], capture_output=True, text=True).stdout.strip()
    return f"{model}, nproc {nproc}, {os.cpu_count()} CPUs visible"


def load() -> str:
    return "/".join(f"{value:.2f}" for value in os.getloadavg())


def clean(workdir: Path) -> None:
    for name in ("results", "logs", ".snakemake"):
        shutil.rmtree(workdir / name, ignore_errors=True)


def environment(workdir: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["BUURTPREVENTIE_PANEL_KEY"] = KEY
    env["PYTHONPATH"] = str(workdir / "src")
    return env


def timed(command: list[str], workdir: Path) -> float:
    """Wall time of one clean run; stops the benchmark when the run fails."""
    clean(workdir)
    start = time.perf_counter()
    with open(workdir / "run.out", "w") as out:
        code = subprocess.run(
            command, cwd=workdir, env=environment(workdir), stdout=out, stderr=subprocess.STDOUT
        ).returncode
    wall = time.perf_counter() - start
    if code:
        sys.exit(f"{' '.join(command)} failed ({code}); see {workdir / 'run.out'}")
    return wall


def commands(overlays: list[str]) -> tuple[list[str], list[str]]:
    files = [arg for overlay in overlays for arg in ("--configfile", overlay)]
    workflow = [str(BIN / "snakemake"), "--cores", "2", "-q", *files]
    one = [sys.executable, "benchmarks/one_process.py", *files]
    return workflow, one


# --- The check: the same outputs ----------------------------------------------


def _same_table(a: Path, b: Path) -> str | None:
    """None when the tables are equal (pandas), else why not."""
    import pandas as pd

    read = pd.read_parquet if a.suffix == ".parquet" else pd.read_csv
    try:
        pd.testing.assert_frame_equal(read(a), read(b))
    except AssertionError as error:
        return " ".join(str(error).split())[:300]
    return None


def _record_hashes(root: Path) -> dict[str, str]:
    """sha256 -> placeholder for every provenance record of a run (they hold runtimes)."""
    return {
        hashlib.sha256(p.read_bytes()).hexdigest(): "<record-sha256>"
        for p in (root / "results" / "provenance").rglob("*.json")
    }


def _without_record_hashes(entries: list, root: Path) -> list:
    """A record's ``used`` list, the hashes and sizes of provenance records blanked."""
    hashes = _record_hashes(root)
    return [{**e, "sha256": "-", "bytes": "-"} if e.get("sha256") in hashes else e for e in entries]


def _same_record(a: Path, b: Path, roots: tuple[Path, Path]) -> str | None:
    """None when two job records are equal but for the runtime (and, in ``used``, the
    hashes of the provenance records, which hold runtimes), else the keys that differ."""
    left, right = (json.loads(p.read_text(encoding="utf-8")) for p in (a, b))
    if not isinstance(left, dict) or "runtime" not in left:
        return "not a job record"
    left["used"] = _without_record_hashes(left.get("used", []), roots[0])
    right["used"] = _without_record_hashes(right.get("used", []), roots[1])
    keys = [
        k for k in sorted(set(left) | set(right)) if k != "runtime" and left.get(k) != right.get(k)
    ]
    return f"differ in {', '.join(keys)}" if keys else None


def _provn_statements(path: Path, root: Path) -> list[str]:
    """The PROV-N statements, sorted; times and the records' hashes and sizes blanked."""
    text = re.sub(r"\d{4}-\d\d-\d\dT[\d:.]+(\+00:00|Z)?", "<time>", path.read_text())
    for digest, placeholder in _record_hashes(root).items():
        text = text.replace(digest, placeholder)
    text = re.sub(r"(<record-sha256>.*bp:bytes=)\d+", r"\1-", text)
    return sorted(text.splitlines())


def compare(workflow: Path, one: Path) -> list[tuple[str, str]]:
    """(file, verdict) for every file under results/ of either copy."""
    names = {
        str(p.relative_to(root))
        for root in (workflow / "results", one / "results")
        for p in root.rglob("*")
        if p.is_file()
    }
    verdicts = []
    for name in sorted(names):
        a, b = workflow / "results" / name, one / "results" / name
        if not a.exists() or not b.exists():
            verdicts.append((name, f"only in the {'workflow' if a.exists() else 'one process'}"))
        elif a.read_bytes() == b.read_bytes():
            verdicts.append((name, "same bytes"))
        elif a.suffix in (".csv", ".parquet"):
            why = _same_table(a, b)
            verdicts.append((name, "equal as tables (pandas)" if why is None else f"DIFFER: {why}"))
        elif a.suffix == ".json" and "provenance/" in name and not name.endswith("run.prov.json"):
            why = _same_record(a, b, (workflow, one))
            same = "same record but runtime (and the records' hashes it used)"
            verdicts.append((name, same if why is None else f"record {why}"))
        elif a.suffix == ".provn":
            same = _provn_statements(a, workflow) == _provn_statements(b, one)
            verdicts.append(
                (name, "same PROV-N statements but times, order and the records' hashes")
                if same
                else (name, "DIFFER: PROV-N statements")
            )
        else:
            # run.prov.json and the crate: the same run as the PROV-N, in JSON, ordered by
            # the jobs' times (blank-node ids follow that order); not compared further.
            verdicts.append((name, "differ (bytes; times and job order)"))
    return verdicts


def _print_check(verdicts: list[tuple[str, str]]) -> None:
    groups: dict[str, list[str]] = {}
    for name, verdict in verdicts:
        groups.setdefault(verdict, []).append(name)
    for verdict, files in sorted(groups.items(), key=lambda item: -len(item[1])):
        print(f"  {verdict}: {len(files)} file(s)")
        for name in files if len(files) <= 12 or verdict != "same bytes" else [*files[:3], "..."]:
            print(f"    {name}")


# --- Main ------------------------------------------------------------------


def measure(study: str, overlays: list[str], runs: int, root: Path, check: bool) -> dict:
    copies = {side: root / f"{study}-{side}" for side in ("workflow", "one")}
    for path in copies.values():
        path.mkdir(parents=True)
        copy_workflow(path)
    workflow, one = commands(overlays)
    before = load()
    print(f"\n{study}: {' '.join(overlays) or 'config.yaml'}; load before {before}", flush=True)
    warm = (timed(workflow, copies["workflow"]), timed(one, copies["one"]))
    print(f"  warm-up: workflow {warm[0]:.1f} s, one process {warm[1]:.1f} s", flush=True)
    times: dict[str, list[float]] = {"workflow": [], "one": []}
    for index in range(runs):
        times["workflow"].append(timed(workflow, copies["workflow"]))
        times["one"].append(timed(one, copies["one"]))
        print(
            f"  run {index + 1}: workflow {times['workflow'][-1]:.1f} s, "
            f"one process {times['one'][-1]:.1f} s (load {load()})",
            flush=True,
        )
    after = load()
    medians = {side: statistics.median(values) for side, values in times.items()}
    ratio = medians["workflow"] / medians["one"]
    print(
        f"  median: workflow {medians['workflow']:.1f} s, one process {medians['one']:.1f} s; "
        f"ratio workflow/one process {ratio:.2f}; load after {after}",
        flush=True,
    )
    result = {"study": study, "overlays": overlays, "times": times, "medians": medians}
    result |= {"ratio": ratio, "load_before": before, "load_after": after}
    if check:
        verdicts = compare(copies["workflow"], copies["one"])
        print("  check (results/ of the last runs):")
        _print_check(verdicts)
        result["check"] = verdicts
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="timed runs of each (default 3)")
    parser.add_argument("--study", choices=[*STUDIES, "both"], default="both")
    parser.add_argument("--check", action="store_true", help="compare the outputs too")
    parser.add_argument("--json", type=Path, help="write the results here as JSON")
    parser.add_argument("--keep", action="store_true", help="keep the temporary copies")
    args = parser.parse_args()
    print(f"machine: {machine()}")
    root = Path(tempfile.mkdtemp(prefix="dag-overhead-"))
    chosen = STUDIES if args.study == "both" else {args.study: STUDIES[args.study]}
    try:
        results = [
            measure(study, overlays, args.runs, root, args.check)
            for study, overlays in chosen.items()
        ]
    finally:
        if args.keep:
            print(f"copies kept in {root}")
        else:
            shutil.rmtree(root, ignore_errors=True)
    if args.json:
        args.json.write_text(json.dumps({"machine": machine(), "studies": results}, indent=2))


if __name__ == "__main__":
    main()
