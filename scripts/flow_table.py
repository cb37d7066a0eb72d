"""Snakemake adapter for rule flow_table: per-wave flows -> results/tables/flow.csv."""

import pandas as pd

from buurtpreventie.adapter import job, write_csv
from buurtpreventie.survey.codebook import load_codebook
from buurtpreventie.survey.describe import flow_table

sm = snakemake  # noqa: F821 (injected by Snakemake)

with job(sm, __file__):
    flows = [pd.read_csv(path, dtype=str, keep_default_na=False) for path in sm.input.flows]
    flows = [f.replace("", None) for f in flows]
    write_csv(flow_table(flows, load_codebook(sm.input.codebook)), sm.output.flow)
