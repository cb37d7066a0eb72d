"""Studies of many buurten: the selection of the main chapters and the summary across all."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pandas as pd

from buurtpreventie.constants import ALPHA
from buurtpreventie.dutch import nl_int, nl_no_zero, nl_number
from buurtpreventie.report.text.words import (
    Words,
    _sentence,
    _significant,
    capitalise,
    count,
    join_nl,
    number_word,
)

# --- studies of many buurten -----------------------------------------------------------


def selection_findings(
    buurten: Sequence[str], main: Sequence[str], words: Words, chosen: bool
) -> list[str]:
    """Which buurten the main chapters show, when they show a selection of the study's.

    Parameters
    ----------
    buurten : sequence of str
        All buurten of the study.
    main : sequence of str
        The buurten of the main chapters (:func:`buurtpreventie.report.selection.main_buurten`).
    words : Words
    chosen : bool
        The config names the main buurten (``report.buurten``); otherwise they
        are the first ones of the codebook.

    Returns
    -------
    list of str
        One paragraph, or none when the chapters show every buurt.
    """
    if len(main) >= len(buurten):
        return []
    how = (
        "gekozen in de configuratie (report.buurten)"
        if chosen
        else f"de eerste {number_word(len(main))} in de volgorde van het codeboek (een andere "
        f"keuze kan in de configuratie, report.buurten)"
    )
    return [
        _sentence(f"de studie omvat {count(len(buurten), 'buurt', 'buurten')}")
        + " "
        + _sentence(
            f"om de tabellen leesbaar te houden, tonen de hoofdstukken er "
            f"{number_word(len(main))} in hun tabellen, figuren en tekst: "
            f"{join_nl(words.buurt_name(b) for b in main)}, {how}"
        )
    ]


def places(buurten: Sequence[str], words: Words, shown: Sequence[str] | None = None) -> dict:
    """How the report names the study's buurten together, in a title and in sentences.

    Every buurt by name when the chapters show them all; otherwise their number.

    Returns
    -------
    dict
        ``names`` (``"Lombardijen en de Essenburgbuurt"``, or ``"Twaalf buurten"``),
        ``shown`` (the buurten of the chapters by name, with their article),
        ``in`` (``"in Lombardijen en in de Essenburgbuurt"``, or ``"in twaalf
        buurten"``), ``of`` (``"Lombardijen of de Essenburgbuurt"``, or ``"deze
        twaalf buurten"``) and ``every`` (``"beide buurten"``, ``"alle buurten"``,
        or the one buurt by name).
    """
    shown = list(buurten if shown is None else shown)
    if len(buurten) == 1:  # "in {every}" must read well in a study of one buurt too
        every = words.buurt_name(buurten[0])
    else:
        every = "beide buurten" if len(buurten) == 2 else "alle buurten"
    the_shown = join_nl(words.buurt_name(b) for b in shown)
    if len(shown) >= len(buurten):
        return {
            "names": join_nl(words.buurt_name(b) for b in buurten),
            "shown": the_shown,
            "in": join_nl(words.buurt_in(b) for b in buurten),
            "of": join_nl((words.buurt_name(b) for b in buurten), "of"),
            "every": every,
        }
    many = count(len(buurten), "buurt", "buurten")
    return {
        "names": capitalise(many),
        "shown": the_shown,
        "in": f"in {many}",
        "of": f"deze {many}",
        "every": every,
    }


def groups_findings(
    app_groups: Sequence[Mapping[str, object]], buurten: Sequence[str], words: Words
) -> list[str]:
    """The study's app groups in numbers, for a study the report has no description of.

    Parameters
    ----------
    app_groups : sequence of dict
        The config's ``app_groups`` (``id``, ``buurt``, ``members_at_start``).
    buurten : sequence of str
        All buurten of the study.
    words : Words
    """
    text = _sentence(
        f"het experiment liep in {count(len(buurten), 'buurt', 'buurten')}"
        + (f": {join_nl(words.buurt_name(b) for b in buurten)}" if len(buurten) <= 4 else "")
    )
    if not app_groups:
        return [text]
    per_buurt = {b: sum(1 for g in app_groups if g["buurt"] == b) for b in buurten}
    one_each = all(n == 1 for n in per_buurt.values())
    members = [int(g["members_at_start"]) for g in app_groups]
    text += " " + _sentence(
        (
            "elke buurt had een eigen WhatsApp-buurtpreventiegroep"
            if one_each
            else f"de buurten hadden samen {count(len(app_groups), 'appgroep', 'appgroepen')}"
        )
        + f"; bij de start telden de groepen samen {nl_int(sum(members))} deelnemers"
        + (
            f", elk {nl_int(members[0])}"
            if min(members) == max(members) and len(members) > 1
            else f", van {nl_int(min(members))} tot {nl_int(max(members))} per groep"
            if len(members) > 1
            else ""
        )
    )
    text += " " + _sentence(
        "de appdeelnemers van een buurt vormen samen de experimentele groep van die buurt"
    )
    return [text]


def all_buurten_findings(
    did: pd.DataFrame,
    words: Words,
    indicators: Sequence[str],
    wave_from: str,
    wave_to: str,
    alpha: float = ALPHA,
) -> list[str]:
    """Per indicator: in how many buurten the difference in differences is significant, which way.

    Parameters
    ----------
    did : DataFrame
        ``results/tables/did.csv``, the rows of one pair of waves, all buurten.
    words : Words
    indicators : sequence of str
        Indicator ids in the report's order.
    wave_from, wave_to : str
        The labels of the two waves (``"Voormeting"``, ``"Meting 3"``).
    alpha : float

    Returns
    -------
    list of str
        One paragraph.
    """
    did = did[did["estimate"].notna()]
    n = int(did["buurt"].nunique())
    sig = did[[_significant(p, alpha) for p in did["p"]]]
    clauses, none = [], []
    for indicator in indicators:
        own = sig[sig["indicator"] == indicator]
        up, down = int((own["estimate"] > 0).sum()), int((own["estimate"] < 0).sum())
        if not up and not down:
            none.append(indicator)
        elif up and down:
            clauses.append(
                f"bij {words.noun(indicator)} in {count(up, 'buurt', 'buurten')} positief en in "
                f"{number_word(down)} negatief"
            )
        else:
            way = "positief" if up else "negatief"
            clauses.append(
                f"bij {words.noun(indicator)} in {count(up or down, 'buurt', 'buurten')} {way}"
            )
    span = f"tussen de {wave_from.lower()} en de {wave_to.lower()}"
    if not clauses:
        return [
            _sentence(
                f"{span} is het verschil in verandering in geen van de {n} buurten op enige "
                f"indicator significant (p < {nl_no_zero(alpha)})"
            )
        ]
    text = _sentence(
        f"{span} is het verschil in verandering in een deel van de {n} buurten significant "
        f"(p < {nl_no_zero(alpha)}): {join_nl(clauses)}"
    )
    if none:
        text += " " + _sentence(
            f"bij {join_nl(words.noun(i) for i in none)} is het in geen enkele buurt significant"
        )
    text += " " + _sentence(
        f"door toeval alleen verwacht je bij {n} buurten per indicator ongeveer "
        f"{nl_number(alpha * n, 1)} significante schattingen, in beide richtingen samen"
    )
    lower = [i for i in indicators if words.better(i) < 0]
    text += " " + _sentence(
        "positief betekent dat de experimentele groep meer toenam (of minder afnam) dan de "
        "controlegroep"
        + (
            f"; bij {join_nl(words.noun(i) for i in lower)} is negatief de gewenste richting"
            if lower
            else ""
        )
    )
    return [text]
