"""The code path of a table or figure: config -> rule -> script -> function -> file -> report.

``buurtpreventie trace --code "Tabel 4"`` prints, for each registry entry a label
resolves to, where each link of the chain is written down, as ``file:line``:
the config keys that shape it (``config.yaml``, or the schema when a key is not
set there), the rule that makes it (``workflow/rules/*.smk``, whichever file
holds it now), the line of the rule's script that calls the package function,
the ``def`` of that function, the file with its registry entry, and the
template lines that show it (or the report context's lines that read it).

The finders are small pure functions of a file's text; :func:`code_trace`
reads the files and puts the chain together. A link that cannot be found is
kept, with ``places`` empty and ``missing`` saying what was looked for.
"""

from __future__ import annotations

import ast
import importlib
import inspect
import os
import re
import textwrap
from dataclasses import dataclass
from pathlib import Path

import yaml

from buurtpreventie.registry import Entry

__all__ = [
    "ROOT",
    "CodeTrace",
    "Link",
    "Place",
    "call_line",
    "code_trace",
    "context_reads",
    "def_line",
    "package_calls",
    "rule_block",
    "rule_line",
    "rule_script",
    "schema_key_line",
    "template_uses",
    "upstream_rules",
    "yaml_key_line",
]

ROOT = Path(__file__).resolve().parents[2]
"""The repository the package is installed from (config.yaml, workflow/, report/)."""

CONTEXT_FILE = "src/buurtpreventie/report/context.py"


@dataclass(frozen=True)
class Place:
    """A line of a file: path relative to the repository, 1-based line, its text."""

    path: str
    line: int
    text: str = ""
    note: str = ""  # what this line is, e.g. "caption 'voormeting'"
    label: str = ""  # what is written there, when a link has several (two rules)

    def __str__(self) -> str:
        return f"{self.path}:{self.line}"


@dataclass(frozen=True)
class Link:
    """One link of the chain: its kind, what it is, and where it is written down."""

    kind: str  # config, rule, script, code, table/figure, report
    label: str  # the key, rule, script, function or file
    places: tuple[Place, ...] = ()
    note: str = ""  # e.g. "on disk", "not read by the report"
    missing: str = ""  # what could not be found, when it could not

    @property
    def found(self) -> bool:
        return not self.missing


@dataclass(frozen=True)
class CodeTrace:
    """The chain of one registry entry: a link per config key, then one per step."""

    entry: Entry
    config: tuple[Link, ...]
    chain: tuple[Link, ...]  # rule, script, code, table/figure, report

    @property
    def links(self) -> tuple[Link, ...]:
        return (*self.config, *self.chain)

    @property
    def steps(self) -> int:
        """The arrows from the config to the report (the config counts as one stage)."""
        return len(self.chain)

    @property
    def missing(self) -> list[str]:
        return [f"{link.kind} {link.label}: {link.missing}" for link in self.links if link.missing]


# ---------------------------------------------------------------- pure finders


def yaml_key_line(text: str, dotted: str) -> int | None:
    """1-based line of a (dotted, nested) mapping key in a YAML text, or None."""
    try:
        node = yaml.compose(text)
    except yaml.YAMLError:
        return None
    line = None
    for part in dotted.split("."):
        if not isinstance(node, yaml.MappingNode):
            return None
        for key, value in node.value:
            if isinstance(key, yaml.ScalarNode) and key.value == part:
                line, node = key.start_mark.line + 1, value
                break
        else:
            return None
    return line


def schema_key_line(text: str, dotted: str) -> int | None:
    """1-based line where a JSON schema in YAML defines a dotted config key, or None."""
    path = ".".join(f"properties.{part}" for part in dotted.split("."))
    return yaml_key_line(text, path)


def rule_line(text: str, rule: str) -> int | None:
    """1-based line of ``rule <name>:`` in a Snakemake file, or None."""
    match = re.search(rf"^rule\s+{re.escape(rule)}\s*:", text, flags=re.MULTILINE)
    return text.count("\n", 0, match.start()) + 1 if match else None


def rule_block(text: str, rule: str) -> str | None:
    """The text of a rule, from ``rule <name>:`` to the next top-level statement."""
    start = rule_line(text, rule)
    if start is None:
        return None
    lines = text.splitlines()
    block = [lines[start - 1]]
    for line in lines[start:]:
        if line.strip() and not line[0].isspace() and not line.lstrip().startswith("#"):
            break
        block.append(line)
    return "\n".join(block)


def rule_script(text: str, rule: str) -> str | None:
    """The path in the rule's ``script:`` directive (as written), or None."""
    block = rule_block(text, rule)
    if block is None:
        return None
    match = re.search(r"^\s+script:\s*(?:#.*)?\n?\s*['\"]([^'\"]+)['\"]", block, re.MULTILINE)
    return match.group(1) if match else None


def upstream_rules(text: str, rule: str) -> list[str]:
    """The rules whose outputs a rule takes as input (``rules.<name>.output``), in order."""
    block = rule_block(text, rule) or ""
    return list(dict.fromkeys(re.findall(r"\brules\.(\w+)\.output\b", block)))


def call_line(source: str, function: str) -> tuple[int, str] | None:
    """Line where a script calls ``function`` (by name or as ``x.function``), or None.

    Returns the line and "call"; a script that only passes the function on
    (``apply(function)``) gives the first such reference and "reference".
    Imports do not count.
    """
    tree = ast.parse(source)
    calls, refs = [], []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and _names(node.func, function):
            calls.append(node.func.end_lineno or node.func.lineno)
        elif isinstance(node, ast.Name | ast.Attribute) and _names(node, function):
            refs.append(node.end_lineno or node.lineno)
    if calls:
        return min(calls), "call"
    if refs:
        return min(refs), "reference"
    return None


def _names(node: ast.AST, function: str) -> bool:
    if isinstance(node, ast.Name):
        return node.id == function
    return isinstance(node, ast.Attribute) and node.attr == function


def package_calls(source: str, package: str = "buurtpreventie") -> list[tuple[int, str]]:
    """(line, dotted name) of each call in a script to a function imported from the package.

    ``from buurtpreventie.chat.tables import chat_tables`` then ``chat_tables(...)``,
    or ``from buurtpreventie.chat import tables`` then ``tables.parse_batch(...)``.
    """
    tree = ast.parse(source)
    imported: dict[str, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == package:
            for alias in node.names:
                imported[alias.asname or alias.name] = f"{node.module}.{alias.name}"
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] == package:
                    imported[alias.asname or alias.name] = alias.name
    calls = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        if isinstance(func, ast.Name) and func.id in imported:
            calls.append((func.lineno, imported[func.id]))
        elif (
            isinstance(func, ast.Attribute)
            and isinstance(func.value, ast.Name)
            and func.value.id in imported
        ):
            calls.append((func.end_lineno or func.lineno, f"{imported[func.value.id]}.{func.attr}"))
    return sorted(calls)


def def_line(lines: list[str], start: int, function: str) -> int | None:
    """1-based line of ``def <function>`` at or after ``start`` (past any decorators)."""
    pattern = re.compile(rf"^\s*(async\s+)?def\s+{re.escape(function)}\s*\(")
    for number in range(max(start, 1), len(lines) + 1):
        if pattern.match(lines[number - 1]):
            return number
    return None


def template_uses(text: str, key: str, macro: str = "caption") -> list[int]:
    """1-based lines of ``caption('<key>'`` (or ``figure('<key>'``) in a template.

    Tables are shown with ``caption``, figures with ``figure``; the two share
    some keys ('voormeting'). A caption key built while rendering
    (``caption('demografie-' ~ t.key``) counts for its stem, as the report's
    ``caption`` macro cites it under that stem.
    """
    built = r"|-\1\s*~" if macro == "caption" else ""
    pattern = re.compile(rf"\b{re.escape(macro)}\(\s*(['\"]){re.escape(key)}(?:\1{built})")
    return [n for n, line in enumerate(text.splitlines(), 1) if pattern.search(line)]


def context_reads(text: str, name: str) -> list[int]:
    """1-based lines of the report context that read a table by name.

    ``tables["name"]`` or ``tables.get("name"`` (any subscript or ``get`` by
    the name) first; otherwise the lines that name it as a string, such as the
    list of tables the report loads.
    """
    lines = text.splitlines()
    quoted = rf"(?:'{re.escape(name)}'|\"{re.escape(name)}\")"
    reads = rf"\[\s*{quoted}\s*\]|\.get\(\s*{quoted}"
    subscripts = [n for n, line in enumerate(lines, 1) if re.search(reads, line)]
    if subscripts:
        return subscripts
    return [n for n, line in enumerate(lines, 1) if re.search(quoted, line)]


# ---------------------------------------------------------------- the chain


def _read(root: Path, path: str) -> str:
    return (root / path).read_text(encoding="utf-8")


def _place(root: Path, path: str, line: int, note: str = "", label: str = "") -> Place:
    text = _read(root, path).splitlines()[line - 1]
    return Place(path, line, text.strip(), note, label)


def _config_link(root: Path, key: str) -> Link:
    line = yaml_key_line(_read(root, "config.yaml"), key)
    if line:
        return Link("config", key, (_place(root, "config.yaml", line),))
    schema = "workflow/schemas/config.schema.yaml"
    line = schema_key_line(_read(root, schema), key)
    if line:
        return Link(
            "config",
            key,
            (_place(root, schema, line),),
            note="not in config.yaml; its definition in the schema",
        )
    return Link("config", key, missing=f"not in config.yaml nor in {schema}")


def _find_rule(root: Path, rule: str) -> tuple[Path, str, int] | None:
    """The .smk file (any of workflow/rules/*.smk), its text and the line of a rule."""
    for smk in sorted((root / "workflow" / "rules").glob("*.smk")):
        text = smk.read_text(encoding="utf-8")
        line = rule_line(text, rule)
        if line is not None:
            return smk, text, line
    return None


def _source(dotted: str):
    """(source, path, first line) of a package function, or None when it cannot be read."""
    module_name, name = dotted.rsplit(".", 1)
    try:
        function = inspect.unwrap(getattr(importlib.import_module(module_name), name))
        lines, start = inspect.getsourcelines(function)
        path = Path(inspect.getsourcefile(function) or "").resolve()
    except (ImportError, AttributeError, OSError, TypeError):
        return None
    return "".join(lines), path, start


def _relative(root: Path, path: Path) -> str:
    return path.relative_to(root).as_posix() if path.is_relative_to(root) else str(path)


def _script_use(
    root: Path, smk: Path, text: str, rule: str, function: str
) -> tuple[str, tuple[Place, ...], str]:
    """(script, places, why not) of the rule's script's use of the function.

    One place: the script calls it. Two: the script calls a package function
    (a wrapper) and the second place is the wrapper's line that calls it.
    """
    written = rule_script(text, rule)
    if written is None:
        return "", (), f"rule {rule} has no script: directive"
    script = Path(os.path.normpath(smk.parent / written)).relative_to(root).as_posix()
    if not (root / script).is_file():
        return script, (), f"{script} does not exist"
    source = _read(root, script)
    found = call_line(source, function)
    if found is not None:
        line, how = found
        note = "" if how == "call" else f"passes {function} on"
        return script, (_place(root, script, line, note),), ""
    for line, wrapper in package_calls(source):
        read = _source(wrapper)
        if read is None:
            continue
        text, path, start = read
        inner = call_line(textwrap.dedent(text), function)
        if inner is None or inner[1] != "call":
            continue
        first = _place(root, script, line, f"calls {wrapper}", wrapper)
        number = start + inner[0] - 1
        shown = path.read_text(encoding="utf-8").splitlines()[number - 1].strip()
        second = Place(_relative(root, path), number, shown, "which calls it")
        return script, (first, second), ""
    return script, (), f"{script} does not use {function}, nor a package function that calls it"


def _rule_links(root: Path, entry: Entry) -> tuple[Link, Link]:
    """The rule that makes the file and the line(s) of its script that compute it.

    When the rule's script only gathers what an upstream rule computed (rule
    ``chat_tables`` concatenates the per-group tables of ``parse_chat``), the
    rule link shows both rules and the script link is the upstream script.
    """
    function = entry.function.rsplit(".", 1)[1]
    found = _find_rule(root, entry.rule)
    if found is None:
        return (
            Link("rule", entry.rule, missing=f"no 'rule {entry.rule}:' in workflow/rules/*.smk"),
            Link("script", "", missing=f"no rule {entry.rule}"),
        )
    smk, text, line = found
    rule_place = _place(root, smk.relative_to(root).as_posix(), line, "", entry.rule)
    script, places, why = _script_use(root, smk, text, entry.rule, function)
    if places:
        return Link("rule", entry.rule, (rule_place,)), Link("script", script, places)
    for upstream in upstream_rules(text, entry.rule):
        there = _find_rule(root, upstream)
        if there is None:
            continue
        up_smk, up_text, up_line = there
        up_script, up_places, _ = _script_use(root, up_smk, up_text, upstream, function)
        if not up_places:
            continue
        up_path = up_smk.relative_to(root).as_posix()
        up_place = _place(root, up_path, up_line, f"computes it, for rule {entry.rule}", upstream)
        rule_place = Place(**{**rule_place.__dict__, "note": "writes the file"})
        return (
            Link("rule", entry.rule, (rule_place, up_place), note=f"gathers rule {upstream}"),
            Link("script", up_script, up_places, note=f"rule {upstream}"),
        )
    return Link("rule", entry.rule, (rule_place,)), Link("script", script, missing=why)


def _code_link(root: Path, dotted: str) -> Link:
    name = dotted.rsplit(".", 1)[1]
    read = _source(dotted)
    if read is None:
        return Link("code", dotted, missing="cannot import it")
    _, source, start = read
    path = _relative(root, source)
    lines = source.read_text(encoding="utf-8").splitlines()
    line = def_line(lines, start, name)  # past any decorators
    if line is None:
        return Link("code", dotted, missing=f"no 'def {name}' in {path}")
    return Link("code", dotted, (Place(path, line, lines[line - 1].strip()),))


def _output_link(root: Path, entry: Entry, registry_file: str) -> Link:
    section = "tables" if entry.kind == "table" else "figures"
    line = yaml_key_line(_read(root, registry_file), f"{section}.{entry.name}")
    note = "on disk" if (root / entry.file).exists() else "not made yet"
    if line is None:
        return Link(entry.kind, entry.file, missing=f"no {section}.{entry.name} in {registry_file}")
    return Link(entry.kind, entry.file, (_place(root, registry_file, line),), note=note)


def _report_link(root: Path, entry: Entry) -> Link:
    keys = (*entry.captions, *entry.appendix_captions)
    if keys:
        macro = "caption" if entry.kind == "table" else "figure"
        places, unused = [], []
        templates = sorted((root / "report" / "templates").glob("*.j2"))
        for key in keys:
            uses = []
            for template in templates:
                path = template.relative_to(root).as_posix()
                lines = template_uses(template.read_text(encoding="utf-8"), key, macro)
                uses += [_place(root, path, n, f"{macro} '{key}'") for n in lines]
            places += uses
            unused += [] if uses else [key]
        if unused:
            return Link(
                "report", ", ".join(keys), tuple(places), missing=f"no template uses {unused}"
            )
        return Link("report", ", ".join(keys), tuple(places))
    if entry.report_input:
        lines = context_reads(_read(root, CONTEXT_FILE), entry.name)
        if not lines:
            return Link("report", entry.name, missing=f"{CONTEXT_FILE} does not read it")
        places = tuple(_place(root, CONTEXT_FILE, n, "read by the report context") for n in lines)
        return Link("report", entry.name, places, note="read by the report context")
    return Link("report", entry.name, note="not read by the report")


def code_trace(
    entry: Entry, root: Path = ROOT, registry_file: str = "resources/tables.yaml"
) -> CodeTrace:
    """The chain of a registry entry from its config keys to the report."""
    config = tuple(_config_link(root, key) for key in entry.config)
    rule, script = _rule_links(root, entry)
    chain = (
        rule,
        script,
        _code_link(root, entry.function),
        _output_link(root, entry, registry_file),
        _report_link(root, entry),
    )
    return CodeTrace(entry, config, chain)
