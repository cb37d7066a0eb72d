"""The report in our own words: no run of 12 words shared with the 2022 experiment report.

Issue 17: the report reproduced sentences of the original verbatim or nearly
so. This test takes the report's prose, cuts it into windows of 12
consecutive words, and fails on any window that the original report also
has. The original is outside the repository; ``tests/data/seed_12grams.txt``
holds only the SHA-256 of each of its 12-word windows (written by
``tests/data/make_seed_grams.py``, which documents the normalisation).

Prose is the visible text outside tables, figures, the questionnaire
(``id="bijlage-vragenlijst"``), the references (``id="literatuur"``) and the
table of contents; a window never runs across a block element (a paragraph,
list item, heading, caption or div), so two headings in a row are not one run.

The reports checked: generated result sets of the shipped design (two and
three waves, with and without the chats, with and without baseline
differences), built as the rule builds them (as in
``tests/test_report_properties.py``), and any finished report named in
``BUURTPREVENTIE_REPORT_HTML`` (paths to ``rapport.html``, separated by
``os.pathsep``), such as the shipped study's and a three-wave study's::

    BUURTPREVENTIE_REPORT_HTML=results/report/rapport.html pytest tests/test_own_words.py

The same prose must not talk about the tool that made it ("pipeline",
"pijplijn") outside the one methods paragraph of chapter 2
(``id="werkwijze-rapport"``); Bijlage B and the colophon, which account for
how the report was produced, are exempt.
"""

from __future__ import annotations

import html as html_module
import os
import re
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest import ROOT

sys.path.insert(0, str(Path(__file__).parent / "data"))
from make_seed_grams import N, window_hashes, words

from buurtpreventie.synthetic.results import Scenario, generate

SEED_GRAMS = Path(__file__).parent / "data" / "seed_12grams.txt"
SEED_TEXT = ROOT.parent / "shared" / "seeds" / "experiment-report-2022.txt"

#: Elements whose text is not prose.
SKIP_TAGS = frozenset({"table", "figure", "style", "script", "head", "nav", "svg"})
#: Sections (by id) whose text is not prose.
SKIP_IDS = frozenset({"bijlage-vragenlijst", "literatuur"})
#: Elements that end a run of words.
BLOCKS = frozenset(
    {"p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "figcaption", "div", "section", "ol", "ul",
     "dl", "dt", "dd", "blockquote", "br", "body", "aside"}
)  # fmt: skip
#: The one paragraph that may describe the tool, and the parts about the production.
TOOL_PARAGRAPH = "werkwijze-rapport"
TOOL_EXEMPT = frozenset({TOOL_PARAGRAPH, "bijlage-verantwoording", "colofon"})
TOOL_WORDS = re.compile(r"\b(?:pipeline|pijplijn)\w*", re.I)
_VOID = frozenset({"br", "img", "hr", "meta", "link", "input", "wbr", "col", "source"})


class _Blocks(HTMLParser):
    """The text of an HTML page as blocks, leaving out what ``skip`` says."""

    def __init__(self, skip_tags: frozenset[str], skip_ids: frozenset[str]) -> None:
        super().__init__(convert_charrefs=True)
        self.skip_tags, self.skip_ids = skip_tags, skip_ids
        self.stack: list[bool] = []  # per open element: does it start a skipped part
        self.skipping = 0
        self.blocks: list[list[str]] = [[]]

    def _break(self) -> None:
        if self.blocks[-1]:
            self.blocks.append([])

    def handle_starttag(self, tag, attrs):
        if tag in BLOCKS:
            self._break()
        if tag in _VOID:
            return
        skip = tag in self.skip_tags or dict(attrs).get("id") in self.skip_ids
        self.stack.append(skip)
        self.skipping += skip

    def handle_startendtag(self, tag, attrs):
        if tag in BLOCKS:
            self._break()

    def handle_endtag(self, tag):
        if tag in _VOID:
            return
        if tag in BLOCKS:
            self._break()
        if self.stack:
            self.skipping -= self.stack.pop()

    def handle_data(self, data):
        if not self.skipping:
            self.blocks[-1].append(data)


def prose_blocks(page: str, skip_ids: frozenset[str] = SKIP_IDS) -> list[str]:
    """The report's prose, one string per block element."""
    parser = _Blocks(SKIP_TAGS, skip_ids)
    parser.feed(page)
    parser.close()
    texts = (html_module.unescape("".join(b)).replace("\u00ad", "") for b in parser.blocks)
    return [re.sub(r"\s+", " ", t).strip() for t in texts if t.strip()]


def shared_runs(page: str, seed: set[str]) -> list[str]:
    """Every block with a window of ``N`` words the seed has, with the window's words."""
    found = []
    for block in prose_blocks(page):
        tokens = words(block)
        for i in range(len(tokens) - N + 1):
            window = tokens[i : i + N]
            if window_hashes(window) & seed:
                found.append(f"{' '.join(window)!r} in: {block[:300]}")
    return found


@pytest.fixture(scope="module")
def seed() -> set[str]:
    return set(SEED_GRAMS.read_text(encoding="ascii").split())


# --- the extraction ---------------------------------------------------------------------


def test_prose_leaves_out_tables_figures_questionnaire_references_and_toc():
    page = (
        "<nav class='toc'><li>Inhoud een</li></nav><h1>Kop</h1><p>Eerste alinea.</p>"
        "<table><tr><td>cel</td></tr></table><figure><figcaption>bij</figcaption></figure>"
        "<section id='bijlage-vragenlijst'><p>vraag</p></section>"
        "<section id='literatuur'><p>boek</p></section><ul><li>punt <em>een</em></li></ul>"
    )
    assert prose_blocks(page) == ["Kop", "Eerste alinea.", "punt een"]


def test_windows_never_run_across_blocks(seed):
    # twelve words split over a heading and a paragraph are no window
    assert words("één twee drie") == ["één", "twee", "drie"]
    page = "<h2>een twee drie vier vijf zes</h2><p>zeven acht negen tien elf twaalf</p>"
    assert all(len(words(b)) < N for b in prose_blocks(page))


def test_the_hashes_are_of_12_word_windows():
    tokens = words("Een twee, drie-vier vijf zes zeven acht negen tien elf twaalf dertien")
    assert len(tokens) == 13 and len(window_hashes(tokens)) == 2
    lines = SEED_GRAMS.read_text(encoding="ascii").split()
    assert lines == sorted(set(lines)) and all(re.fullmatch(r"[0-9a-f]{64}", h) for h in lines)


@pytest.mark.skipif(not SEED_TEXT.exists(), reason="the 2022 report is not in this checkout")
def test_the_hashes_are_those_of_the_seed():
    """The committed hashes are those the script makes from the seed (when it is here)."""
    lines = set(SEED_GRAMS.read_text(encoding="ascii").split())
    assert lines == window_hashes(words(SEED_TEXT.read_text(encoding="utf-8")))


def test_a_copied_sentence_is_found(seed):
    """The check works: a sentence the original has is caught, our rewording is not."""
    copied = (
        "<p>Eerder onderzoek vond weinig aanwijzingen: ingrijpen door de politie en "
        "aanhoudingen op heterdaad bleven uit (Eysink Smeets et al., 2019).</p>"
    )
    if not any(window_hashes(words(b)) & seed for b in prose_blocks(copied)):
        pytest.skip("the seed does not hold this sentence")
    assert shared_runs(copied, seed)


# --- the report ---------------------------------------------------------------------------

#: Generated sets of the shipped design: (seed, scenario).
SETS = (
    (11, Scenario(effects="mixed", waves=2, buurten=2, chats=True, published=True)),
    (12, Scenario(effects="significant", waves=3, buurten=2, chats=True, published=True)),
    (13, Scenario(effects="null", waves=2, buurten=2, chats=False, panel=False)),
    (14, Scenario(effects="baseline_half", waves=3, buurten=1, chats=True, small_cells=True)),
)


def _generated(seed_number: int, scenario: Scenario, folder: Path) -> str:
    from test_report_properties import _build

    return _build(generate(seed_number, scenario), folder)[1]


def _pages(tmp_path_factory) -> dict[str, str]:
    pages = {
        f"generate({n}, {s!r})": _generated(n, s, tmp_path_factory.mktemp(f"set{n}"))
        for n, s in SETS
    }
    for run in filter(None, os.environ.get("BUURTPREVENTIE_REPORT_HTML", "").split(os.pathsep)):
        pages[run] = Path(run).read_text(encoding="utf-8")
    return pages


@pytest.fixture(scope="module")
def pages(tmp_path_factory) -> dict[str, str]:
    return _pages(tmp_path_factory)


def test_the_report_shares_no_run_of_12_words_with_the_original(pages, seed):
    failures = [f"{name}: {run}" for name, page in pages.items() for run in shared_runs(page, seed)]
    assert not failures, f"{len(failures)} shared runs:\n" + "\n".join(failures[:20])


def test_the_report_keeps_the_tool_out_of_its_argument(pages):
    failures = []
    for name, page in pages.items():
        for block in prose_blocks(page, SKIP_IDS | TOOL_EXEMPT):
            failures += [f"{name}: {block[:200]}" for _ in TOOL_WORDS.finditer(block)]
    assert not failures, "\n".join(failures[:20])


def test_the_methods_paragraph_is_in_chapter_2(pages):
    for name, page in pages.items():
        start, end = page.find('id="opzet"'), page.find('id="bevindingen"')
        assert start < page.find(f'id="{TOOL_PARAGRAPH}"') < end, name
