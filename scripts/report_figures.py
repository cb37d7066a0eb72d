"""Snakemake adapter for rule report_figures: the timeline, baseline means and course figures."""

import pandas as pd

from buurtpreventie.adapter import job
from buurtpreventie.codebook import load_codebook
from buurtpreventie.report.figures import (
    baseline_figure,
    course_figure,
    save_svg,
    timeline_figure,
)
from buurtpreventie.report.text import load_words

sm = snakemake  # noqa: F821 (injected by Snakemake)

with job(sm, __file__) as log:
    codebook = load_codebook(sm.input.codebook)
    meta = [
        {"id": i.id, "label": i.label, "low": i.low, "high": i.high} for i in codebook.indicators
    ]
    indicators = pd.read_csv(sm.input.indicators, dtype={"wave": str})
    waves = sm.params.waves
    words = load_words(sm.input.words)
    buurten = {b: w["name"] for b, w in words.buurten.items()}
    groups = {g: w["name"] for g, w in words.groepen.items()}
    save_svg(timeline_figure(waves, sm.params.experiment, sm.params.interim), sm.output.timeline)
    save_svg(baseline_figure(indicators, meta, waves[0]["id"], buurten, groups), sm.output.baseline)
    save_svg(course_figure(indicators, meta, waves, buurten, groups), sm.output.course)
    log.info("report figures written for %d waves", len(waves))
