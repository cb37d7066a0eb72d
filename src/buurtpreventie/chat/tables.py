"""The chat tables of the workflow: a batch of exports parsed, the batches put together.

Rule ``parse_chat`` parses a batch of chats (config ``chats.batch_size``) with
:func:`parse_batch`, which also aggregates each chat's members and activity
per month, so that many chats are aggregated in parallel. Rule ``chat_tables``
puts the batches together with :func:`chat_tables`: the tables ``members``,
``activity``, ``codes`` and ``codes_monthly``. The activity table counts text
and media messages only (:data:`~buurtpreventie.chat.aggregate.POST_KINDS`),
not deleted messages or calls.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from buurtpreventie.chat import aggregate
from buurtpreventie.chat.coding import CodingScheme, document_names, link_segments
from buurtpreventie.chat.whatsapp import RESIDENT, ROLES, ChatLocale, parse_chat

__all__ = [
    "BATCH_PARTS",
    "MESSAGE_COLUMNS",
    "ChatBatch",
    "ChatTables",
    "chat_tables",
    "parse_batch",
    "read_parquets",
    "size_mismatches",
]

BATCH_PARTS = ("messages", "events", "members", "activity")
"""The frames of a parsed batch, each written to its own parquet file."""

MESSAGE_COLUMNS = ["group", "line_start", "line_end", "timestamp", "role"]
"""The columns of the messages that linking the codes needs (10 million rows at scale)."""


@dataclass
class ChatBatch:
    """The chats of one batch: :data:`BATCH_PARTS` frames, and what to log per chat."""

    frames: dict[str, pd.DataFrame]
    summaries: list[str] = field(default_factory=list)  # one line per chat
    warnings: list[str] = field(default_factory=list)  # "group: warning"


@dataclass
class ChatTables:
    """The four chat tables of ``results/tables``."""

    members: pd.DataFrame
    activity: pd.DataFrame
    codes: pd.DataFrame
    codes_monthly: pd.DataFrame


def parse_batch(
    groups: Sequence[Mapping[str, Any]],
    locales: Sequence[ChatLocale],
    roster: Mapping[str, str],
    max_unclassified: int = 0,
) -> ChatBatch:
    """Parse the exports of a batch of chats and aggregate each per month.

    Parameters
    ----------
    groups : sequence of dict
        The config entries of the batch's chats (``chats.groups``, with the
        schema's defaults: ``id``, ``buurt``, ``export``,
        ``members_before_export``, and optionally ``format``, ``locale``,
        ``date_order``).
    locales : sequence of ChatLocale
        The WhatsApp locale files (:func:`~buurtpreventie.chat.whatsapp.load_locales`).
    roster : mapping
        Sender name -> professional role.
    max_unclassified : int
        Unclassified system-like lines tolerated per export.

    Returns
    -------
    ChatBatch
        The batch's messages, events, members and activity (the chats one
        after the other), a summary line per chat and the parser's warnings.
    """
    parts: dict[str, list[pd.DataFrame]] = {name: [] for name in BATCH_PARTS}
    batch = ChatBatch(frames={})
    for number, group in enumerate(groups, start=1):
        chat = parse_chat(
            group["export"],
            group["id"],
            locales,
            roster,
            format=group.get("format"),
            locale=group.get("locale"),
            date_order=group.get("date_order"),
            max_unclassified=max_unclassified,
        )
        buurt_of = {group["id"]: group["buurt"]}
        initial = {group["id"]: group["members_before_export"]}
        parts["messages"].append(chat.messages)
        parts["events"].append(chat.events)
        parts["members"].append(
            aggregate.members_table(chat.events, chat.messages, buurt_of, initial)
        )
        parts["activity"].append(
            aggregate.activity_table(chat.messages, buurt_of, [*ROLES, RESIDENT])
        )
        kinds = chat.messages["kind"].value_counts()
        batch.summaries.append(
            f"chat {number} of {len(groups)}, {group['id']}: "
            f"{chat.messages['line_end'].max()} lines, {len(chat.messages)} messages "
            f"({kinds.get('media', 0)} media, {kinds.get('deleted', 0)} deleted, "
            f"{kinds.get('call', 0)} calls), {len(chat.events)} member events, "
            f"{len(chat.unclassified)} unclassified; read as "
            + ", ".join(f"{k} {v}" for k, v in chat.how.items())
        )
        batch.warnings += [f"{group['id']}: {warning}" for warning in chat.warnings]
    batch.frames = {name: pd.concat(frames, ignore_index=True) for name, frames in parts.items()}
    return batch


def read_parquets(
    paths: Sequence[str | Path], columns: Sequence[str] | None = None
) -> pd.DataFrame:
    """The parquet files of the batches, one after the other."""
    frames = [pd.read_parquet(p, columns=list(columns) if columns else None) for p in paths]
    return pd.concat(frames, ignore_index=True)


def size_mismatches(
    events: pd.DataFrame,
    groups: Sequence[Mapping[str, Any]],
    app_groups: Sequence[Mapping[str, Any]],
    start: dt.date,
) -> list[str]:
    """The app groups whose size at the start in the chat differs from the config's.

    Returns one line per app group of ``app_groups`` that has a chat in
    ``groups`` and whose members at ``start`` (counted from the chat's events,
    from ``members_before_export``) differ from its ``members_at_start``.
    """
    initial = {g["id"]: g["members_before_export"] for g in groups}
    lines = []
    for group in app_groups:
        if group["id"] in initial:
            size = aggregate.size_at(events, group["id"], start, initial[group["id"]])
            if size != group["members_at_start"]:
                lines.append(
                    f"{group['id']}: {size} members at the start in the chat, "
                    f"{group['members_at_start']} in config app_groups"
                )
    return lines


def chat_tables(
    messages: pd.DataFrame,
    members: pd.DataFrame,
    activity: pd.DataFrame,
    segments: pd.DataFrame,
    groups: Sequence[Mapping[str, Any]],
    scheme: CodingScheme,
    start: dt.date,
    end: dt.date,
) -> ChatTables:
    """The chat tables from the batches and the coded segments.

    Parameters
    ----------
    messages : DataFrame
        The messages of every batch (at least :data:`MESSAGE_COLUMNS`).
    members, activity : DataFrame
        The members and activity per group and month of every batch.
    segments : DataFrame
        The coded segments of the MAXQDA exports
        (:func:`~buurtpreventie.chat.coding.read_segments`).
    groups : sequence of dict
        The config's ``chats.groups``.
    scheme : CodingScheme
        The coding scheme.
    start, end : date
        The experiment year (start inclusive, end exclusive).

    Returns
    -------
    ChatTables
        ``members`` and ``activity`` as the batches made them; ``codes`` per
        intervention, direction and period; ``codes_monthly`` per month.
    """
    buurt_of = {g["id"]: g["buurt"] for g in groups}
    linked = link_segments(segments, messages, document_names(groups))
    return ChatTables(
        members=members,
        activity=activity,
        codes=aggregate.code_table(
            linked, buurt_of, scheme.categories, scheme.directions, start, end
        ),
        codes_monthly=aggregate.monthly_codes(linked, buurt_of),
    )
