"""The shipped SYNTHETIC chat material (resources/chat) and its generator.

The exports are read here with a small reader of our own, built only on the
patterns of resources/chat/whatsapp_nl.yaml, so these tests do not lean on the
pipeline's parser. The targets are written out again from the report: group
sizes of section 2.2 and the coded messages behind table 5.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import openpyxl
import pytest
import yaml
from conftest import ROOT

from buurtpreventie.synthetic.chats import DEFAULT_SEED, generate_chats, write_chats

CHAT = ROOT / "resources" / "chat"
LOCALE = yaml.safe_load((CHAT / "whatsapp_nl.yaml").read_text(encoding="utf-8"))
SYSTEM = [(s["event"], re.compile(s["pattern"])) for s in LOCALE["system"]]
# group id -> (buurt, export format, group name on iOS system lines)
GROUPS = {
    "zenobuurt": ("lombardijen", "android", None),
    "smeets_karlmarx": ("lombardijen", "android", None),
    "molierebuurt": ("lombardijen", "android", None),
    "essenburg": ("essenburgbuurt", "ios", "Buurt Preventie Essenburg"),
}
SIZE_AT_START = {"zenobuurt": 77, "smeets_karlmarx": 68, "molierebuurt": 44, "essenburg": 107}
FILES = [*(f"{g}.txt" for g in GROUPS), "coded_segments.xlsx", "roster.yaml"]
EXPERIMENT, AFTER = dt.datetime(2020, 9, 1), dt.datetime(2021, 9, 1)
# Coded messages per intervention: uitgevoerd before / uitgevoerd experiment /
# tegengesteld experiment / uitgevoerd after, for Lombardijen and the Essenburgbuurt.
TABLE5 = {
    1: ("3/5/0/3", "10/11/0/3"),
    2: ("0/2/2/0", "1/9/0/1"),
    3: ("0/0/0/2", "0/0/0/0"),
    4: ("0/1/0/1", "7/6/0/2"),
    5: ("0/0/0/2", "0/0/0/0"),
    6: ("1/3/2/1", "8/9/0/3"),
    7: ("8/7/0/2", "6/5/0/1"),
    8: ("3/14/0/5", "12/13/0/4"),
    9: ("0/0/0/1", "0/0/0/0"),
    10: ("0/0/0/0", "0/0/0/0"),
    11: ("2/12/0/4", "2/3/0/1"),
}
SLOTS = (
    ("before", "uitgevoerd"),
    ("experiment", "uitgevoerd"),
    ("experiment", "tegengesteld"),
    ("after", "uitgevoerd"),
)
ROLES = {"beheerder_gemeente", "wijkagent", "handhaving", "wijknetwerker", "beheerder_bewoner"}


@dataclass
class Message:
    """One message or system line of an export, with its line numbers (1-based)."""

    start: int
    end: int
    when: dt.datetime
    sender: str | None  # None: system line
    lines: list[str]
    event: str | None = None
    subjects: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


def _names(text: str) -> list[str]:
    parts = [text]
    for separator in LOCALE["list_separators"]:
        parts = [piece for part in parts for piece in part.split(separator)]
    return parts


def read_chat(path: Path, platform: str, title: str | None) -> list[Message]:
    """Our own reader of a WhatsApp export."""
    raw = path.read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf") and b"\r" not in raw and raw.endswith(b"\n")
    header = re.compile(LOCALE["formats"][platform])
    messages: list[Message] = []
    for number, line in enumerate(raw.decode("utf-8").split("\n")[:-1], start=1):
        match = header.match(line)
        if match is None:
            assert messages, f"{path.name}: line {number} before the first message"
            messages[-1].end = number
            messages[-1].lines.append(line)
            continue
        stamp = f"{match['date']} {match['time']}"
        when = dt.datetime.strptime(
            stamp, "%d-%m-%Y %H:%M:%S" if platform == "ios" else "%d-%m-%Y %H:%M"
        )
        sender, separator, body = match["rest"].partition(": ")
        if platform == "ios" and sender == title and body.startswith("\u200e"):
            sender, body = None, body[1:]
        elif platform == "android" and not separator:
            sender, body = None, match["rest"]
        message = Message(number, number, when, sender, [body])
        if sender is None:
            found = [(e, p.match(body)) for e, p in SYSTEM if p.match(body)]
            assert found, f"{path.name}: line {number}: unknown system line {body!r}"
            message.event, groups = found[0][0], found[0][1].groupdict()
            if message.event == "created" or "aangemaakt" in body:  # the creator is a member
                creator = groups.get("subject") or groups.get("actor")
                message.event, message.subjects = "created", [creator]
            elif groups.get("subject"):
                message.subjects = _names(groups["subject"])
        messages.append(message)
    return messages


def size_at(messages: list[Message], moment: dt.datetime) -> int:
    """Members at ``moment`` from the system lines (the creator counts)."""
    change = {"created": 1, "added": 1, "joined": 1, "left": -1, "removed": -1}
    return sum(
        change.get(m.event, 0) * len(m.subjects)
        for m in messages
        if m.sender is None and m.when < moment
    )


def read_material(folder: Path):
    chats = {g: read_chat(folder / f"{g}.txt", p, t) for g, (_, p, t) in GROUPS.items()}
    sheet = openpyxl.load_workbook(folder / "coded_segments.xlsx").worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    segments = [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]
    roster = yaml.safe_load((folder / "roster.yaml").read_text(encoding="utf-8"))
    return chats, segments, roster


def period(when: dt.datetime) -> str:
    assert dt.datetime(2019, 9, 1) <= when < dt.datetime(2022, 1, 1)
    return "before" if when < EXPERIMENT else "experiment" if when < AFTER else "after"


def code_counts(chats, segments) -> Counter:
    counts = Counter()
    for row in segments:
        starts = {m.start: m for m in chats[row["Document name"]]}
        parts = re.split(r"[\\/]", row["Code"])
        buurt = GROUPS[row["Document name"]][0]
        when = starts[row["Begin"]].when
        counts[(buurt, int(parts[1][:2]), parts[2].lower(), period(when))] += 1
    return counts


def expected_counts() -> Counter:
    counts = Counter()
    for number, per_buurt in TABLE5.items():
        for buurt, cell in zip(("lombardijen", "essenburgbuurt"), per_buurt, strict=True):
            for (when, direction), value in zip(SLOTS, cell.split("/"), strict=True):
                if int(value):
                    counts[(buurt, number, direction, when)] = int(value)
    return counts


@pytest.fixture(scope="module")
def shipped():
    return read_material(CHAT)


@pytest.fixture(scope="module")
def regenerated(tmp_path_factory):
    out = tmp_path_factory.mktemp("chat_default")
    write_chats(generate_chats(ROOT / "resources", DEFAULT_SEED), out)
    return out


@pytest.fixture(scope="module")
def other_seed(tmp_path_factory):
    out = tmp_path_factory.mktemp("chat_other")
    write_chats(generate_chats(ROOT / "resources", 7), out)
    return out


def _content(path):
    """A file's bytes; for a workbook its cells and document properties.

    openpyxl writes the same workbook as different XML bytes depending on
    whether lxml is installed (``<a/>`` or ``<a />``), so a workbook is
    compared by what a reader sees.
    """
    if path.suffix != ".xlsx":
        return path.read_bytes()
    from openpyxl import load_workbook

    book = load_workbook(path)
    props = book.properties
    cells = [[list(row) for row in sheet.iter_rows(values_only=True)] for sheet in book]
    return (book.sheetnames, cells, props.creator, props.created, props.modified)


@pytest.mark.parametrize("name", FILES)
def test_shipped_files_are_the_generator_output(regenerated, name):
    assert _content(regenerated / name) == _content(CHAT / name), (
        "resources/chat differs from the generator: run "
        "`python -m buurtpreventie.synthetic.chats --out resources/chat`"
    )


def test_another_seed_gives_other_files_with_the_same_targets(other_seed):
    for name in FILES[:5]:
        assert (other_seed / name).read_bytes() != (CHAT / name).read_bytes(), name
    chats, segments, _ = read_material(other_seed)
    assert code_counts(chats, segments) == expected_counts()
    assert {g: size_at(m, EXPERIMENT) for g, m in chats.items()} == SIZE_AT_START
    assert size_at(chats["essenburg"], AFTER) - size_at(chats["essenburg"], EXPERIMENT) == 21


def test_group_sizes_at_the_start_of_the_experiment(shipped):
    chats, _, _ = shipped
    assert {g: size_at(m, EXPERIMENT) for g, m in chats.items()} == SIZE_AT_START


def test_net_change_over_the_experiment_year(shipped):
    chats, _, _ = shipped
    change = {g: size_at(m, AFTER) - size_at(m, EXPERIMENT) for g, m in chats.items()}
    assert change["essenburg"] == 21
    for group in ("zenobuurt", "smeets_karlmarx", "molierebuurt"):
        assert -2 <= change[group] <= 2, change
        events = [m for m in chats[group] if EXPERIMENT <= m.when < AFTER and m.event]
        assert any(m.event in ("joined", "added") for m in events)  # turnover, not stillness
        assert any(m.event in ("left", "removed") for m in events)


def test_generated_chats_carry_the_planned_code_counts(shipped):
    chats, segments, _ = shipped
    assert code_counts(chats, segments) == expected_counts()


def test_every_segment_is_exactly_one_message(shipped):
    chats, segments, _ = shipped
    scheme = yaml.safe_load((ROOT / "resources" / "interventions.yaml").read_text("utf-8"))
    paths = {c for item in scheme["interventions"] for c in item["codes"].values()}
    assert segments and list(segments[0]) == [
        "Color",
        "Document group",
        "Document name",
        "Code",
        "Begin",
        "End",
        "Weight score",
        "Segment",
        "Created by",
    ]
    multi_line = 0
    for row in segments:
        starts = {m.start: m for m in chats[row["Document name"]]}
        message = starts.get(row["Begin"])
        assert message is not None and message.sender is not None, row
        assert message.end == row["End"], row
        assert row["Segment"] == message.text, row
        assert row["Code"] in paths
        buurt = GROUPS[row["Document name"]][0]
        assert row["Document group"] == {"lombardijen": "Lombardijen"}.get(buurt, "Essenburgbuurt")
        multi_line += row["End"] > row["Begin"]
    assert multi_line >= 3


def test_coded_senders_fit_the_story(shipped):
    chats, segments, roster = shipped
    role = {}
    for row in segments:
        message = {m.start: m for m in chats[row["Document name"]]}[row["Begin"]]
        number = int(re.split(r"[\\/]", row["Code"])[1][:2])
        role.setdefault((GROUPS[row["Document name"]][0], number), []).append(
            roster.get(message.sender, "bewoner")
        )
        if number in (3, 5, 9):  # Lombardijen, October/November 2021
            assert dt.datetime(2021, 10, 1) <= message.when < dt.datetime(2021, 12, 1)
    assert "bewoner" not in role[("lombardijen", 8)]
    assert Counter(role[("essenburgbuurt", 8)]).most_common(1)[0][0] == "beheerder_bewoner"
    assert set(role[("lombardijen", 7)]) == {"beheerder_gemeente"}


def test_export_format_details(shipped):
    chats, _, _ = shipped
    for group, messages in chats.items():
        assert messages[0].text.startswith("Berichten en oproepen zijn end-to-end versleuteld")
        assert messages[1].event == "created"
        assert any(len(m.lines) > 1 for m in messages), group
        assert any(m.text.lstrip("\u200e") in LOCALE["media"] for m in messages if m.sender)
        assert all(":" not in m.sender for m in messages if m.sender)
    senders = {m.sender for ms in chats.values() for m in ms if m.sender}
    assert any(re.fullmatch(r"\+31 6 \d{8}", s) for s in senders)
    changed = [m for ms in chats.values() for m in ms if "is gewijzigd naar +31 6 " in m.text]
    assert len(changed) == 1 and changed[0].sender is None
    text = (CHAT / "essenburg.txt").read_text(encoding="utf-8")
    assert ": \u200eafbeelding weggelaten\n" in text


def test_senders_are_members_when_they_write(shipped):
    chats, _, _ = shipped
    for group, messages in chats.items():
        members: set[str] = set()
        for m in messages:
            if m.event in ("created", "added", "joined"):
                assert not members & set(m.subjects)
                members |= set(m.subjects)
            elif m.event in ("left", "removed"):
                assert set(m.subjects) <= members
                members -= set(m.subjects)
            elif m.sender is None and "is gewijzigd naar " in m.text:
                old, new = m.text.split(" is gewijzigd naar ")
                members = (members - {old}) | {new}
            elif m.sender is not None:
                assert m.sender in members, (group, m.start, m.sender)


def test_roster(shipped):
    chats, _, roster = shipped
    header = (CHAT / "roster.yaml").read_text(encoding="utf-8").split("\n\n")[0]
    assert "names are\n# invented" in header
    assert set(roster.values()) <= ROLES
    for group, messages in chats.items():
        senders = Counter(m.sender for m in messages if m.sender)
        listed = Counter(roster[s] for s in senders if s in roster)
        if GROUPS[group][0] == "lombardijen":
            assert listed == {
                "beheerder_gemeente": 2,
                "handhaving": 2,
                "wijkagent": 1,
                "wijknetwerker": 1,
            }
            share = sum(n for s, n in senders.items() if s in roster) / sum(senders.values())
            assert 0.25 <= share <= 0.35, (group, share)
        else:
            assert listed == {"beheerder_bewoner": 1, "wijkagent": 1, "wijknetwerker": 1}
            creator = messages[1].subjects[0]
            assert roster[creator] == "beheerder_bewoner"
            for role, month in (("wijkagent", 1), ("wijknetwerker", 3)):
                name = next(n for n, r in roster.items() if r == role and n in senders)
                added = [m for m in messages if m.event == "added" and name in m.subjects]
                assert [(m.when.year, m.when.month) for m in added] == [(2021, month)]
        assert 800 <= sum(senders.values()) <= 3000, group
    every_sender = {m.sender for ms in chats.values() for m in ms if m.sender}
    assert set(roster) <= every_sender


def test_links_and_addresses_use_reserved_domains(shipped):
    _, segments, _ = shipped
    text = "\n".join((CHAT / f"{g}.txt").read_text(encoding="utf-8") for g in GROUPS)
    text += "\n".join(row["Segment"] for row in segments)
    links = re.findall(r"https?://([^/\s]+)", text)
    mails = re.findall(r"[\w.+-]+@([\w-]+(?:\.[\w-]+)+)", text)
    assert links and mails
    assert set(links) | set(mails) <= {"example.org", "example.com"}
    assert "www." not in text
