"""Snakemake adapter for rule respondents_sav: a wave's respondents -> an SPSS .sav file."""

import pandas as pd

from buurtpreventie.adapter import job
from buurtpreventie.survey.codebook import load_codebook
from buurtpreventie.survey.spss import write_respondents_sav

sm = snakemake  # noqa: F821 (injected by Snakemake)

with job(sm, __file__) as log:
    respondents = pd.read_parquet(sm.input.respondents)
    layout = write_respondents_sav(
        respondents, load_codebook(sm.input.codebook), sm.wildcards.wave, sm.output.sav
    )
    log.info(
        "%d respondents, %d variables (%d with value labels, %d with user-missing codes)",
        len(layout.frame),
        len(layout.frame.columns),
        len(layout.value_labels),
        len(layout.missing),
    )
