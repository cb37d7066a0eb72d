"""WhatsApp export locales: the phone language's header formats and phrases.

A locale file (``resources/chat/whatsapp_nl.yaml``, ``whatsapp_en.yaml``) says how
an export's message headers look on Android and iOS and which phrases are media,
deleted messages, calls and system lines. This module reads those files and
decides, from a file's first lines, its locale, format and date order, and
classifies one line. :mod:`buurtpreventie.chat.whatsapp` parses whole exports
with it.

Apart from the parser because the workflow's config check reads the first and
last message of every chat at each Snakemake start, a no-op included
(:func:`buurtpreventie.checks.config.chat_span`): this module imports numpy but
neither pandas nor pyarrow, which cost such a start about 0.7 s.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from buurtpreventie.errors import InputError
from buurtpreventie.yamlio import load_yaml

__all__ = ["ChatLocale", "load_locale", "load_locales"]

DATE_ORDERS = ("dmy", "mdy", "ymd")


FORMATS = ("android", "ios")


SAMPLE_LINES = 5000  # lines read to decide the format and the language


_MARK = "\u200e"


_INVISIBLE = dict.fromkeys(
    map(ord, "\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\ufeff")
)


# Applied to the whole text before reading: right-to-left marks count as
# left-to-right marks, and the no-break spaces iOS puts before AM/PM and after
# the "~" of an unsaved contact read as plain spaces.
_NORMALISE = {0x200F: _MARK, 0x00A0: " ", 0x202F: " ", 0x2007: " ", 0x2009: " "}


_WORD = re.compile(r"[^\W\d_]+(?:['\u2019][^\W\d_]+)?")


_GROUP_NAME = re.compile(r"\(\?P<\w+>")


_ESCAPE = re.compile(r"\\[A-Za-z]")


@dataclass(frozen=True)
class ChatLocale:
    """The export formats and phrases of one phone language (one ``whatsapp_*.yaml``).

    Attributes
    ----------
    name : str
        Short name (``nl``, ``en``), as a group's ``locale`` in the config.
    path : str
        The locale file, named in errors ("add the wording to ...").
    formats : dict
        ``android`` and ``ios`` header patterns.
    date_order : str
        ``dmy``, ``mdy`` or ``ymd``: read when no value in a file decides it.
    media, media_patterns, deleted, calls, edited
        What a message's text is when it is not a text message.
    system : tuple of (event, pattern, anywhere)
        System phrases in the order they are tried.
    verbs : Pattern
        Words that make a "sender" a system line.
    list_separators, self_names
        How a list of names is written; the exporter's names.
    vocabulary : frozenset
        Every word of the file's phrases (casefolded): the only words an
        unclassified line may show.
    """

    name: str
    path: str
    formats: dict[str, re.Pattern[str]]
    date_order: str
    media: frozenset[str]
    media_patterns: re.Pattern[str]
    deleted: re.Pattern[str]
    calls: re.Pattern[str]
    edited: tuple[str, ...]
    system: tuple[tuple[str, re.Pattern[str], bool], ...]
    anywhere: tuple[tuple[str, re.Pattern[str]], ...]
    body_filter: re.Pattern[str]
    verbs: re.Pattern[str]
    list_separators: tuple[str, ...]
    self_names: frozenset[str]
    vocabulary: frozenset[str]


def _alternation(patterns: Sequence[str], flags: int = re.IGNORECASE) -> re.Pattern[str]:
    """One pattern that matches where any of ``patterns`` matches (named groups dropped)."""
    if not patterns:
        return re.compile(r"(?!)")
    return re.compile("|".join(f"(?:{_GROUP_NAME.sub('(?:', p)})" for p in patterns), flags)


def _vocabulary(texts: Sequence[str]) -> frozenset[str]:
    words = set()
    for text in texts:
        text = _ESCAPE.sub(" ", _GROUP_NAME.sub(" ", text))
        words.update(w.casefold() for w in _WORD.findall(text) if len(w) > 1)
    return frozenset(words)


def load_locale(path: str | Path) -> ChatLocale:
    """Read a locale file such as ``resources/chat/whatsapp_nl.yaml``."""
    with open(path, encoding="utf-8") as handle:
        raw = load_yaml(handle)
    system = tuple(
        (s["event"], re.compile(s["pattern"]), bool(s.get("anywhere", False)))
        for s in raw["system"]
    )
    media_patterns = list(raw.get("media_patterns", ()))
    deleted, calls = list(raw.get("deleted", ())), list(raw.get("calls", ()))
    anywhere = [s["pattern"] for s in raw["system"] if s.get("anywhere")]
    literal = [re.escape(m) for m in raw["media"]]
    date_order = raw.get("date_order", "dmy")
    if date_order not in DATE_ORDERS:
        raise ValueError(f"{path}: date_order must be one of {DATE_ORDERS}")
    return ChatLocale(
        name=str(raw.get("name", Path(path).stem.removeprefix("whatsapp_"))),
        path=str(path),
        formats={name: re.compile(p) for name, p in raw["formats"].items()},
        date_order=date_order,
        media=frozenset(m.casefold() for m in raw["media"]),
        media_patterns=_alternation(media_patterns),
        deleted=_alternation(deleted),
        calls=_alternation(calls),
        edited=tuple(raw.get("edited", ())),
        system=system,
        anywhere=tuple((event, pattern) for event, pattern, every in system if every),
        # One test per message body: could it be anything but a text message?
        body_filter=_alternation([*literal, *media_patterns, *deleted, *calls, *anywhere]),
        verbs=re.compile(raw.get("verbs", r"(?!)")),
        list_separators=tuple(raw["list_separators"]),
        self_names=frozenset(n.casefold() for n in raw.get("self_names", ())),
        vocabulary=_vocabulary(
            [s["pattern"] for s in raw["system"]]
            + list(raw["media"])
            + media_patterns
            + deleted
            + calls
            + list(raw.get("edited", ()))
        ),
    )


def load_locales(paths: str | Path | Sequence[str | Path]) -> list[ChatLocale]:
    """Read one or more locale files (the config's ``chats.locales``)."""
    if isinstance(paths, str | Path):
        paths = [paths]
    return [load_locale(p) for p in paths]


def _detect_format(path: str, lines: list[str], locale: ChatLocale, pinned: str | None) -> str:
    if pinned is not None:
        if pinned not in FORMATS:
            raise InputError(path, f"format {pinned!r} unknown; one of {FORMATS}")
        return pinned
    sample = lines[:200]
    scores = {name: sum(bool(p.match(x)) for x in sample) for name, p in locale.formats.items()}
    best = max(scores, key=scores.get)
    if scores[best] == 0:
        raise InputError(path, "not a WhatsApp chat export in a known format", row=1)
    return best


def _system_event(text: str, locale: ChatLocale, anywhere_only: bool = False):
    """(event, named groups) of the first system phrase ``text`` matches, or None."""
    phrases = locale.anywhere if anywhere_only else ((e, p) for e, p, _ in locale.system)
    for event, pattern in phrases:
        match = pattern.match(text)
        if match and not any(":" in (v or "") for v in match.groupdict().values()):
            return event, {k: v for k, v in match.groupdict().items() if v}
    return None


def _body_kind(text: str, locale: ChatLocale) -> str | None:
    """``media``, ``deleted`` or ``call`` when a message's text is one of those."""
    if text.casefold() in locale.media or locale.media_patterns.match(text):
        return "media"
    if locale.deleted.match(text):
        return "deleted"
    if locale.calls.match(text):
        return "call"
    return None


def _clean_text(text: str, locale: ChatLocale) -> str:
    text = text.translate(_INVISIBLE).strip()
    for mark in locale.edited:
        if text.endswith(mark):
            text = text[: -len(mark)].rstrip()
    return text


UNCLASSIFIED = (None, "system", None, True)


def _classify(rest: str, locale: ChatLocale):
    """(sender or None, kind, (event, groups) or None, unclassified) of a header's text."""
    marked = rest.startswith(_MARK)
    sender, separator, body = rest.partition(": ")
    if not separator and rest.endswith(":") and not marked:
        sender, separator, body = rest[:-1], ":", ""  # a message with an empty first line
    if separator and not marked and sender.strip(" ~") and not locale.verbs.search(sender):
        marked_body = body.startswith(_MARK)
        if not marked_body and not locale.body_filter.match(body):
            return sender, "message", None, False
        text = _clean_text(body, locale)
        kind = _body_kind(text, locale)
        if kind is not None:
            return sender, kind, None, False
        event = _system_event(text, locale, anywhere_only=not marked_body)
        if event is not None:
            return None, "deleted" if event[0] == "deleted" else "system", event, False
        if marked_body:  # iOS: a system line under the group's name, in no known wording
            return UNCLASSIFIED
        return sender, "message", None, False
    event = _system_event(_clean_text(rest, locale), locale)
    if event is None:
        return UNCLASSIFIED
    return None, "deleted" if event[0] == "deleted" else "system", event, False


def _pick_locale(
    path: str, lines: list[str], locales: Sequence[ChatLocale], pinned: str | None
) -> ChatLocale:
    """The locale that classifies most of the file's first lines (the first on a tie)."""
    if not locales:
        raise InputError(path, "no WhatsApp locale file given")
    if pinned is not None:
        for locale in locales:
            if pinned in (locale.name, locale.path):
                return locale
        names = [locale.name for locale in locales]
        raise InputError(path, f"locale {pinned!r} is not among the locale files {names}")
    if len(locales) == 1:
        return locales[0]
    scores = []
    sample = lines[:SAMPLE_LINES]
    for locale in locales:
        header = locale.formats.get("android"), locale.formats.get("ios")
        score = 0
        for line in sample:
            match = (header[0] and header[0].match(line)) or (header[1] and header[1].match(line))
            if match is None:
                continue
            _, kind, _, unclassified = _classify(match["rest"], locale)
            score += -1 if unclassified else (kind != "message")
        scores.append(score)
    return locales[int(np.argmax(scores))]


def _header_numbers(raw: list[tuple]) -> tuple[np.ndarray, np.ndarray | None]:
    """The header fields ``(d1, d2, d3, hh, mm, ss)`` as an n x 6 integer array, and AM/PM.

    AM/PM is ``None`` on a 24-hour clock, else an array of ``a``, ``p`` or " ".
    """
    if not raw:
        return np.zeros((0, 6), dtype=np.int64), None
    # One C-level parse of all numbers: far faster than converting each field.
    flat = " ".join([x or "0" for r in raw for x in r[:6]])
    numbers = np.fromstring(flat, dtype=np.int64, sep=" ").reshape(-1, 6)
    if not any(r[6] for r in raw):
        return numbers, None
    return numbers, np.array([(r[6] or " ")[0].lower() for r in raw])


def _date_order(
    path: str, numbers: np.ndarray, locale: ChatLocale, pinned: str | None
) -> tuple[str, str]:
    """The order of the date's fields and where it came from (config, values, locale)."""
    if pinned is not None:
        if pinned not in DATE_ORDERS:
            raise InputError(path, f"date_order {pinned!r} unknown; one of {DATE_ORDERS}")
        return pinned, "config"
    if (numbers[:, 0] > 31).any():
        return "ymd", "values"
    first, second = (numbers[:, 0] > 12).any(), (numbers[:, 1] > 12).any()
    if first and second:
        raise InputError(
            path,
            "dates with a first field above 12 and others with a second above 12: "
            "pin the group's date_order in the config",
        )
    if first:
        return "dmy", "values"
    if second:
        return "mdy", "values"
    return locale.date_order, f"default of locale {locale.name}"
