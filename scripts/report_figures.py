"""Snakemake adapter for rule report_figures: timeline, baseline, forest plots, course, buurten."""

import pandas as pd

from buurtpreventie.adapter import job
from buurtpreventie.report.figures import (
    baseline_figure,
    baseline_forest,
    buurten_figure,
    course_figure,
    did_forest,
    save_svg,
    timeline_figure,
)
from buurtpreventie.report.text import load_words, study_words
from buurtpreventie.survey.codebook import load_codebook

sm = snakemake  # noqa: F821 (injected by Snakemake)

with job(sm, __file__) as log:
    codebook = load_codebook(sm.input.codebook)
    meta = [
        {"id": i.id, "label": i.label, "low": i.low, "high": i.high} for i in codebook.indicators
    ]
    indicators = pd.read_csv(sm.input.indicators, dtype={"wave": str})
    did = pd.read_csv(sm.input.did, dtype={"wave_from": str, "wave_to": str})
    waves = sm.params.waves
    words = study_words(load_words(sm.input.words), codebook)
    names = {b: w["name"] for b, w in words.buurten.items()}
    main = {b: names[b] for b in sm.params.main}
    groups = {g: w["name"] for g, w in words.groepen.items()}
    save_svg(timeline_figure(waves, sm.params.experiment, sm.params.interim), sm.output.timeline)
    save_svg(baseline_figure(indicators, meta, waves[0]["id"], main, groups), sm.output.baseline)
    baseline = pd.read_csv(sm.input.baseline_table)
    save_svg(baseline_forest(baseline, meta, main), sm.output.baseline_forest)
    save_svg(course_figure(indicators, meta, waves, main, groups), sm.output.course)
    save_svg(did_forest(did, meta, waves, main), sm.output.did_forest)
    first, last = waves[0]["id"], waves[-1]["id"]
    save_svg(buurten_figure(did, meta, list(main), names, first, last), sm.output.buurten)
    log.info(
        "report figures written for %d waves; %d of %d buurten in the main chapters",
        len(waves),
        len(main),
        len(names),
    )
