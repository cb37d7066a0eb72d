"""Snakemake adapter for rule parse_chat: WhatsApp exports -> pseudonymised messages.

One job parses a batch of chats (config ``chats.batch_size``; one chat by
default). Each chat's members and activity per month are aggregated here too,
so that many chats are aggregated in parallel; rule chat_tables only puts the
batches together. The activity table counts text and media messages only
(:data:`~buurtpreventie.chat.aggregate.POST_KINDS`), not deleted messages or calls.
"""

import pandas as pd
import yaml

from buurtpreventie.adapter import job
from buurtpreventie.chat import aggregate
from buurtpreventie.chat.whatsapp import RESIDENT, ROLES, load_locales, parse_chat

sm = snakemake  # noqa: F821 (injected by Snakemake)

with job(sm, __file__) as log:
    roster = {}
    if sm.input.roster:
        with open(sm.input.roster, encoding="utf-8") as handle:
            roster = yaml.safe_load(handle) or {}
    locales = load_locales(list(sm.input.locales))
    parts = {"messages": [], "events": [], "members": [], "activity": []}
    for number, group in enumerate(sm.params.groups, start=1):
        chat = parse_chat(
            group["export"],
            group["id"],
            locales,
            roster,
            format=group.get("format"),
            locale=group.get("locale"),
            date_order=group.get("date_order"),
            max_unclassified=sm.params.max_unclassified,
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
        log.info(
            "chat %d of %d, %s: %d lines, %d messages (%d media, %d deleted, %d calls), "
            "%d member events, %d unclassified; read as %s",
            number,
            len(sm.params.groups),
            group["id"],
            chat.messages["line_end"].max(),
            len(chat.messages),
            kinds.get("media", 0),
            kinds.get("deleted", 0),
            kinds.get("call", 0),
            len(chat.events),
            len(chat.unclassified),
            ", ".join(f"{k} {v}" for k, v in chat.how.items()),
        )
        for warning in chat.warnings:
            log.warning("%s: %s", group["id"], warning)
    for name, frames in parts.items():
        pd.concat(frames, ignore_index=True).to_parquet(getattr(sm.output, name), index=False)
