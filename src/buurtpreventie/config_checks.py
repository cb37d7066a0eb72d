"""Start-up checks of the configuration: one line per problem, naming key, value and why.

The workflow runs these before it builds anything (``Snakefile`` and
``workflow/rules/common.smk``). Each check raises :class:`ConfigError` with a
single line ``config: <key> = <value>: <why>``; the value is cut to about 60
characters and never expanded, and a file's content is never echoed (a roster
holds names).

What is checked beyond the JSON schema (``workflow/schemas/config.schema.yaml``):

* YAML aliases that expand a file far beyond its written size (an "alias bomb")
  are refused on the raw text, before the file is turned into Python objects;
* the waves are listed in fieldwork order (the first is the baseline);
* ``experiment.end`` comes after ``experiment.start``;
* ``scales.min_answered`` is at most the number of statements of the smallest
  scale in the codebook;
* the codebook, the roster and the chat resources are YAML mappings of the
  expected shape.

Collector IDs written without quotes (``100000001: app``) are YAML integers;
:func:`normalise_config` turns them into text, the form the exports hold.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import reprlib
import sys
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import yaml

__all__ = [
    "MAX_EXPANDED_NODES",
    "ConfigError",
    "check_codebook",
    "check_config",
    "check_config_files",
    "check_roster",
    "check_schema",
    "check_waves_in_order",
    "expanded_size",
    "load_yaml_file",
    "normalise_config",
    "refuse_on_error",
    "schema_error",
    "short",
]

# A real config has a few hundred values; a city-wide one some ten thousand.
MAX_EXPANDED_NODES = 200_000
# Aliases may repeat a part (an export list used by two waves), not multiply the file.
MAX_EXPANSION = 10
SHORT = 60

_repr = reprlib.Repr()
_repr.maxstring = SHORT
_repr.maxother = SHORT
_repr.maxlist = _repr.maxdict = _repr.maxtuple = _repr.maxset = 4
_repr.maxlevel = 2


class ConfigError(ValueError):
    """A configuration problem, as one line that names the key, the value and why."""


def short(value: Any, limit: int = SHORT) -> str:
    """``repr`` of ``value``, bounded in work and cut to about ``limit`` characters."""
    text = _repr.repr(value)
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def key_name(path: Sequence[Any]) -> str:
    """``waves[1].fieldwork`` for the path ``["waves", 1, "fieldwork"]``."""
    name = ""
    for part in path:
        name += f"[{part}]" if isinstance(part, int) else (f".{part}" if name else str(part))
    return name or "(top level)"


@contextlib.contextmanager
def refuse_on_error() -> Iterator[None]:
    """Turn a :class:`ConfigError` of the block into one line on stderr and exit 1.

    Snakemake prints an exception raised while it reads the workflow with its
    file, line and a traceback; a refused configuration is better read as the
    single line that says what to change.
    """
    try:
        yield
    except ConfigError as error:
        print(str(error), file=sys.stderr)
        raise SystemExit(1) from None


# --- YAML alias bombs -------------------------------------------------------


def expanded_size(root: yaml.Node) -> tuple[int, int]:
    """Values in a composed YAML document: ``(written, expanded)``.

    ``written`` counts each node once; ``expanded`` counts a node each time an
    alias repeats it, i.e. the size of the Python objects once every alias is
    copied out (as a schema validator or a printer walks them). Computed on the
    node graph with memoisation, so a bomb costs no more than its text.
    """
    sizes: dict[int, int] = {}
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, done = stack.pop()
        if id(node) in sizes:
            continue
        children = _children(node)
        if done:
            sizes[id(node)] = 1 + sum(sizes[id(child)] for child in children)
            continue
        stack.append((node, True))
        stack.extend((child, False) for child in children if id(child) not in sizes)
    return len(sizes), sizes[id(root)]


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    return []


def _compose(text: str, where: str) -> yaml.Node | None:
    """The node graph of a YAML text (aliases shared, not copied); one-line errors."""
    try:
        return yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark
        at = f" (line {mark.line + 1}, column {mark.column + 1})" if mark else ""
        raise ConfigError(f"{where}: not valid YAML{at}: {error.problem}") from None
    except yaml.YAMLError as error:
        raise ConfigError(f"{where}: not valid YAML: {short(str(error))}") from None
    except RecursionError:
        raise ConfigError(f"{where}: YAML nested too deeply") from None


def _check_expansion(root: yaml.Node | None, where: str) -> None:
    if root is None:
        return
    written, expanded = expanded_size(root)
    if expanded > MAX_EXPANDED_NODES and expanded > MAX_EXPANSION * written:
        raise ConfigError(
            f"{where}: YAML aliases expand {written} written values to {expanded}; "
            f"refused (more than {MAX_EXPANDED_NODES}); write the values out instead of "
            "repeating anchors (*name)"
        )


def check_config_files(paths: Sequence[str | Path]) -> None:
    """Refuse a config file whose YAML aliases expand far beyond its text.

    Run on the raw text before Snakemake's ``configfile:`` reads the file: a
    few hundred bytes of nested aliases otherwise become billions of values
    once validated or printed. A missing file is left to Snakemake.
    """
    for path in paths:
        path = Path(path)
        if not path.is_file():
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        _check_expansion(_compose(text, f"config file {path}"), f"config file {path}")


def load_yaml_file(path: str | Path, key: str) -> Any:
    """A YAML file named by config key ``key``: checked for existence, syntax and alias bombs."""
    where = f"config: {key} = {short(str(path))}"
    target = Path(path)
    if not target.is_file():
        raise ConfigError(f"{where}: no such file")
    try:
        text = target.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise ConfigError(f"{where}: not a UTF-8 text file") from None
    except OSError as error:
        raise ConfigError(f"{where}: cannot be read ({error.strerror})") from None
    root = _compose(text, where)
    _check_expansion(root, where)
    return yaml.safe_load(text)


def _kind(value: Any) -> str:
    """What a value is, in words, without its content."""
    if value is None:
        return "is empty"
    names = {str: "text", list: "a list", int: "a number", float: "a number", bool: "true/false"}
    return f"holds {names.get(type(value), type(value).__name__)}"


# --- Files the config names ------------------------------------------------


def check_roster(path: str | Path, key: str = "chats.roster") -> dict[str, str]:
    """The roster: a YAML mapping of a sender's name to a role (empty: no professionals).

    Names are personal data: a problem names the entry's number, never the name.
    """
    raw = load_yaml_file(path, key)
    if raw is None:
        return {}
    where = f"config: {key} = {short(str(path))}"
    if not isinstance(raw, Mapping):
        raise ConfigError(
            f"{where}: not a YAML mapping of sender name to role (the file {_kind(raw)})"
        )
    for number, (name, role) in enumerate(raw.items(), start=1):
        if not isinstance(name, str) or not isinstance(role, str):
            raise ConfigError(f"{where}: entry {number} is not 'name: role' (both text)")
    return dict(raw)


def check_mapping_file(path: str | Path, key: str, what: str) -> dict[str, Any]:
    """A YAML file that must hold a mapping (``what`` says of what, for the message)."""
    raw = load_yaml_file(path, key)
    if not isinstance(raw, Mapping):
        raise ConfigError(
            f"config: {key} = {short(str(path))}: not a YAML mapping of {what} "
            f"(the file {_kind(raw)})"
        )
    return dict(raw)


CODEBOOK_KEYS = ("questions", "buurten", "indicators")


def check_codebook(path: str | Path, key: str = "codebook") -> dict[str, Any]:
    """The codebook's outline: a mapping with questions, buurten and indicators.

    Only the shape this workflow relies on at start-up; the codebook reader
    checks the rest when it runs.
    """
    raw = check_mapping_file(path, key, "questions, buurten and indicators")
    where = f"config: {key} = {short(str(path))}"
    missing = [k for k in CODEBOOK_KEYS if k not in raw]
    if missing:
        raise ConfigError(f"{where}: the codebook has no {', '.join(missing)}")
    buurten = raw["buurten"]
    if not isinstance(buurten, list) or not all(isinstance(b, str) for b in buurten):
        raise ConfigError(f"{where}: the codebook's buurten must be a list of ids (text)")
    indicators = raw["indicators"]
    if not isinstance(indicators, Mapping) or not all(
        isinstance(v, Mapping) for v in indicators.values()
    ):
        raise ConfigError(
            f"{where}: the codebook's indicators must be a mapping of id -> description"
        )
    for name, indicator in indicators.items():
        items = (indicator.get("scale") or {}).get("items", [])
        if not isinstance(items, list):
            raise ConfigError(f"{where}: indicators.{name}.scale.items must be a list")
    return raw


def scale_sizes(codebook: Mapping[str, Any]) -> dict[str, int]:
    """Statements per scale of a (checked) codebook: indicator id -> number of items."""
    sizes = {}
    for name, indicator in codebook["indicators"].items():
        items = (indicator.get("scale") or {}).get("items", [])
        if items:
            sizes[str(name)] = len(items)
    return sizes


# --- The config itself -----------------------------------------------------


def normalise_config(config: Mapping[str, Any]) -> dict[str, Any]:
    """The config with the values YAML typed that the workflow wants as text.

    * ``experiment`` dates: YAML reads an unquoted ``2020-09-01`` as a date.
    * ``collectors`` keys: an unquoted ``100000001`` is a YAML integer, and the
      Collector IDs of the exports are text; every row would then fail as
      "not in the config's collectors". An integer's decimal digits are the ID.
      (YAML reads ``0123`` as an octal number; SurveyMonkey IDs do not start
      with 0, so that case does not arise.)
    """
    config = dict(config)
    if isinstance(config.get("experiment"), Mapping):
        config["experiment"] = {k: str(v) for k, v in config["experiment"].items()}
    if isinstance(config.get("collectors"), Mapping):
        config["collectors"] = {
            (str(k) if isinstance(k, int) and not isinstance(k, bool) else k): v
            for k, v in config["collectors"].items()
        }
    return config


def schema_error(config: Mapping[str, Any], schema: Mapping[str, Any]) -> str | None:
    """The most relevant schema violation of ``config`` as one line, or ``None``."""
    from jsonschema import Draft202012Validator
    from jsonschema.exceptions import best_match

    error = best_match(Draft202012Validator(schema).iter_errors(config))
    if error is None:
        return None
    return _describe(error)


def _describe(error) -> str:
    """One line for a jsonschema ``ValidationError``: key, value (cut), why."""
    path = list(error.absolute_path)
    value, rule, instance = error.validator_value, error.validator, error.instance
    if "propertyNames" in error.relative_schema_path:
        return f"config: {key_name(path)} has key {short(instance)}: a key must match {value!r}" + (
            " (Collector IDs are digits)" if path == ["collectors"] else ""
        )
    if rule == "additionalProperties":
        allowed = sorted(error.schema.get("properties", {}))
        extra = sorted(str(k) for k in instance if k not in allowed)
        known = ", ".join(allowed) if len(", ".join(allowed)) < 160 else "see the schema"
        return (
            f"config: {key_name([*path, extra[0] if extra else '?'])}: unknown key "
            f"(misspelt?); known here: {known}"
        )
    if rule == "required":
        missing = [k for k in value if k not in instance]
        return f"config: {key_name([*path, missing[0] if missing else '?'])}: required but missing"
    reasons = {
        "type": lambda: f"must be of type {value}",
        "enum": lambda: f"must be one of {', '.join(map(str, value))}",
        "minimum": lambda: f"must be at least {value}",
        "maximum": lambda: f"must be at most {value}",
        "exclusiveMinimum": lambda: f"must be more than {value}",
        "exclusiveMaximum": lambda: f"must be less than {value}",
        "pattern": lambda: f"must match {value!r}",
        "minItems": lambda: f"must list at least {value}",
        "maxItems": lambda: f"must list at most {value}",
        "minLength": lambda: f"must have at least {value} character(s)",
        "minProperties": lambda: f"must have at least {value} entr{'y' if value == 1 else 'ies'}",
    }
    why = reasons[rule]() if rule in reasons else short(error.message, 100)
    return f"config: {key_name(path)} = {short(instance)}: {why}"


def check_waves_in_order(waves: Sequence[Mapping[str, Any]]) -> None:
    """The waves must be listed in fieldwork order: the first wave is the baseline."""
    for index in range(1, len(waves)):
        before, after = waves[index - 1]["fieldwork"], waves[index]["fieldwork"]
        if str(after) <= str(before):
            raise ConfigError(
                f"config: waves[{index}].fieldwork = {short(str(after))}: not after "
                f"waves[{index - 1}].fieldwork ({short(str(before))}); list the waves in "
                "fieldwork order, the baseline first"
            )


def check_experiment(experiment: Mapping[str, Any]) -> None:
    """``experiment.start`` and ``end`` are real dates and the end comes after the start."""
    dates = {}
    for key in ("start", "end"):
        try:
            dates[key] = dt.date.fromisoformat(str(experiment[key]))
        except ValueError:
            raise ConfigError(
                f"config: experiment.{key} = {short(str(experiment[key]))}: not a date (YYYY-MM-DD)"
            ) from None
    if dates["end"] <= dates["start"]:
        raise ConfigError(
            f"config: experiment.end = {short(str(experiment['end']))}: must be after "
            f"experiment.start ({experiment['start']})"
        )


def check_min_answered(min_answered: int, sizes: Mapping[str, int], codebook: str) -> None:
    """``scales.min_answered`` must not exceed the statements of the smallest scale."""
    if not sizes:
        return
    smallest = min(sizes, key=lambda name: (sizes[name], name))
    if min_answered > sizes[smallest]:
        raise ConfigError(
            f"config: scales.min_answered = {min_answered}: more than the "
            f"{sizes[smallest]} statements of the smallest scale ({smallest} in {codebook}); "
            "that scale would get no score at all"
        )


def check_schema(config: Mapping[str, Any], schema: Mapping[str, Any]) -> None:
    """Raise the most relevant schema violation as one line (no schema dump)."""
    problem = schema_error(config, schema)
    if problem:
        raise ConfigError(problem)


def check_config(config: Mapping[str, Any]) -> dict[str, Any]:
    """The start-up checks beyond the schema; returns the codebook's outline.

    Parameters
    ----------
    config : mapping
        The config as Snakemake merged it, valid by the schema (defaults set).

    Returns
    -------
    dict
        The codebook as read (checked to have the outline the workflow uses).

    Raises
    ------
    ConfigError
        The first problem, as one line.
    """
    check_waves_in_order(config["waves"])
    if "experiment" in config:
        check_experiment(config["experiment"])
    codebook_path = config.get("codebook", "resources/codebook.yaml")
    codebook = check_codebook(codebook_path)
    min_answered = (config.get("scales") or {}).get("min_answered", 4)
    check_min_answered(min_answered, scale_sizes(codebook), str(codebook_path))
    chats = config.get("chats") or {}
    if chats:
        check_roster(chats["roster"])
        for key, what in (
            ("locale", "export formats and phrases"),
            ("scheme", "code paths to interventions"),
            ("judgements", "interventions to scores"),
        ):
            if key in chats:
                check_mapping_file(chats[key], f"chats.{key}", what)
    return codebook
