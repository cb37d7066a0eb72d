"""The whole report in one call: results tables and resources in, HTML out.

:func:`report_html` is what the Snakemake rule ``report`` runs (before
:func:`~buurtpreventie.report.render.write_pdf`), and what the tests run on a
perturbed copy of the results.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import yaml

from buurtpreventie.codebook import load_codebook
from buurtpreventie.report.context import build_context, load_scheme, load_tables
from buurtpreventie.report.render import render_html
from buurtpreventie.report.text import load_words

__all__ = ["report_html"]


def report_html(
    tables: Mapping[str, str | Path],
    config: Mapping[str, Any],
    resources: Mapping[str, str | Path],
    figures: Mapping[str, str],
    pdf_date: str = "",
    provenance: Sequence[Mapping[str, Any]] = (),
) -> str:
    """Render the report's HTML.

    Parameters
    ----------
    tables : mapping of name -> path
        The results tables (``results/tables/<name>.csv``).
    config : mapping
        The workflow config.
    resources : mapping
        Paths of ``codebook``, ``scheme`` (interventions), ``words``,
        ``references``, ``templates`` (folder) and ``css``.
    figures : mapping of name -> path
        Figure files as the HTML refers to them (relative to the HTML file).
    pdf_date : str
        The document date for the metadata.
    provenance : sequence of dict
        Provenance records (:func:`buurtpreventie.provenance.load_records`).

    Returns
    -------
    str
    """
    codebook = load_codebook(resources["codebook"])
    with open(resources["codebook"], encoding="utf-8") as handle:
        version = str(yaml.safe_load(handle).get("version", ""))
    with open(resources["references"], encoding="utf-8") as handle:
        references = yaml.safe_load(handle)
    ranges = {i.id: (i.low, i.high) for i in codebook.indicators}
    context = build_context(
        load_tables(tables),
        config,
        codebook,
        load_scheme(resources["scheme"]),
        load_words(resources["words"], ranges),
        figures,
        references,
        version,
        pdf_date,
        provenance,
    )
    return render_html(context, resources["templates"], resources["css"], "rapport.html.j2")
