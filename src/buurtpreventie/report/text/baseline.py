"""Section 3.1, the baseline (table 4): differences between the groups at the first wave."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import pandas as pd

from buurtpreventie.constants import ALPHA
from buurtpreventie.dutch import nl_no_zero
from buurtpreventie.report.claims import Claim, rows_key, size_word
from buurtpreventie.report.text.words import (
    Small,
    Words,
    _claim,
    _in_order,
    _row_claims,
    _scoped,
    _sentence,
    _sign,
    _significant,
    count,
    in_every_buurt,
    join_nl,
    number_word,
    plural,
)

# --- baseline (table 4) ----------------------------------------------------------------


@dataclass(frozen=True)
class BaselineFindings:
    """E vs C at the baseline, judged per indicator x buurt."""

    #: indicator -> {buurt: sign of E minus C} for significant differences
    significant: dict[str, dict[str, int]]
    #: indicators significant in every buurt, in the same direction
    everywhere: list[str]
    #: buurt -> indicators significant in that buurt only (or not in the same direction)
    partly: dict[str, list[str]]
    #: indicators significant in no buurt
    nowhere: list[str]
    #: (indicator, buurt) pairs not judged because of a small cell
    not_judged: list[tuple[str, str]]
    paragraphs: list[str]
    conclusion: list[str]
    #: the claims behind the paragraphs and the conclusion
    claims: list[Claim] = field(default_factory=list)


def baseline_findings(
    baseline: pd.DataFrame,
    words: Words,
    wave_label: str,
    small: Small = frozenset(),
    wave: str = "",
    alpha: float = ALPHA,
    scope: str = "",
    order: Sequence[str] = (),
) -> BaselineFindings:
    """Which indicators differ between E and C at the baseline, in which direction.

    Parameters
    ----------
    baseline : DataFrame
        ``results/tables/baseline.csv``.
    words : Words
        Names and phrases.
    wave_label : str
        The baseline wave's label (``"Voormeting"``).
    small : set of (indicator, buurt, groep, wave)
        Small cells; a comparison with one is not judged.
    wave : str
        The baseline wave id (to look up small cells).
    alpha : float
        Significance level.
    scope : str
        An adjective for the buurten when they are a selection of the study's
        (``"getoonde"``: "in beide getoonde buurten"); empty when they are all.
    order : sequence of str
        The buurten in report order; empty: as they come in ``baseline``.
    """
    indicators = list(dict.fromkeys(baseline["indicator"]))
    buurten = _in_order(baseline["buurt"], order)
    significant: dict[str, dict[str, int]] = {}
    not_judged: list[tuple[str, str]] = []
    rows = {(r.indicator, r.buurt): r for r in baseline.itertuples(index=False)}
    for (indicator, buurt), row in rows.items():
        if (indicator, buurt, "E", wave) in small or (indicator, buurt, "C", wave) in small:
            not_judged.append((indicator, buurt))
            continue
        if _significant(row.p, alpha):
            significant.setdefault(indicator, {})[buurt] = _sign(row.mean_e - row.mean_c)
    everywhere = [
        i
        for i in indicators
        if len(significant.get(i, {})) == len(buurten) and len(set(significant[i].values())) == 1
    ]
    partly = {
        b: [i for i in indicators if b in significant.get(i, {}) and i not in everywhere]
        for b in buurten
    }
    nowhere = [
        i
        for i in indicators
        if not significant.get(i) and all((i, b) not in not_judged for b in buurten)
    ]
    wave_text = wave_label.lower()
    people = words.groepen["E"]["people"]
    others = words.groepen["C"]["people"]
    paragraphs: list[str] = []
    if everywhere:
        phrases = [words.phrase(i, significant[i][buurten[0]]) for i in everywhere]
        where = in_every_buurt(buurten, words, scope)
        paragraphs.append(
            _sentence(
                f"{where} verschillen de {people} bij de {wave_text} significant van hun "
                f"buurtgenoten op {count(len(everywhere), 'indicator', 'indicatoren')}: "
                f"{join_nl(words.noun(i) for i in everywhere)}"
            )
            + " "
            + _sentence(f"{people} {join_nl(phrases)} dan {others}")
        )
    for buurt, items in partly.items():
        if not items:
            continue
        phrases = [words.phrase(i, significant[i][buurt]) for i in items]
        elsewhere = [b for b in buurten if b != buurt]
        opening = "alleen " + words.buurt_in(buurt) if elsewhere else words.buurt_in(buurt)
        text = _sentence(
            f"{opening} verschillen de groepen {'daarnaast ' if everywhere else ''}"
            f"significant in {join_nl(words.noun(i) for i in items)}: "
            f"{people} {join_nl(phrases)} dan {others}"
        )
        if elsewhere:
            text += " " + _sentence(
                f"{join_nl(words.buurt_in(b) for b in elsewhere)} "
                f"{plural(len(items), 'is dat verschil', 'zijn die verschillen')} niet significant"
            )
        paragraphs.append(text)
    if not significant:
        paragraphs.append(
            _sentence(
                f"bij de {wave_text} verschillen de {people} op geen enkele indicator "
                f"significant van hun buurtgenoten"
            )
        )
    elif nowhere:
        paragraphs.append(
            _sentence(
                f"op {join_nl(words.noun(i) for i in nowhere)} verschillen {people} en "
                f"{others} in geen van de {_scoped(scope)}buurten significant"
            )
        )
    claims = [
        c
        for (indicator, buurt), row in rows.items()
        if (indicator, buurt) not in not_judged
        for c in _row_claims(
            "bevindingen", "baseline.differences", "baseline", row,
            {"indicator": indicator, "buurt": buurt}, "p", "d", alpha,
        )
    ]  # fmt: skip
    size, size_claims = _size_sentence(rows, everywhere, buurten, words)
    if size:
        paragraphs.append(size)
        claims += size_claims
    robust, robust_claims = _robustness_sentence(rows, significant, alpha)
    if robust:
        paragraphs.append(robust)
        claims += robust_claims
    if not_judged:
        paragraphs.append(
            _sentence(
                f"niet beoordeeld wegens te weinig respondenten: "
                f"{join_nl(f'{words.noun(i)} {words.buurt_in(b)}' for i, b in not_judged)}"
            )
        )
    conclusion = _baseline_conclusion(
        words, wave_text, everywhere, partly, nowhere, significant, scope
    )
    return BaselineFindings(
        significant, everywhere, partly, nowhere, not_judged, paragraphs, conclusion, claims
    )


def _size_sentence(rows, everywhere, buurten, words) -> tuple[str, list[Claim]]:
    """Where the differences found in every buurt are largest, with the largest one."""
    if not everywhere or len(buurten) < 2:
        return "", []
    larger = {
        b: sum(abs(rows[(i, b)].d) >= max(abs(rows[(i, o)].d) for o in buurten) for i in everywhere)
        for b in buurten
    }
    leader = max(buurten, key=lambda b: larger[b])
    indicator, buurt = max(
        ((i, b) for i in everywhere for b in buurten), key=lambda ib: abs(rows[ib].d)
    )
    row = rows[(indicator, buurt)]
    size = size_word(row.d)
    largest = (
        f"het grootste verschil is dat in {words.noun(indicator)} {words.buurt_in(buurt)}: "
        f"gemiddeld {words.mean(indicator, row.mean_e)} bij de "
        f"{words.groepen['E']['people']} tegen {words.mean(indicator, row.mean_c)} bij de "
        f"{words.groepen['C']['people']} (d = {nl_no_zero(row.d)}, volgens de maatstaf van "
        f"Cohen een {size} effect)"
    )
    winner = rows_key(indicator=indicator, buurt=buurt)
    claims = [
        _claim("bevindingen", "baseline.largest", "superlative", "baseline",
               rows_key(indicator=everywhere, buurt=buurten), winner, "max abs(d)"),
        _claim("bevindingen", "baseline.largest", "size", "baseline", winner, size, "d"),
    ]  # fmt: skip
    if larger[leader] == len(everywhere):
        claims += [
            _claim("bevindingen", "baseline.leader", "superlative", "baseline",
                   rows_key(indicator=i, buurt=buurten), rows_key(indicator=i, buurt=leader),
                   "max abs(d)")
            for i in everywhere
        ]  # fmt: skip
        others = join_nl(words.buurt_in(b) for b in buurten if b != leader)
        lead = (
            f"{words.buurt_in(leader)} "
            f"{plural(len(everywhere), 'is dat verschil', 'zijn deze verschillen')} "
            f"groter dan {others} (Cohen's d)"
        )
        return _sentence(lead) + " " + _sentence(largest), claims
    return _sentence(
        f"welke buurt het grootste verschil laat zien, wisselt per indicator; {largest}"
    ), claims


def _robustness_sentence(rows, significant, alpha) -> tuple[str, list[Claim]]:
    """Do the significant differences hold with Welch's test and after adjustment (ANCOVA)?"""
    cells = [(i, b) for i, by in significant.items() for b in by]
    if not cells:
        return "", []
    claims = [
        _claim("bevindingen", "baseline.robust",
               "significant" if _significant(getattr(rows[c], column), alpha)
               else "not_significant",
               "baseline", rows_key(indicator=c[0], buurt=c[1]), getattr(rows[c], column), column)
        for column in ("p_adjusted", "p_welch")
        for c in cells
    ]  # fmt: skip
    adjusted = [c for c in cells if _significant(rows[c].p_adjusted, alpha)]
    welch = [c for c in cells if _significant(rows[c].p_welch, alpha)]
    m = len(cells)
    if len(adjusted) == m:
        kept = (
            "blijft het verschil significant"
            if m == 1
            else f"blijven alle {number_word(m)} verschillen significant"
        )
    elif not adjusted:
        kept = (
            "is het verschil niet meer significant"
            if m == 1
            else f"is geen van de {number_word(m)} verschillen nog significant"
        )
    else:
        kept = (
            f"{plural(len(adjusted), 'blijft', 'blijven')} er {number_word(len(adjusted))} "
            f"van de {number_word(m)} verschillen significant"
        )
    text = _sentence(f"na correctie voor geslacht en leeftijdscategorie (ANCOVA) {kept}")
    if len(welch) == m:
        text += " " + _sentence(
            "de toets van Welch, die geen gelijke varianties veronderstelt, "
            f"{plural(m, 'bevestigt het verschil', 'bevestigt ze alle')}"
        )
    else:
        text += " " + _sentence(
            f"met de toets van Welch, die geen gelijke varianties veronderstelt, "
            f"{plural(m - len(welch), 'valt', 'vallen')} er "
            f"{number_word(m - len(welch))} weg"
        )
    return text, claims


def _baseline_conclusion(
    words, wave_text, everywhere, partly, nowhere, significant, scope=""
) -> list[str]:
    people = words.groepen["E"]["people"]
    others = words.groepen["C"]["people"]
    if not significant:
        return [
            _sentence(
                f"bij de {wave_text} verschillen {people} en {others} niet meer dan toeval kan "
                f"verklaren: de uitgangssituatie is in de experimentele groepen en de "
                f"controlegroepen vergelijkbaar"
            )
        ]
    parts = [
        # "bij de <label>": a wave label reads as a noun after "bij" ("bij de start"),
        # not always as the subject of a sentence ("De start laat zien")
        _sentence(f"bij de {wave_text} blijkt dat {people} al bij aanvang verschillen van {others}")
    ]
    if everywhere:
        where = in_every_buurt(list(partly), words, scope)
        phrases = [words.phrase(i, next(iter(significant[i].values()))) for i in everywhere]
        parts.append(_sentence(f"{where} geldt: {people} {join_nl(phrases)} dan {others}"))
    for buurt, items in partly.items():
        if items:
            phrases = [words.phrase(i, significant[i][buurt]) for i in items]
            parts.append(
                _sentence(
                    f"{words.buurt_in(buurt)} verschillen de groepen "
                    f"{'daarnaast ' if everywhere else ''}in "
                    f"{join_nl(words.noun(i) for i in items)}: "
                    f"{people} {join_nl(phrases)} dan {others}"
                )
            )
    if nowhere:
        parts.append(
            _sentence(
                f"op {join_nl(words.noun(i) for i in nowhere)} is er geen verschil "
                f"tussen de groepen"
            )
        )
    method = _sentence(
        "de experimentele groepen en de controlegroepen beginnen dus niet gelijk; "
        "daarom vergelijken we hierna elke groep met zichzelf en, in de "
        "difference-in-differences, de veranderingen van beide groepen met elkaar"
    )
    return [" ".join(parts), method]
