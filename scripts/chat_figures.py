"""Snakemake adapter for rule chat_figures: messages per month and group size over time."""

import datetime as dt
from pathlib import Path

import pandas as pd

from buurtpreventie.adapter import job
from buurtpreventie.report.chat_figures import (
    activity_figure,
    group_names,
    members_figure,
    of_buurten,
    save,
)
from buurtpreventie.report.text import load_words, study_words
from buurtpreventie.survey.codebook import load_codebook

sm = snakemake  # noqa: F821 (injected by Snakemake)

with job(sm, __file__) as log:
    start = dt.date.fromisoformat(sm.params.experiment["start"])
    end = dt.date.fromisoformat(sm.params.experiment["end"])
    codebook = load_codebook(sm.input.codebook)
    words = study_words(load_words(sm.input.words), codebook)
    names = {b: words.buurten[b]["name"] for b in sm.params.main}
    groups = group_names(codebook)
    activity = of_buurten(pd.read_csv(sm.input.activity, dtype={"month": str}), names)
    codes = of_buurten(pd.read_csv(sm.input.codes_monthly, dtype={"month": str}), names)
    members = of_buurten(pd.read_csv(sm.input.members, dtype={"month": str}), names)
    save(
        activity_figure(activity, codes, start, end, names, groups),
        Path(sm.output.activity_svg).with_suffix(""),
    )
    save(
        members_figure(members, start, end, names, groups),
        Path(sm.output.members_svg).with_suffix(""),
    )
    log.info("chat figures of %d groups in %d buurten", members["group"].nunique(), len(names))
