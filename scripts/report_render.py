"""Snakemake adapter for rule report: results/ -> rapport.html and claims.csv.

Every claim behind the report's result sentences is written to claims.csv and
recomputed from the tables (buurtpreventie.report.claims.check_claims); a false
claim fails the rule.
"""

import os
from pathlib import Path

from buurtpreventie.adapter import job, write_csv
from buurtpreventie.provenance import load_records
from buurtpreventie.report.build import render_context, report_context
from buurtpreventie.report.claims import check_claims, claims_frame, load_directions
from buurtpreventie.report.context import load_tables
from buurtpreventie.report.render import pdf_date

sm = snakemake  # noqa: F821 (injected by Snakemake)

with job(sm, __file__) as log:
    inputs = dict(sm.input.items())
    # The registered tables of this study the report reads (rule report's inputs).
    tables = {name: inputs[name] for name in sm.params.tables if name in inputs}
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
    context = report_context(
        tables, sm.config, resources, figures, pdf_date(sm.params.date), records,
        sm.params.panel_key,
    )  # fmt: skip
    # The colophon's config hash is computed once, here, from the job's config; the
    # rule's param (which reruns the report on any config change) must agree.
    if context["colophon"]["config_sha256"] != sm.params.config_sha256:
        raise ValueError(
            "config hash of the report job differs from the rule's: "
            f"{context['colophon']['config_sha256']} != {sm.params.config_sha256}"
        )
    claims = context["claims"]
    write_csv(claims_frame(claims), sm.output.claims)
    false = check_claims(claims, load_tables(tables), directions=load_directions(sm.input.words))
    if false:
        shown = "; ".join(false[:3])
        raise ValueError(
            f"{len(false)} of {len(claims)} report claims do not hold in the tables "
            f"(see {sm.output.claims}): {shown}"
        )
    log.info("%d report claims checked against the tables", len(claims))
    html = render_context(context, resources)
    html_path.write_text(html, encoding="utf-8")
    log.info("report rendered from %d tables: %s", len(tables), ", ".join(tables))
