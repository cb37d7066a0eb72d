"""Snakemake adapter for rule chat_tables: members, activity and codes per month."""

import datetime as dt

import pandas as pd

from buurtpreventie.adapter import job, write_csv
from buurtpreventie.chat import aggregate
from buurtpreventie.chat.coding import (
    document_names,
    link_segments,
    load_headings,
    load_scheme,
    read_segments,
)

sm = snakemake  # noqa: F821 (injected by Snakemake)

with job(sm, __file__) as log:
    groups = sm.params.groups
    buurt_of = {g["id"]: g["buurt"] for g in groups}
    initial = {g["id"]: g.get("members_before_export", 0) for g in groups}
    start = dt.date.fromisoformat(sm.params.experiment["start"])
    end = dt.date.fromisoformat(sm.params.experiment["end"])
    # Linking codes needs only these columns of the messages (10 million rows at scale).
    needed = ["group", "line_start", "line_end", "timestamp", "role"]
    messages = pd.concat(
        [pd.read_parquet(p, columns=needed) for p in sm.input.messages], ignore_index=True
    )
    events = pd.concat([pd.read_parquet(p) for p in sm.input.events], ignore_index=True)
    scheme = load_scheme(sm.input.scheme)
    headings = load_headings(sm.input.headings)
    segments = pd.concat(
        [read_segments(p, scheme, headings) for p in sm.input.codings], ignore_index=True
    )
    linked = link_segments(segments, messages, document_names(groups))
    members = pd.concat([pd.read_parquet(p) for p in sm.input.group_members], ignore_index=True)
    for group in sm.params.app_groups:
        if group["id"] in buurt_of:
            size = aggregate.size_at(events, group["id"], start, initial[group["id"]])
            if size != group["members_at_start"]:
                log.warning(
                    "%s: %d members at the start in the chat, %d in config app_groups",
                    group["id"],
                    size,
                    group["members_at_start"],
                )
    write_csv(members, sm.output.members)
    activity = pd.concat([pd.read_parquet(p) for p in sm.input.group_activity], ignore_index=True)
    write_csv(activity, sm.output.activity)
    codes = aggregate.code_table(linked, buurt_of, scheme.categories, scheme.directions, start, end)
    write_csv(codes, sm.output.codes)
    write_csv(aggregate.monthly_codes(linked, buurt_of), sm.output.codes_monthly)
