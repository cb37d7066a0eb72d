"""Snakemake adapter for rule describe_respondents: respondent counts and descriptives."""

from buurtpreventie.adapter import job, read_respondents, write_csv
from buurtpreventie.survey.codebook import load_codebook
from buurtpreventie.survey.describe import demographics_table, indicator_table, respondent_table

sm = snakemake  # noqa: F821 (injected by Snakemake)

with job(sm, __file__):
    codebook = load_codebook(sm.input.codebook)
    respondents = read_respondents(sm.input.respondents, codebook.analysis_columns())
    waves = sm.params.waves
    write_csv(respondent_table(respondents, waves, sm.params.app_groups), sm.output.respondents)
    indicators = indicator_table(respondents, codebook, waves, sm.params.small_cell_n)
    write_csv(indicators, sm.output.indicators)
    write_csv(demographics_table(respondents, sm.params.waves), sm.output.demographics)
