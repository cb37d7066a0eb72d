"""Snakemake adapter for rule parse_chat: WhatsApp exports -> pseudonymised messages.

One job parses a batch of chats (config ``chats.batch_size``; one chat by
default). Each chat's members and activity per month are aggregated here too,
so that many chats are aggregated in parallel; rule chat_tables only puts the
batches together.
"""

import pandas as pd
import yaml

from buurtpreventie.adapter import job
from buurtpreventie.chat import aggregate
from buurtpreventie.chat.whatsapp import RESIDENT, ROLES, load_locale, parse_chat

sm = snakemake  # noqa: F821 (injected by Snakemake)

with job(sm, __file__) as log:
    roster = {}
    if sm.input.roster:
        with open(sm.input.roster, encoding="utf-8") as handle:
            roster = yaml.safe_load(handle) or {}
    locale = load_locale(sm.input.locale)
    parts = {"messages": [], "events": [], "members": [], "activity": []}
    for number, group in enumerate(sm.params.groups, start=1):
        chat = parse_chat(group["export"], group["id"], locale, roster)
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
        log.info(
            "chat %d of %d, %s: %d lines, %d messages, %d member events",
            number,
            len(sm.params.groups),
            group["id"],
            chat.messages["line_end"].max(),
            len(chat.messages),
            len(chat.events),
        )
    for name, frames in parts.items():
        pd.concat(frames, ignore_index=True).to_parquet(getattr(sm.output, name), index=False)
