"""The whole report in one call: results tables and resources in, HTML out.

:func:`report_html` is what the Snakemake rule ``report`` runs (before
:func:`~buurtpreventie.report.render.write_pdf`), and what the tests run on a
perturbed copy of the results.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from buurtpreventie.report.context import build_context, load_scheme, load_tables
from buurtpreventie.report.render import render_html
from buurtpreventie.report.text import load_words
from buurtpreventie.survey.codebook import load_codebook
from buurtpreventie.yamlio import load_yaml

__all__ = ["render_context", "report_context", "report_html"]


def report_html(
    tables: Mapping[str, str | Path],
    config: Mapping[str, Any],
    resources: Mapping[str, str | Path],
    figures: Mapping[str, str],
    pdf_date: str = "",
    provenance: Sequence[Mapping[str, Any]] = (),
    panel_key: bool | None = None,
) -> str:
    """Render the report's HTML (:func:`report_context`, then the templates)."""
    context = report_context(tables, config, resources, figures, pdf_date, provenance, panel_key)
    return render_context(context, resources)


def render_context(context: Mapping[str, Any], resources: Mapping[str, str | Path]) -> str:
    """The HTML of a context built by :func:`report_context`."""
    return render_html(context, resources["templates"], resources["css"], "rapport.html.j2")


def report_context(
    tables: Mapping[str, str | Path],
    config: Mapping[str, Any],
    resources: Mapping[str, str | Path],
    figures: Mapping[str, str],
    pdf_date: str = "",
    provenance: Sequence[Mapping[str, Any]] = (),
    panel_key: bool | None = None,
) -> dict[str, Any]:
    """The report's template context, with its claims (``context["claims"]``).

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
    panel_key : bool or None
        Whether a panel key was set (``None``: not known).

    Returns
    -------
    dict
    """
    codebook = load_codebook(resources["codebook"])
    with open(resources["codebook"], encoding="utf-8") as handle:
        version = str(load_yaml(handle).get("version", ""))
    with open(resources["references"], encoding="utf-8") as handle:
        references = load_yaml(handle)
    ranges = {i.id: (i.low, i.high) for i in codebook.indicators}
    return build_context(
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
        panel_key,
    )
