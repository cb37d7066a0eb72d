"""Snakemake adapter for rule difference_in_differences: the groep x wave interaction."""

from buurtpreventie.adapter import job, read_respondents, write_csv
from buurtpreventie.stats.models import difference_in_differences
from buurtpreventie.survey.codebook import load_codebook

sm = snakemake  # noqa: F821 (injected by Snakemake)

with job(sm, __file__):
    codebook = load_codebook(sm.input.codebook)
    respondents = read_respondents(sm.input.respondents, codebook.analysis_columns())
    indicators = [i.id for i in codebook.indicators]
    write_csv(difference_in_differences(respondents, indicators, sm.params.waves), sm.output.did)
