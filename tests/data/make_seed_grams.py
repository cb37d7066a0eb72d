"""Write ``seed_12grams.txt``: hashes of every 12-word run of the 2022 experiment report.

``tests/test_own_words.py`` checks that the report's prose shares no run of
12 words with the original report (issue 17: our own words throughout). The
original's text is not part of the repository and must not be copied into it,
so the test compares hashes: this script reads the text, normalises it and
writes the SHA-256 of every window of 12 consecutive words, one hex digest a
line, sorted and without duplicates. Nothing of the text itself is stored.

Normalisation (the same as the test's, :func:`words`): lower case; a word is
a run of ``[a-zà-ÿ0-9]`` (so punctuation, hyphens and line breaks separate
words); a window is its 12 words joined by one space.

Run it again when the seed changes::

    .venv/bin/python tests/data/make_seed_grams.py \
        /work/shared/seeds/experiment-report-2022.txt tests/data/seed_12grams.txt
"""

from __future__ import annotations

import hashlib
import re
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path

#: Words per window.
N = 12
_WORD = re.compile(r"[a-zà-ÿ0-9]+")


def words(text: str) -> list[str]:
    """The normalised words of ``text``."""
    return _WORD.findall(text.lower())


def window_hashes(tokens: Sequence[str], n: int = N) -> set[str]:
    """SHA-256 (hex) of every window of ``n`` consecutive words of ``tokens``."""
    return {
        hashlib.sha256(" ".join(tokens[i : i + n]).encode("utf-8")).hexdigest()
        for i in range(len(tokens) - n + 1)
    }


def write(hashes: Iterable[str], target: Path) -> None:
    target.write_text("".join(f"{h}\n" for h in sorted(set(hashes))), encoding="ascii")


def main(argv: Sequence[str]) -> int:
    if len(argv) != 2:
        print(__doc__)
        return 2
    source, target = Path(argv[0]), Path(argv[1])
    hashes = window_hashes(words(source.read_text(encoding="utf-8")))
    write(hashes, target)
    print(f"{len(hashes)} windows of {N} words from {source} -> {target}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
