"""The contract in docs/ stays in step with the code.

- docs/config.md has one row per key of workflow/schemas/config.schema.yaml,
  with the schema's type and default (run ``python tests/test_docs.py`` to
  print the rows the schema implies);
- the docs' links between pages point at pages and sections that exist;
- no file of the project cites the spec file outside the repository any more.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
SCHEMA = ROOT / "workflow" / "schemas" / "config.schema.yaml"
PAGES = ("README.md", "exports.md", "config.md", "tables.md", "derivation.md")


def _type(spec: dict) -> str:
    """The type of a schema property as docs/config.md writes it."""
    kind = spec.get("type", "")
    if "enum" in spec:
        return " \\| ".join(f"`{v}`" for v in spec["enum"])
    if kind == "array":
        item = spec.get("items", {}).get("type", "")
        return f"list of {item}" if item and item != "object" else "list"
    if kind == "object" and isinstance(spec.get("additionalProperties"), dict):
        value = spec["additionalProperties"]
        shown = " \\| ".join(f"`{v}`" for v in value["enum"]) if "enum" in value else value["type"]
        return f"mapping to {shown}"
    return str(kind)


def _default(spec: dict, required: bool) -> str:
    """The default of a schema property as docs/config.md writes it."""
    if "default" in spec:
        return "`" + json.dumps(spec["default"], ensure_ascii=False) + "`"
    return "required" if required else "none"


def schema_rows(
    spec: dict | None = None, prefix: str = "", required: frozenset[str] = frozenset()
) -> Iterator[tuple[str, str, str, str]]:
    """(key, type, default, description) of every property, depth first, in schema order.

    Nested keys are dotted (``chats.scoring.min_count``); the keys of the items
    of a list get ``[]`` (``waves[].id``).
    """
    if spec is None:
        spec = yaml.safe_load(SCHEMA.read_text(encoding="utf-8"))
        required = frozenset(spec.get("required", ()))
    for name, prop in spec.get("properties", {}).items():
        key = f"{prefix}{name}"
        description = " ".join(str(prop.get("description", "")).split())
        yield key, _type(prop), _default(prop, name in required), description
        if prop.get("type") == "object" and "properties" in prop:
            yield from schema_rows(prop, key + ".", frozenset(prop.get("required", ())))
        items = prop.get("items", {})
        if prop.get("type") == "array" and "properties" in items:
            yield from schema_rows(items, key + "[].", frozenset(items.get("required", ())))


def documented_rows() -> dict[str, list[str]]:
    """Key -> cells of the rows of the tables in docs/config.md (first cell a `key`)."""
    rows = {}
    for line in (DOCS / "config.md").read_text(encoding="utf-8").splitlines():
        match = re.match(r"^\|\s*`([^`]+)`\s*\|(.*)\|\s*$", line)
        if match:
            cells = [c.strip() for c in re.split(r"(?<!\\)\|", match.group(2))]
            rows[match.group(1)] = cells
    return rows


def test_every_config_key_is_documented_with_its_type_and_default():
    documented = documented_rows()
    missing, wrong = [], []
    for key, kind, default, _ in schema_rows():
        if key not in documented:
            missing.append(key)
            continue
        cells = documented[key]
        if cells[:2] != [kind, default]:
            wrong.append(f"{key}: docs {cells[:2]}, schema {[kind, default]}")
    assert not missing, f"config keys missing from docs/config.md: {missing}"
    assert not wrong, "docs/config.md out of step with the schema:\n" + "\n".join(wrong)


def test_no_documented_config_key_is_unknown_to_the_schema():
    known = {key for key, *_ in schema_rows()}
    assert set(documented_rows()) <= known, sorted(set(documented_rows()) - known)


def _anchor(heading: str) -> str:
    """GitHub's anchor of a heading."""
    text = re.sub(r"[^\w\- ]", "", heading.strip().lower())
    return text.replace(" ", "-")


@pytest.mark.parametrize("page", PAGES)
def test_links_between_pages_resolve(page):
    text = (DOCS / page).read_text(encoding="utf-8")
    for target, anchor in re.findall(r"\]\(([\w.-]+\.md)(?:#([\w-]+))?\)", text):
        path = DOCS / target
        assert path.exists(), f"{page} links to {target}, which does not exist"
        if anchor:
            headings = re.findall(r"^#+ (.+)$", path.read_text(encoding="utf-8"), re.M)
            assert anchor in {_anchor(h) for h in headings}, f"{page}: no #{anchor} in {target}"


_SECTION_CITATION = re.compile(r"docs/(\w+\.md), sections? ([A-Z][\w ]*?)(?:[.;,):]|$)", re.M)


def test_citations_of_docs_name_existing_sections():
    """A citation such as "docs/derivation.md, section Indicators" names a real heading."""
    cited = []
    for folder in ("src", "tests", "scripts", "resources", "workflow"):
        for path in (ROOT / folder).rglob("*"):
            if path.suffix in {".py", ".yaml", ".smk", ""} and path.is_file():
                text = path.read_text(encoding="utf-8", errors="replace")
                cited += [
                    (path, page, section) for page, section in _SECTION_CITATION.findall(text)
                ]
    assert cited, "no citation of docs/ found"
    for path, page, section in cited:
        assert (DOCS / page).exists(), f"{path.relative_to(ROOT)} cites a missing {page}"
        headings = re.findall(r"^#+ (.+)$", (DOCS / page).read_text(encoding="utf-8"), re.M)
        assert section.strip() in headings, f"{path.relative_to(ROOT)}: {page} has no {section!r}"


_SPEC = "INTERFACES" + ".md"  # the spec outside the repository, written so as not to cite it


def test_code_cites_docs_not_the_outside_spec():
    """src/, tests/ and scripts/ cite docs/; the outside spec file is not theirs to cite."""
    citing = []
    for folder in ("src", "tests", "scripts"):
        for path in (ROOT / folder).rglob("*.py"):
            if _SPEC in path.read_text(encoding="utf-8", errors="replace"):
                citing.append(str(path.relative_to(ROOT)))
    assert not citing, citing


if __name__ == "__main__":  # print the rows of docs/config.md the schema implies
    for row in schema_rows():
        sys.stdout.write("| `" + "` | ".join(row[:1]) + "` | " + " | ".join(row[1:]) + " |\n")
