"""Benchmark: the whole workflow on a scaled SYNTHETIC study.

Usage::

    python benchmarks/scaled_study.py --scale 100          # 1,000,000 respondents
    python benchmarks/scaled_study.py --buurten 10 --waves 5 --respondents 200 --messages 100000

``--scale S`` is 100 buurten x 5 waves x (20 S) respondents per buurt and wave,
with 100,000 S chat messages: 1x = 10,000 respondents and 100,000 messages,
100x = 1,000,000 respondents and 10,000,000 messages.

The script copies the workflow (the files git tracks) into a temporary
folder, writes the scaled study there with
``python -m buurtpreventie.synthetic.scaled`` (not measured), and runs
``snakemake --cores N --configfile scaled/config.yaml`` (measured). It samples
the resident memory of snakemake and all its jobs together every 0.2 s from
/proc, and prints the wall time, the peak of that sum, and the slowest jobs
from Snakemake's ``benchmark:`` files. Nothing here is a test: it measures.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PAGE = os.sysconf("SC_PAGE_SIZE")


def copy_workflow(target: Path) -> None:
    """The files git tracks, as a fresh clone would have them (plus uncommitted edits)."""
    listed = subprocess.run(
        ["git", "ls-files", "-co", "--exclude-standard"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    for name in listed:
        source = ROOT / name
        if source.is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)


def session_rss(session: int) -> int:
    """Resident bytes of all processes in a session (snakemake and its jobs)."""
    total = 0
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            fields = Path(entry.path, "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[3]) == session:  # field 6 of stat: the session id
            total += int(fields[21]) * PAGE  # field 24: rss in pages
    return total


class MemorySampler(threading.Thread):
    """Samples :func:`session_rss` until stopped; keeps the peak."""

    def __init__(self, session: int, every: float = 0.2) -> None:
        super().__init__(daemon=True)
        self.session, self.every, self.peak = session, every, 0
        self.stopped = threading.Event()

    def run(self) -> None:
        while not self.stopped.is_set():
            self.peak = max(self.peak, session_rss(self.session))
            time.sleep(self.every)


def run_snakemake(workdir: Path, cores: int, extra: list[str]) -> tuple[float, int, int]:
    """Wall time, peak summed RSS and exit code of one snakemake call."""
    env = dict(os.environ)
    env.setdefault("BUURTPREVENTIE_PANEL_KEY", "benchmark-key-0123456789abcdef")
    command = [
        str(Path(sys.executable).parent / "snakemake"),
        "--cores",
        str(cores),
        "--configfile",
        "scaled/config.yaml",
        *extra,
    ]
    start = time.perf_counter()
    with open(workdir / "snakemake.out", "w") as out:
        process = subprocess.Popen(
            command,
            cwd=workdir,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        sampler = MemorySampler(process.pid)
        sampler.start()
        code = process.wait()
    wall = time.perf_counter() - start
    sampler.stopped.set()
    sampler.join()
    return wall, sampler.peak, code


def slowest_jobs(workdir: Path, top: int = 8) -> list[tuple[str, float, float]]:
    """(job, wall s, max RSS MB) from the ``benchmark:`` files, slowest first."""
    jobs = []
    # benchmarks/<stage>/<rule>.tsv, as the rules' logs (benchmarks/*.py are not records)
    root = workdir / "benchmarks"
    for path in root.glob("*/**/*.tsv"):
        header, values = path.read_text().splitlines()[:2]
        row = dict(zip(header.split("\t"), values.split("\t"), strict=False))
        name = str(path.relative_to(root).with_suffix(""))
        jobs.append((name, float(row["s"]), float(row["max_rss"])))
    jobs.sort(key=lambda job: -job[1])
    if len(jobs) > top:
        parse = [j for j in jobs if j[0].startswith("chat/parse_chat/")]
        others = [j for j in jobs if not j[0].startswith("chat/parse_chat/")][:top]
        if parse:
            total = sum(j[1] for j in parse)
            others.append(
                (f"parse_chat ({len(parse)} jobs, summed)", total, max(j[2] for j in parse))
            )
        jobs = others
    return jobs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, help="1, 10 or 100 (see the module docstring)")
    parser.add_argument("--buurten", type=int, default=100)
    parser.add_argument("--waves", type=int, default=5)
    parser.add_argument("--respondents", type=int, default=2000)
    parser.add_argument("--messages", type=int, default=10_000_000)
    parser.add_argument("--cores", type=int, default=2)
    parser.add_argument("--keep", type=Path, help="work in this folder and keep it")
    args = parser.parse_args()
    if args.scale:
        args.buurten, args.waves = 100, 5
        args.respondents = int(20 * args.scale)
        args.messages = int(100_000 * args.scale)
    workdir = args.keep or Path(tempfile.mkdtemp(prefix="scaled-study-"))
    workdir.mkdir(parents=True, exist_ok=True)
    copy_workflow(workdir)
    size = ["--buurten", args.buurten, "--waves", args.waves, "--respondents", args.respondents]
    size += ["--messages", args.messages]
    t0 = time.perf_counter()
    subprocess.run(
        [
            sys.executable,
            "-m",
            "buurtpreventie.synthetic.scaled",
            *map(str, size),
            "--out",
            "scaled",
        ],
        cwd=workdir,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    generated = time.perf_counter() - t0
    respondents = args.buurten * args.waves * args.respondents
    print(
        f"study: {args.buurten} buurten x {args.waves} waves x {args.respondents} respondents"
        f" = {respondents:,} respondents; {args.messages:,} chat messages"
    )
    print(f"generate (not measured): {generated:.1f} s; workdir {workdir}")
    wall, peak, code = run_snakemake(workdir, args.cores, [])
    print(f"clean run, --cores {args.cores}: {wall:.1f} s; peak RSS (all jobs) {peak / 1e6:.0f} MB")
    if code:
        print(f"snakemake failed ({code}); see {workdir / 'snakemake.out'}")
        sys.exit(code)
    for name, seconds, rss in slowest_jobs(workdir):
        print(f"  {name}: {seconds:.1f} s, {rss:.0f} MB")
    wall, peak, code = run_snakemake(workdir, args.cores, [])
    print(f"no-op rerun: {wall:.1f} s; peak RSS {peak / 1e6:.0f} MB")
    if not args.keep:
        shutil.rmtree(workdir)


if __name__ == "__main__":
    main()
