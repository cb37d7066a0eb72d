"""Snakemake adapter for rule published_vs_reproduced: the report's figures, checked."""

import pandas as pd

from buurtpreventie.adapter import job, write_csv
from buurtpreventie.published.comparison import compare_published

sm = snakemake  # noqa: F821 (injected by Snakemake)
# study.synthetic is a param, so the rule reruns when it changes.
synthetic = sm.params.synthetic

with job(sm, __file__) as log:
    comparison = compare_published(
        sm.params.published_dir,
        respondents=pd.read_csv(sm.input.respondents),
        indicators=pd.read_csv(sm.input.indicators),
        demographics=pd.read_csv(sm.input.demographics),
        reliability=pd.read_csv(sm.input.reliability),
        baseline=pd.read_csv(sm.input.baseline),
        prepost=pd.read_csv(sm.input.prepost),
        app_groups=sm.params.app_groups,
        synthetic=bool(synthetic),
    )
    write_csv(comparison, sm.output.comparison)
    log.info(
        "%d published figures: %s",
        len(comparison),
        comparison["agreement"].value_counts().to_dict(),
    )
