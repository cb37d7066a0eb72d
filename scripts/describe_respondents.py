"""Snakemake adapter for rule describe_respondents: respondent counts and descriptives."""

import pandas as pd

from buurtpreventie.adapter import job, write_csv
from buurtpreventie.codebook import load_codebook
from buurtpreventie.describe import demographics_table, indicator_table, respondent_table

sm = snakemake  # noqa: F821 (injected by Snakemake)

with job(sm, __file__):
    respondents = pd.concat([pd.read_parquet(p) for p in sm.input.respondents], ignore_index=True)
    codebook = load_codebook(sm.input.codebook)
    waves = sm.params.waves
    write_csv(respondent_table(respondents, waves, sm.params.app_groups), sm.output.respondents)
    indicators = indicator_table(respondents, codebook, waves, sm.params.small_cell_n)
    write_csv(indicators, sm.output.indicators)
    write_csv(demographics_table(respondents, sm.params.waves), sm.output.demographics)
