"""The appendices (bijlagen): questionnaire routing, respondent flow, audit, published tables."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from buurtpreventie.dutch import (
    MISSING,
    is_missing,
    nl_int,
    nl_no_zero,
    nl_number,
    nl_p,
    nl_pct,
)
from buurtpreventie.report.text.words import Words, _sentence, join_nl, plural
from buurtpreventie.report.text.words import count as count_phrase


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


# --- Bijlage B: the cells, checks and notes of the audit and the comparison, in Dutch ----------
#
# audit.csv and published_vs_reproduced.csv are the auditor's files, in English, with the
# cell keys of the code ("Essenburgbuurt-E voormeting Man", "T6_meldingsbereidheid_
# Lombardijen_C", "sociale_cohesie lombardijen E voormeting"). The report never prints
# those: a cell key becomes a Dutch label (:func:`cell_label`) and a note is worded anew
# from the numbers behind it (``detail_values`` and ``note_values``, JSON).


@dataclass(frozen=True)
class CellWords:
    """What the parts of a cell key are called in the report.

    ``indicators`` (id -> label), ``buurten`` (id -> name), ``waves`` (id -> label) and
    ``groepen`` (``E``/``C`` -> name); :func:`cell_words` builds it from the context.
    """

    indicators: Mapping[str, str]
    buurten: Mapping[str, str]
    waves: Mapping[str, str]
    groepen: Mapping[str, str]


#: No words known: every part of a cell key is kept, in lower case, without ``_``.
NO_CELL_WORDS = CellWords(indicators={}, buurten={}, waves={}, groepen={})

#: Indicator ids of the published tables that the codebook calls otherwise.
INDICATOR_ALIASES = {"onveilig_voelen": "onveiligheidsgevoel"}
#: Other words of the cell keys.
CELL_WORDS = {
    "appdeelnemers": "appdeelnemers",
    "response rate": "respons",
    "respons": "respons",
    "gemiddelde_leeftijdscategorie": "gemiddelde leeftijdscategorie",
}
#: The published tables whose comparison ids (``T4_...``) compare the two groups.
GROUP_COMPARISONS = {"t4"}
_SEPARATORS = " _-/"


def cell_words(
    indicators: Sequence[Mapping[str, str]],
    buurten: Mapping[str, Mapping[str, str]],
    waves: Sequence[Mapping[str, str]],
    groepen: Mapping[str, Mapping[str, str]],
) -> CellWords:
    """The :class:`CellWords` of a study from the context's indicators, buurten and waves."""
    return CellWords(
        indicators={i["id"]: i["label"] for i in indicators},
        buurten={b: w["name"] for b, w in buurten.items()},
        waves={w["id"]: w["label"] for w in waves},
        groepen={g: w["name"] for g, w in groepen.items()},
    )


def _phrases(words: CellWords) -> list[tuple[str, str, str]]:
    """(phrase in lower case, part, Dutch) for every known word of a cell key, longest first."""
    phrases = [(k.lower(), "indicator", v) for k, v in words.indicators.items()]
    phrases += [
        (k, "indicator", words.indicators.get(v, v.replace("_", " ").capitalize()))
        for k, v in INDICATOR_ALIASES.items()
    ]
    phrases += [(k.lower(), "buurt", v) for k, v in words.buurten.items()]
    phrases += [(k.lower(), "wave", v.lower()) for k, v in words.waves.items()]
    phrases += [(k.lower(), "groep", v) for k, v in words.groepen.items()]
    both = " en ".join(words.groepen.get(g, g) for g in ("E", "C"))
    phrases += [("e-c", "groep", both)]
    phrases += [(k, "word", v) for k, v in CELL_WORDS.items()]
    phrases += [(f"{t}{i}", "table", f"t{i}") for t in ("t", "tabel") for i in range(1, 10)]
    return sorted(phrases, key=lambda p: -len(p[0]))


def cell_parts(cell: str, words: CellWords) -> dict[str, list[str]]:
    """The parts of a cell key, in Dutch: indicator, buurt, groep, wave, word and ``other``.

    Known words are matched longest first between separators (space, ``_``, ``-``,
    ``/``); an unknown stretch (a characteristic such as ``Geen inwonende kinderen``)
    is kept, in lower case, under ``other``.
    """
    low = str(cell).lower()
    phrases = _phrases(words)
    parts: dict[str, list[str]] = {}
    unknown: list[str] = []
    i = 0

    def flush() -> None:
        if unknown:
            parts.setdefault("other", []).append(" ".join(unknown))
            unknown.clear()

    while i < len(low):
        if low[i] in _SEPARATORS:
            if low[i] == "/":
                flush()
            i += 1
            continue
        for phrase, part, dutch in phrases:
            end = i + len(phrase)
            if low.startswith(phrase, i) and (end == len(low) or low[end] in _SEPARATORS):
                flush()
                parts.setdefault(part, []).append(dutch)
                i = end
                break
        else:
            end = i
            while end < len(low) and low[end] not in _SEPARATORS:
                end += 1
            unknown.append(low[i:end])
            i = end
    flush()
    return parts


def cell_label(cell: str, words: CellWords) -> str:
    """A cell key as the report names it.

    ``"Essenburgbuurt-E voormeting Man"`` -> ``"Essenburgbuurt, experimentele groep,
    voormeting: man"``; ``"T4_meldingsbereidheid_Essenburgbuurt"`` -> ``"Meldingsbereidheid,
    Essenburgbuurt: experimentele groep en controlegroep"``.
    """
    parts = cell_parts(cell, words)
    groepen = parts.get("groep", [])
    if not groepen and set(parts.get("table", [])) & GROUP_COMPARISONS:
        groepen = [" en ".join(words.groepen.get(g, g) for g in ("E", "C"))]
    waves = parts.get("wave", [])
    head = [*parts.get("indicator", []), *parts.get("buurt", [])]
    tail = [*groepen, " tot ".join(waves)] if waves else list(groepen)
    tail += parts.get("word", [])
    detail = join_nl(parts.get("other", []))
    label = ", ".join(x for x in (*head, *tail) if x)
    if detail:
        label = f"{label}: {detail}" if label else detail
    return label[:1].upper() + label[1:]


def _values(raw: object) -> dict[str, Any]:
    """The JSON of ``detail_values`` or ``note_values``; empty when missing or unreadable."""
    if is_missing(raw):
        return {}
    try:
        values = json.loads(str(raw))
    except ValueError:
        return {}
    return values if isinstance(values, dict) else {}


#: When an audit row has no numbers (an older audit.csv): what the check found.
AUDIT_FALLBACK = {
    "GRIM+GRIMMER": "het gedrukte gemiddelde of de SD is met hele antwoorden niet haalbaar",
    "GRIM": "het gedrukte gemiddelde is met hele antwoorden niet haalbaar",
    "GRIMMER": "de gedrukte SD is met hele antwoorden en dit gemiddelde niet haalbaar",
    "p recomputed": "de gedrukte p-waarde volgt niet uit de gedrukte N, gemiddelden en SD's",
    "count vs percentage": "het gedrukte percentage past niet bij het gedrukte aantal",
    "percentages add to 100": "de gedrukte percentages tellen niet op tot 100%",
    "base within table 1": "de aantallen tellen op tot meer dan de N in tabel 1",
    "bases per characteristic": "de basis verschilt per kenmerk",
}


def audit_note(check: str, values: object) -> str:
    """What an audit check found, in Dutch, from its ``detail_values``.

    ``count vs percentage`` with ``{"count": 21, "base": 66, "share": 31.82, "printed":
    "32,8%", "implied": 64.0}`` -> ``"21 van 66 is 31,8%; gedrukt staat 32,8% (dat past
    bij een basis van ongeveer 64)"``.
    """
    v = _values(values)
    try:
        sentence = _audit_sentence(check, v)
    except (KeyError, TypeError, ValueError):
        sentence = ""
    return _sentence(
        sentence or AUDIT_FALLBACK.get(check, "de gedrukte getallen spreken elkaar tegen")
    )


def _audit_sentence(check: str, v: Mapping[str, Any]) -> str:
    if not v:
        return ""
    if check == "count vs percentage":
        if "implied" in v:
            return (
                f"{nl_int(v['count'])} van {nl_int(v['base'])} is {nl_pct(v['share'])}; gedrukt "
                f"staat {v['printed']} (dat past bij een basis van ongeveer "
                f"{nl_number(v['implied'], 0)})"
            )
        return (
            f"{nl_int(v['count'])} van de {nl_int(v['base'])} appdeelnemers is "
            f"{nl_pct(v['share'])}; gedrukt staat {v['printed']}"
        )
    if check == "percentages add to 100":
        return f"{' + '.join(v['printed'])} = {nl_pct(v['total'])}, niet 100%"
    if check == "base within table 1":
        return (
            f"de aantallen tellen op tot {nl_int(v['base'])}, meer dan de N van "
            f"{nl_int(v['limit'])} in tabel 1"
        )
    if check == "bases per characteristic":
        bases = join_nl(f"{k.lower()} {nl_int(b)}" for k, b in v["bases"].items())
        limit = "" if v.get("limit") is None else f"; N in tabel 1 is {nl_int(v['limit'])}"
        return f"de basis verschilt per kenmerk ({bases}){limit}"
    if check == "p recomputed":
        return (
            f"gedrukt staat p = {v['printed']}; de gedrukte N, gemiddelden en SD's geven een p "
            f"tussen {nl_no_zero(v['low'], 4)} en {nl_no_zero(v['high'], 4)}"
        )
    if check in ("GRIM", "GRIMMER"):
        if check == "GRIM":
            return (
                f"een gemiddelde van {v['mean']} is met N = {nl_int(v['n'])} hele antwoorden "
                "niet haalbaar"
            )
        return (
            f"een SD van {v['sd']} is bij N = {nl_int(v['n'])} en een gemiddelde van {v['mean']} "
            "met hele antwoorden niet haalbaar"
        )
    if check == "GRIM+GRIMMER":
        return (
            f"{count_phrase(v['pairs'], 'verdeling', 'verdelingen')} van hele antwoorden "
            f"{plural(v['pairs'], 'geeft', 'geven')} N = {nl_int(v['n'])}, gemiddelde "
            f"{v['mean']} en SD {v['sd']}"
        )
    return ""


def comparison_note(reason_values: object, published: object, reproduced_printed: object) -> str:
    """Why a published figure is printed otherwise here, in Dutch, from ``note_values``.

    Without a known reason: what each side prints (``"gedrukt staat 32; de reproductie
    geeft 22"``).
    """
    v = _values(reason_values)
    shown = str(published).strip() if not is_missing(published) else MISSING
    here = str(reproduced_printed).strip() if not is_missing(reproduced_printed) else MISSING
    reason = v.get("reason")
    try:
        if reason == "pct_not_count":
            return _sentence(
                f"gedrukt staat {shown}, maar {nl_int(v['count'])} van {nl_int(v['base'])} is "
                f"{nl_pct(v['share'])}; het gedrukte percentage past niet bij het gedrukte aantal"
            )
        if reason == "count_not_pct":
            return _sentence(
                f"het gedrukte aantal {shown} past niet bij het gedrukte percentage {v['pct']} "
                f"van {nl_int(v['base'])} (= {nl_int(v['count'])}); de reproductie volgt het "
                "percentage"
            )
        if reason == "count_slip":
            return _sentence(
                "het gedrukte percentage past bij het gereproduceerde aantal; de vergissing zit "
                "in het gedrukte aantal"
            )
        if reason == "missing":
            return _sentence("deze cel is niet gereproduceerd: de eigen tabellen hebben haar niet")
        if reason == "rate_from_counts":
            return _sentence(
                f"de aantallen van tabel 1 geven {nl_pct(v['share'])}; gedrukt staat {shown}"
            )
        if reason == "p_rounding":
            sentence = (
                f"de p-waarde {nl_no_zero(v['p'], 4)} wordt afgedrukt als {nl_p(v['p'])}, "
                f"binnen ,001 van de gedrukte {shown}"
            )
            if v.get("closest") is not None:
                sentence += (
                    f"; geen gegevens met de gedrukte N, gemiddelden en SD's geven {shown}, de "
                    f"dichtstbijzijnde haalbare p is {nl_no_zero(v['closest'], 4)}"
                )
            return _sentence(sentence)
    except (KeyError, TypeError, ValueError):
        pass
    return _sentence(f"gedrukt staat {shown}; de reproductie geeft {here}")


def skipped_sentence(sentence: str, waves: Mapping[str, str], buurten: Mapping[str, str]) -> str:
    """The workflow's reason for skipping the comparison, with labels for wave and buurt ids."""
    names = {**{k: v.lower() for k, v in waves.items()}, **buurten}
    if not names:
        return sentence
    pattern = r"\b(" + "|".join(re.escape(k) for k in sorted(names, key=len, reverse=True)) + r")\b"
    return re.sub(pattern, lambda m: names[m.group(1)], sentence)
