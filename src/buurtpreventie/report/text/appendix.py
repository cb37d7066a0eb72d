"""The appendices (bijlagen): the comparison with the published report."""

from __future__ import annotations

from buurtpreventie.report.text.words import _sentence


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
