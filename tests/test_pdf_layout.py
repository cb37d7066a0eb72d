"""Page layout of the PDF report, read back from the PDF with pypdf.

A caption never sits at the foot of a page with its table on the next; no page
is nearly empty, except the title page and the last page of a chapter; file
names and hashes are never hyphenated, and the study's compounds ("appdeelnemers",
"Buurtapp") break only at their seams.

The checks are functions of a PDF's path, so they run by hand on any study too::

    .venv/bin/python tests/test_pdf_layout.py results/report/rapport.pdf
"""

from __future__ import annotations

import itertools
import re
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from pypdf import PdfReader

MM = 72 / 25.4
# report/style.css: @page margins (top 24 mm, bottom 22 mm) on A4.
TOP_MARGIN, BOTTOM_MARGIN = 24 * MM, 22 * MM
MIN_FILL = 0.15

CAPTION = re.compile(r"Tabel \d+\s")
# WeasyPrint draws U+2010 where it hyphenates (and keeps a soft hyphen where the text had one).
BREAK_HYPHENS = ("\u2010", "\u00ad")
FILE_NAME = re.compile(r"[_/]|\w\.(csv|svg|yaml|yml|py|parquet|json|pdf|html|txt|sav|xlsx)\b")
HASH = re.compile(r"\(?[0-9a-f]{6,}\)?[;,.)]*")
# The seams of the study's compounds: a break may fall before or after these, never
# inside them, and never one or two letters before them ("Zen-obuurt").
MORPHEME = re.compile(
    r"buurt|^app(?=deelnem|groep|bericht|gebruik|beheer|lid|leden|activiteit)"
    r"|(?<=[a-z])app$",
    re.IGNORECASE,
)


@dataclass
class Page:
    number: int  # 1-based
    lines: list[str]  # body text, top to bottom
    fill: float  # how far down the body area the text reaches, 0 to 1


def read_pages(path: str | Path) -> tuple[list[Page], set[int]]:
    """The body lines of every page, and the pages (1-based) where a chapter starts."""
    reader = PdfReader(str(path))
    pages = []
    for number, page in enumerate(reader.pages, start=1):
        height = float(page.mediabox.height)
        top, bottom = height - TOP_MARGIN, BOTTOM_MARGIN
        pieces: list[tuple[float, float, str]] = []

        def visit(text, cm, tm, font, size, pieces=pieces, top=top, bottom=bottom):
            if not text.strip():
                return
            x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
            y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
            if bottom <= y <= top:
                pieces.append((y, x, text))

        page.extract_text(visitor_text=visit)
        lines: list[list[tuple[float, float, str]]] = []
        for piece in sorted(pieces, key=lambda p: (-p[0], p[1])):
            if lines and abs(lines[-1][0][0] - piece[0]) < 2.5:
                lines[-1].append(piece)
            else:
                lines.append([piece])
        text_lines = [
            re.sub(r"\s+", " ", "".join(t for _, _, t in sorted(line, key=lambda p: p[1]))).strip()
            for line in lines
        ]
        lowest = min((p[0] for p in pieces), default=top)
        pages.append(Page(number, text_lines, (top - lowest) / (top - bottom)))
    starts = {
        reader.get_destination_page_number(item) + 1
        for item in reader.outline
        if not isinstance(item, list)
    }
    return pages, starts


def orphaned_captions(pages: list[Page]) -> list[str]:
    """Table captions at the foot of a page whose table starts on the next page."""
    found = []
    for i, page in enumerate(pages):
        starts = [k for k, line in enumerate(page.lines) if CAPTION.match(line)]
        if not starts:
            continue
        k = starts[-1]
        after = page.lines[k + 1 :]
        following = pages[i + 1].lines if i + 1 < len(pages) else []
        split_caption = not after and following and following[0].startswith("Bron:")
        caption_only = after and len(after) <= 3 and after[-1].startswith("Bron:")
        bare_caption = not after
        if split_caption or caption_only or bare_caption:
            found.append(f"page {page.number}: {page.lines[k][:70]}")
    return found


def near_empty(pages: list[Page], chapter_starts: set[int]) -> list[str]:
    """Pages less than MIN_FILL full, other than the title page and a chapter's last page."""
    exempt = {1, len(pages)} | {n - 1 for n in chapter_starts}
    return [
        f"page {p.number}: {p.fill:.0%} full"
        for p in pages
        if p.number not in exempt and p.fill < MIN_FILL
    ]


def hyphen_breaks(pages: list[Page]) -> list[tuple[int, str, str]]:
    """Every hyphenated line break: (page, the part before the break, the part after)."""
    breaks = []
    lines = [(p.number, line) for p in pages for line in p.lines]
    for (number, line), (_, following) in itertools.pairwise(lines):
        if line.endswith(BREAK_HYPHENS) and following:
            head = line[:-1].split(" ")[-1]
            tail = following.split(" ")[0]
            breaks.append((number, head, tail))
    return breaks


def broken_names(breaks: list[tuple[int, str, str]]) -> list[str]:
    """Hyphenated breaks inside a file name or a hash."""
    return [
        f"page {n}: {head}-{tail}"
        for n, head, tail in breaks
        if FILE_NAME.search(head + tail)
        or (HASH.fullmatch(head + tail) and re.search(r"\d", head + tail))
    ]


def bad_compound_breaks(breaks: list[tuple[int, str, str]]) -> list[str]:
    """Breaks inside "app" or "buurt", or one or two letters before one ("Zen-obuurt")."""
    bad = []
    for n, head, tail in breaks:
        word = re.sub(r"\W", "", head) + re.sub(r"\W.*", "", tail)
        at = len(re.sub(r"\W", "", head))
        for m in MORPHEME.finditer(word):
            if m.start() < at < m.end() or 0 < m.start() - at < 3:
                bad.append(f"page {n}: {head}-{tail}")
                break
    return bad


def check(path: str | Path) -> dict[str, list[str]]:
    pages, starts = read_pages(path)
    breaks = hyphen_breaks(pages)
    return {
        "orphaned captions": orphaned_captions(pages),
        "near-empty pages": near_empty(pages, starts),
        "hyphenated names or hashes": broken_names(breaks),
        "bad breaks in the study's compounds": bad_compound_breaks(breaks),
    }


# The checks themselves, on made-up pages.


def test_a_caption_at_the_foot_of_a_page_is_found():
    table = ["Indicator Buurt d", "Alertheid Lombardijen ,12"]
    pages = [
        Page(1, ["tekst", "Tabel 6 Gemiddelden per groep", "Bron: prepost.csv (regel x)"], 0.9),
        Page(2, table, 0.9),
        Page(3, ["tekst", "Tabel 7 Verschil"], 0.9),
        Page(4, ["Bron: did.csv", *table], 0.9),
        Page(5, ["Tabel 8 Toetsen", "Bron: x.csv", *table], 0.9),
    ]
    assert orphaned_captions(pages) == [
        "page 1: Tabel 6 Gemiddelden per groep",
        "page 3: Tabel 7 Verschil",
    ]


def test_near_empty_pages_except_title_and_chapter_ends():
    pages = [Page(n, ["x"], fill) for n, fill in enumerate([0.1, 0.9, 0.1, 0.1, 0.9, 0.1], 1)]
    assert near_empty(pages, chapter_starts={2, 5}) == ["page 3: 10% full"]


def test_broken_names_and_compounds_are_found():
    pages = [
        Page(1, ["zie publis\u2010", "hed_vs_reproduced.csv", "hash (a7b\u2010", "de219) en"], 1),
        Page(2, ["de ap\u2010", "pdeelnemers en", "de app\u2010", "deelnemers", "Buur\u2010"], 1),
        Page(3, ["tapp Zen\u2010", "obuurt de appdeelne\u2010", "mers", "veilig\u2010", "heid"], 1),
    ]
    breaks = hyphen_breaks(pages)
    assert broken_names(breaks) == [
        "page 1: publis-hed_vs_reproduced.csv",
        "page 1: (a7b-de219)",
    ]
    assert bad_compound_breaks(breaks) == [
        "page 2: ap-pdeelnemers",
        "page 2: Buur-tapp",
        "page 3: Zen-obuurt",
    ]


# The report as the workflow builds it.


def built_report(tmp_path_factory) -> Path:
    """The PDF of the shipped study, built once per test session (shared by the PDF tests)."""
    from conftest import shipped_report_run

    return shipped_report_run(tmp_path_factory) / "results" / "report" / "rapport.pdf"


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    return check(built_report(tmp_path_factory))


@pytest.mark.e2e
@pytest.mark.parametrize(
    "problem",
    [
        "orphaned captions",
        "near-empty pages",
        "hyphenated names or hashes",
        "bad breaks in the study's compounds",
    ],
)
def test_report_layout(report, problem):
    assert report[problem] == []


if __name__ == "__main__":
    problems = check(sys.argv[1])
    for problem, found in problems.items():
        print(f"{problem}: {found or 'none'}")
    sys.exit(1 if any(problems.values()) else 0)
