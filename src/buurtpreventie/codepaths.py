"""Which source files of the package a script runs: its imports, followed through the package.

Snakemake watches a rule's script for changes, not the package modules the
script imports. Listing those modules as the rule's input makes an edit to one
of them rerun exactly the rules that use it, and puts their hashes in the
provenance records. The list is found here by reading the import statements
(:mod:`ast`, no import is executed), so it cannot go stale when a module starts
to import another. Imports inside functions count too. Written by hand:
:mod:`modulefinder` would execute nothing either, but follows every library the
package uses, where only the package's own files are wanted.
"""

from __future__ import annotations

import ast
import re
from functools import cache
from pathlib import Path

__all__ = ["package_sources"]

PACKAGE = "buurtpreventie"


def _imported(tree: ast.AST) -> set[str]:
    """Dotted names the module imports from the package, with ``from a import b`` as ``a.b``."""
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return {n for n in names if n == PACKAGE or n.startswith(PACKAGE + ".")}


# A line that starts an import statement naming the package (any indentation, so
# imports inside functions count). Snakemake lists the modules of every rule at
# each parse, so only these statements are handed to :mod:`ast`, not whole files.
_IMPORT_LINE = re.compile(rf"^[ \t]*(?:from|import)[ \t]+{PACKAGE}\b", re.MULTILINE)


def _statement(text: str, start: int) -> str:
    """The import statement starting at ``start``: its line, and the lines of a
    parenthesised name list or of backslash continuations."""
    end = text.find("\n", start)
    end = len(text) if end == -1 else end
    statement = text[start:end]
    while ("(" in statement and ")" not in statement) or statement.endswith("\\"):
        following = text.find("\n", end + 1)
        following = len(text) if following == -1 else following
        if following <= end:
            break
        statement, end = text[start:following], following
    return statement.lstrip(" \t")


@cache
def _module_imports(path: Path) -> frozenset[str]:
    """The package names one source file imports, read once per file and process."""
    text = path.read_text(encoding="utf-8")
    try:
        statements = [_statement(text, m.start()) for m in _IMPORT_LINE.finditer(text)]
        return frozenset(_imported(ast.parse("\n".join(statements))))
    except SyntaxError:
        # a statement the line scan cut wrongly (a bracket in a comment): the whole file
        return frozenset(_imported(ast.parse(text)))


@cache
def _source_file(name: str, root: Path) -> Path | None:
    """The file of a dotted module name under ``root`` (``src``), or None for a non-module."""
    base = root.joinpath(*name.split("."))
    for candidate in (base.with_suffix(".py"), base / "__init__.py"):
        if candidate.is_file():
            return candidate
    return None


@cache
def _closure(script: Path, root: Path) -> tuple[str, ...]:
    seen: dict[Path, None] = {}
    pending = [script]
    while pending:
        for name in sorted(_module_imports(pending.pop())):
            parts = name.split(".")
            # a module's packages run too: buurtpreventie/__init__.py, chat/__init__.py
            for depth in range(1, len(parts) + 1):
                found = _source_file(".".join(parts[:depth]), root)
                if found is not None and found not in seen:
                    seen[found] = None
                    pending.append(found)
    return tuple(sorted(p.as_posix() for p in seen))


def package_sources(script: str | Path, root: str | Path = "src") -> list[str]:
    """The package's source files that ``script`` imports, directly or through others.

    Parameters
    ----------
    script : str or Path
        A Python file (``scripts/ingest_wave.py``).
    root : str or Path
        The folder that holds the package (``src``).

    Returns
    -------
    list of str
        Paths under ``root``, sorted (``src/buurtpreventie/survey/ingest.py``, ...).
    """
    return list(_closure(Path(script), Path(root)))
