"""Parsing WhatsApp chat exports (Android, iOS; Dutch, English) into pseudonymised messages.

Why a parser of our own: the packages that exist (whatstk, chat-miner) read the
messages, but drop the system lines or leave them unclassified, and this study
needs exactly those lines: members who join via the invite link, are added,
leave or are removed give the group sizes over time. The formats and phrases
of each phone language are data (``resources/chat/whatsapp_nl.yaml``,
``whatsapp_en.yaml``), not code.

How a file is read, decided per file: Android (``dd-mm-jjjj uu:mm - ``) or iOS
(``[dd-mm-jjjj uu:mm:ss] ``) from the headers; the phone's language from which
locale file classifies its system lines; the order of the date's fields from
its values (a first field above 12 means day-first, a second above 12
month-first; when no value decides, the locale's ``date_order``); the clock
from AM/PM. A group's config entry can pin each (``format``, ``locale``,
``date_order``).

Every line is exactly one of: a message header, the continuation of the
message above, or a classified system line. A line that looks like a system
line (no ``Name: `` part, an iOS body behind a direction mark, or a "sender"
with a verb of the locale) but matches no phrase is *unclassified*: it never
becomes a member or a sender, is logged with its line number and a text that
shows only the locale files' own words, and above ``max_unclassified`` stops
the parse naming the locale file to extend.

The phone's owner, who exported the chat, appears in system lines as
"je/jij/u/You" ("X heeft je toegevoegd"): always the one pseudonym
:data:`EXPORTER`, a resident. Their own messages carry their own name, which the
export does not link to "je"; so the exporter's membership comes from the
system lines and their messages count under a second pseudonym (the sender
count of a month can hold the exporter once as ``bewoner_exporteur`` in member
events and once as a sender, never twice as a sender).

What the parser keeps is what the analysis needs and nothing more: per message
its lines in the file (to link MAXQDA segments), time, a pseudonym of the
sender, the sender's role, and its kind (message, media, deleted, call,
system); per system line the member event. Names become pseudonyms here and
message text is not kept, so no name or text reaches ``results/``.
"""

from __future__ import annotations

import gc
import logging
import re
import unicodedata
from collections import Counter
from collections.abc import Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, fields
from itertools import compress, repeat
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from buurtpreventie.chat.aggregate import POST_KINDS
from buurtpreventie.chat.arrow_headers import (
    HEAD,
    Header,
    has_other_digits,
    line_array,
    re2_header,
)
from buurtpreventie.chat.headers import HEADER_GROUPS, header_rows, whole_text_header

# The locale files and the line rules (light: the config check uses them too).
from buurtpreventie.chat.locale import (  # noqa: F401 (names of this module too)
    _ESCAPE,
    _GROUP_NAME,
    _INVISIBLE,
    _MARK,
    _NORMALISE,
    _WORD,
    DATE_ORDERS,
    FORMATS,
    SAMPLE_LINES,
    UNCLASSIFIED,
    ChatLocale,
    _alternation,
    _body_kind,
    _classify,
    _clean_text,
    _date_order,
    _detect_format,
    _header_numbers,
    _pick_locale,
    _system_event,
    _vocabulary,
    load_locale,
    load_locales,
)
from buurtpreventie.errors import InputError
from buurtpreventie.inspection import Inspection

__all__ = [
    "EXPORTER",
    "KINDS",
    "MEMBER_EVENTS",
    "ChatLocale",
    "ParsedChat",
    "Pseudonymiser",
    "inspect_chat",
    "load_locale",
    "load_locales",
    "parse_chat",
]

ROLES = ("beheerder_gemeente", "wijkagent", "handhaving", "wijknetwerker", "beheerder_bewoner")
RESIDENT = "bewoner"
PROFESSIONALS = frozenset(ROLES) - {"beheerder_bewoner"}
EXPORTER = f"{RESIDENT}_exporteur"
KINDS = ("message", "media", "deleted", "call", "system")
MEMBER_EVENTS = ("created", "joined", "added", "left", "removed")
MAX_LISTED = 10  # unclassified line numbers named in the error

_ASCII_SPACE = bytes(c for c in range(128) if chr(c).isspace())  # what str.strip strips of ASCII

log = logging.getLogger(__name__)


def clean_name(name: str) -> str:
    """A sender name without invisible marks, the "~" of unsaved contacts, or padding."""
    text = unicodedata.normalize("NFC", name).translate(_INVISIBLE).translate(_NORMALISE)
    return text.strip().lstrip("~").strip()


class Pseudonymiser:
    """Stable pseudonyms for the names in one group's export.

    Professionals of the roster get ``<role>_<k>``, numbered in the roster's
    sorted order, so one professional has the same pseudonym in every group.
    Everyone else is a resident: ``bewoner_<k>`` in order of first appearance
    in the export. The exporter of the chat ("je", "You" in system lines) is
    :data:`EXPORTER` (see :meth:`exporter`). The mapping lives only in memory.
    """

    def __init__(self, roster: Mapping[str, str]) -> None:
        unknown = {r for r in roster.values() if r not in ROLES}
        if unknown:
            raise ValueError(f"roster: unknown roles {sorted(unknown)}; allowed: {ROLES}")
        self.roles = {clean_name(n): r for n, r in roster.items()}
        self.names: dict[str, str] = {}
        counters: dict[str, int] = {}
        for name, role in sorted(self.roles.items(), key=lambda item: (item[1], item[0])):
            counters[role] = counters.get(role, 0) + 1
            self.names[name] = f"{role}_{counters[role]}"
        self._residents = 0
        self._seen: dict[str, tuple[str, str]] = {}  # raw name -> (pseudonym, role)

    def lookup(self, raw: str) -> tuple[str, str]:
        """(pseudonym, role) of a name as it stands in the export."""
        found = self._seen.get(raw)
        if found is None:
            name = clean_name(raw)
            if name not in self.names:
                self._residents += 1
                self.names[name] = f"{RESIDENT}_{self._residents:04d}"
            found = self._seen[raw] = (self.names[name], self.roles.get(name, RESIDENT))
        return found

    def __call__(self, name: str) -> str:
        return self.lookup(name)[0]

    def role(self, name: str) -> str:
        return self.lookup(name)[1]

    @staticmethod
    def exporter() -> str:
        """The pseudonym of the chat's exporter ("je", "u", "You" in system lines)."""
        return EXPORTER


@dataclass
class ParsedChat:
    """One group's export, parsed.

    Attributes
    ----------
    messages : DataFrame
        One row per message or system line: ``group, line_start, line_end,
        timestamp, sender, role, kind`` (:data:`KINDS`).
    events : DataFrame
        One row per member event: ``group, timestamp, event`` (created,
        joined, added, left, removed), ``member`` and ``actor`` (pseudonyms),
        ``line``.
    how : dict
        How the file was read: ``format``, ``locale``, ``locale_file``,
        ``date_order`` and where it came from, ``clock``.
    system : dict
        System lines by event (``joined``, ``subject``, ``encryption`` ...).
    unclassified : list of (int, str)
        Line number and pseudonymised text of lines that looked like system
        lines but matched no phrase.
    problems : list of InputError
        What stops the pipeline (unclassified lines above the limit, time
        running backwards); :func:`parse_chat` raises the first.
    warnings : list of str
        What only deserves a look (a date order that no value decides).
    """

    messages: pd.DataFrame
    events: pd.DataFrame
    how: dict[str, str] = field(default_factory=dict)
    system: dict[str, int] = field(default_factory=dict)
    unclassified: list[tuple[int, str]] = field(default_factory=list)
    problems: list[InputError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def _read_text(path: str) -> tuple[str, list[str]]:
    """The export's text (normalised, without blank lines at its end) and its first lines.

    The first :data:`SAMPLE_LINES` lines decide the locale and the format;
    the text is then read whole (:mod:`buurtpreventie.chat.headers`). An empty
    text has no lines.
    """
    return _read_data(path)[:2]


def _read_data(path: str) -> tuple[str | None, list[str], memoryview | None]:
    """:func:`_read_text`; or, for a file of ASCII without ``\r``, ``None``, the lines, the bytes.

    Such a file has no byte-order mark, no line ends to normalise and no
    character of :data:`_NORMALISE`: its text is its bytes (without the blank
    lines at its end), and is decoded only if the Python path needs it.
    """
    data = Path(path).read_bytes()
    if data.isascii() and b"\r" not in data:
        end = _blank_end(data, _ASCII_SPACE)
        head = _first_lines(data[: min(_line_end(data, SAMPLE_LINES), end)], SAMPLE_LINES)
        return None, [line.decode("ascii") for line in head], memoryview(data)[:end]
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise InputError(path, "text cannot be decoded as UTF-8", row=line) from None
    text = _without_blank_end(text.replace("\r\n", "\n").replace("\r", "\n").translate(_NORMALISE))
    return text, _first_lines(text, SAMPLE_LINES), None


def _without_blank_end(text, space=None):
    """``text`` without its last lines while they are blank (``str.strip`` empties them).

    ``text`` may be ASCII bytes, with ``space`` the characters ``str.strip``
    strips among ASCII (:data:`_ASCII_SPACE`).
    """
    return text[: _blank_end(text, space)]


def _blank_end(text, space=None) -> int:
    """Where :func:`_without_blank_end` cuts ``text``."""
    end = len(text)
    newline = "\n" if isinstance(text, str) else b"\n"
    while True:
        start = text.rfind(newline, 0, end) + 1
        if text[start:end].strip(space):
            return end
        if start == 0:
            return 0
        end = start - 1


def _line_end(data: bytes, count: int) -> int:
    """Where the first ``count`` lines of ``data`` end (all of it when it has fewer)."""
    end = -1
    for _ in range(count):
        end = data.find(b"\n", end + 1)
        if end < 0:
            return len(data)
    return end


def _first_lines(text, count: int) -> list:
    """The first ``count`` lines of ``text`` (str or bytes; none of an empty text)."""
    if not text:
        return []
    newline = "\n" if isinstance(text, str) else b"\n"
    end = -1
    for _ in range(count):
        end = text.find(newline, end + 1)
        if end < 0:
            return text.split(newline)
    return text[:end].split(newline)


def _split_names(text: str, locale: ChatLocale) -> list[str]:
    parts = [text]
    for separator in locale.list_separators:
        parts = [piece for part in parts for piece in part.split(separator)]
    return [p for p in (clean_name(x) for x in parts) if p]


def _plain_sender(sender: str, locale: ChatLocale) -> bool:
    """Whether the text before ": " can be a person: not empty, no mark, no verb of the locale."""
    return (
        not sender.startswith(_MARK)
        and bool(sender.strip(" ~"))
        and not locale.verbs.search(sender)
    )


def pseudonymised_text(text: str, locale: ChatLocale) -> str:
    """``text`` with every word that is not a word of the locale's phrases as "…"."""
    out: list[str] = []
    for token in text.translate(_INVISIBLE).split():
        words = _WORD.findall(token)
        keep = (
            len(words) == 1
            and words[0] == token.strip("\"'“”„.,:;!?()<>")
            and (words[0].casefold() in locale.vocabulary)
        )
        word = words[0] if keep else "…"
        if not (word == "…" and out and out[-1] == "…"):
            out.append(word)
    return " ".join(out)


def _timestamps(
    path: str, numbers: np.ndarray, ampm: np.ndarray | None, starts: Sequence[int], order: str
) -> np.ndarray:
    """Datetimes from the header fields (:func:`_header_numbers`) in the date ``order``."""
    if order == "ymd":
        year, month, day = numbers[:, 0], numbers[:, 1], numbers[:, 2]
    elif order == "mdy":
        month, day, year = numbers[:, 0], numbers[:, 1], numbers[:, 2]
    else:
        day, month, year = numbers[:, 0], numbers[:, 1], numbers[:, 2]
    year = np.where(year < 100, year + 2000, year)
    hour = numbers[:, 3]
    bad = np.zeros(len(numbers), dtype=bool)
    if ampm is not None:
        twelve = ampm != " "
        bad = twelve & ((hour > 12) | (hour == 0))
        hour = np.where(twelve, hour % 12 + np.where(ampm == "p", 12, 0), hour)
    frame = pd.DataFrame(
        {"year": year, "month": month, "day": day, "hour": hour}
        | {"minute": numbers[:, 4], "second": numbers[:, 5]}
    )
    stamps = pd.to_datetime(frame, errors="coerce")
    bad |= stamps.isna().to_numpy()
    if bad.any():
        position = int(bad.argmax())
        raise InputError(
            path,
            f"a date cannot be read as {order} (day, month, year order)",
            row=int(starts[position]),
        )
    return stamps.to_numpy().astype("datetime64[ns]")


def _order_problems(path: str, stamps: np.ndarray, starts: list[int], created: list[int]):
    """Time running backwards: a line over a day before the line above, or before the creation."""
    problems = []
    if len(stamps) > 1:
        back = np.flatnonzero(np.diff(stamps) < -np.timedelta64(1, "D"))
        if len(back):
            problems.append(
                InputError(
                    path,
                    f"timestamp more than a day before the line above it ({len(back)} such lines); "
                    "a mixed-up export or a wrong date_order",
                    row=int(starts[back[0] + 1]),
                )
            )
    if created:
        early = np.flatnonzero(stamps < stamps[created[0]])
        if len(early):
            problems.append(
                InputError(
                    path,
                    f"timestamp before the group was created ({len(early)} such lines)",
                    row=int(starts[early[0]]),
                )
            )
    return problems


def _read(
    path: str | Path,
    group: str,
    locales: ChatLocale | Sequence[ChatLocale],
    roster: Mapping[str, str],
    *,
    format: str | None = None,
    locale: str | None = None,
    date_order: str | None = None,
    max_unclassified: int = 0,
) -> ParsedChat:
    path = str(path)
    if isinstance(locales, ChatLocale):
        locales = [locales]
    text, head, data = _read_data(path)
    chosen = _pick_locale(path, head, locales, locale)
    kind_of_export = _detect_format(path, head, chosen, format)
    header = chosen.formats[kind_of_export]
    pseudonym = Pseudonymiser(roster)
    fast = _arrow_read(path, text, chosen, header, data)
    if fast is not None:
        del text, data
        found, starts, lines_read, numbers, ampm, columns = fast
    else:
        found, columns = _Found(), None
        lines_read = 0
        if text is None:
            text = bytes(data).decode("ascii")
        del data
        with _collector_paused():
            for is_header, fields in header_rows(text, header, whole_text_header(header)):
                if lines_read == 0 and not is_header[0]:
                    raise InputError(path, "text before the first message", row=1)
                _read_block(path, chosen, found, is_header, fields, lines_read)
                lines_read += len(is_header)
            del text
        starts = np.concatenate([np.zeros(0, dtype=np.int64), *found.starts])
        numbers, ampm = _block_numbers(found.numbers), _block_clock(found.clocks)
    ends = np.append(starts[1:] - 1, lines_read) if len(starts) else starts
    order, source = _date_order(path, numbers, chosen, date_order)
    timestamps = _timestamps(path, numbers, ampm, starts, order)
    how = {
        "format": kind_of_export,
        "locale": chosen.name,
        "locale_file": chosen.path,
        "date_order": order,
        "date_order_from": source,
        "clock": "24h" if ampm is None else "12h",
    }
    warnings = []
    if source.startswith("default"):
        warnings.append(
            f"no date decides the order of day and month; read as {order} ({source}); "
            "pin the group's date_order if that is wrong"
        )
    problems = _order_problems(path, timestamps, starts, found.created)
    unclassified = found.unclassified
    if len(unclassified) > max_unclassified:
        listed = ", ".join(str(n) for n, _ in unclassified[:MAX_LISTED])
        more = ", ..." if len(unclassified) > MAX_LISTED else ""
        problems.insert(
            0,
            InputError(
                path,
                f"lines that look like system lines but match no phrase: "
                f"{len(unclassified)} (lines {listed}{more}; at most {max_unclassified} allowed): "
                f"add their wording to {chosen.path} or raise chats.max_unclassified",
                row=unclassified[0][0],
            ),
        )
    names = _pseudonyms(found.calls, pseudonym)
    if columns is not None:
        sender, role, kind = columns.frame_columns(names)
    else:
        sender = pd.array(list(map(names.alias.__getitem__, found.senders)), dtype="string")
        role = pd.array(list(map(names.role.__getitem__, found.senders)), dtype="string")
        kind = found.kinds
    messages = pd.DataFrame(
        {
            "group": group,
            # Lists when empty: the frame of an export without messages keeps its dtypes.
            "line_start": starts if len(starts) else [],
            "line_end": ends if len(ends) else [],
            "timestamp": timestamps,
            "sender": sender,
            "role": role,
            "kind": kind,
        }
    )
    events = [
        (message, name, names.person(member), names.person(actor), number)
        for message, name, member, actor, number in found.events
    ]
    event_frame = pd.DataFrame(events, columns=["message", "event", "member", "actor", "line"])
    event_frame.insert(0, "group", group)
    event_frame.insert(
        1,
        "timestamp",
        timestamps[event_frame["message"].to_numpy()]
        if len(events)
        else pd.Series(dtype="datetime64[ns]"),
    )
    event_frame["actor"] = event_frame["actor"].replace("", pd.NA)
    return ParsedChat(
        messages=messages,
        events=event_frame.drop(columns="message"),
        how=how,
        system=dict(found.system),
        unclassified=unclassified,
        problems=problems,
        warnings=warnings,
    )


@contextmanager
def _collector_paused():
    """Python's cyclic garbage collector off while a file's rows are read, then as it was.

    Reading a block creates millions of small tuples (one per line and per
    header) that hold no cycles; the collector would scan them again and
    again (in a profile of 200,000 messages it took as long as the reading).
    Reference counting still frees everything.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


_SELF = object()  # the exporter ("je", "You") in a member event, before pseudonyms are given


@dataclass
class _Found:
    """What the blocks of an export hold, gathered block by block (see :func:`_read_block`).

    ``senders`` holds each message's sender as written (``None`` for system
    lines); ``calls`` every name in the order the parser meets it, which
    decides the residents' numbers (:func:`_pseudonyms`); ``events`` member
    events with names still as written (or :data:`_SELF`).
    """

    starts: list[np.ndarray] = field(default_factory=list)
    numbers: list[np.ndarray | str] = field(default_factory=list)
    clocks: list[list[str]] = field(default_factory=list)
    senders: list[str | None] = field(default_factory=list)
    kinds: list[str] = field(default_factory=list)
    calls: list[str] = field(default_factory=list)
    events: list[tuple] = field(default_factory=list)
    created: list[int] = field(default_factory=list)
    system: Counter[str] = field(default_factory=Counter)
    unclassified: list[tuple[int, str]] = field(default_factory=list)
    plain_senders: dict[str, bool] = field(default_factory=dict)
    classified: dict[str, tuple] = field(default_factory=dict)
    canonical: dict[str, str] = field(default_factory=dict)


def _read_block(
    path: str,
    locale: ChatLocale,
    found: _Found,
    is_header: np.ndarray,
    fields: list[list[str]],
    lines_before: int,
) -> None:
    """Add one block of lines (:func:`header_rows`) to ``found``: its messages, senders, events."""
    rests = fields[-1]
    first = len(found.kinds)  # the block's first message, counted over the file
    starts = np.flatnonzero(is_header) + (lines_before + 1)
    found.starts.append(starts)
    found.numbers.append(_field_numbers(fields[:6]))
    found.clocks.append(fields[6])
    senders, separators, bodies = _split_rests(rests)
    # One canonical string per distinct sender: the file's messages share a few hundred.
    senders = list(map(found.canonical.setdefault, senders, senders))
    ordinary = _ordinary_messages(senders, separators, bodies, locale, found.plain_senders)
    del separators, bodies
    kinds = ["message"] * len(rests)
    calls = found.calls
    done = 0
    for index in np.flatnonzero(~ordinary).tolist():
        # The rare lines (media, system lines, deleted messages) one by one, as before.
        calls.extend(senders[done:index])
        done = index + 1
        rest, number = rests[index], int(starts[index])
        sender, kind, event = _rare_line(found, rest, number, locale, path)
        senders[index], kinds[index] = sender, kind
        if sender is not None:
            calls.append(sender)
        if event is not None:
            _add_event(found, locale, event, first + index, number)
    calls.extend(senders[done:])
    found.senders.extend(senders)
    found.kinds.extend(kinds)


def _rare_line(found: _Found, rest: str, number: int, locale: ChatLocale, path: str):
    """Sender (or None), kind and member event of a rare line (media, a system line, a
    deleted message), read once per text; a line no phrase matches is logged with the
    words that are not the locale's own hidden."""
    classified = found.classified.get(rest)
    if classified is None:  # _classify depends on the text only
        classified = found.classified[rest] = _classify(rest, locale)
    sender, kind, event, unknown = classified
    if unknown:
        shown = pseudonymised_text(rest, locale)
        found.unclassified.append((number, shown))
        log.warning(
            "%s, line %d: looks like a system line but matches no phrase of %s: %s",
            path,
            number,
            locale.path,
            shown,
        )
    return sender or None, kind, event


def _add_event(found: _Found, locale: ChatLocale, event, message: int, number: int) -> None:
    """Count a system line's event; keep a member event with its names as written."""
    name, parts = event
    found.system[name] += 1
    if name not in MEMBER_EVENTS:
        return
    if name == "created":
        found.created.append(message)
    actor = parts.get("actor")
    actor = "" if actor is None else _as_person(actor, locale, found.calls)
    for member in _split_names(parts.get("subject", ""), locale):
        found.events.append((message, name, _as_person(member, locale, found.calls), actor, number))


def _as_person(name: str, locale: ChatLocale, calls: list[str]):
    """:data:`_SELF` for "je", "u", "You"; else the name, noted among the names met."""
    if clean_name(name).casefold() in locale.self_names:
        return _SELF
    calls.append(name)
    return name


def _split_rests(rests: list[str]) -> tuple[Sequence[str], Sequence[str], Sequence[str]]:
    """Sender, ": " and body of each header's text (``str.partition``, mapped in C)."""
    if not rests:
        return (), (), ()
    return zip(*map(str.partition, rests, repeat(": ")), strict=True)


def _ordinary_messages(
    senders: Sequence[str],
    separators: Sequence[str],
    bodies: Sequence[str],
    locale: ChatLocale,
    plain_senders: dict[str, bool],
) -> np.ndarray:
    """Which headers are a person's text message at a glance (the common case of :func:`_classify`).

    A sender before ": " that can be a person, a body without a direction
    mark, and nothing the locale's body filter could read as media, a call,
    a deleted message or a system line.
    """
    count = len(senders)
    for sender in dict.fromkeys(senders):  # per distinct sender, as before
        if sender not in plain_senders:
            plain_senders[sender] = _plain_sender(sender, locale)
    candidate = np.fromiter(map(bool, separators), dtype=bool, count=count)
    candidate &= np.fromiter(map(plain_senders.__getitem__, senders), dtype=bool, count=count)
    candidate &= ~np.fromiter(map(str.startswith, bodies, repeat(_MARK)), dtype=bool, count=count)
    # The body filter runs once per distinct body of the candidates (dict.fromkeys
    # hashes in C; short replies, media and system lines repeat), each in a
    # C-level map rather than a Python loop.
    bodies = list(compress(bodies, candidate))
    distinct = dict.fromkeys(bodies)
    distinct.update(zip(distinct, map(locale.body_filter.match, distinct), strict=True))
    filtered = map(bool, map(distinct.__getitem__, bodies))
    candidate[candidate] = ~np.fromiter(filtered, dtype=bool, count=len(bodies))
    return candidate


@dataclass
class _Names:
    """Pseudonym and role of every name as written (``None`` has neither)."""

    alias: dict
    role: dict

    def person(self, name) -> str:
        """The pseudonym in a member event: the exporter, a name's pseudonym, or ``""``."""
        if name is _SELF:
            return EXPORTER
        return self.alias[name] if name else name


def _pseudonyms(calls: list[str], pseudonym: Pseudonymiser) -> _Names:
    """Look every name up once, in the order the file first names it (residents' numbers)."""
    alias: dict = {None: None}
    role: dict = {None: None}
    for name in dict.fromkeys(calls):
        alias[name], role[name] = pseudonym.lookup(name)
    return _Names(alias, role)


def _field_numbers(columns: list[list[str]]) -> np.ndarray | str:
    """The six header numbers of a block as an n x 6 array, or its text when not plain digits.

    A field of other digits (``\\d`` also matches Arabic-Indic ones) keeps the
    block's text as the old parse wrote it, and :func:`_block_numbers` then
    parses the whole file as before, with the same result or error.
    """
    parsed = [_digit_values(column) for column in columns]
    if any(values is None for values in parsed):
        return " ".join([x or "0" for r in zip(*columns, strict=True) for x in r])
    return np.column_stack(parsed) if len(columns[0]) else np.zeros((0, 6), dtype=np.int64)


def _digit_values(column: list[str]) -> np.ndarray | None:
    """The value of each field of ASCII digits (an empty field is 0); ``None`` for other text.

    One C-level parse of the column: ``"0"`` before every field reads an
    empty field (no seconds) as 0 and leaves a number's value alone. A field
    that is not plain digits either is not ASCII, stops the parse, or gives
    more than one number (a sign): all three are caught.
    """
    flat = "0" + " 0".join(column)
    if not flat.isascii():
        return None
    try:
        values = np.fromstring(flat, dtype=np.int64, sep=" ")
    except ValueError:
        return None
    return values if len(values) == max(len(column), 1) else None


def _block_numbers(blocks: list[np.ndarray | str]) -> np.ndarray:
    """The header numbers of all blocks (:func:`_field_numbers`), as :func:`_header_numbers`."""
    if all(isinstance(b, np.ndarray) for b in blocks):
        return np.concatenate([np.zeros((0, 6), dtype=np.int64), *blocks])
    pieces = [b if isinstance(b, str) else " ".join(map(str, b.ravel().tolist())) for b in blocks]
    flat = " ".join(p for p in pieces if p)
    return np.fromstring(flat, dtype=np.int64, sep=" ").reshape(-1, 6)


def _block_clock(blocks: list[list[str]]) -> np.ndarray | None:
    """AM/PM of every header as :func:`_header_numbers` gives it; ``None`` on a 24-hour clock."""
    if not any(map(any, blocks)):
        return None
    return np.array([(x or " ")[0].lower() for block in blocks for x in block])


def _person(name: str, locale: ChatLocale, pseudonym: Pseudonymiser) -> str:
    """The pseudonym of a name in a system line; the exporter for "je", "u", "You"."""
    if clean_name(name).casefold() in locale.self_names:
        return pseudonym.exporter()
    return pseudonym(name)


def parse_chat(
    path: str | Path,
    group: str,
    locales: ChatLocale | Sequence[ChatLocale],
    roster: Mapping[str, str],
    *,
    format: str | None = None,
    locale: str | None = None,
    date_order: str | None = None,
    max_unclassified: int = 0,
) -> ParsedChat:
    """Parse one WhatsApp export.

    Parameters
    ----------
    path : str or Path
        The ``.txt`` export (Android ``dd-mm-jjjj uu:mm - Naam: tekst`` or iOS
        ``[dd-mm-jjjj uu:mm:ss] Naam: tekst``, in any of the date and clock
        forms of the locale files).
    group : str
        The group id from the config.
    locales : ChatLocale or sequence of ChatLocale
        Formats and phrases (:func:`load_locales`); the file's language is
        the one that classifies its lines, the first on a tie.
    roster : mapping
        Sender name -> role for professionals; others are residents.
    format, locale, date_order : str, optional
        Pin what is otherwise detected: ``android``/``ios``; a locale's name
        (``nl``, ``en``); ``dmy``, ``mdy`` or ``ymd``.
    max_unclassified : int
        Lines that look like system lines but match no phrase that are
        tolerated (kept as system lines without an event, and logged).

    Returns
    -------
    ParsedChat

    Raises
    ------
    InputError
        Undecodable text, a file in no known format, text before the first
        message, a date that cannot be read, more unclassified lines than
        ``max_unclassified``, or time running backwards (naming the line, never
        its text).
    """
    chat = _read(
        path,
        group,
        locales,
        roster,
        format=format,
        locale=locale,
        date_order=date_order,
        max_unclassified=max_unclassified,
    )
    if chat.problems:
        raise chat.problems[0]
    return chat


def inspect_chat(
    path: str | Path,
    locales: ChatLocale | Sequence[ChatLocale],
    roster: Mapping[str, str] | None = None,
    *,
    format: str | None = None,
    locale: str | None = None,
    date_order: str | None = None,
    max_unclassified: int = 0,
) -> Inspection:
    """Read a WhatsApp export exactly as the pipeline would and say what it found.

    The result holds counts, how the file was read, system events by kind,
    the unclassified lines (number and pseudonymised text) and what would
    stop the pipeline; never a name or a message.

    Returns
    -------
    Inspection
        ``kind`` whatsapp; ``format`` android or ios; ``how``: locale,
        locale_file, date_order (and where it came from), clock; ``counts``:
        lines, messages (text and media posts, as a person counts them), media,
        deleted, calls, system, senders, members (named in member events),
        unclassified.
    """
    path = str(path)
    result = Inspection(path=path, kind="whatsapp")
    try:
        chat = _read(
            path,
            "inspect",
            locales,
            roster or {},
            format=format,
            locale=locale,
            date_order=date_order,
            max_unclassified=max_unclassified,
        )
    except InputError as error:
        result.problems.append(str(error))
        return result
    messages, events = chat.messages, chat.events
    kinds = messages["kind"].value_counts()
    result.format = chat.how["format"]
    result.how = dict(chat.how)
    result.counts = {
        "lines": int(messages["line_end"].max()) if len(messages) else 0,
        "messages": int(sum(kinds.get(k, 0) for k in POST_KINDS)),
        "media": int(kinds.get("media", 0)),
        "deleted": int(kinds.get("deleted", 0)),
        "calls": int(kinds.get("call", 0)),
        "system": int(kinds.get("system", 0)),
        "senders": int(messages["sender"].nunique()),
        "members": int(events["member"].nunique()),
        "unclassified": len(chat.unclassified),
    }
    result.events = dict(chat.system)
    result.unclassified = list(chat.unclassified)
    result.problems = [str(p) for p in chat.problems]
    result.warnings = list(chat.warnings)
    return result


_MAX_DIGITS = 18  # a header number of more digits may not fit an int64: the Python path


@dataclass
class _ArrowColumns:
    """Each message's sender as written, as codes into ``written`` (-1: a system line), and kind."""

    codes: np.ndarray
    written: list[str]
    kinds: np.ndarray

    def frame_columns(self, names: _Names):
        """The ``sender``, ``role`` and ``kind`` columns of the messages frame (Arrow-backed)."""
        take = pa.array(self.codes, mask=self.codes < 0)
        alias = pa.array([names.alias.get(w) for w in self.written], pa.large_string()).take(take)
        role = pa.array([names.role.get(w) for w in self.written], pa.large_string()).take(take)
        kind = pa.array(KINDS, pa.large_string()).take(pa.array(self.kinds))
        return (
            pd.array(alias, dtype=pd.StringDtype("pyarrow")),
            pd.array(role, dtype=pd.StringDtype("pyarrow")),
            pd.array(kind, dtype=pd.StringDtype("pyarrow", na_value=np.nan)),
        )


def _arrow_read(path: str, text: str, locale: ChatLocale, header: re.Pattern[str], data):
    """The whole file read with Arrow kernels, as :func:`_read_block` reads it block by block.

    ``data`` is the text in UTF-8 (ASCII) when ``text`` is ``None`` (:func:`_read_data`).
    Returns ``None`` (and nothing logged or raised) when the result is not
    proven the same as the Python path's: a header pattern RE2 may read
    differently (:func:`~buurtpreventie.chat.arrow_headers.re2_header`), digits
    other than 0-9 in the text, a back-referenced group that differs, header
    numbers that are not plain digits, AM/PM that is not ASCII, a ": " that
    begins inside a header, or a first line that is no header (the Python
    path raises its error). Then the caller reads the file the Python way.
    """
    if not (text if data is None else data):
        return None
    translated = re2_header(header, HEADER_GROUPS)
    if translated is None or (data is None and has_other_digits(text)):
        return None
    lines, offsets, ends = line_array(text.encode("utf-8") if data is None else data)
    found = _header_fields(lines, translated, ascii=data is not None)
    if found is None or not found[0][0]:
        return None
    is_header, fields = found
    rows = np.flatnonzero(is_header)
    numbers = fields.numbers
    ampm = fields.first if fields.clock.any() else None
    # Where each header's rest begins and ends (bytes), and its first ": ".
    line_start = offsets[rows]
    rest_start = line_start + fields.head
    del fields, found
    rest_end = ends[rows]
    colon = pc.find_substring(lines, ": ").to_numpy()[rows]
    if ((colon >= 0) & (line_start + colon < rest_start)).any():
        return None  # a ": " in a header's own text: not the rest's first
    has_separator = colon >= 0
    sender_end = np.where(has_separator, line_start + colon, rest_end)
    body_start = np.where(has_separator, line_start + colon + 2, rest_end)
    buffer = lines.buffers()[2]
    pieces = _Pieces(buffer, rest_start, rest_end, sender_end, body_start)
    del lines
    starts = rows + 1
    found, columns = _classify_rests(path, locale, pieces, has_separator, starts)
    return found, starts, len(is_header), numbers, ampm, columns


@dataclass
class _Fields:
    """Per line: header or not, the six header numbers, AM/PM (given, first letter), head bytes."""

    is_header: np.ndarray
    numbers: np.ndarray
    clock: np.ndarray
    first: np.ndarray
    head: np.ndarray

    def take(self, rows: np.ndarray) -> _Fields:
        return _Fields(*(getattr(self, f.name)[rows] for f in fields(self)))

    def put(self, rows: np.ndarray, other: _Fields) -> None:
        for f in fields(self):
            getattr(self, f.name)[rows] = getattr(other, f.name)


_SAMPLE_HEADS = 2000  # lines whose heads decide how many characters a key holds


def _header_fields(lines: pa.Array, header: Header, ascii: bool) -> tuple | None:
    """Which lines are headers, and the :func:`_match_fields` of the headers; RE2 once per key.

    A key is a line's first K characters, K the longest head among the first
    lines. The match on a key is the match on the whole line unless a try of
    the pattern reads past the key (the key matches ``header.reads``): those
    lines are matched whole. Most lines share their key with many others
    (the same minute), so RE2 runs on far fewer texts. ``ascii``: the text is
    ASCII, so K characters are K bytes.
    """
    sample = _match_fields(lines.slice(0, _SAMPLE_HEADS), header)
    if sample is None:
        return None
    heads = sample.head[sample.is_header]
    if not len(heads):
        every = _match_fields(lines, header)
        if every is None:
            return None
        return every.is_header, every.take(np.flatnonzero(every.is_header))
    width = int(heads.max())  # bytes of a head; at least as many characters
    if ascii:
        cut = pc.binary_slice(lines.view(pa.large_binary()), 0, width).view(pa.large_string())
    else:
        cut = pc.utf8_slice_codeunits(lines, 0, width)
    keys = pc.dictionary_encode(cut)
    del cut
    codes = keys.indices.to_numpy()
    distinct = keys.dictionary
    del keys
    result = _match_fields(distinct, header)
    if result is None:
        return None
    whole = pc.less(pc.utf8_length(distinct), width).to_numpy(zero_copy_only=False)
    exact = whole | ~pc.match_substring_regex(distinct, header.reads).to_numpy(zero_copy_only=False)
    is_header = result.is_header[codes]
    again = np.flatnonzero(~exact[codes])
    other = None
    if len(again):
        other = _match_fields(lines.take(pa.array(again)), header)
        if other is None:
            return None
        is_header[again] = other.is_header
    rows = np.flatnonzero(is_header)
    fields = result.take(codes[rows])
    if other is not None and other.is_header.any():
        fields.put(np.searchsorted(rows, again[other.is_header]), other.take(other.is_header))
    return is_header, fields


def _match_fields(lines: pa.Array, header: Header) -> _Fields | None:
    """RE2's header match of each of ``lines``; ``None`` when the Python path must decide.

    That is: a back-referenced group and its copy that differ, a header
    number that is not plain ASCII digits (or too long for an int64), or
    AM/PM that is not ASCII.
    """
    matched = pc.extract_regex(lines, header.pattern)
    valid = matched.is_valid()
    is_header = np.asarray(valid.to_numpy(zero_copy_only=False), dtype=bool)
    for name, copy in header.refs:
        same = pc.equal(matched.field(name), matched.field(copy))
        if not pc.all(pc.or_kleene(same, pc.invert(valid))).as_py():
            return None
    numbers = np.zeros((len(lines), 6), dtype=np.int64)
    for index, name in enumerate(HEADER_GROUPS[:6]):
        column = pc.if_else(valid, matched.field(name), "0")
        empty = pc.equal(column, "")
        if not pc.all(pc.or_(pc.ascii_is_decimal(column), empty)).as_py():
            return None
        if (pc.max(pc.binary_length(column)).as_py() or 0) > _MAX_DIGITS:
            return None
        if pc.any(empty).as_py():
            column = pc.if_else(empty, "0", column)
        numbers[:, index] = pc.cast(column, pa.int64()).to_numpy()
    clock = pc.if_else(valid, matched.field("ampm"), "")
    given = np.asarray(pc.not_equal(clock, "").to_numpy(zero_copy_only=False), dtype=bool)
    first = np.full(len(lines), " ")
    if given.any():
        if not pc.all(pc.string_is_ascii(clock)).as_py():
            return None
        letters = pc.ascii_lower(pc.utf8_slice_codeunits(clock, 0, 1))
        first = np.array(pc.if_else(pc.equal(letters, ""), " ", letters).to_pylist())
    head = pc.binary_length(pc.if_else(valid, matched.field(HEAD), "")).to_numpy()
    return _Fields(is_header, numbers, given, first, head.astype(np.int64))


def _slices(buffer: pa.Buffer, starts: np.ndarray, ends: np.ndarray) -> pa.Array:
    """The text of ``buffer[starts[i]:ends[i]]`` for each i (in order, not overlapping).

    An array whose offsets alternate between the slices and the text between
    them points into ``buffer`` without a copy; every other element of it is
    taken (one copy of the slices' text in C).
    """
    count = len(starts)
    if count == 0:
        return pa.array([], pa.large_string())
    offsets = np.empty(2 * count, dtype=np.int64)
    offsets[0::2], offsets[1::2] = starts, ends
    both = pa.LargeStringArray.from_buffers(2 * count - 1, pa.py_buffer(offsets), buffer)
    every_other = np.full((2 * count + 7) // 8, 0x55, dtype=np.uint8)  # bits 0, 2, 4 ...
    mask = pa.BooleanArray.from_buffers(
        pa.bool_(), 2 * count - 1, [None, pa.py_buffer(every_other)]
    )
    return both.filter(mask)


@dataclass
class _Pieces:
    """The parts of the header lines, as byte ranges of the text's buffer."""

    buffer: pa.Buffer
    rest_start: np.ndarray
    rest_end: np.ndarray
    sender_end: np.ndarray
    body_start: np.ndarray

    def senders(self) -> pa.Array:
        return _slices(self.buffer, self.rest_start, self.sender_end)

    def bodies(self) -> pa.Array:
        return _slices(self.buffer, self.body_start, self.rest_end)

    def rests(self, rows: np.ndarray) -> list[str]:
        return _slices(self.buffer, self.rest_start[rows], self.rest_end[rows]).to_pylist()


def _classify_rests(
    path: str, locale: ChatLocale, pieces: _Pieces, has_separator: np.ndarray, starts: np.ndarray
):
    """:func:`_read_block` over Arrow arrays: text messages in kernels, the rest in Python."""
    count = len(starts)
    encoded = pc.dictionary_encode(pieces.senders())
    written = encoded.dictionary.to_pylist()
    codes = encoded.indices.to_numpy().astype(np.int64)
    del encoded
    plain = np.array([_plain_sender(s, locale) for s in written], dtype=bool)
    ordinary = has_separator & plain[codes] if len(written) else np.zeros(count, dtype=bool)
    bodies = pieces.bodies()
    ordinary &= ~np.asarray(pc.starts_with(bodies, _MARK).to_numpy(zero_copy_only=False))
    # The body filter once per distinct body of the candidates, as before.
    encoded = pc.dictionary_encode(bodies)
    del bodies
    body_codes = encoded.indices.to_numpy()
    used = np.flatnonzero(np.bincount(body_codes[ordinary], minlength=len(encoded.dictionary)))
    distinct = encoded.dictionary.take(pa.array(used)).to_pylist()
    del encoded
    filtered = np.zeros(len(body_codes) and int(body_codes.max()) + 1, dtype=bool)
    filtered[used] = [bool(locale.body_filter.match(b)) for b in distinct]
    ordinary &= ~filtered[body_codes]
    del body_codes

    found = _Found()
    kinds = np.zeros(count, dtype=np.int8)
    rare = np.flatnonzero(~ordinary)
    rare_rows: list[int] = []  # the message of each name in found.calls
    index_of = {w: i for i, w in enumerate(written)}
    expansions: dict[str, tuple] = {}
    for index, rest in zip(rare.tolist(), pieces.rests(rare), strict=True):
        number = int(starts[index])
        sender, kind, event = _rare_line(found, rest, number, locale, path)
        kinds[index] = KINDS.index(kind)
        before = len(found.calls)
        if sender is None:
            codes[index] = -1
        else:
            found.calls.append(sender)
            if sender not in index_of:
                index_of[sender] = len(written)
                written.append(sender)
            codes[index] = index_of[sender]
        if event is not None:
            # What _add_event adds for this text, worked out once per distinct text.
            expansion = expansions.get(rest)
            if expansion is None:
                scratch = _Found()
                _add_event(scratch, locale, event, index, number)
                people = [(name, member, actor) for _, name, member, actor, _ in scratch.events]
                expansion = expansions[rest] = (scratch.calls, people, bool(scratch.created))
            calls, people, created = expansion
            found.system[event[0]] += 1
            found.calls.extend(calls)
            found.events.extend((index, name, m, a, number) for name, m, a in people)
            if created:
                found.created.append(index)
        rare_rows.extend([index] * (len(found.calls) - before))
    # The order in which the Python path meets the names (residents' numbers):
    # each ordinary sender at its first message, the rare lines' names in place.
    rows_ordinary = np.flatnonzero(ordinary)
    factor, distinct_codes = pd.factorize(codes[rows_ordinary])
    # Codes of pd.factorize count up in order of first appearance.
    seen = np.maximum.accumulate(factor) if len(factor) else factor
    first = np.flatnonzero(np.diff(seen, prepend=-1) > 0)
    met_rows = np.concatenate([rows_ordinary[first], np.array(rare_rows, dtype=np.int64)])
    met = [written[c] for c in distinct_codes.tolist()] + found.calls
    found.calls = [met[i] for i in np.argsort(met_rows, kind="stable").tolist()]
    return found, _ArrowColumns(codes, written, kinds)
