"""The package's stages import only earlier stages (read from the source with ast).

The rules (a subpackage may always import its own modules):

- core (the top-level modules: adapter, errors, provenance, dutch, registry, ...)
  imports no subpackage, except ``cli``, which may import ``checks``;
- survey -> core; stats -> core, survey; chat -> core;
- published -> core, stats, survey;
- report -> anything but synthetic and checks;
- synthetic -> anything but report and checks;
- checks -> core, survey, chat.

Only the ``import`` statements written in the source are seen (at any depth,
inside functions too); a module loaded by name at run time
(``importlib.import_module``) is not.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import buurtpreventie

PACKAGE = Path(buurtpreventie.__file__).resolve().parent
SUBPACKAGES = sorted(p.name for p in PACKAGE.iterdir() if (p / "__init__.py").is_file())
CORE = "core"
EVERYTHING = frozenset(SUBPACKAGES) | {CORE}
ALLOWED = {
    "survey": {CORE},
    "stats": {CORE, "survey"},
    "chat": {CORE},
    "published": {CORE, "stats", "survey"},
    "report": EVERYTHING - {"synthetic", "checks"},
    "synthetic": EVERYTHING - {"report", "checks"},
    "checks": {CORE, "survey", "chat"},
}
#: Core modules that may import a subpackage.
CORE_EXCEPTIONS = {"cli": {"checks"}}


def _layer(dotted: str) -> str | None:
    """``buurtpreventie.stats.did`` -> ``stats``; a core module -> ``core``; outside -> None."""
    parts = dotted.split(".")
    if parts[0] != "buurtpreventie":
        return None
    if len(parts) == 1:
        return CORE
    return parts[1] if parts[1] in SUBPACKAGES else CORE


def _imported(path: Path) -> list[tuple[int, str]]:
    """(line, dotted name) of every module an ``import`` in the file names."""
    module = ".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    package = package.removesuffix(".__init__")
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                source = ".".join([*base, node.module] if node.module else base)
            else:
                source = node.module or ""
            # `from buurtpreventie import dutch`: the names are the modules
            if source == "buurtpreventie":
                found += [(node.lineno, f"{source}.{alias.name}") for alias in node.names]
            else:
                found.append((node.lineno, source))
    return found


def _where(path: Path) -> tuple[str, str]:
    """The layer of a source file, and its module name (for the core exceptions)."""
    parts = path.relative_to(PACKAGE).parts
    if len(parts) == 1:
        return CORE, path.stem
    return parts[0], parts[0]


def _violations() -> list[str]:
    out = []
    for path in sorted(PACKAGE.rglob("*.py")):
        layer, name = _where(path)
        if layer == CORE:
            allowed = {CORE} | CORE_EXCEPTIONS.get(name, set())
        else:
            allowed = ALLOWED[layer] | {layer}
        for line, dotted in _imported(path):
            target = _layer(dotted)
            if target is not None and target not in allowed:
                out.append(f"{path.relative_to(PACKAGE)}:{line}: {layer} imports {dotted}")
    return out


def test_every_subpackage_has_an_import_rule():
    """A new subpackage must be placed among the stages here before it can pass."""
    assert set(SUBPACKAGES) == set(ALLOWED)


def test_no_import_statement_reaches_a_later_stage():
    assert _violations() == []


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("buurtpreventie.report.text", "report"),
        ("buurtpreventie.dutch", CORE),
        ("buurtpreventie", CORE),
        ("pandas", None),
    ],
)
def test_layer_of_a_module_name(source, expected):
    assert _layer(source) == expected


def test_the_checker_sees_a_relative_and_a_from_package_import(tmp_path, monkeypatch):
    """The parser resolves ``from ..report import x`` and ``from buurtpreventie import stats``."""
    fake = tmp_path / "buurtpreventie"
    (fake / "survey").mkdir(parents=True)
    (fake / "__init__.py").write_text("", encoding="utf-8")
    (fake / "survey" / "__init__.py").write_text("", encoding="utf-8")
    module = fake / "survey" / "m.py"
    module.write_text(
        "from ..report import text\nfrom buurtpreventie import stats\n"
        "def f():\n    import buurtpreventie.chat.parse\n",
        encoding="utf-8",
    )
    monkeypatch.setattr(f"{__name__}.PACKAGE", fake)
    assert [name for _, name in _imported(module)] == [
        "buurtpreventie.report",
        "buurtpreventie.stats",
        "buurtpreventie.chat.parse",
    ]
