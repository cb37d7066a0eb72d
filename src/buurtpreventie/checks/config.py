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
* the experiment lies between the first and the last wave's fieldwork month,
  and ``report.interim_evaluation`` is one of its months;
* each chat export covers the experiment: its first and last message dates,
  read from the file's first and last 64 KiB with the parser's own header
  detection, so a wrong export or a wrong period stops the run before any job
  (the parse reads the whole file only later, and would waste every survey job
  running beside it);
* the codebook, the roster and the chat resources are YAML mappings of the
  expected shape (only when ``chats`` is active: ``chats.activate: false`` or
  no ``chats`` is a study without chat material).

:func:`published_mismatch` decides whether the published tables are of this
study (same waves, buurten, app groups); if not, the workflow skips the
comparison and the report gives the reason.

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

from buurtpreventie.yamlio import compose_yaml, load_yaml

__all__ = [
    "MAX_EXPANDED_NODES",
    "ConfigError",
    "chat_locale_files",
    "chat_span",
    "chats_active",
    "check_chat_covers_period",
    "check_chats",
    "check_codebook",
    "check_config",
    "check_config_files",
    "check_interim",
    "check_period_in_fieldwork",
    "check_roster",
    "check_schema",
    "check_waves_in_order",
    "expanded_size",
    "load_yaml_file",
    "normalise_config",
    "published_mismatch",
    "published_outline",
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
        return compose_yaml(text)
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
    return load_yaml(text)


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
        check_period_in_fieldwork(config["waves"], config["experiment"])
        check_interim((config.get("report") or {}).get("interim_evaluation"), config["experiment"])
    codebook_path = config.get("codebook", "resources/codebook.yaml")
    codebook = check_codebook(codebook_path)
    min_answered = (config.get("scales") or {}).get("min_answered", 4)
    check_min_answered(min_answered, scale_sizes(codebook), str(codebook_path))
    chats = config.get("chats") or {}
    if chats_active(config):
        check_roster(chats["roster"])
        for key, what in (
            ("locale", "export formats and phrases"),
            ("scheme", "code paths to interventions"),
            ("judgements", "interventions to scores"),
        ):
            if key in chats:
                check_mapping_file(chats[key], f"chats.{key}", what)
        check_chats(config)
    return codebook


# --- Dates that must agree: waves, experiment, interim evaluation, chats --------


def _date(value: Any) -> dt.date:
    return dt.date.fromisoformat(str(value))


def last_month(experiment: Mapping[str, Any]) -> str:
    """The month (YYYY-MM) of the experiment's last day (``end`` is exclusive)."""
    return (_date(experiment["end"]) - dt.timedelta(days=1)).isoformat()[:7]


def period_text(experiment: Mapping[str, Any]) -> str:
    """``experiment.start 2020-09-01 to experiment.end 2021-09-01`` (for messages)."""
    return f"experiment.start {experiment['start']} to experiment.end {experiment['end']}"


def check_period_in_fieldwork(
    waves: Sequence[Mapping[str, Any]], experiment: Mapping[str, Any]
) -> None:
    """The experiment lies between the baseline's and the last wave's fieldwork month.

    The baseline is measured before (or in the month of) the start, the last
    wave after (or in the month of) the experiment's last day. With one wave
    only the start is checked: a study may report its baseline while the
    experiment runs.
    """
    first, last = waves[0], waves[-1]
    start = str(experiment["start"])[:7]
    if str(first["fieldwork"]) > start:
        raise ConfigError(
            f"config: waves[0].fieldwork = {short(str(first['fieldwork']))}: the baseline "
            f"({first['id']}) is measured after experiment.start ({experiment['start']}); "
            "the experiment must lie between the first and the last wave"
        )
    if len(waves) > 1 and str(last["fieldwork"]) < last_month(experiment):
        index = len(waves) - 1
        raise ConfigError(
            f"config: waves[{index}].fieldwork = {short(str(last['fieldwork']))}: the last "
            f"wave ({last['id']}) is measured before the experiment ends (experiment.end "
            f"{experiment['end']}, exclusive); the experiment must lie between the first "
            "and the last wave"
        )


def check_interim(interim: str | None, experiment: Mapping[str, Any]) -> None:
    """``report.interim_evaluation`` (YYYY-MM) is a month of the experiment (empty: none)."""
    if not interim:
        return
    first, last = str(experiment["start"])[:7], last_month(experiment)
    if not first <= str(interim) <= last:
        raise ConfigError(
            f"config: report.interim_evaluation = {short(str(interim))}: not a month of the "
            f"experiment ({first} to {last}: {period_text(experiment)})"
        )


def check_chat_covers_period(
    key: str, span: tuple[dt.date, dt.date], experiment: Mapping[str, Any]
) -> None:
    """A chat export runs from the experiment's first month to its last month.

    Month granularity: a group may be created in the first month of the
    experiment, and a quiet group's last message may fall some days before
    the end; an export that stops months early (or starts late) does not
    show the experiment year and is refused.

    Parameters
    ----------
    key : str
        The config key of the export, ``chats.groups[2].export = '...'``.
    span : tuple of date
        The first and the last message's date of the export.
    experiment : mapping
        ``start`` and ``end`` (exclusive), checked dates.
    """
    first, last = span
    if first.isoformat()[:7] > str(experiment["start"])[:7]:
        why = f"starts {first.isoformat()}, after the experiment's first month"
    elif last.isoformat()[:7] < last_month(experiment):
        why = f"ends {last.isoformat()}, before the experiment's last month"
    else:
        return
    raise ConfigError(
        f"config: {key}: the chat {why} ({period_text(experiment)}); export the whole "
        "chat, or correct the experiment period"
    )


def chats_active(config: Mapping[str, Any]) -> bool:
    """True when the study has chat material: ``chats`` given and ``activate`` not false."""
    chats = config.get("chats") or {}
    return bool(chats) and chats.get("activate", True) is not False


DEFAULT_LOCALES = ("resources/chat/whatsapp_nl.yaml", "resources/chat/whatsapp_en.yaml")


def chat_locale_files(chats: Mapping[str, Any]) -> list[str]:
    """The WhatsApp locale files: ``chats.locales``, the older ``chats.locale``, or the default."""
    if chats.get("locales"):
        return list(chats["locales"])
    if "locale" in chats:
        return [chats["locale"]]
    return list(DEFAULT_LOCALES)


SPAN_BYTES = 64 * 1024


def _ends_of(path: Path, span: int = SPAN_BYTES) -> tuple[list[str], list[str]]:
    """The first and the last lines of a text file (about ``span`` bytes each), normalised.

    The parser's own normalisation (invisible marks, narrow spaces) is applied,
    so its header patterns match as they do when it reads the whole file. A
    file of at most ``2 * span`` bytes is read whole (as the head).
    """
    from buurtpreventie.chat.locale import _NORMALISE

    with path.open("rb") as handle:
        size = handle.seek(0, 2)
        handle.seek(0)
        small = size <= 2 * span
        head = handle.read() if small else handle.read(span)
        tail = b""
        if not small:
            handle.seek(size - span)
            tail = handle.read()

    def lines(data: bytes, cut_first: bool) -> list[str]:
        text = data.decode("utf-8-sig", errors="replace")
        text = text.replace("\r\n", "\n").replace("\r", "\n").translate(_NORMALISE)
        found = text.split("\n")
        return found[1:] if cut_first else found

    head_lines = lines(head, False)
    if tail:
        return head_lines[:-1], lines(tail, True)
    return head_lines, []


def chat_span(
    path: str | Path, locales: Sequence[Any], group: Mapping[str, Any]
) -> tuple[dt.date, dt.date] | None:
    """The dates of the first and the last message of a WhatsApp export, from its ends.

    Reads only the first and the last 64 KiB and uses the parser's own header
    detection (:mod:`buurtpreventie.chat.whatsapp`): locale, form (Android,
    iOS) and date order, pinned by the group's ``locale``, ``format`` and
    ``date_order`` as in the parse. ``None`` when the file is missing or the
    ends cannot be read: the parse then reports that with file and line.

    Parameters
    ----------
    path : str or Path
        The export.
    locales : sequence of ChatLocale
        The loaded locale files (:func:`buurtpreventie.chat.locale.load_locales`).
    group : mapping
        The group's config entry (its pins).
    """
    from buurtpreventie.chat import locale as whatsapp  # the parser's light half
    from buurtpreventie.errors import InputError

    path = Path(path)
    if not path.is_file():
        return None
    head, tail = _ends_of(path)
    try:
        chosen = whatsapp._pick_locale(str(path), head, locales, group.get("locale"))
        form = whatsapp._detect_format(str(path), head, chosen, group.get("format"))
        header = chosen.formats[form]
        if tail and not any(map(header.match, tail)):
            # The last message is longer than the tail read: read the whole file.
            head, tail = _ends_of(path, span=path.stat().st_size)
        found = [m for m in map(header.match, head + tail) if m is not None]
        if not found:
            return None
        raw = [m.group("d1", "d2", "d3", "hh", "mm", "ss", "ampm") for m in found]
        numbers, _ = whatsapp._header_numbers(raw)
        order, _ = whatsapp._date_order(str(path), numbers, chosen, group.get("date_order"))
    except InputError:
        return None
    fields = {"dmy": (2, 1, 0), "mdy": (2, 0, 1), "ymd": (0, 1, 2)}[order]
    dates = []
    for row in (numbers[0], numbers[-1]):
        year, month, day = (int(row[i]) for i in fields)
        try:
            dates.append(dt.date(year + 2000 if year < 100 else year, month, day))
        except ValueError:
            return None
    return dates[0], dates[1]


def check_chats(config: Mapping[str, Any]) -> None:
    """Each chat export covers the experiment (cheap: the ends of each file only)."""
    experiment = config.get("experiment")
    if not experiment or not chats_active(config):
        return
    from buurtpreventie.chat.locale import load_locales

    chats = config["chats"]
    try:
        locales = load_locales(chat_locale_files(chats))
    except Exception:  # the parse reports a bad locale file with its name
        return
    for index, group in enumerate(chats.get("groups", [])):
        span = chat_span(group["export"], locales, group)
        if span is not None:
            key = f"chats.groups[{index}].export = {short(str(group['export']))}"
            check_chat_covers_period(key, span, experiment)


# --- The published comparison: only for the study the tables are of -------------


def _rows(path: Path) -> list[dict[str, str]]:
    import csv

    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


PUBLISHED_FILES = (
    "tabel1.csv",
    "tabel2.csv",
    "tabel3.csv",
    "tabel4.csv",
    "tabel6.csv",
    "footnotes.csv",
)
NOT_A_WAVE = {"", "start_experiment"}


def published_outline(folder: str | Path) -> dict[str, Any]:
    """What the published tables are of: waves (baseline first), buurten, app-group buurten.

    Raises
    ------
    ConfigError
        A table is missing or has not the columns the comparison reads.
    """
    folder = Path(folder)
    tables = {}
    for name in PUBLISHED_FILES:
        if not (folder / name).is_file():
            raise ConfigError(
                f"config: published = {short(str(folder))}: no {name} in that folder "
                "(set published to an empty text for a study without published tables)"
            )
        tables[name] = _rows(folder / name)
    try:
        baseline = {r["wave"] for r in tables["tabel4.csv"]}
        waves = [r["wave"] for name in PUBLISHED_FILES[:5] for r in tables[name]]
        waves += [r[k] for r in tables["footnotes.csv"] for k in ("wave_from", "wave_to")]
        buurten = {r["buurt"].lower() for name in PUBLISHED_FILES[:5] for r in tables[name]}
        app = {r["buurt"].lower() for r in tables["tabel1.csv"] if r["measure"] == "appdeelnemers"}
    except KeyError as error:
        raise ConfigError(
            f"config: published = {short(str(folder))}: a table has no column {error.args[0]!r}"
        ) from None
    return {
        "baseline": sorted(baseline - NOT_A_WAVE),
        "waves": [w for w in dict.fromkeys([*sorted(baseline), *waves]) if w not in NOT_A_WAVE],
        "buurten": sorted(buurten - {""}),
        "app_buurten": sorted(app),
    }


def _listing(values: Sequence[str], last: str) -> str:
    values = list(values)
    if len(values) < 2:
        return "".join(values) or "geen"
    return f"{', '.join(values[:-1])} {last} {values[-1]}"


def published_mismatch(
    outline: Mapping[str, Any],
    waves: Sequence[str],
    buurten: Sequence[str],
    app_groups: Sequence[Mapping[str, Any]],
) -> tuple[str, str] | None:
    """Why the study cannot be compared with the published tables, or ``None`` when it can.

    The comparison is meaningful only for the study the tables are of: the same
    waves (the same baseline), the same buurten, and app groups in the same
    buurten. Otherwise every published figure would be "not reproduced".

    Parameters
    ----------
    outline : mapping
        :func:`published_outline` of the published folder.
    waves, buurten : sequence of str
        The config's wave ids (baseline first) and the codebook's buurten.
    app_groups : sequence of mapping
        The config's ``app_groups`` (``buurt`` of each).

    Returns
    -------
    tuple of str or None
        The reason in English (one line, for the run's output) and in Dutch (a
        sentence for Bijlage B).
    """
    ours_app = sorted({g["buurt"] for g in app_groups})
    checks = (
        ("waves", list(waves), outline["waves"], "de metingen"),
        ("buurten", sorted(buurten), outline["buurten"], "de buurten"),
        (
            "app_groups (their buurten)",
            ours_app,
            outline["app_buurten"],
            "appgroepen in de buurten",
        ),
    )
    for key, ours, theirs, woord in checks:
        if sorted(ours) != sorted(theirs):
            line = (
                f"config: {key} = {', '.join(ours) or 'none'}: not those of the published "
                f"tables ({', '.join(theirs)})"
            )
            zin = (
                f"De vergelijking met het gepubliceerde rapport is overgeslagen: de "
                f"gepubliceerde tabellen gaan over {woord} {_listing(theirs, 'en')}, deze "
                f"studie over {woord} {_listing(ours, 'en')}. Die vergelijking geldt alleen "
                "voor de studie waarover het gepubliceerde rapport ging."
            )
            return line, zin
    if outline["baseline"] and waves[0] not in outline["baseline"]:
        line = (
            f"config: waves[0].id = {waves[0]}: the published baseline is "
            f"{', '.join(outline['baseline'])}"
        )
        zin = (
            "De vergelijking met het gepubliceerde rapport is overgeslagen: de voormeting "
            f"van deze studie is {waves[0]}, die van de gepubliceerde tabellen "
            f"{_listing(outline['baseline'], 'en')}."
        )
        return line, zin
    return None
