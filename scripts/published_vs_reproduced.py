"""Snakemake adapter for rule published_vs_reproduced: the report's figures, checked."""

import pandas as pd

from buurtpreventie.adapter import job, write_csv
from buurtpreventie.published import compare_published

sm = snakemake  # noqa: F821 (injected by Snakemake)
# study.synthetic: a params entry when the rule passes it (reruns on a change), else the config.
synthetic = getattr(sm.params, "synthetic", None)
if synthetic is None:
    synthetic = (sm.config.get("study") or {}).get("synthetic", True)  # as the report mark

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
