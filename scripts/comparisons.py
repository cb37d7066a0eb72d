"""Snakemake adapter for rule comparisons: tables 4 and 6, demographic tests, the panel."""

from buurtpreventie.adapter import job, read_respondents, write_csv
from buurtpreventie.stats.compare import (
    baseline_comparisons,
    baseline_proportions,
    binary_indicators,
    demographic_tests,
    prepost_comparisons,
    prepost_proportions,
)
from buurtpreventie.stats.models import adjusted_baseline
from buurtpreventie.stats.panel import attrition_table, paired_comparisons
from buurtpreventie.survey.codebook import load_codebook

sm = snakemake  # noqa: F821 (injected by Snakemake)

with job(sm, __file__):
    codebook = load_codebook(sm.input.codebook)
    respondents = read_respondents(sm.input.respondents, codebook.analysis_columns())
    indicators = [i.id for i in codebook.indicators]
    binary = binary_indicators(codebook.indicators)
    waves = sm.params.waves
    baseline = baseline_comparisons(respondents, indicators, waves[0]).merge(
        adjusted_baseline(respondents, indicators, waves[0]), on=["indicator", "buurt"]
    )
    # The 0/1 indicators get the test of two proportions beside the t-test, in the same rows.
    baseline = baseline.merge(
        baseline_proportions(respondents, binary, waves[0]), on=["indicator", "buurt"], how="left"
    )
    write_csv(baseline, sm.output.baseline)
    prepost = prepost_comparisons(respondents, indicators, waves).merge(
        prepost_proportions(respondents, binary, waves),
        on=["indicator", "buurt", "groep", "wave_from", "wave_to", "kind"],
        how="left",
    )
    write_csv(prepost, sm.output.prepost)
    write_csv(demographic_tests(respondents, waves), sm.output.demographic_tests)
    panel = paired_comparisons(respondents, indicators, waves, sm.params.min_pairs)
    write_csv(panel, sm.output.panel)
    write_csv(attrition_table(respondents, waves), sm.output.attrition)
