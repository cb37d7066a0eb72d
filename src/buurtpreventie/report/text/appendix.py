"""The appendices (bijlagen): questionnaire routing, respondent flow, audit, published tables."""

from __future__ import annotations

import re
from collections.abc import Mapping

from buurtpreventie.report.text.words import Words, _sentence, plural


def no_published_findings(published: object) -> list[str]:
    """Bijlage B without published tables: there was nothing to compare the results with."""
    return [
        _sentence(
            "voor deze studie zijn geen gepubliceerde tabellen opgegeven (de instelling "
            f"published in de configuratie is {'leeg' if not published else repr(published)}), "
            "dus er is niets om de uitkomsten mee te vergelijken: de vergelijking met een "
            "gepubliceerd rapport en de controle van zo'n rapport vervallen"
        )
    ]


# --- Bijlage A: the questionnaire ----------------------------------------------------------


def skip_phrase(skip_to: str | None, numbers: Mapping[str, object]) -> str:
    """Where a routing answer sends the respondent (``numbers``: question id -> its number)."""
    if skip_to == "end":
        return "einde van de vragenlijst"
    if skip_to:
        return f"verder naar vraag {numbers[skip_to]}"
    return ""


# --- Bijlage B: the respondent flow, the audit and the comparison --------------------------

#: The first row of the respondent flow.
FLOW_TOTAL = "Rijen in de exports"


def flow_cell_label(words: Words, buurt: str, groep: str) -> str:
    """A row of included respondents in the flow: ``"Lombardijen, experimentele groep"``."""
    return f"{words.buurten[buurt]['name']}, {words.groepen[groep]['name']}"


def flow_others_label(n: int) -> str:
    """The row of the buurten the chapters leave out, together."""
    return f"Overige buurten ({n} {plural(n, 'buurt', 'buurten')})"


# The audit's checks, in Dutch, in the order of the summary table.
AUDIT_CHECKS = {
    "GRIM+GRIMMER": "Gemiddelde en SD haalbaar met hele antwoorden (GRIM, GRIMMER)",
    "p recomputed": "p-waarde haalbaar uit N, M en SD",
    "count vs percentage": "Aantal past bij percentage",
    "percentages add to 100": "Percentages tellen op tot 100",
    "base within table 1": "Basis niet groter dan N in tabel 1",
    "bases per characteristic": "Basis per kenmerk gelijk (item-non-respons)",
}

#: The statistics of the comparison with the published tables, in Dutch.
STATISTIC_NAMES = {
    "n": "aantal (N)",
    "mean": "gemiddelde",
    "sd": "standaarddeviatie",
    "count": "aantal",
    "pct": "percentage",
    "p_category": "significantie",
    "cohens_d": "Cohen's d",
    "cronbach_alpha": "Cronbach's alpha",
    "response_rate": "respons",
}


def source_name(table: str) -> str:
    """``tabel4`` -> ``Tabel 4``; ``footnote`` -> ``Voetnoten``."""
    match = re.fullmatch(r"(tabel|footnote)\s*(\d+)", table)
    if match:
        kind = "Tabel" if match.group(1) == "tabel" else "Voetnoot"
        return f"{kind} {match.group(2)}"
    return {"footnote": "Voetnoten", "text": "Tekst"}.get(table, table)
