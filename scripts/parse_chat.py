"""Snakemake adapter for rule parse_chat: one WhatsApp export -> pseudonymised messages."""

import yaml

from buurtpreventie.adapter import job
from buurtpreventie.chat.whatsapp import load_locale, parse_chat

sm = snakemake  # noqa: F821 (injected by Snakemake)

with job(sm, __file__) as log:
    roster = {}
    if sm.input.roster:
        with open(sm.input.roster, encoding="utf-8") as handle:
            roster = yaml.safe_load(handle) or {}
    chat = parse_chat(sm.input.export, sm.wildcards.group, load_locale(sm.input.locale), roster)
    chat.messages.to_parquet(sm.output.messages, index=False)
    chat.events.to_parquet(sm.output.events, index=False)
    log.info(
        "%d lines parsed into %d messages, %d member events",
        chat.messages["line_end"].max(),
        len(chat.messages),
        len(chat.events),
    )
