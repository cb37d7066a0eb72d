"""Snakemake adapter for rule report_pdf: rapport.html -> rapport.pdf (WeasyPrint).

The same HTML gives the same bytes (buurtpreventie.report.render.write_pdf).
"""

from pathlib import Path

from buurtpreventie.adapter import job
from buurtpreventie.report.pdf import source_epoch, write_pdf

sm = snakemake  # noqa: F821 (injected by Snakemake)

with job(sm, __file__) as log:
    html_path = Path(sm.input.html)
    write_pdf(
        html_path.read_text(encoding="utf-8"),
        html_path,
        sm.output.pdf,
        source_epoch(sm.params.date),
    )
    log.info("PDF written from %s", html_path)
