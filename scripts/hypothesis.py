"""Snakemake adapter for rule hypothesis: the verdict on the hypothesis from the DiD."""

import pandas as pd
import yaml

from buurtpreventie.adapter import job, write_csv
from buurtpreventie.stats.verdict import hypothesis_table, intended_directions, verdict_rule

sm = snakemake  # noqa: F821 (injected by Snakemake)


def _yaml(path):
    with open(path, encoding="utf-8") as handle:
        return yaml.safe_load(handle)


with job(sm, __file__):
    did = pd.read_csv(sm.input.did, dtype={"indicator": str, "buurt": str, "wave_to": str})
    directions = intended_directions(_yaml(sm.input.words))
    rule = verdict_rule(_yaml(sm.input.rule))
    write_csv(hypothesis_table(did, directions, rule), sm.output.hypothesis)
