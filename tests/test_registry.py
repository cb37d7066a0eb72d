"""The registry of tables and figures (resources/tables.yaml) and the workflow built from it.

The workflow's targets, outputs, report inputs, provenance records and the
captions of Snakemake's report are all derived from the registry; these tests
check that the registry and the code agree, and that a table's or figure's file
name is written only in the registry ("registered once").
"""

from __future__ import annotations

import ast
import importlib
import re
from pathlib import Path

import pytest
import yaml
from conftest import ROOT

from buurtpreventie.registry import load_registry

REGISTRY = load_registry(ROOT / "resources" / "tables.yaml")
RULES = {p.name: p.read_text(encoding="utf-8") for p in (ROOT / "workflow" / "rules").glob("*.smk")}
# Caption keys of the templates that cite no results file (the p-values printed
# differently: a selection of published_vs_reproduced shown under 'gepubliceerd').
UNSOURCED_CAPTIONS = {"p-anders"}


def _rule_block(rule: str) -> str | None:
    """The text of `rule <name>:` up to the next rule, in whichever rule file holds it."""
    for text in RULES.values():
        match = re.search(rf"^rule {re.escape(rule)}:\n(.*?)(?=^rule |\Z)", text, re.S | re.M)
        if match:
            return match.group(1)
    return None


def test_the_registry_loads_with_unique_names_and_files():
    names = [entry.name for entry in REGISTRY]
    files = [entry.file for entry in REGISTRY]
    assert len(set(names)) == len(names)
    assert len(set(files)) == len(files)
    assert REGISTRY.tables and REGISTRY.figures
    for entry in REGISTRY:
        assert entry.title and entry.report and entry.caption, entry.name
    for table in REGISTRY.tables:
        assert table.file == f"results/tables/{table.name}.csv"
        assert table.columns, table.name


@pytest.mark.parametrize("entry", REGISTRY.entries, ids=lambda e: e.name)
def test_every_entry_has_its_rule_and_output(entry):
    block = _rule_block(entry.rule)
    assert block is not None, f"no 'rule {entry.rule}:' in workflow/rules/*.smk"
    # The output named as the registry says, its file taken from the registry.
    assert re.search(rf'^\s+{entry.output}=registered\("{entry.name}"\),$', block, re.M), (
        f'rule {entry.rule} has no output {entry.output}=registered("{entry.name}")'
    )
    if entry.png:
        assert f'registered_png("{entry.name}")' in block, entry.name


@pytest.mark.parametrize("entry", REGISTRY.entries, ids=lambda e: e.name)
def test_every_function_imports(entry):
    module, name = entry.function.rsplit(".", 1)
    assert callable(getattr(importlib.import_module(module), name)), entry.function


def _code_strings(path: Path) -> list[str]:
    """The string constants of a Python file's code (docstrings left out)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                docstrings.add(id(body[0].value))
    return [
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and id(node) not in docstrings
    ]


def _smk_code(path: Path) -> str:
    """A Snakemake file without its comments."""
    return "\n".join(line.split("#", 1)[0] for line in path.read_text("utf-8").splitlines())


def test_file_names_are_registered_once():
    """No table or figure file is named in the code outside the registry.

    Documentation (docstrings, comments, help texts) may name them; code takes
    them from the registry (and builds no ``results/tables/...`` path itself).
    """
    names = {path for entry in REGISTRY for path in (entry.file, entry.png) if path}
    found = []
    files = [ROOT / "Snakefile", *(ROOT / "workflow").rglob("*.smk")]
    for path in files:
        text = _smk_code(path)
        found += [(path, name) for name in names if name in text]
    python = [*(ROOT / "scripts").glob("*.py"), *(ROOT / "src").rglob("*.py")]
    for path in python:
        if path.name == "registry.py":
            continue
        # a path in the code is a string without spaces (help texts and messages may cite one)
        strings = [s for s in _code_strings(path) if not re.search(r"\s", s)]
        found += [(path, name) for name in names if any(name in s for s in strings)]
        found += [(path, s) for s in strings if s.startswith("results/tables/")]
    assert not found, [(str(p.relative_to(ROOT)), n) for p, n in found]


def _template_keys(function: str) -> set[str]:
    """Caption keys of `x.caption('key', ...)` / `x.figure('key', ...)` in the templates.

    A key built from a prefix (`'demografie-' ~ t.key`) counts as the prefix
    without its dash: the macro looks up that prefix's source.
    """
    keys = set()
    for path in (ROOT / "report" / "templates").glob("*.j2"):
        text = path.read_text(encoding="utf-8")
        for key, built in re.findall(rf"\bx\.{function}\('([^']+)'(\s*~)?", text):
            keys.add(key.rstrip("-") if built else key)
    return keys


def test_every_template_caption_is_registered():
    tables = REGISTRY.caption_files("table")
    figures = REGISTRY.caption_files("figure")
    unknown = _template_keys("caption") - set(tables) - UNSOURCED_CAPTIONS
    assert not unknown, f"table captions without a registry entry: {sorted(unknown)}"
    unknown = _template_keys("figure") - set(figures)
    assert not unknown, f"figures without a registry entry: {sorted(unknown)}"
    # and the registry names no caption key the templates do not use
    assert set(tables) <= _template_keys("caption")
    assert set(figures) <= _template_keys("figure")


def test_caption_of_snakemakes_report_comes_from_the_entry():
    entry = REGISTRY.get("baseline")
    text = entry.caption_text()
    assert text.startswith(f"{entry.title} ({entry.report}). {entry.caption}")
    assert "made by rule ``comparisons``" in text
    assert all(f"- ``{column}``: " in text for column in entry.columns)
    assert "buurtpreventie trace results/tables/baseline.csv" in text
    # what Snakemake's report shows: every table, a figure's png, or its file unless left out
    assert entry.shown_file() == entry.file
    assert REGISTRY.get("chat_members").shown_file() == "results/figures/chat_members.png"
    assert REGISTRY.get("timeline").shown_file() is None


def test_the_slurm_profile_asks_for_the_default_resources():
    """profiles/slurm sets every job's default resources (no account placeholder)."""
    slurm = yaml.safe_load((ROOT / "profiles" / "slurm" / "config.yaml").read_text("utf-8"))
    assert slurm["default-resources"] == {"mem_mb": 2000, "runtime": 15}
