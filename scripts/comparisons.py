"""Snakemake adapter for rule comparisons: tables 4 and 6, demographic tests, the panel."""

from buurtpreventie.adapter import job, read_respondents, write_csv
from buurtpreventie.codebook import load_codebook
from buurtpreventie.compare import baseline_comparisons, demographic_tests, prepost_comparisons
from buurtpreventie.models import adjusted_baseline
from buurtpreventie.panel import attrition_table, paired_comparisons

sm = snakemake  # noqa: F821 (injected by Snakemake)

with job(sm, __file__):
    codebook = load_codebook(sm.input.codebook)
    respondents = read_respondents(sm.input.respondents, codebook.analysis_columns())
    indicators = [i.id for i in codebook.indicators]
    waves = sm.params.waves
    baseline = baseline_comparisons(respondents, indicators, waves[0]).merge(
        adjusted_baseline(respondents, indicators, waves[0]), on=["indicator", "buurt"]
    )
    write_csv(baseline, sm.output.baseline)
    write_csv(prepost_comparisons(respondents, indicators, waves), sm.output.prepost)
    write_csv(demographic_tests(respondents, waves), sm.output.demographic_tests)
    panel = paired_comparisons(respondents, indicators, waves, sm.params.min_pairs)
    write_csv(panel, sm.output.panel)
    write_csv(attrition_table(respondents, waves), sm.output.attrition)
