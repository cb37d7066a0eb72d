"""Snakemake adapter for rule difference_in_differences: the groep x wave interaction."""

import pandas as pd

from buurtpreventie.adapter import job, write_csv
from buurtpreventie.codebook import load_codebook
from buurtpreventie.models import difference_in_differences

sm = snakemake  # noqa: F821 (injected by Snakemake)

with job(sm, __file__):
    respondents = pd.concat([pd.read_parquet(p) for p in sm.input.respondents], ignore_index=True)
    indicators = [i.id for i in load_codebook(sm.input.codebook).indicators]
    write_csv(difference_in_differences(respondents, indicators, sm.params.waves), sm.output.did)
