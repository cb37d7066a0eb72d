"""Snakemake adapter for rule audit_published: GRIM, GRIMMER, p and count checks."""

from pathlib import Path

import pandas as pd

from buurtpreventie.adapter import job, write_csv
from buurtpreventie.published.audit import audit_published

sm = snakemake  # noqa: F821 (injected by Snakemake)

with job(sm, __file__) as log:
    folder = Path(sm.params.published_dir)
    text = {"pct_printed": str, "p_published": str, "mean_printed": str, "sd_printed": str}

    def read(name):
        return pd.read_csv(folder / name, dtype=text)

    audit = audit_published(
        *(read(f"tabel{i}.csv") for i in (1, 2, 3, 4, 6)),
        read("footnotes.csv").astype({"printed": str}),
    )
    write_csv(audit, sm.output.audit)
    log.info("%s", audit.groupby(["check", "result"]).size().to_dict())
