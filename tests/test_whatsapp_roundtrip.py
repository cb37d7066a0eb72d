"""Round trip: the shipped exports rewritten as other phones would write them parse the same.

The shipped synthetic exports (``resources/chat/*.txt``: three Android, one
iOS, Dutch, 2019 wording) are rewritten line by line, one output line per
input line, as Dutch iOS 2025 (new encryption and creation wording,
``[dd-mm-jjjj, uu:mm:ss]``, "~" and a narrow no-break space before unsaved
contacts), English UK (24-hour, ``dd/mm/yyyy, HH:MM``) and English US
(12-hour, ``m/d/yy, h:mm AM``, on iOS with U+202F before AM/PM). Each parse
must give the same messages and member events (pseudonyms, kinds, timestamps,
line numbers) and so the same members and activity tables.
"""

import datetime as dt
import re

import pandas as pd
import pytest
import yaml
from conftest import ROOT

from buurtpreventie.chat import aggregate
from buurtpreventie.chat.whatsapp import (
    RESIDENT,
    ROLES,
    load_locales,
    parse_chat,
)

CHAT = ROOT / "resources" / "chat"
LOCALES = load_locales([CHAT / "whatsapp_nl.yaml", CHAT / "whatsapp_en.yaml"])
ROSTER = yaml.safe_load((CHAT / "roster.yaml").read_text(encoding="utf-8"))
GROUPS = {"zenobuurt": "android", "smeets_karlmarx": "android", "molierebuurt": "android"}
GROUPS["essenburg"] = "ios"
ESSENBURG_TITLE = "Buurt Preventie Essenburg"
M, NNBSP = "\u200e", "\u202f"
HEADER = {
    "android": re.compile(r"^(\d\d)-(\d\d)-(\d{4}) (\d\d):(\d\d) - (.*)$"),
    "ios": re.compile(r"^\[(\d\d)-(\d\d)-(\d{4}) (\d\d):(\d\d):(\d\d)\] (.*)$"),
}

# Dutch 2019 system wording -> (Dutch 2025, English); one pattern each.
SYSTEM = [
    (
        r"^Berichten en oproepen zijn end-to-end versleuteld\..*$",
        "Berichten en oproepen worden end-to-end versleuteld. Alleen mensen in deze chat "
        "kunnen ze lezen, beluisteren of delen.",
        "Messages and calls are end-to-end encrypted. No one outside of this chat, not even "
        "WhatsApp, can read or listen to them.",
    ),
    (
        r'^(.+) heeft de groep "(.+)" aangemaakt$',
        r"\1 heeft de groep \2 gemaakt",
        r'\1 created group "\2"',
    ),
    (
        r"^(.+) is lid geworden via de uitnodigingslink van deze groep$",
        r"\1 is lid geworden via de uitnodigingslink van deze groep",
        r"\1 joined using this group's invite link",
    ),
    (r"^(.+) is vertrokken$", r"\1 is vertrokken", r"\1 left"),
    (r"^(.+) heeft de groep verlaten$", r"\1 heeft de groep verlaten", r"\1 left"),
    (
        r"^(.+) heeft de groepsbeschrijving gewijzigd$",
        r"\1 heeft de groepsbeschrijving gewijzigd",
        r"\1 changed the group description",
    ),
    (
        r"^(.+) heeft de groepsafbeelding gewijzigd$",
        r"\1 heeft de groepsafbeelding gewijzigd",
        r"\1 changed this group's icon",
    ),
    (r"^(.+) is gewijzigd naar (.+)$", r"\1 is gewijzigd naar \2", r"\1 changed to \2"),
    (r"^(.+?) heeft (.+) toegevoegd$", r"\1 heeft \2 toegevoegd", r"\1 added \2"),
    (r"^(.+?) heeft (.+) verwijderd$", r"\1 heeft \2 verwijderd", r"\1 removed \2"),
]
BODIES = {  # Dutch 2019 media/deleted text -> (Dutch iOS 2025, English)
    "<Media weggelaten>": (f"{M}afbeelding weggelaten", "<Media omitted>"),
    "afbeelding weggelaten": (f"{M}afbeelding weggelaten", f"{M}image omitted"),
    "video weggelaten": (f"{M}video weggelaten", f"{M}video omitted"),
    "audio weggelaten": (f"{M}audio weggelaten", f"{M}audio omitted"),
    "Dit bericht is verwijderd": (f"{M}Dit bericht is verwijderd.", "This message was deleted"),
}


def _system(text: str, english: bool) -> str:
    for pattern, dutch, other in SYSTEM:
        match = re.match(pattern, text)
        if match:
            out = match.expand(other if english else dutch)
            return out.replace(" en ", " and ") if english else out
    raise AssertionError(f"no rewrite for a system line: {text[:30]!r}")


def _stamp(target: str, when: dt.datetime) -> str:
    hour12 = f"{when.hour % 12 or 12}:{when:%M}"
    half = "AM" if when.hour < 12 else "PM"
    return {
        "ios_nl": f"[{when:%d-%m-%Y}, {when:%H:%M:%S}] ",
        "android_uk": f"{when:%d/%m/%Y}, {when:%H:%M} - ",
        "android_us": f"{when.month}/{when.day}/{when:%y}, {hour12} {half} - ",
        "ios_uk": f"[{when:%d/%m/%Y}, {when:%H:%M:%S}] ",
        "ios_us": f"[{when.month}/{when.day}/{when:%y}, {hour12}:{when:%S}{NNBSP}{half}] ",
    }[target]


def rewrite(text: str, platform: str, target: str) -> str:
    """The export as a phone of ``target`` would write it, line for line."""
    english = not target.endswith("_nl")
    ios = target.startswith("ios")
    out = []
    for line in text.split("\n"):
        match = HEADER[platform].match(line)
        if match is None:
            out.append(line)  # a continuation line stays as it is
            continue
        *fields, rest = match.groups()
        d, mo, y, h, mi = (int(f) for f in fields[:5])
        when = dt.datetime(y, mo, d, h, mi, int(fields[5]) if platform == "ios" else 0)
        if platform == "ios" and rest.startswith(f"{ESSENBURG_TITLE}: {M}"):
            sender, body = None, rest[len(ESSENBURG_TITLE) + 3 :]
        else:
            sender, separator, body = rest.partition(": ")
            if not separator:
                sender, body = None, rest
        if sender is None:
            body = _system(body, english)
            rest = f"{ESSENBURG_TITLE}: {M}{body}" if ios else body
        else:
            if body.lstrip(M) in BODIES:
                body = BODIES[body.lstrip(M)][english]
                if not ios:
                    body = body.lstrip(M)
            if target == "ios_nl" and sender.endswith("."):
                sender = f"~{NNBSP}{sender}"  # an unsaved contact's profile name
            rest = f"{sender}: {body}"
        out.append(_stamp(target, when) + rest)
    return "\n".join(out)


TARGETS = [
    (group, target)
    for group, platform in GROUPS.items()
    for target in (
        ["ios_nl", "android_uk", "android_us"]
        if platform == "android"
        else ["ios_nl", "ios_uk", "ios_us"]
    )
]


@pytest.fixture(scope="module")
def originals():
    return {group: parse_chat(CHAT / f"{group}.txt", group, LOCALES, ROSTER) for group in GROUPS}


@pytest.mark.parametrize(("group", "target"), TARGETS)
def test_rewritten_export_parses_the_same(tmp_path, originals, group, target):
    text = (CHAT / f"{group}.txt").read_text(encoding="utf-8")
    rewritten = rewrite(text, GROUPS[group], target)
    assert rewritten.count("\n") == text.count("\n")
    path = tmp_path / f"{group}.txt"
    path.write_text(rewritten, encoding="utf-8")
    chat = parse_chat(path, group, LOCALES, ROSTER)
    original = originals[group]
    assert chat.how["locale"] == ("nl" if target == "ios_nl" else "en")
    assert chat.how["format"] == target.split("_")[0]
    assert chat.how["date_order"] == ("mdy" if target.endswith("_us") else "dmy")
    assert chat.how["clock"] == ("12h" if target.endswith("_us") else "24h")
    assert not chat.unclassified
    pd.testing.assert_frame_equal(chat.messages, original.messages)
    pd.testing.assert_frame_equal(chat.events, original.events)
    buurt = {group: "b"}
    roles = [*ROLES, RESIDENT]
    pd.testing.assert_frame_equal(
        aggregate.members_table(chat.events, chat.messages, buurt),
        aggregate.members_table(original.events, original.messages, buurt),
    )
    pd.testing.assert_frame_equal(
        aggregate.activity_table(chat.messages, buurt, roles),
        aggregate.activity_table(original.messages, buurt, roles),
    )


def test_the_rewrite_really_changes_the_wording():
    text = (CHAT / "zenobuurt.txt").read_text(encoding="utf-8")
    ios = rewrite(text, "android", "ios_nl")
    assert " gemaakt\n" in ios and "aangemaakt" not in ios and "worden end-to-end" in ios
    us = rewrite(text, "android", "android_us")
    assert " PM - " in us and " joined using " in us and "heeft" not in us.split("\n")[2]
