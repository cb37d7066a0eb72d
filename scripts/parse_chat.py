"""Snakemake adapter for rule parse_chat: one WhatsApp export -> pseudonymised messages.

The group's members and activity per month are aggregated here too, one job per
group, so that a study with many groups aggregates them in parallel; rule
chat_tables only puts the groups together.
"""

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
    group = sm.params.group
    chat = parse_chat(sm.input.export, group["id"], load_locale(sm.input.locale), roster)
    chat.messages.to_parquet(sm.output.messages, index=False)
    chat.events.to_parquet(sm.output.events, index=False)
    log.info(
        "%d lines parsed into %d messages, %d member events",
        chat.messages["line_end"].max(),
        len(chat.messages),
        len(chat.events),
    )
    buurt_of = {group["id"]: group["buurt"]}
    members = aggregate.members_table(
        chat.events, chat.messages, buurt_of, {group["id"]: group["members_before_export"]}
    )
    members.to_parquet(sm.output.members, index=False)
    activity = aggregate.activity_table(chat.messages, buurt_of, [*ROLES, RESIDENT])
    activity.to_parquet(sm.output.activity, index=False)
    log.info("aggregated: %d months", len(members))
