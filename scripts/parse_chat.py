"""Snakemake adapter for rule parse_chat: WhatsApp exports -> pseudonymised messages.

One job parses a batch of chats (config ``chats.batch_size``; one chat by
default) and aggregates each chat's members and activity per month
(:func:`buurtpreventie.chat.tables.parse_batch`).
"""

import yaml

from buurtpreventie.adapter import job
from buurtpreventie.chat import tables
from buurtpreventie.chat.whatsapp import load_locales

sm = snakemake  # noqa: F821 (injected by Snakemake)

with job(sm, __file__) as log:
    roster = {}
    if sm.input.roster:
        with open(sm.input.roster, encoding="utf-8") as handle:
            roster = yaml.safe_load(handle) or {}
    batch = tables.parse_batch(
        sm.params.groups,
        load_locales(list(sm.input.locales)),
        roster,
        max_unclassified=sm.params.max_unclassified,
    )
    for line in batch.summaries:
        log.info("%s", line)
    for line in batch.warnings:
        log.warning("%s", line)
    for name, frame in batch.frames.items():
        frame.to_parquet(getattr(sm.output, name), index=False)
