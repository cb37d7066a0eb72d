"""The chat tables of the workflow (buurtpreventie.chat.tables), on the shipped chats."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import yaml
from conftest import ROOT

from buurtpreventie.chat import aggregate
from buurtpreventie.chat.tables import BATCH_PARTS, parse_batch, size_mismatches
from buurtpreventie.chat.whatsapp import load_locales, parse_chat

LOCALES = [ROOT / "resources" / "chat" / f"whatsapp_{lang}.yaml" for lang in ("nl", "en")]


def _roster():
    return yaml.safe_load((ROOT / "resources" / "chat" / "roster.yaml").read_text("utf-8")) or {}


def test_a_batch_is_its_chats_parsed_and_aggregated_one_after_the_other():
    groups = [
        {"id": "essenburg", "buurt": "essenburgbuurt", "members_before_export": 0,
         "export": str(ROOT / "resources" / "chat" / "essenburg.txt")},
    ]  # fmt: skip
    locales = load_locales(LOCALES)
    batch = parse_batch(groups, locales, _roster())
    assert tuple(batch.frames) == BATCH_PARTS
    chat = parse_chat(groups[0]["export"], "essenburg", locales, _roster())
    pd.testing.assert_frame_equal(batch.frames["messages"], chat.messages)
    members = aggregate.members_table(
        chat.events, chat.messages, {"essenburg": "essenburgbuurt"}, {"essenburg": 0}
    )
    pd.testing.assert_frame_equal(batch.frames["members"], members)
    assert len(batch.summaries) == 1
    assert batch.summaries[0].startswith("chat 1 of 1, essenburg: ")


def test_size_mismatches_name_the_app_groups_whose_size_differs():
    events = pd.DataFrame(
        {
            "group": ["a", "a", "a", "b"],
            "timestamp": pd.to_datetime(["2020-01-01", "2020-02-01", "2020-12-01", "2020-01-01"]),
            "event": ["joined", "joined", "joined", "left"],
        }
    )
    groups = [{"id": "a", "members_before_export": 3}, {"id": "b", "members_before_export": 5}]
    app_groups = [
        {"id": "a", "members_at_start": 5},  # 3 + 2 joined before the start: agrees
        {"id": "b", "members_at_start": 5},  # 5 - 1 left: differs
        {"id": "c", "members_at_start": 9},  # no chat: not checked
    ]
    lines = size_mismatches(events, groups, app_groups, dt.date(2020, 9, 1))
    assert lines == ["b: 4 members at the start in the chat, 5 in config app_groups"]
