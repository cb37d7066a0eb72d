"""Parsing WhatsApp chat exports (Dutch locale, Android and iOS) into pseudonymised messages.

Why a parser of our own: the packages that exist (whatstk, chat-miner) read the
messages, but drop the system lines or leave them unclassified, and this study
needs exactly those lines: members who join via the invite link, are added,
leave or are removed give the group sizes over time. The locale's formats and
system phrases are data (``resources/chat/whatsapp_nl.yaml``), not code.

What the parser keeps is what the analysis needs and nothing more: per message
its lines in the file (to link MAXQDA segments), time, a pseudonym of the
sender, the sender's role, and its kind (message, media, system); per system
line the member event. Names become pseudonyms here and message text is not
kept, so no name or text reaches ``results/``.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import yaml

from buurtpreventie.errors import InputError

__all__ = ["ChatLocale", "ParsedChat", "Pseudonymiser", "load_locale", "parse_chat"]

ROLES = ("beheerder_gemeente", "wijkagent", "handhaving", "wijknetwerker", "beheerder_bewoner")
RESIDENT = "bewoner"
PROFESSIONALS = frozenset(ROLES) - {"beheerder_bewoner"}
_INVISIBLE = dict.fromkeys(map(ord, "\u200e\u200f\u202a\u202b\u202c\u202d\u202e\ufeff"))


@dataclass(frozen=True)
class ChatLocale:
    """The export formats and system phrases of one phone locale."""

    formats: dict[str, re.Pattern[str]]
    date_formats: tuple[str, ...]
    media: frozenset[str]
    system: tuple[tuple[str, re.Pattern[str]], ...]
    list_separators: tuple[str, ...]
    self_names: frozenset[str]


def load_locale(path: str | Path) -> ChatLocale:
    """Read a locale file such as ``resources/chat/whatsapp_nl.yaml``."""
    with open(path, encoding="utf-8") as handle:
        raw = yaml.safe_load(handle)
    return ChatLocale(
        formats={name: re.compile(p) for name, p in raw["formats"].items()},
        date_formats=tuple(raw["date_formats"]),
        media=frozenset(m.casefold() for m in raw["media"]),
        system=tuple((s["event"], re.compile(s["pattern"])) for s in raw["system"]),
        list_separators=tuple(raw["list_separators"]),
        self_names=frozenset(raw.get("self_names", ())),
    )


def clean_name(name: str) -> str:
    """A sender name without invisible direction marks, the "~" of unsaved contacts, or padding."""
    text = unicodedata.normalize("NFC", name).translate(_INVISIBLE).strip()
    return text.lstrip("~").strip()


class Pseudonymiser:
    """Stable pseudonyms for the names in one group's export.

    Professionals of the roster get ``<role>_<k>``, numbered in the roster's
    sorted order, so one professional has the same pseudonym in every group.
    Everyone else is a resident: ``bewoner_<k>`` in order of first appearance
    in the export. The mapping lives only in memory.
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

    def _lookup(self, raw: str) -> tuple[str, str]:
        found = self._seen.get(raw)
        if found is None:
            name = clean_name(raw)
            if name not in self.names:
                self._residents += 1
                self.names[name] = f"{RESIDENT}_{self._residents:04d}"
            found = self._seen[raw] = (self.names[name], self.roles.get(name, RESIDENT))
        return found

    def __call__(self, name: str) -> str:
        return self._lookup(name)[0]

    def role(self, name: str) -> str:
        return self._lookup(name)[1]


@dataclass
class ParsedChat:
    """One group's export, parsed.

    Attributes
    ----------
    messages : DataFrame
        One row per message or system line: ``group, line_start, line_end,
        timestamp, sender, role, kind`` (message, media or system).
    events : DataFrame
        One row per member event: ``group, timestamp, event`` (joined, added,
        left, removed), ``member`` and ``actor`` (pseudonyms).
    """

    messages: pd.DataFrame
    events: pd.DataFrame


def _detect_format(path: str, lines: list[str], locale: ChatLocale) -> tuple[str, re.Pattern[str]]:
    sample = lines[:200]
    scores = {name: sum(bool(p.match(x)) for x in sample) for name, p in locale.formats.items()}
    best = max(scores, key=scores.get)
    if scores[best] == 0:
        raise InputError(path, "not a WhatsApp chat export in a known format", row=1)
    return best, locale.formats[best]


def _split_names(text: str, locale: ChatLocale) -> list[str]:
    parts = [text]
    for separator in locale.list_separators:
        parts = [piece for part in parts for piece in part.split(separator)]
    return [p for p in (clean_name(x) for x in parts) if p]


def _system_event(text: str, locale: ChatLocale) -> tuple[str, dict[str, str]] | None:
    for event, pattern in locale.system:
        match = pattern.match(text)
        if match and not any(":" in (v or "") for v in match.groupdict().values()):
            return event, {k: v for k, v in match.groupdict().items() if v}
    return None


def _read_lines(path: str) -> list[str]:
    data = Path(path).read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise InputError(path, "text cannot be decoded as UTF-8", row=line) from None
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")


def parse_chat(
    path: str | Path,
    group: str,
    locale: ChatLocale,
    roster: Mapping[str, str],
) -> ParsedChat:
    """Parse one WhatsApp export.

    Parameters
    ----------
    path : str or Path
        The ``.txt`` export (Android ``dd-mm-jjjj uu:mm - Naam: tekst`` or iOS
        ``[dd-mm-jjjj uu:mm:ss] Naam: tekst``).
    group : str
        The group id from the config.
    locale : ChatLocale
        Formats and system phrases (:func:`load_locale`).
    roster : mapping
        Sender name -> role for professionals; others are residents.

    Returns
    -------
    ParsedChat

    Raises
    ------
    InputError
        Undecodable text, a file in no known format, text before the first
        message, or a date that cannot be read (naming the line).
    """
    path = str(path)
    lines = _read_lines(path)
    while lines and not lines[-1].strip():
        lines.pop()
    kind_of_export, header = _detect_format(path, lines, locale)
    pseudonym = Pseudonymiser(roster)
    starts, ends, stamps, senders, roles, kinds = [], [], [], [], [], []
    events: list[tuple[int, str, str, str, str]] = []
    current = -1
    for number, line in enumerate(lines, start=1):
        match = header.match(line)
        if match is None:
            if current < 0:
                raise InputError(path, "text before the first message", row=number)
            ends[current] = number
            continue
        current += 1
        starts.append(number)
        ends.append(number)
        stamps.append(f"{match['date']} {match['time']}")
        sender, kind, event = _classify(match["rest"], kind_of_export, locale)
        senders.append(pseudonym(sender) if sender else None)
        roles.append(pseudonym.role(sender) if sender else None)
        kinds.append(kind)
        if event is not None:
            name, parts = event
            actor = parts.get("actor")
            actor = None if actor is None else pseudonym(actor)
            for member in _split_names(parts.get("subject", ""), locale):
                if name != "other":
                    events.append((current, name, pseudonym(member), actor or "", number))
    timestamps = _parse_timestamps(path, stamps, starts, locale)
    messages = pd.DataFrame(
        {
            "group": group,
            "line_start": starts,
            "line_end": ends,
            "timestamp": timestamps,
            "sender": pd.array(senders, dtype="string"),
            "role": pd.array(roles, dtype="string"),
            "kind": kinds,
        }
    )
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
    return ParsedChat(messages=messages, events=event_frame.drop(columns="message"))


def _classify(rest: str, kind_of_export: str, locale: ChatLocale):
    """(sender name or None, kind, event or None) of one message's first line."""
    if kind_of_export == "android":
        sender, separator, body = rest.partition(": ")
        # A system line has no "Name: " prefix; only lines that could be one are tried
        # against the (slower) system patterns.
        if not separator or " heeft " in sender or " is " in sender:
            event = _system_event(rest, locale)
            if event is not None or not separator:
                return None, "system", event or ("other", {})
        kind = "media" if body.strip().casefold() in locale.media else "message"
        return sender, kind, None
    sender, _, body = rest.partition(": ")
    marked = body.startswith("\u200e")
    body = body.translate(_INVISIBLE).strip()
    if body.casefold() in locale.media:
        return sender, "media", None
    if marked:
        event = _system_event(body, locale)
        if event is not None:
            return None, "system", event
    return sender, "message", None


def _parse_timestamps(path: str, stamps: list[str], starts: list[int], locale: ChatLocale):
    values = pd.Series(stamps, dtype="string")
    parsed = pd.Series(pd.NaT, index=values.index, dtype="datetime64[ns]")
    for date_format in locale.date_formats:
        missing = parsed.isna()
        if not missing.any():
            break
        parsed[missing] = pd.to_datetime(values[missing], format=date_format, errors="coerce")
    if parsed.isna().any():
        position = int(parsed.isna().to_numpy().argmax())
        raise InputError(path, f"date {stamps[position]!r} cannot be read", row=starts[position])
    return parsed.to_numpy()
