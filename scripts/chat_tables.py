"""Snakemake adapter for rule chat_tables: members, activity and codes per month.

The batches of rule parse_chat put together, the codes linked to the messages
(:func:`buurtpreventie.chat.tables.chat_tables`).
"""

import datetime as dt

import pandas as pd

from buurtpreventie.adapter import job, write_csv
from buurtpreventie.chat.coding import load_headings, load_scheme, read_segments
from buurtpreventie.chat.tables import MESSAGE_COLUMNS, chat_tables, read_parquets, size_mismatches

sm = snakemake  # noqa: F821 (injected by Snakemake)

with job(sm, __file__) as log:
    start = dt.date.fromisoformat(sm.params.experiment["start"])
    end = dt.date.fromisoformat(sm.params.experiment["end"])
    scheme = load_scheme(sm.input.scheme)
    headings = load_headings(sm.input.headings)
    segments = pd.concat(
        [read_segments(p, scheme, headings) for p in sm.input.codings], ignore_index=True
    )
    events = read_parquets(sm.input.events)
    for line in size_mismatches(events, sm.params.groups, sm.params.app_groups, start):
        log.warning("%s", line)
    result = chat_tables(
        messages=read_parquets(sm.input.messages, columns=MESSAGE_COLUMNS),
        members=read_parquets(sm.input.group_members),
        activity=read_parquets(sm.input.group_activity),
        segments=segments,
        groups=sm.params.groups,
        scheme=scheme,
        start=start,
        end=end,
    )
    write_csv(result.members, sm.output.members)
    write_csv(result.activity, sm.output.activity)
    write_csv(result.codes, sm.output.codes)
    write_csv(result.codes_monthly, sm.output.codes_monthly)
