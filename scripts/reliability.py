"""Snakemake adapter for rule reliability: Cronbach's alpha per scale and wave."""

from buurtpreventie.adapter import job, read_respondents, write_csv
from buurtpreventie.stats.reliability import item_table, reliability_table
from buurtpreventie.survey.codebook import load_codebook

sm = snakemake  # noqa: F821 (injected by Snakemake)

with job(sm, __file__):
    codebook = load_codebook(sm.input.codebook)
    respondents = read_respondents(sm.input.respondents, codebook.analysis_columns(items=True))
    table = reliability_table(respondents, codebook, sm.params.waves, sm.params.min_alpha)
    write_csv(table, sm.output.reliability)
    write_csv(item_table(respondents, codebook, sm.params.waves), sm.output.item_statistics)
