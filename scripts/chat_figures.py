"""Snakemake adapter for rule chat_figures: messages per month and group size over time."""

import datetime as dt
from pathlib import Path

import pandas as pd

from buurtpreventie.adapter import job
from buurtpreventie.chat.figures import activity_figure, members_figure, save

sm = snakemake  # noqa: F821 (injected by Snakemake)

with job(sm, __file__):
    start = dt.date.fromisoformat(sm.params.experiment["start"])
    end = dt.date.fromisoformat(sm.params.experiment["end"])
    activity = pd.read_csv(sm.input.activity, dtype={"month": str})
    codes = pd.read_csv(sm.input.codes_monthly, dtype={"month": str})
    members = pd.read_csv(sm.input.members, dtype={"month": str})
    save(activity_figure(activity, codes, start, end), Path(sm.output.activity_svg).with_suffix(""))
    save(members_figure(members, start, end), Path(sm.output.members_svg).with_suffix(""))
