"""The literature list: complete references as data, every citation listed, every entry cited.

``resources/report/references.yaml`` holds the works the report cites; the
templates cite them by key (``x.cite('key')``). Here: each entry has the fields
of a reference, each key the text cites has an entry, each entry is cited, no
citation is typed by hand (author-year text outside ``x.cite``), and the
rendered list gives the full reference of each work.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from conftest import ROOT
from test_colophon import build_report

from buurtpreventie.report.colophon import reference_entries

REFERENCES = ROOT / "resources" / "report" / "references.yaml"
TEMPLATES = ROOT / "report" / "templates"
TEXT_MODULES = ROOT / "src" / "buurtpreventie" / "report" / "text"
WORDS = ROOT / "resources" / "report" / "words.yaml"
FIELDS = {"key", "authors", "year", "title", "container", "kind", "url", "note"}
CITE = re.compile(r"""\bcite\(\s*['"]([a-z0-9_]+)['"]\s*\)""")
# A citation typed by hand: "et al.", "(Lub, 2019", "Lub (2019)", "Akkermans & Vollaard, 2015".
_NAMES = r"[A-Z][a-z]+(?: [A-Z][a-z]+)?(?: (?:&|en) (?:[Vv]an )?[A-Z][a-z]+)?"
HAND_CITATION = re.compile(
    r"et al\.|\be\.a\.\s*,?\s*\(?(?:19|20)\d\d"
    rf"|\b{_NAMES},? \((?:19|20)\d\d[a-z]?\)"
    rf"|\({_NAMES}, (?:19|20)\d\d"
)


def _raw() -> list[dict]:
    return yaml.safe_load(REFERENCES.read_text(encoding="utf-8"))


def _sources() -> dict[Path, str]:
    files = [*TEMPLATES.glob("*.j2"), *TEXT_MODULES.glob("*.py"), WORDS]
    return {path: path.read_text(encoding="utf-8") for path in sorted(files)}


def _cited() -> set[str]:
    return {key for text in _sources().values() for key in CITE.findall(text)}


def test_entries_have_the_fields_of_a_reference():
    raw = _raw()
    assert isinstance(raw, list) and raw
    keys = [entry["key"] for entry in raw]
    assert len(keys) == len(set(keys)), "duplicate keys"
    for entry in raw:
        assert set(entry) <= FIELDS, (entry["key"], set(entry) - FIELDS)
        assert isinstance(entry["authors"], list) and entry["authors"], entry["key"]
        assert all(isinstance(a, str) and a.strip() for a in entry["authors"]), entry["key"]
        assert isinstance(entry["year"], int) and 1900 < entry["year"] < 2100, entry["key"]
        assert entry.get("kind", "rapport") in {"artikel", "rapport"}, entry["key"]
        if "url" in entry:
            assert re.fullmatch(r"https://\S+", entry["url"]), entry["key"]
        # A work without title or publisher says why in its note.
        if "title" not in entry or "container" not in entry:
            assert entry.get("note"), entry["key"]


def test_the_2022_experiment_report_is_listed_with_title_and_address():
    entry = reference_entries(_raw())["inholland2022"]
    assert entry["year"] == 2022
    assert entry["title"].startswith("De werkzaamheid van WhatsApp-buurtpreventie verbeteren")
    assert entry["url"].startswith("https://www.inholland.nl/")


def test_every_citation_has_an_entry_and_every_entry_is_cited():
    keys = {entry["key"] for entry in _raw()}
    cited = _cited()
    assert cited, "no x.cite() found in the templates"
    assert not cited - keys, f"cited without an entry: {sorted(cited - keys)}"
    assert not keys - cited, f"listed but never cited: {sorted(keys - cited)}"


@pytest.mark.parametrize("path", sorted(_sources()), ids=lambda p: p.name)
def test_no_citation_is_typed_by_hand(path):
    """Author-year text outside x.cite() would bypass the list (and the check above)."""
    text = CITE.sub("", _sources()[path])
    found = [m.group(0) for m in HAND_CITATION.finditer(text)]
    assert not found, f"{path.name}: {found}"


def test_in_text_form_follows_apa():
    entries = reference_entries(_raw())
    assert entries["lub2019"]["cite"] == "Lub, 2019"
    assert entries["akkermans2015"]["cite"] == "Akkermans & Vollaard, 2015"
    assert entries["mehlbaum2021"]["cite"] == "Van Steden & Mehlbaum, 2021"
    assert entries["pridmore2019"]["cite"] == "Pridmore et al., 2019"
    assert entries["eysink2019"]["cite"] == "Eysink Smeets et al., 2019"
    assert entries["inholland2022"]["cite"] == "Hogeschool Inholland, 2022"
    assert entries["akkermans2015"]["author_list"] == "Akkermans, M., & Vollaard, B."


def test_list_is_ordered_by_first_author_ignoring_prefixes():
    order = [e["key"] for e in reference_entries(_raw()).values()]
    surnames = [
        re.sub(r"^(?:van|de|der|den)\s+", "", e["authors"][0].split(",")[0], flags=re.I).lower()
        for e in reference_entries(_raw()).values()
    ]
    assert surnames == sorted(surnames), order
    assert order.index("mehlbaum2021") > order.index("pridmore2019")  # Van Steden under S


def test_rendered_list_gives_full_references(tmp_path):
    rendered = build_report(tmp_path)
    html = rendered["html"]
    start = html.index('id="literatuur"')
    section = html[start : html.index("</section>", start)]
    assert "dat rapport" not in section
    for entry in reference_entries(_raw()).values():
        item = re.search(rf'<li id="ref-{entry["key"]}">(.*?)</li>', section, re.S)
        assert item, entry["key"]
        text = re.sub(r"\s+", " ", item.group(1))
        assert f"({entry['year']})" in text
        for part in ("title", "container", "note"):
            if entry[part]:
                assert entry[part].replace("&", "&amp;") in text, (entry["key"], part)
        if entry["url"]:
            assert f'href="{entry["url"]}"' in text, entry["key"]
