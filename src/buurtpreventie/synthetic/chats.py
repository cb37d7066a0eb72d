"""Deterministic generator of SYNTHETIC WhatsApp chat material.

The real chat histories of the experiment are confidential. This module writes
stand-ins in the real formats, for people that never existed:

* four WhatsApp exports with a Dutch locale (``resources/chat/<group>.txt``):
  the three Lombardijen groups as an Android phone writes them
  (``dd-mm-jjjj uu:mm - Naam: tekst``) and the Essenburg group as an iPhone
  does (``[dd-mm-jjjj uu:mm:ss] Naam: tekst``, system lines marked with
  U+200E), with multi-line messages, media placeholders, members shown as a
  phone number and one changed number;
* a MAXQDA "coded segments" export (``coded_segments.xlsx``) whose segments
  point at whole messages (``Begin``/``End`` are 1-based line numbers in the
  ``.txt``);
* the roster of professionals (``roster.yaml``).

Design
------
The study fixes a few numbers (:data:`GROUPS`, :data:`CODE_COUNTS`): the size
of every group on 1 September 2020 (config ``app_groups``), the net change over
the experiment year (+21 in the Essenburgbuurt, about nothing in Lombardijen)
and, per buurt, intervention, direction and period, how many messages the
researchers coded (table 5 of the report). Everything else is drawn from one
``numpy`` generator seeded on the command line, in a fixed order, so the same
seed gives the same bytes.

Generation runs in three layers:

1. *Plan of the coded messages* (:func:`plan_codes`): for every count in
   :data:`CODE_COUNTS` a group (Lombardijen counts are spread over its three
   groups) and a moment inside the period, following the story of the report
   (flyer action in October/November 2020, the one film about the reporting
   protocol in spring 2021, meetings and the other films in October/November
   2021).
2. *Membership* (:meth:`ChatBuilder.membership`): the creator, the first weeks
   of additions and invite-link joins, then turnover before, during and after
   the experiment year, sized so that the system lines give exactly the target
   sizes. Residents who announce they leave (intervention 2, opposite) leave a
   few minutes after their message; Essenburg's new members cluster after the
   recruiting messages; its wijkagent and wijknetwerker are added in January and
   March 2021.
3. *Conversations*: each coded message gets the conversation it belongs in (a
   signalement before a feedback message, a question before an explanation, an
   improper remark before a correction, replies after a social message), and
   months are filled with uncoded episodes (signalementen, suspicious situations
   with a photo, questions, practical announcements by professionals), with an
   activity curve that rises towards the end of the experiment year in
   Lombardijen. Senders are always members at the time they write.

Choices worth knowing: the Lombardijen groups change by -2..+2 each over the
experiment year and together not upwards (the report: the flyer action brought
no net gain); every chat starts on 1 September 2019, also Essenburg's (the real
group is older); a segment's ``Segment`` is the message text with its lines
joined by a newline; phone numbers are in the 06-00 block.

The words come from ``resources/synthetic/chat_messages.yaml`` (our own
wording, invented names and streets, links on example.org). Before writing, the
generator checks its own output against the parser's patterns
(``resources/chat/whatsapp_nl.yaml``): no message line may read as a system
line, no continuation line as a new message, and the sizes must come out.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import itertools
import json
import re
import time
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import yaml

from buurtpreventie.dutch import MONTHS

__all__ = [
    "CODE_COUNTS",
    "DEFAULT_SEED",
    "GROUPS",
    "ChatMaterial",
    "GroupSpec",
    "generate_chats",
    "main",
    "plan_codes",
    "write_chats",
]

DEFAULT_SEED = 20190901

START = dt.datetime(2019, 9, 1)
EXPERIMENT = dt.datetime(2020, 9, 1)  # first day of the experiment year (inclusive)
AFTER = dt.datetime(2021, 9, 1)  # first day after it
END = dt.datetime(2022, 1, 1)  # the exports stop on 31 December 2021
PERIODS = ("before", "experiment", "after")

ENCRYPTION = (
    "Berichten en oproepen zijn end-to-end versleuteld. Niemand buiten deze chat, "
    "zelfs WhatsApp niet, kan ze lezen of beluisteren."
)
ANDROID_MEDIA = "<Media weggelaten>"
IOS_MEDIA = ("afbeelding weggelaten", "video weggelaten", "audio weggelaten")
IOS_MEDIA_P = (0.8, 0.15, 0.05)
FIXED_STAMP = dt.datetime(2022, 3, 1, 12, 0, 0)  # xlsx properties and zip entry times

PRO_ROLES = ("beheerder_gemeente", "wijkagent", "handhaving", "wijknetwerker")
ADMIN_ROLES = ("beheerder_gemeente", "beheerder_bewoner")
RESIDENT = "bewoner"


@dataclass(frozen=True)
class GroupSpec:
    """One WhatsApp group of the study.

    Attributes
    ----------
    id : str
        Group id (config ``app_groups``), also the MAXQDA document name.
    buurt : str
        ``lombardijen`` or ``essenburgbuurt``.
    title : str
        The group's name in WhatsApp.
    platform : str
        ``android`` or ``ios``: how the export is written.
    size_at_start : int
        Members on 1 September 2020, 00:00.
    created : datetime
        When the group was created.
    activity : float
        Uncoded conversations per month at activity level 1.
    renumbered : bool
        Whether one member changes phone number in this group.
    """

    id: str
    buurt: str
    title: str
    platform: str
    size_at_start: int
    created: dt.datetime
    activity: float
    renumbered: bool = False


GROUPS: tuple[GroupSpec, ...] = (
    GroupSpec(
        "zenobuurt",
        "lombardijen",
        "Buurtapp Zenobuurt",
        "android",
        77,
        dt.datetime(2019, 9, 1, 10, 4, 12),
        14.0,
        renumbered=True,
    ),
    GroupSpec(
        "smeets_karlmarx",
        "lombardijen",
        "Buurtapp Smeets/Karl Marx",
        "android",
        68,
        dt.datetime(2019, 9, 1, 10, 9, 40),
        13.0,
    ),
    GroupSpec(
        "molierebuurt",
        "lombardijen",
        "Buurtapp Molièrebuurt",
        "android",
        44,
        dt.datetime(2019, 9, 1, 10, 15, 3),
        11.0,
    ),
    GroupSpec(
        "essenburg",
        "essenburgbuurt",
        "Buurt Preventie Essenburg",
        "ios",
        107,
        dt.datetime(2019, 9, 1, 20, 12, 45),
        20.0,
    ),
)
BUURT_LABEL = {"lombardijen": "Lombardijen", "essenburgbuurt": "Essenburgbuurt"}
WIJK = {"lombardijen": "Lombardijen", "essenburgbuurt": "de Essenburgbuurt"}
SLUG = {"lombardijen": "lombardijen", "essenburgbuurt": "essenburg"}
CODERS = {"lombardijen": "JvE", "essenburgbuurt": "MB"}  # invented initials of two coders

# Table 5 of the report as coded messages per buurt and intervention:
# (uitgevoerd before, uitgevoerd experiment, tegengesteld experiment, uitgevoerd after).
CODE_COUNTS: dict[str, dict[int, tuple[int, int, int, int]]] = {
    "lombardijen": {
        1: (3, 5, 0, 3),
        2: (0, 2, 2, 0),
        3: (0, 0, 0, 2),
        4: (0, 1, 0, 1),
        5: (0, 0, 0, 2),
        6: (1, 3, 2, 1),
        7: (8, 7, 0, 2),
        8: (3, 14, 0, 5),
        9: (0, 0, 0, 1),
        10: (0, 0, 0, 0),
        11: (2, 12, 0, 4),
    },
    "essenburgbuurt": {
        1: (10, 11, 0, 3),
        2: (1, 9, 0, 1),
        3: (0, 0, 0, 0),
        4: (7, 6, 0, 2),
        5: (0, 0, 0, 0),
        6: (8, 9, 0, 3),
        7: (6, 5, 0, 1),
        8: (12, 13, 0, 4),
        9: (0, 0, 0, 0),
        10: (0, 0, 0, 0),
        11: (2, 3, 0, 1),
    },
}
COUNT_SLOTS = (
    ("before", "uitgevoerd"),
    ("experiment", "uitgevoerd"),
    ("experiment", "tegengesteld"),
    ("after", "uitgevoerd"),
)

# The professionals of each buurt at the start (the first one creates the group).
STAFF = {
    "lombardijen": (
        "beheerder_gemeente",
        "beheerder_gemeente",
        "wijkagent",
        "handhaving",
        "handhaving",
        "wijknetwerker",
    ),
    "essenburgbuurt": ("beheerder_bewoner",),
}
# Professionals added to the Essenburg group during the experiment year: (role, year, month).
LATE_STAFF = (("wijkagent", 2021, 1), ("wijknetwerker", 2021, 3))

# Who writes a coded message: role -> weight, per (buurt, intervention, direction).
CODED_SENDERS: dict[tuple[str, int, str], dict[str, float]] = {
    ("lombardijen", 1, "uitgevoerd"): {"wijkagent": 3, "handhaving": 4, "beheerder_gemeente": 3},
    ("lombardijen", 2, "uitgevoerd"): {"wijknetwerker": 1, "beheerder_gemeente": 1},
    ("lombardijen", 2, "tegengesteld"): {RESIDENT: 1},
    ("lombardijen", 3, "uitgevoerd"): {"wijknetwerker": 2, "beheerder_gemeente": 1},
    ("lombardijen", 4, "uitgevoerd"): {"beheerder_gemeente": 1},
    ("lombardijen", 5, "uitgevoerd"): {"beheerder_gemeente": 1},
    ("lombardijen", 6, "uitgevoerd"): {"handhaving": 2, "beheerder_gemeente": 2, "wijkagent": 1},
    ("lombardijen", 6, "tegengesteld"): {"handhaving": 2, "beheerder_gemeente": 2, "wijkagent": 1},
    ("lombardijen", 7, "uitgevoerd"): {"beheerder_gemeente": 1},
    ("lombardijen", 8, "uitgevoerd"): {"beheerder_gemeente": 3, "wijkagent": 4, "handhaving": 3},
    ("lombardijen", 9, "uitgevoerd"): {"beheerder_gemeente": 1},
    ("lombardijen", 11, "uitgevoerd"): {RESIDENT: 7, "wijknetwerker": 2, "beheerder_gemeente": 1},
    ("essenburgbuurt", 1, "uitgevoerd"): {"beheerder_bewoner": 6, "wijkagent": 1},
    ("essenburgbuurt", 2, "uitgevoerd"): {"beheerder_bewoner": 3, RESIDENT: 2},
    ("essenburgbuurt", 4, "uitgevoerd"): {"beheerder_bewoner": 1},
    ("essenburgbuurt", 6, "uitgevoerd"): {"beheerder_bewoner": 4, RESIDENT: 1},
    ("essenburgbuurt", 7, "uitgevoerd"): {"beheerder_bewoner": 1},
    ("essenburgbuurt", 8, "uitgevoerd"): {"beheerder_bewoner": 6, "wijkagent": 1},
    ("essenburgbuurt", 11, "uitgevoerd"): {RESIDENT: 1},
}

# Where in a period a coded message may fall (inclusive dates). Defaults keep a
# few days from the period boundaries; the special windows follow the report.
DEFAULT_WINDOWS = {
    "before": (dt.date(2019, 9, 20), dt.date(2020, 8, 27)),
    "experiment": (dt.date(2020, 9, 4), dt.date(2021, 8, 27)),
    "after": (dt.date(2021, 9, 4), dt.date(2021, 12, 28)),
}
SPECIAL_WINDOWS = {
    # students' flyer action: announced in October, new members welcomed in November
    ("lombardijen", 2, "uitgevoerd", "experiment"): (dt.date(2020, 10, 1), dt.date(2020, 11, 27)),
    # the one film about what to report where
    ("lombardijen", 4, "uitgevoerd", "experiment"): (dt.date(2021, 2, 1), dt.date(2021, 6, 30)),
    # after the experiment: meetings in October/November, the films in October 2021
    ("lombardijen", 3, "uitgevoerd", "after"): (dt.date(2021, 10, 1), dt.date(2021, 11, 26)),
    ("lombardijen", 4, "uitgevoerd", "after"): (dt.date(2021, 10, 1), dt.date(2021, 10, 31)),
    ("lombardijen", 5, "uitgevoerd", "after"): (dt.date(2021, 10, 1), dt.date(2021, 10, 31)),
    ("lombardijen", 9, "uitgevoerd", "after"): (dt.date(2021, 10, 1), dt.date(2021, 10, 31)),
}
FLYER_JOINS = (dt.datetime(2020, 10, 17), dt.datetime(2020, 11, 30))

# Relative activity per hour of the day.
# fmt: off
HOURS_RESIDENT = np.array([
    1.0, 0.8, 0.6, 0.5, 0.4, 0.4, 0.8, 1.6, 2.0, 2.0, 2.0, 2.0,
    2.2, 2.2, 2.2, 2.4, 2.6, 3.0, 3.2, 3.6, 4.0, 4.2, 3.6, 2.2,
])
# fmt: on
HOURS_OFFICE = np.array([0.0] * 8 + [2, 3, 3, 3, 2, 3, 3, 3, 2, 1, 0.5, 0.5, 0.3] + [0.0] * 3)
HOURS_CODED = np.array([0.0] * 8 + [1, 2, 2, 2, 1.5, 2, 2, 2, 2, 2, 2.5, 2.5, 2, 1.5] + [0.0] * 2)
HOURS_FAREWELL = np.array([0.0] * 8 + [1.0] * 15 + [0.0])

WEEKDAYS = ("maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag")
COLORS = {
    1: "#e6194b",
    2: "#3cb44b",
    3: "#ffe119",
    4: "#4363d8",
    5: "#f58231",
    6: "#911eb4",
    7: "#42d4f4",
    8: "#f032e6",
    9: "#bfef45",
    10: "#fabed4",
    11: "#469990",
}
SEGMENT_COLUMNS = (
    "Color",
    "Document group",
    "Document name",
    "Code",
    "Begin",
    "End",
    "Weight score",
    "Segment",
    "Created by",
)


# Kinds of uncoded conversation and their shares per buurt.
FILLER_KINDS = {
    "lombardijen": (
        ("incident", 0.32),
        ("suspicious", 0.12),
        ("question", 0.15),
        ("announce", 0.41),
    ),
    "essenburgbuurt": (
        ("incident", 0.43),
        ("suspicious", 0.18),
        ("question", 0.23),
        ("announce", 0.16),
    ),
}


# ----------------------------------------------------------------------------
# Small helpers
# ----------------------------------------------------------------------------


def _minutes(value: float) -> dt.timedelta:
    return dt.timedelta(minutes=float(value))


def _next_month(moment: dt.datetime) -> dt.datetime:
    return dt.datetime(moment.year + moment.month // 12, moment.month % 12 + 1, 1)


def activity_level(buurt: str, moment: dt.datetime) -> float:
    """Relative chat activity of a buurt in the month of ``moment``.

    Parameters
    ----------
    buurt : str
        ``lombardijen`` or ``essenburgbuurt``.
    moment : datetime
        Any moment in the month.

    Returns
    -------
    float
        1 is ordinary. Lombardijen starts busy, stays quiet, and from February
        2021 rises steadily (to 2.2 by late 2021); the Essenburgbuurt is steady,
        a little busier from the experiment on. December and January (fireworks)
        are busier everywhere.
    """
    month = dt.datetime(moment.year, moment.month, 1)
    level = 1.0
    if buurt == "lombardijen":
        since = (month.year - 2021) * 12 + month.month - 2
        if since >= 0:
            level = min(2.2, 1.0 + 0.12 * since)
    elif month >= EXPERIMENT:
        level = 1.1
    if month.month in (12, 1):
        level *= 1.35
    if month == START:
        level *= 1.5
    return level


def _when_phrase(then: dt.datetime, now: dt.datetime) -> str:
    """How a message at ``now`` refers to an earlier moment (``gisteravond``)."""
    part = (
        "nacht"
        if then.hour < 6
        else "ochtend"
        if then.hour < 12
        else "middag"
        if then.hour < 18
        else "avond"
    )
    if then.date() == now.date():
        today = {"nacht": "afgelopen nacht", "ochtend": "vanochtend"}
        return today.get(part, f"van{part}")
    if then.date() == now.date() - dt.timedelta(days=1):
        if part == "nacht":  # the night before yesterday's date: "dinsdagnacht"
            return WEEKDAYS[(then - dt.timedelta(days=1)).weekday()] + "nacht"
        return f"gister{part}"
    return f"afgelopen {WEEKDAYS[then.weekday()]}"


def _date_phrase(day: dt.date) -> str:
    return f"{WEEKDAYS[day.weekday()]} {day.day} {MONTHS[day.month - 1]}"


def _join_names(names: Sequence[str]) -> str:
    """``A``, ``A en B``, ``A, B en C``: a list of names as WhatsApp writes it."""
    if len(names) == 1:
        return names[0]
    return ", ".join(names[:-1]) + " en " + names[-1]


def _texts(entries: Sequence[object], month: int) -> list[str]:
    """Templates usable in ``month`` (a template is a string or {text, months})."""
    out = []
    for entry in entries:
        if isinstance(entry, Mapping):
            if month in entry.get("months", range(1, 13)):
                out.append(entry["text"])
        else:
            out.append(str(entry))
    return out


def _role_class(role: str) -> str:
    return "professional" if role in PRO_ROLES else role


# ----------------------------------------------------------------------------
# People
# ----------------------------------------------------------------------------


@dataclass
class Person:
    """A member of one group (the same professional is a Person in each group).

    Attributes
    ----------
    name : str
        Name as shown in the export.
    role : str
        ``bewoner`` or one of the roster roles.
    joined, left : datetime
        Membership; ``left`` is None for members who stay.
    weight : float
        How much this person writes, relative to others of the same role.
    renamed : tuple or None
        (moment, new name) when the member's phone number changes.
    protected : bool
        Never chosen to leave.
    """

    name: str
    role: str
    joined: dt.datetime = START
    left: dt.datetime | None = None
    weight: float = 1.0
    renamed: tuple[dt.datetime, str] | None = None
    protected: bool = False

    def name_at(self, moment: dt.datetime) -> str:
        """Name shown on a message at ``moment``."""
        if self.renamed is not None and moment >= self.renamed[0]:
            return self.renamed[1]
        return self.name

    def member(self, start: dt.datetime, end: dt.datetime) -> bool:
        """Whether the person is a member from ``start`` to ``end``."""
        return self.joined < start and (self.left is None or self.left > end)


class NamePool:
    """Invented names, never handed out twice.

    Parameters
    ----------
    rng : numpy.random.Generator
    first, last : sequence of str
        First and last names to combine.
    """

    def __init__(self, rng: np.random.Generator, first: Sequence[str], last: Sequence[str]):
        self.rng, self.first, self.last = rng, list(first), list(last)
        self.used: set[str] = set()

    def _take(self, make) -> str:
        for _ in range(10_000):
            name = make()
            if name not in self.used:
                self.used.add(name)
                return name
        raise RuntimeError("name pool exhausted")  # pragma: no cover

    def full(self) -> str:
        """A first and last name."""
        return self._take(
            lambda: (
                f"{self.first[self.rng.integers(len(self.first))]} "
                f"{self.last[self.rng.integers(len(self.last))]}"
            )
        )

    def phone(self) -> str:
        """A Dutch mobile number in WhatsApp's spelling, in the unissued 06-00 block."""
        return self._take(lambda: f"+31 6 00{int(self.rng.integers(0, 10**6)):06d}")

    def resident(self) -> str:
        """A resident's name as saved in the exporting phone: mostly full names."""
        draw = self.rng.random()
        if draw < 0.05:
            return self.phone()
        if draw < 0.12:
            return self._take(
                lambda: (
                    f"{self.first[self.rng.integers(len(self.first))]} "
                    f"{self.last[self.rng.integers(len(self.last))].split()[-1][0]}."
                )
            )
        return self.full()


# ----------------------------------------------------------------------------
# Plan of the coded messages
# ----------------------------------------------------------------------------


@dataclass
class CodedItem:
    """One message the researchers coded, before its sender and text are known."""

    group: str
    buurt: str
    number: int
    direction: str
    period: str
    when: dt.datetime
    leaver: Person | None = None


def _draw_day(rng: np.random.Generator, buurt: str, first: dt.date, last: dt.date) -> dt.date:
    days = [first + dt.timedelta(days=i) for i in range((last - first).days + 1)]
    weights = np.array([activity_level(buurt, dt.datetime(d.year, d.month, 1)) for d in days])
    return days[int(rng.choice(len(days), p=weights / weights.sum()))]


def _draw_time(rng: np.random.Generator, day: dt.date, hours: np.ndarray) -> dt.datetime:
    hour = int(rng.choice(24, p=hours / hours.sum()))
    return dt.datetime(day.year, day.month, day.day, hour) + dt.timedelta(
        minutes=int(rng.integers(60)), seconds=int(rng.integers(60))
    )


def plan_codes(rng: np.random.Generator) -> list[CodedItem]:
    """Where and when every coded message of :data:`CODE_COUNTS` falls.

    Parameters
    ----------
    rng : numpy.random.Generator

    Returns
    -------
    list of CodedItem
        In a fixed order. Lombardijen counts go to its groups in proportion to
        their size.
    """
    items = []
    for buurt, counts in CODE_COUNTS.items():
        groups = [g for g in GROUPS if g.buurt == buurt]
        sizes = np.array([g.size_at_start for g in groups], dtype=float)
        for number, values in counts.items():
            for (period, direction), count in zip(COUNT_SLOTS, values, strict=True):
                window = SPECIAL_WINDOWS.get(
                    (buurt, number, direction, period), DEFAULT_WINDOWS[period]
                )
                hours = HOURS_FAREWELL if (number, direction) == (2, "tegengesteld") else None
                for _ in range(count):
                    group = groups[int(rng.choice(len(groups), p=sizes / sizes.sum()))]
                    day = _draw_day(rng, buurt, *window)
                    when = _draw_time(rng, day, HOURS_CODED if hours is None else hours)
                    items.append(CodedItem(group.id, buurt, number, direction, period, when))
    return items


# ----------------------------------------------------------------------------
# One group's chat
# ----------------------------------------------------------------------------


@dataclass
class Entry:
    """One line group of the export: a message (with continuation lines) or a system line."""

    when: dt.datetime
    seq: int
    sender: Person | None
    lines: tuple[str, ...]
    media: bool = False
    code: CodedItem | None = None


class ChatBuilder:
    """Builds the chat of one group: membership, coded conversations and the rest.

    Parameters
    ----------
    spec : GroupSpec
    rng : numpy.random.Generator
    data : mapping
        The parsed ``chat_messages.yaml``.
    names : NamePool
    staff : sequence of (name, role)
        Professionals present from the start; the first creates the group.
    late_staff : sequence of (name, role, moment)
        Professionals added later.
    streets : sequence of str
        Streets of this group.
    coded : list of CodedItem
        This group's coded messages.
    net : int
        Net membership change over the experiment year.
    """

    def __init__(
        self,
        spec: GroupSpec,
        rng: np.random.Generator,
        data: Mapping[str, object],
        names: NamePool,
        staff: Sequence[tuple[str, str]],
        late_staff: Sequence[tuple[str, str, dt.datetime]],
        streets: Sequence[str],
        coded: list[CodedItem],
        net: int,
    ):
        self.spec, self.rng, self.data, self.names = spec, rng, data, names
        self.staff = [Person(name, role, protected=True) for name, role in staff]
        self.late_staff = [(Person(n, r, protected=True), when) for n, r, when in late_staff]
        self.streets, self.coded, self.net = list(streets), coded, net
        self.lombardijen = spec.buurt == "lombardijen"
        # how often Essenburg's resident administrator joins in
        self.bb_chance = {"report": 0.92, "question": 0.6}
        self.people: list[Person] = []
        self.entries: list[Entry] = []
        self._seq = itertools.count()
        self._used: dict[str, list[dt.datetime]] = {}

    # -- primitives ---------------------------------------------------------

    def _choice(self, seq: Sequence[object]) -> object:
        return seq[int(self.rng.integers(len(seq)))]

    def _fresh(self, options: Sequence[object], when: dt.datetime, gap: float) -> object:
        """Pick an option this group has not used within ``gap`` days of ``when``, if any.

        Conversations are not generated in time order, so every use is remembered.
        """

        def distance(option: object) -> float:
            uses = self._used.get(repr(option), [])
            return min((abs((when - u).total_seconds()) for u in uses), default=float("inf"))

        free = [o for o in options if distance(o) >= gap * 86400]
        chosen = self._choice(free) if free else max(options, key=distance)
        self._used.setdefault(repr(chosen), []).append(when)
        return chosen

    def _weighted(self, items: Sequence[object], weights: Sequence[float]) -> object:
        p = np.asarray(weights, dtype=float)
        return items[int(self.rng.choice(len(items), p=p / p.sum()))]

    def system(self, when: dt.datetime, text: str) -> None:
        """Add a system line (no sender)."""
        self.entries.append(Entry(when, next(self._seq), None, (text,)))

    def post(
        self,
        when: dt.datetime,
        person: Person,
        text: str,
        *,
        media: bool = False,
        code: CodedItem | None = None,
    ) -> dt.datetime:
        """Add a message; ``text`` may hold newlines (continuation lines). Returns ``when``.

        Reactions that would fall after the end of the export are dropped.
        """
        if when >= END and code is None:
            return when
        lines = tuple(text.split("\n"))
        self.entries.append(Entry(when, next(self._seq), person, lines, media, code))
        return when

    def media(self, when: dt.datetime, person: Person) -> dt.datetime:
        """Add a media placeholder message."""
        if self.spec.platform == "android":
            body = ANDROID_MEDIA
        else:
            body = str(self._weighted(IOS_MEDIA, IOS_MEDIA_P))
        return self.post(when, person, body, media=True)

    def fill(self, template: str, ctx: Mapping[str, str], *, lowercase: bool = False) -> str:
        """Fill a template; the first letter is a capital unless ``lowercase``."""
        text = template.format_map(ctx)
        return (text[0].lower() if lowercase else text[0].upper()) + text[1:]

    def context(self, when: dt.datetime) -> dict[str, str]:
        """Placeholder values for one conversation."""
        rng = self.rng
        first, second = (self.streets[i] for i in rng.choice(len(self.streets), 2, replace=False))
        day = when.date() + dt.timedelta(days=int(rng.integers(6, 15)))
        return {
            "straat": first,
            "straat2": second,
            "plek": str(self._choice(self.data["places"])),
            "voertuig": str(self._choice(self.data["vehicles"])),
            "persoon": str(self._choice(self.data["persons"])),
            "personen": str(self._choice(self.data["groups"])),
            "kleding": str(self._choice(self.data["clothes"])),
            "lengte": str(self._choice(self.data["heights"])),
            "tijd": (when - _minutes(rng.integers(3, 40))).strftime("%H:%M"),
            "wanneer": "onlangs",
            "datum": _date_phrase(day),
            "wijk": WIJK[self.spec.buurt],
            "email": f"wijknetwerker.{SLUG[self.spec.buurt]}@example.org",
        }

    def resident_text(self, key: str, when: dt.datetime, ctx: Mapping[str, str]) -> str:
        """A resident's message of one kind; some residents skip the capital."""
        template = str(self._fresh(_texts(self.data["resident"][key], when.month), when, 20))
        return self.fill(template, ctx, lowercase=self.rng.random() < 0.15)

    # -- who -----------------------------------------------------------------

    def members(self, role: str, start: dt.datetime, end: dt.datetime) -> list[Person]:
        """Members with ``role`` throughout [start, end]."""
        return [p for p in self.people if p.role == role and p.member(start, end)]

    def pick(
        self,
        role: str,
        start: dt.datetime,
        end: dt.datetime | None = None,
        exclude: Sequence[Person] = (),
    ) -> Person | None:
        """A member with ``role`` over [start, end], by writing weight; None if nobody."""
        found = [p for p in self.members(role, start, end or start) if p not in exclude]
        if not found:
            return None
        return self._weighted(found, [p.weight for p in found])

    def pick_role(
        self, weights: Mapping[str, float], start: dt.datetime, end: dt.datetime
    ) -> Person | None:
        """A sender: first a role by weight (among roles present), then a person."""
        present = [r for r in weights if self.members(r, start, end)]
        if not present:
            return None
        role = self._weighted(present, [weights[r] for r in present])
        return self.pick(role, start, end)

    # -- membership ----------------------------------------------------------

    def _resident(self, joined: dt.datetime) -> Person:
        person = Person(
            self.names.resident(), RESIDENT, joined, weight=float(self.rng.lognormal(0, 1.1))
        )
        self.people.append(person)
        return person

    def _admin(self, when: dt.datetime) -> Person:
        admins = [p for p in self.people if p.role in ADMIN_ROLES and p.member(when, when)]
        return self._choice(admins)

    def _joins(self, times: Sequence[dt.datetime]) -> None:
        """Residents joining at ``times``: by invite link, or added (sometimes together)."""
        times = sorted(times)
        index = 0
        while index < len(times):
            when = times[index]
            if self.rng.random() < 0.5:
                person = self._resident(when)
                self.system(
                    when, f"{person.name} is lid geworden via de uitnodigingslink van deze groep"
                )
                index += 1
                continue
            together = 1 + int(self.rng.random() < 0.25) + int(self.rng.random() < 0.1)
            together = min(together, len(times) - index)
            admin = self._admin(when)
            added = [self._resident(when) for _ in range(together)]
            self.system(
                when, f"{admin.name} heeft {_join_names([p.name for p in added])} toegevoegd"
            )
            index += together

    def _leave(self, person: Person, when: dt.datetime, removed: bool) -> None:
        person.left = when
        if removed:
            self.system(when, f"{self._admin(when).name} heeft {person.name} verwijderd")
        elif self.spec.platform == "ios":
            self.system(when, f"{person.name} heeft de groep verlaten")
        else:
            self.system(when, f"{person.name} is vertrokken")

    def _leaves(self, times: Sequence[dt.datetime]) -> None:
        for when in sorted(times):
            candidates = [
                p
                for p in self.people
                if p.role == RESIDENT
                and not p.protected
                and p.left is None
                and p.joined < when - dt.timedelta(days=14)
            ]
            self._leave(self._choice(candidates), when, removed=self.rng.random() < 0.2)

    def _uniform_times(
        self, count: int, first: dt.datetime, last: dt.datetime
    ) -> list[dt.datetime]:
        span = (last - first).total_seconds()
        return [
            first + dt.timedelta(seconds=float(self.rng.uniform(0, span))) for _ in range(count)
        ]

    def _daytime(self, moment: dt.datetime) -> dt.datetime:
        """``moment``'s day at a resident-like time of day."""
        return _draw_time(self.rng, moment.date(), HOURS_FAREWELL)

    def size_at(self, moment: dt.datetime) -> int:
        """Members at ``moment`` (the creator included)."""
        return sum(p.joined < moment and (p.left is None or p.left >= moment) for p in self.people)

    def membership(self) -> None:
        """Creation, the first weeks, and turnover before, during and after the experiment."""
        rng, spec = self.rng, self.spec
        t0 = spec.created
        creator, *others = self.staff
        creator.joined = t0
        self.people.append(creator)
        self.system(t0, ENCRYPTION)
        self.system(t0, f'{creator.name} heeft de groep "{spec.title}" aangemaakt')
        self.system(
            t0 + _minutes(rng.integers(20, 90)),
            f"{creator.name} heeft de groepsbeschrijving gewijzigd",
        )
        if others:
            when = t0 + _minutes(rng.integers(2, 9))
            for person in others:
                person.joined = when
                self.people.append(person)
            self.system(
                when, f"{creator.name} heeft {_join_names([p.name for p in others])} toegevoegd"
            )
        self.system(
            _draw_time(
                rng,
                _draw_day(rng, spec.buurt, dt.date(2019, 10, 1), dt.date(2020, 5, 31)),
                HOURS_FAREWELL,
            ),
            f"{creator.name} heeft de groepsafbeelding gewijzigd",
        )

        # the first three weeks
        before_in, before_out = int(rng.integers(4, 10)), int(rng.integers(3, 8))
        initial = spec.size_at_start - len(self.people) - before_in + before_out
        if spec.renumbered:
            self._renumbered_member(t0 + _minutes(rng.integers(30, 300)))
            initial -= 1
        placed = 0
        while placed < initial:
            delay = min(float(rng.exponential(4 * 24 * 60)), 21 * 24 * 60)
            when = self._daytime(t0 + _minutes(delay))
            if when <= t0:
                when = t0 + _minutes(rng.uniform(20, 120))
            if rng.random() < 0.3:
                person = self._resident(when)
                self.system(
                    when, f"{person.name} is lid geworden via de uitnodigingslink van deze groep"
                )
                placed += 1
            else:
                together = min(initial - placed, int(rng.integers(1, 6)))
                added = [self._resident(when) for _ in range(together)]
                admin = self._admin(when)
                self.system(
                    when, f"{admin.name} heeft {_join_names([p.name for p in added])} toegevoegd"
                )
                placed += together

        # before the experiment
        first, last = dt.datetime(2019, 10, 1), dt.datetime(2020, 8, 26)
        self._joins([self._daytime(t) for t in self._uniform_times(before_in, first, last)])
        self._leaves(self._uniform_times(before_out, first, last))
        if self.size_at(EXPERIMENT) != spec.size_at_start:  # pragma: no cover - a bug
            raise AssertionError(f"{spec.id}: {self.size_at(EXPERIMENT)} members at the start")

        # the experiment year
        first, last = dt.datetime(2020, 9, 3), dt.datetime(2021, 8, 28)
        farewells = [c for c in self.coded if (c.number, c.direction) == (2, "tegengesteld")]
        for item in farewells:
            candidates = [
                p
                for p in self.people
                if p.role == RESIDENT
                and not p.protected
                and p.left is None
                and p.joined < item.when - dt.timedelta(days=30)
            ]
            item.leaver = self._choice(candidates)
            self._leave(item.leaver, item.when + _minutes(rng.integers(3, 26)), removed=False)
        if self.lombardijen:
            joins = int(rng.integers(5, 10))
            leaves = joins - self.net
            if leaves < len(farewells):
                joins += len(farewells) - leaves
                leaves = len(farewells)
            flyer = sum(rng.random() < 0.7 for _ in range(joins))
            times = self._uniform_times(flyer, *FLYER_JOINS)
            times += self._uniform_times(joins - flyer, first, last)
            self._joins([self._daytime(t) for t in times])
        else:
            leaves = int(rng.integers(4, 8))
            residents = self.net + leaves - len(self.late_staff)
            recruiting = sorted(
                c.when
                for c in self.coded
                if (c.number, c.direction, c.period) == (2, "uitgevoerd", "experiment")
            )
            times = []
            for _ in range(residents):
                if recruiting and rng.random() < 0.6:
                    when = self._choice(recruiting) + dt.timedelta(days=float(rng.uniform(0.2, 12)))
                    times.append(self._daytime(min(when, last)))
                else:
                    times.extend(self._daytime(t) for t in self._uniform_times(1, first, last))
            self._joins(times)
            for person, when in self.late_staff:
                person.joined = when
                self.people.append(person)
                self.system(when, f"{self._admin(when).name} heeft {person.name} toegevoegd")
        self._leaves(self._uniform_times(leaves - len(farewells), first, last))
        if self.size_at(AFTER) != spec.size_at_start + self.net:  # pragma: no cover - a bug
            raise AssertionError(f"{spec.id}: net change is not {self.net}")

        # after the experiment
        first, last = dt.datetime(2021, 9, 3), dt.datetime(2021, 12, 28)
        if self.lombardijen:
            joins, leaves = int(rng.integers(1, 5)), int(rng.integers(1, 5))
        else:
            joins, leaves = int(rng.integers(3, 9)), int(rng.integers(1, 5))
        self._joins([self._daytime(t) for t in self._uniform_times(joins, first, last)])
        self._leaves(self._uniform_times(leaves, first, last))

    def _renumbered_member(self, joined: dt.datetime) -> None:
        """A resident shown as a phone number, who changes number in the first half of 2020."""
        person = Person(self.names.phone(), RESIDENT, joined, weight=4.0, protected=True)
        self.people.append(person)
        self.system(joined, f"{person.name} is lid geworden via de uitnodigingslink van deze groep")
        day = _draw_day(self.rng, self.spec.buurt, dt.date(2020, 1, 10), dt.date(2020, 6, 30))
        when = _draw_time(self.rng, day, HOURS_FAREWELL)
        person.renamed = (when, self.names.phone())
        self.system(when, f"{person.name} is gewijzigd naar {person.renamed[1]}")

    # -- conversations -------------------------------------------------------

    def replies(
        self,
        when: dt.datetime,
        author: Person,
        texts: Sequence[object],
        count: int,
        ctx: Mapping[str, str],
    ) -> dt.datetime:
        """Up to ``count`` replies by other residents (or by ``author`` when marked)."""
        for entry in list(texts)[:count]:
            when += _minutes(self.rng.uniform(1, 40))
            if isinstance(entry, Mapping):
                text, who = entry["text"], author if entry.get("by") == "poster" else None
            else:
                text, who = str(entry), None
            who = who or self.pick(RESIDENT, when, exclude=[author])
            if who is None or not who.member(when, when):
                continue
            self.post(when, who, self.fill(text, ctx))
        return when

    def reactions(
        self,
        when: dt.datetime,
        author: Person,
        ctx: Mapping[str, str],
        mean: float,
        kind: str = "reaction",
    ) -> int:
        """Residents' reactions (no text twice); more thumbs in Essenburg from the experiment on.

        Returns
        -------
        int
            How many reactions were posted.
        """
        rng = self.rng
        texts = _texts(self.data["resident"][kind], when.month)
        order = [texts[i] for i in rng.permutation(len(texts))]
        count = min(int(rng.poisson(mean)), len(order))
        thumbs = 0.15 if self.lombardijen else (0.1 if when < EXPERIMENT else 0.35)
        done: list[Person] = [author]
        for text in order[:count]:
            when += _minutes(rng.uniform(0.5, 25))
            who = self.pick(RESIDENT, when, exclude=done)
            if who is None:
                break
            if kind == "reaction" and rng.random() < thumbs:
                text = str(self._choice(self.data["resident"]["thumbs"]))
            self.post(when, who, self.fill(text, ctx, lowercase=rng.random() < 0.15))
            done.append(who)
        return len(done) - 1

    def official_response(
        self,
        when: dt.datetime,
        reporter: Person,
        ctx: Mapping[str, str],
        chance: float,
        ask: float = 0.2,
    ) -> None:
        """A professional's or the resident administrator's (uncoded) response to a report.

        With chance ``ask`` the response is a follow-up question, which the
        reporter answers.
        """
        rng = self.rng
        if not rng.random() < chance:
            return
        later = when + _minutes(rng.uniform(4, 55))
        if self.lombardijen:
            if not 8 <= later.hour < 22:
                return
            weights = {
                "handhaving": 3.5,
                "wijkagent": 2.5,
                "beheerder_gemeente": 3.5,
                "wijknetwerker": 0.5,
            }
            who = self.pick_role(weights, later, later)
            texts = self.data["professional"]
        else:
            who = self.pick("wijkagent", later) if rng.random() < 0.08 else None
            texts = self.data["professional"] if who else self.data["beheerder_bewoner"]
            who = who or self.pick("beheerder_bewoner", later)
        if who is None:
            return
        if rng.random() < ask:
            question = self._fresh(texts["ask"], later, 5)
            self.post(later, who, self.fill(question["text"], ctx))
            answer = later + _minutes(rng.uniform(1, 15))
            if reporter.member(answer, answer):
                text = str(self._choice(question["answers"]))
                self.post(answer, reporter, self.fill(text, ctx, lowercase=rng.random() < 0.15))
            return
        self.post(later, who, self.fill(str(self._fresh(texts["ack"], later, 5)), ctx))
        thanks = later + _minutes(rng.uniform(1, 30))
        if rng.random() < 0.3 and reporter.member(thanks, thanks):
            self.post(thanks, reporter, str(self._choice(self.data["resident"]["thanks"])))

    def _response_chance(self, when: dt.datetime) -> float:
        if not self.lombardijen:
            return self.bb_chance["report"]
        return 0.68 if when < EXPERIMENT else 0.75 if when < AFTER else 0.85

    def episode_incident(self, when: dt.datetime) -> None:
        """A resident reports something; reactions and perhaps an official response."""
        rng = self.rng
        reporter = self.pick(RESIDENT, when, when + dt.timedelta(hours=6))
        if reporter is None:
            return
        ctx = self.context(when)
        kind = "signalement" if rng.random() < 0.3 else "incident"
        self.post(when, reporter, self.resident_text(kind, when, ctx))
        if rng.random() < 0.2:
            self.media(when + dt.timedelta(seconds=float(rng.uniform(20, 120))), reporter)
        if self.spec.platform == "android" and rng.random() < 0.03:
            self.post(
                when + _minutes(rng.uniform(2, 10)), reporter, self.data["resident"]["deleted"]
            )
        done = self.reactions(when, reporter, ctx, 0.75 if self.lombardijen else 1.6)
        self.official_response(when, reporter, ctx, self._response_chance(when))
        close_chance = 0.45 if when < EXPERIMENT else 0.2
        if not self.lombardijen and done >= 2 and rng.random() < close_chance:
            later = when + _minutes(rng.uniform(60, 120))
            who = self.pick("beheerder_bewoner", later)
            if who is not None:
                close = self._fresh(self.data["beheerder_bewoner"]["close"], later, 10)
                self.post(later, who, str(close))

    def episode_suspicious(self, when: dt.datetime) -> None:
        """A photo of something out of place, with a caption."""
        rng = self.rng
        reporter = self.pick(RESIDENT, when, when + dt.timedelta(hours=6))
        if reporter is None:
            return
        ctx = self.context(when)
        caption = self.resident_text("suspicious", when, ctx)
        if rng.random() < 0.5:
            self.media(when, reporter)
            self.post(when + dt.timedelta(seconds=float(rng.uniform(5, 60))), reporter, caption)
        else:
            self.post(when, reporter, caption)
            self.media(when + dt.timedelta(seconds=float(rng.uniform(5, 60))), reporter)
        self.reactions(when + _minutes(1), reporter, ctx, 0.6 if self.lombardijen else 1.2)
        self.official_response(when, reporter, ctx, 0.6 * self._response_chance(when), ask=0.0)

    def episode_question(self, when: dt.datetime) -> None:
        """A resident asks; neighbours answer."""
        rng = self.rng
        asker = self.pick(RESIDENT, when, when + dt.timedelta(hours=6))
        if asker is None:
            return
        ctx = self.context(when)
        question = self._fresh(self.data["resident"]["question"], when, 20)
        self.post(when, asker, self.fill(question["text"], ctx))
        answers = [question["answers"][i] for i in rng.permutation(len(question["answers"]))]
        count = 0 if rng.random() < 0.15 else 1 + int(rng.poisson(0.6))
        later = when
        done = [asker]
        for text in answers[:count]:
            later += _minutes(rng.uniform(1, 30))
            who = self.pick(RESIDENT, later, exclude=done)
            if who is not None:
                self.post(later, who, self.fill(text, ctx, lowercase=rng.random() < 0.15))
                done.append(who)
        if not self.lombardijen and rng.random() < self.bb_chance["question"]:
            later += _minutes(rng.uniform(2, 20))
            who = self.pick("beheerder_bewoner", later)
            if who is not None:
                self.post(later, who, str(self._choice(self.data["beheerder_bewoner"]["wonder"])))

    def announcement(self, when: dt.datetime, who: Person) -> None:
        """A practical announcement or tip by ``who``, with a thumb or two."""
        ctx = self.context(when)
        if who.role == "beheerder_bewoner":
            texts = self.data["beheerder_bewoner"]["announce"]
        else:
            texts = self.data["professional"]["announce"][who.role]
        self.post(when, who, self.fill(str(self._fresh(_texts(texts, when.month), when, 75)), ctx))
        self.reactions(when, who, ctx, 0.35 if self.lombardijen else 0.6, kind="noted")

    def episode_announce(self, when: dt.datetime) -> None:
        """An uncoded announcement during office hours."""
        when = _draw_time(self.rng, when.date(), HOURS_OFFICE)
        if self.lombardijen:
            weights = {
                "beheerder_gemeente": 3.5,
                "handhaving": 3,
                "wijkagent": 2,
                "wijknetwerker": 1.5,
            }
        else:
            weights = {"beheerder_bewoner": 6, "wijkagent": 1.5, "wijknetwerker": 1.5}
        who = self.pick_role(weights, when, when)
        if who is not None:
            self.announcement(when, who)

    def fillers(self) -> None:
        """Uncoded conversations, month by month along the activity curve."""
        rng, spec = self.rng, self.spec
        kinds, weights = zip(*FILLER_KINDS[spec.buurt], strict=True)
        month = START
        while month < END:
            following = _next_month(month)
            count = int(rng.poisson(spec.activity * activity_level(spec.buurt, month)))
            for _ in range(count):
                day = month.date() + dt.timedelta(days=int(rng.integers((following - month).days)))
                when = _draw_time(rng, day, HOURS_RESIDENT)
                if when < spec.created + dt.timedelta(days=2):
                    continue
                getattr(self, f"episode_{self._weighted(kinds, weights)}")(when)
            month = following

    def survey_calls(self) -> None:
        """The administrators post the questionnaire link (June 2020, September 2021)."""
        role = "beheerder_gemeente" if self.lombardijen else "beheerder_bewoner"
        texts = self.data["survey"][_role_class(role)]
        for first, last in (
            (dt.date(2020, 6, 2), dt.date(2020, 6, 12)),
            (dt.date(2021, 9, 6), dt.date(2021, 9, 16)),
        ):
            when = _draw_time(
                self.rng, _draw_day(self.rng, self.spec.buurt, first, last), HOURS_OFFICE
            )
            who = self.pick(role, when)
            self.post(when, who, texts[0])
            reminder = when + dt.timedelta(days=float(self.rng.uniform(7, 12)))
            self.post(_draw_time(self.rng, reminder.date(), HOURS_OFFICE), who, texts[1])

    def late_staff_posts(self) -> None:
        """Professionals added later post a few messages (without explaining their role)."""
        for person, joined in self.late_staff:
            count = 2 + int(self.rng.integers(0, 3))
            for _ in range(count):
                day = joined.date() + dt.timedelta(days=int(self.rng.integers(3, 200)))
                when = _draw_time(self.rng, day, HOURS_OFFICE)
                if when < END:
                    self.announcement(when, person)

    # -- coded conversations -------------------------------------------------

    def coded_conversations(self) -> None:
        """Every planned coded message with the conversation around it."""
        for item in self.coded:
            self._coded(item)

    def _items(self, item: CodedItem, role_class: str) -> list[Mapping[str, object]]:
        entries = self.data["coded"][item.number][item.direction]
        return [
            e
            for e in entries
            if role_class in e and item.when.month in e.get("months", range(1, 13))
        ]

    def _coded(self, item: CodedItem) -> None:
        rng = self.rng
        when = item.when
        if item.leaver is not None:
            sender = item.leaver
        else:
            weights = CODED_SENDERS[(item.buurt, item.number, item.direction)]
            sender = self.pick_role(
                weights, when - dt.timedelta(hours=2), when + dt.timedelta(hours=2)
            )
        if sender is None:  # pragma: no cover - every role is present when codes are planned
            raise AssertionError(f"no sender for {item}")
        role_class = _role_class(sender.role)
        items = self._items(item, role_class)
        if item.number == 8:
            own = [e for e in items if "question" not in e]
            asked = [e for e in items if "question" in e]
            items = own if own and (not asked or rng.random() < 0.35) else asked
        chosen = self._fresh(items, when, 60)
        ctx = self.context(when)
        author = sender
        if "incident" in chosen:  # feedback on an earlier report
            if self.lombardijen:
                earlier = when - _minutes(rng.uniform(20, 150))
            else:
                earlier = when - dt.timedelta(hours=float(rng.uniform(3, 40)))
            reporter = self.pick(RESIDENT, earlier, when)
            ctx["tijd"] = (earlier - _minutes(rng.integers(3, 30))).strftime("%H:%M")
            ctx["wanneer"] = _when_phrase(earlier, when)
            if reporter is not None:
                self.post(earlier, reporter, self.fill(str(chosen["incident"]), ctx))
                self.reactions(earlier, reporter, ctx, 1.0)
        elif "question" in chosen:
            earlier = when - _minutes(rng.uniform(5, 90))
            asker = self.pick(RESIDENT, earlier, when)
            if asker is not None:
                self.post(earlier, asker, self.fill(str(chosen["question"]), ctx))
            if asker is not None and rng.random() < 0.4:
                later = earlier + _minutes(rng.uniform(1, 4))
                who = self.pick(RESIDENT, later, exclude=[asker])
                if who is not None:
                    self.post(later, who, self.resident_text("unsure", later, ctx))
        elif "trigger" in chosen:
            earlier = when - _minutes(rng.uniform(3, 40))
            culprit = self.pick(RESIDENT, earlier, when)
            if culprit is not None:
                self.post(earlier, culprit, self.fill(str(chosen["trigger"]), ctx))
            if culprit is not None and chosen.get("media"):
                self.media(earlier + dt.timedelta(seconds=float(rng.uniform(5, 40))), culprit)
        text = self.fill(str(self._fresh(chosen[role_class], when, 120)), ctx)
        self.post(when, sender, text, code=item)
        replies = chosen.get("replies")
        if replies:
            order = [replies[i] for i in rng.permutation(len(replies))]
            self.replies(when, author, order, int(rng.integers(0, len(replies) + 1)), ctx)
        elif item.number != 7 and item.leaver is None and rng.random() < 0.5:
            self.reactions(when, author, ctx, 0.8, kind="noted")

    # -- output --------------------------------------------------------------

    def build(self) -> None:
        """Membership, coded conversations, the rest; then check the result."""
        self.membership()
        self.coded_conversations()
        self.survey_calls()
        self.late_staff_posts()
        self.fillers()
        for entry in self.entries:
            if entry.sender is not None and not entry.sender.member(entry.when, entry.when):
                raise AssertionError(
                    f"{self.spec.id}: {entry.sender.name} is no member at {entry.when}"
                )
            if not entry.when < END:
                raise AssertionError(f"{self.spec.id}: message after the end: {entry.when}")

    def render(self) -> tuple[str, list[tuple[int, int, Entry]]]:
        """The export's text and, per coded message, its first and last line number."""
        lines: list[str] = []
        spans = []
        ios = self.spec.platform == "ios"
        for entry in sorted(self.entries, key=lambda e: (e.when, e.seq)):
            first = len(lines) + 1
            stamp = (
                entry.when.strftime("[%d-%m-%Y %H:%M:%S] ")
                if ios
                else entry.when.strftime("%d-%m-%Y %H:%M - ")
            )
            if entry.sender is None:
                text = f"{self.spec.title}: \u200e{entry.lines[0]}" if ios else entry.lines[0]
                lines.append(stamp + text)
            else:
                body = entry.lines[0]
                if ios and entry.media:
                    body = "\u200e" + body
                lines.append(f"{stamp}{entry.sender.name_at(entry.when)}: {body}")
                lines.extend(entry.lines[1:])
            if entry.code is not None:
                spans.append((first, len(lines), entry))
        return "\n".join(lines) + "\n", spans


# ----------------------------------------------------------------------------
# The whole material
# ----------------------------------------------------------------------------


@dataclass
class ChatMaterial:
    """Generated chat material, ready to write.

    Attributes
    ----------
    chats : dict
        Group id -> text of the export (LF line endings).
    segments : list of list
        MAXQDA rows in the order of :data:`SEGMENT_COLUMNS`.
    roster : list of (name, role, buurt)
        Professionals and administrators.
    """

    chats: dict[str, str] = field(default_factory=dict)
    segments: list[list[object]] = field(default_factory=list)
    roster: list[tuple[str, str, str]] = field(default_factory=list)


def _code_paths(path: Path) -> dict[tuple[int, str], str]:
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    return {
        (item["number"], direction): code
        for item in raw["interventions"]
        for direction, code in item["codes"].items()
    }


def _check_patterns(
    text: str, spec: GroupSpec, locale: Mapping[str, object], messages: int
) -> None:
    """Fail if a line of our own export could be misread by the parser's patterns.

    ``messages`` is the number of messages and system lines written: exactly as
    many lines must start with a timestamp, so no continuation line reads as a
    new message.
    """
    header = re.compile(locale["formats"][spec.platform])
    starts = sum(bool(header.match(line)) for line in text.split("\n"))
    if starts != messages:
        raise AssertionError(f"{spec.id}: {starts} lines look like a message, not {messages}")
    system = [re.compile(s["pattern"]) for s in locale["system"]]
    prefix = f"{spec.title}: \u200e"
    for number, line in enumerate(text.split("\n")[:-1], start=1):
        match = header.match(line)
        if match is None:
            if number == 1:
                raise AssertionError(f"{spec.id}: the first line is no message")
            continue
        rest = match["rest"]
        if spec.platform == "ios" and rest.startswith(prefix):
            is_system = True
            rest = rest[len(prefix) :]
        elif spec.platform == "ios":
            is_system = False
        else:
            _, separator, _ = rest.partition(": ")
            is_system = not separator
        matched = any(p.match(rest) for p in system)
        if is_system != matched:
            raise AssertionError(f"{spec.id}, line {number}: misread system line: {line!r}")


def generate_chats(resources: str | Path, seed: int = DEFAULT_SEED) -> ChatMaterial:
    """Generate the four chat exports, the coded segments and the roster.

    Parameters
    ----------
    resources : str or Path
        The ``resources`` folder (``synthetic/chat_messages.yaml``,
        ``interventions.yaml``, ``chat/whatsapp_nl.yaml``).
    seed : int
        Seed of the random generator; the same seed gives the same material.

    Returns
    -------
    ChatMaterial
    """
    resources = Path(resources)
    data = yaml.safe_load((resources / "synthetic" / "chat_messages.yaml").read_text("utf-8"))
    locale = yaml.safe_load((resources / "chat" / "whatsapp_nl.yaml").read_text("utf-8"))
    codes = _code_paths(resources / "interventions.yaml")
    rng = np.random.default_rng(seed)
    names = NamePool(rng, data["names"]["first"], data["names"]["last"])
    staff = {buurt: [(names.full(), role) for role in roles] for buurt, roles in STAFF.items()}
    late = []
    for role, year, month in LATE_STAFF:
        day = dt.date(year, month, int(rng.integers(4, 26)))
        late.append((names.full(), role, _draw_time(rng, day, HOURS_OFFICE)))
    streets = list(data["streets"])
    order = rng.permutation(len(streets))
    per_group = len(streets) // len(GROUPS)
    plan = plan_codes(rng)
    nets = {}
    while True:  # Lombardijen: each group -2..+2, together not positive (report: no net gain)
        nets = {g.id: int(rng.integers(-2, 3)) for g in GROUPS if g.buurt == "lombardijen"}
        if sum(nets.values()) <= 0:
            break
    nets["essenburg"] = 21

    material = ChatMaterial()
    for index, spec in enumerate(GROUPS):
        builder = ChatBuilder(
            spec,
            rng,
            data,
            names,
            staff[spec.buurt],
            late if spec.buurt == "essenburgbuurt" else [],
            [streets[i] for i in order[index * per_group : (index + 1) * per_group]],
            [c for c in plan if c.group == spec.id],
            nets[spec.id],
        )
        builder.build()
        text, spans = builder.render()
        _check_patterns(text, spec, locale, len(builder.entries))
        material.chats[spec.id] = text
        for first, last, entry in spans:
            item = entry.code
            material.segments.append(
                [
                    COLORS[item.number],
                    BUURT_LABEL[spec.buurt],
                    spec.id,
                    codes[(item.number, item.direction)],
                    first,
                    last,
                    0,
                    "\n".join(entry.lines),
                    CODERS[spec.buurt],
                ]
            )
        listed = {name for name, _, _ in material.roster}
        for person in builder.staff + [p for p, _ in builder.late_staff]:
            if person.name not in listed:
                material.roster.append((person.name, person.role, spec.buurt))
    return material


# ----------------------------------------------------------------------------
# Writing
# ----------------------------------------------------------------------------


def _xlsx_bytes(rows: Sequence[Sequence[object]]) -> bytes:
    """The MAXQDA export as an xlsx whose bytes depend on ``rows`` only."""
    from openpyxl import Workbook
    from openpyxl.xml.functions import tostring

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Gecodeerde segmenten"
    sheet.append(list(SEGMENT_COLUMNS))
    for row in rows:
        sheet.append(list(row))
    workbook.properties.creator = "buurtpreventie.synthetic.chats"
    workbook.properties.created = FIXED_STAMP
    buffer = io.BytesIO()
    workbook.save(buffer)  # stamps "modified" with the clock; replaced below
    workbook.properties.modified = FIXED_STAMP
    core = tostring(workbook.properties.to_tree())
    out = io.BytesIO()
    with (
        zipfile.ZipFile(buffer) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            data = core if info.filename == "docProps/core.xml" else source.read(info.filename)
            entry = zipfile.ZipInfo(info.filename, date_time=FIXED_STAMP.timetuple()[:6])
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            target.writestr(entry, data)
    return out.getvalue()


def _roster_text(roster: Sequence[tuple[str, str, str]]) -> str:
    lines = [
        "# Professionals and administrators in the SYNTHETIC chat exports of this",
        "# folder, written by `python -m buurtpreventie.synthetic.chats`. The names are",
        "# invented and belong to nobody. Sender name as it appears in the export ->",
        "# role; every sender not listed here is a resident (bewoner).",
    ]
    headings = {
        "lombardijen": "Lombardijen (zenobuurt, smeets_karlmarx, molierebuurt): "
        "the same professionals in all three groups.",
        "essenburgbuurt": "Essenburgbuurt (essenburg): the resident who runs the group, "
        "and the professionals added during the experiment year.",
    }
    for buurt, heading in headings.items():
        lines += ["", f"# {heading}"]
        lines += [
            f"{json.dumps(name, ensure_ascii=False)}: {role}"
            for name, role, where in roster
            if where == buurt
        ]
    return "\n".join(lines) + "\n"


def write_chats(material: ChatMaterial, out: str | Path) -> list[Path]:
    """Write the exports, ``coded_segments.xlsx`` and ``roster.yaml`` to ``out``.

    Parameters
    ----------
    material : ChatMaterial
    out : str or Path
        Folder; created if needed.

    Returns
    -------
    list of Path
        The files written.
    """
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for group, text in material.chats.items():
        path = out / f"{group}.txt"
        path.write_bytes(text.encode("utf-8"))
        written.append(path)
    path = out / "coded_segments.xlsx"
    path.write_bytes(_xlsx_bytes(material.segments))
    written.append(path)
    path = out / "roster.yaml"
    path.write_bytes(_roster_text(material.roster).encode("utf-8"))
    written.append(path)
    return written


def main(argv: Sequence[str] | None = None) -> None:
    """Command line: ``python -m buurtpreventie.synthetic.chats --seed N --out DIR``.

    Parameters
    ----------
    argv : sequence of str, optional
        Arguments; ``sys.argv[1:]`` when None.
    """
    parser = argparse.ArgumentParser(
        description="Write SYNTHETIC WhatsApp exports, MAXQDA coded segments and a roster."
    )
    parser.add_argument(
        "--seed", type=int, default=DEFAULT_SEED, help=f"random seed (default {DEFAULT_SEED})"
    )
    parser.add_argument("--resources", type=Path, default=Path("resources"))
    parser.add_argument("--out", type=Path, default=Path("resources/chat"))
    args = parser.parse_args(argv)
    started = time.perf_counter()
    material = generate_chats(args.resources, args.seed)
    for path in write_chats(material, args.out):
        print(f"wrote {path}")
    print(f"done in {time.perf_counter() - started:.1f} s")


if __name__ == "__main__":
    main()
