"""Snakemake adapter for rule score_interventions: table 5, judgement beside the rule."""

import pandas as pd
import yaml

from buurtpreventie.adapter import job, write_csv
from buurtpreventie.chat.scoring import intervention_scores

sm = snakemake  # noqa: F821 (injected by Snakemake)

with job(sm, __file__) as log:
    with open(sm.input.judgements, encoding="utf-8") as handle:
        judgements = yaml.safe_load(handle)
    with open(sm.input.scheme, encoding="utf-8") as handle:
        interventions = yaml.safe_load(handle)["interventions"]
    table = intervention_scores(
        pd.read_csv(sm.input.codes),
        pd.read_csv(sm.input.members, dtype={"month": str}),
        judgements,
        interventions,
        sm.params.experiment["start"][:7],
        sm.params.experiment["end"][:7],
        sm.params.scoring,
    )
    write_csv(table, sm.output.interventions)
    log.info("rule and judgement agree on %d of %d", table["agree"].sum(), len(table))
