"""Snakemake adapter for rule report: results/ -> rapport.html and rapport.pdf."""

import os
from pathlib import Path

from buurtpreventie.adapter import job
from buurtpreventie.provenance import load_records
from buurtpreventie.report.build import report_html
from buurtpreventie.report.context import CHAT_TABLES, SURVEY_TABLES
from buurtpreventie.report.render import pdf_date, source_epoch, write_pdf

sm = snakemake  # noqa: F821 (injected by Snakemake)

with job(sm, __file__) as log:
    inputs = dict(sm.input.items())
    tables = {name: inputs[name] for name in (*SURVEY_TABLES, *CHAT_TABLES) if name in inputs}
    html_path = Path(sm.output.html)
    figures = {
        name.removesuffix("_figure"): os.path.relpath(inputs[name], html_path.parent)
        for name in sm.params.figures
        if name in inputs
    }
    resources = {
        "codebook": sm.input.codebook,
        "scheme": sm.input.scheme,
        "words": sm.input.words,
        "references": sm.input.references,
        "templates": sm.params.templates,
        "css": sm.input.css,
    }
    records = load_records(sm.params.provenance_dir)
    html = report_html(tables, sm.config, resources, figures, pdf_date(sm.params.date), records)
    html_path.write_text(html, encoding="utf-8")
    write_pdf(html, html_path, sm.output.pdf, source_epoch(sm.params.date))
    log.info("report rendered from %d tables: %s", len(tables), ", ".join(tables))
