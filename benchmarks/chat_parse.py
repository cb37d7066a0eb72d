"""Benchmark: parse and aggregate a WhatsApp export of N messages (default 1,000,000).

Usage: python benchmarks/chat_parse.py [--messages N] [--export PATH]

Writes a synthetic Android export to a temporary folder (10% multi-line
messages, 5% media, member events), then times, in this process:
parsing (buurtpreventie.chat.whatsapp.parse_chat), the members table and the
activity table. Prints wall times (parse on its own, and parse + aggregate),
the CPU time of the parse, the load average and the peak resident memory.

``--export PATH`` keeps the export at PATH and reuses it when it is already
there (writing 10,000,000 messages takes longer than parsing them); the
export of a given N is always the same (fixed seed). Run once per
measurement, so that each run's peak memory is its own.
"""

from __future__ import annotations

import argparse
import os
import resource
import tempfile
import time
from pathlib import Path

import numpy as np

from buurtpreventie.chat import aggregate
from buurtpreventie.chat.whatsapp import RESIDENT, ROLES, load_locale, parse_chat

ROOT = Path(__file__).resolve().parents[1]


def write_chat(path: Path, messages: int, seed: int = 1) -> None:
    rng = np.random.default_rng(seed)
    minutes = np.sort(rng.integers(0, 3 * 365 * 24 * 60, messages))
    start = np.datetime64("2019-09-01T00:00")
    stamps = (start + minutes.astype("timedelta64[m]")).astype(object)
    senders = rng.integers(0, 400, messages)
    kinds = rng.random(messages)
    with path.open("w", encoding="utf-8") as handle:
        for stamp, sender, kind in zip(stamps, senders, kinds, strict=True):
            head = stamp.strftime("%d-%m-%Y %H:%M")
            if kind < 0.01:
                joined = "is lid geworden via de uitnodigingslink van deze groep"
                handle.write(f"{head} - Bewoner {sender} {joined}\n")
            elif kind < 0.015:
                handle.write(f"{head} - Bewoner {sender} is vertrokken\n")
            elif kind < 0.065:
                handle.write(f"{head} - Bewoner {sender}: <Media weggelaten>\n")
            elif kind < 0.165:
                handle.write(
                    f"{head} - Bewoner {sender}: Verdachte man bij de garages\nZwarte jas\n"
                )
            else:
                handle.write(f"{head} - Bewoner {sender}: Goedenavond buren, alles rustig hier\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=1_000_000)
    parser.add_argument("--export", type=Path, help="keep (or reuse) the export here")
    args = parser.parse_args()
    locale = load_locale(ROOT / "resources" / "chat" / "whatsapp_nl.yaml")
    with tempfile.TemporaryDirectory() as folder:
        path = args.export or Path(folder) / "groot.txt"
        t0 = time.perf_counter()
        if args.export is None or not path.exists():
            write_chat(path, args.messages)
        t1 = time.perf_counter()
        cpu = time.process_time()
        load_before = os.getloadavg()[0]
        chat = parse_chat(path, "groot", locale, {})
        t2 = time.perf_counter()
        cpu = time.process_time() - cpu
        members = aggregate.members_table(chat.events, chat.messages, {"groot": "lombardijen"})
        activity = aggregate.activity_table(
            chat.messages, {"groot": "lombardijen"}, [*ROLES, RESIDENT]
        )
        t3 = time.perf_counter()
        size_mb = path.stat().st_size / 1e6
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    lines = chat.messages["line_end"].max()
    print(f"messages: {len(chat.messages):,} ({size_mb:.0f} MB, {lines:,} lines)")
    print(f"write export: {t1 - t0:.1f} s (not part of the measurement)")
    print(f"parse: {t2 - t1:.2f} s (CPU {cpu:.2f} s)")
    print(
        f"aggregate (members, activity): {t3 - t2:.2f} s  [{len(members)} + {len(activity)} rows]"
    )
    print(f"parse + aggregate: {t3 - t1:.2f} s; peak RSS {peak:.0f} MB")
    after = os.getloadavg()
    print(f"load average (1 min) before the parse {load_before:.2f}, after: {after[0]:.2f}")


if __name__ == "__main__":
    main()
