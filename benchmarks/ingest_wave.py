"""Benchmark: ingest one survey wave of N respondents (default 200,000).

Usage: python benchmarks/ingest_wave.py [--rows N] [--profile]

Builds a big export in a temporary folder by repeating the respondent rows of
resources/survey/voormeting.csv (the two header rows kept, every copy with a
fresh unique Respondent ID), then times, in this process,
``buurtpreventie.survey.ingest.ingest_wave`` as the rule ``ingest_wave`` calls it
(codebook, collectors from config.yaml, ``min_answered`` 4, a panel key).
Prints the wall time of each step, the total and the peak resident memory.
With ``--profile`` it runs under cProfile instead and prints the top functions
by cumulative and by internal time (timings are then inflated by the profiler).
"""

from __future__ import annotations

import argparse
import cProfile
import csv
import functools
import io
import pstats
import resource
import tempfile
import time
from collections import defaultdict
from pathlib import Path

import yaml

from buurtpreventie.survey import derive, ingest
from buurtpreventie.survey.codebook import load_codebook

ROOT = Path(__file__).resolve().parents[1]
TEMPLATE = ROOT / "resources" / "survey" / "voormeting.csv"
KEY = b"k" * 32

# (module, function name) of the steps that are timed; what is not listed is
# reported as "rest" (concatenation, flow table, sorting).
STEPS = [
    (ingest, "read_export"),
    (ingest, "map_columns"),
    (ingest, "_metadata"),
    (ingest, "code_answers"),
    (ingest, "_pseudonyms"),
    (ingest, "apply_skip_logic"),
    (ingest, "_check_unique_ids"),
    (derive, "option_derived"),
    (derive, "assign_groups"),
    (derive, "indicator_scores"),
    (derive, "app_groups"),
]


def write_wave(path: Path, rows: int) -> None:
    """Write ``rows`` respondents: the template's rows repeated with fresh Respondent IDs."""
    text = TEMPLATE.read_text(encoding="utf-8-sig")
    table = list(csv.reader(io.StringIO(text, newline="")))
    headings, subheadings, respondents = table[0], table[1], [r for r in table[2:] if any(r)]
    rid = headings.index("Respondent ID")
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(headings)
        writer.writerow(subheadings)
        for number in range(rows):
            row = list(respondents[number % len(respondents)])
            row[rid] = str(90_000_000_000 + number)
            writer.writerow(row)


def timed(totals: dict[str, float], name: str, function):
    """Wrap ``function`` so that its wall time is added to ``totals[name]``."""

    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        start = time.perf_counter()
        try:
            return function(*args, **kwargs)
        finally:
            totals[name] += time.perf_counter() - start

    return wrapper


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--profile", action="store_true", help="run under cProfile")
    args = parser.parse_args()
    config = yaml.safe_load((ROOT / "config.yaml").read_text(encoding="utf-8"))
    collectors = {str(k): v for k, v in config["collectors"].items()}
    codebook = load_codebook(ROOT / "resources" / "codebook.yaml")
    totals: dict[str, float] = defaultdict(float)
    for module, name in STEPS:
        setattr(module, name, timed(totals, name, getattr(module, name)))

    def run(path: Path) -> ingest.IngestResult:
        return ingest.ingest_wave(
            "groot", [str(path)], codebook, collectors, min_answered=4, key=KEY
        )

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "groot.csv"
        t0 = time.perf_counter()
        write_wave(path, args.rows)
        t1 = time.perf_counter()
        size_mb = path.stat().st_size / 1e6
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        if args.profile:
            profiler = cProfile.Profile()
            result = profiler.runcall(run, path)
        else:
            result = run(path)
        t2 = time.perf_counter()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"rows: {result.rows_read:,} ({size_mb:.0f} MB), included {len(result.respondents):,}")
    print(f"write export: {t1 - t0:.1f} s (not part of the measurement)")
    for name, seconds in totals.items():
        print(f"  {name}: {seconds:.2f} s")
    print(f"  rest: {t2 - t1 - sum(totals.values()):.2f} s")
    print(
        f"ingest_wave: {t2 - t1:.2f} s; peak RSS {peak:.0f} MB ({before:.0f} MB before ingesting)"
    )
    if args.profile:
        stats = pstats.Stats(profiler)
        stats.sort_stats("cumulative").print_stats(30)
        stats.sort_stats("tottime").print_stats(20)


if __name__ == "__main__":
    main()
