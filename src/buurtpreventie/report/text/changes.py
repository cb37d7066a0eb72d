"""Section 3.3, the changes between waves (table 6) within each group."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import pandas as pd

from buurtpreventie.constants import ALPHA
from buurtpreventie.dutch import nl_no_zero
from buurtpreventie.report.claims import Claim, rows_key
from buurtpreventie.report.text.words import (
    Small,
    Words,
    _chance_claims,
    _claim,
    _in_order,
    _row_claims,
    _sentence,
    _sign,
    _significant,
    chance_phrase,
    count,
    join_nl,
    number_word,
    part_is,
    plural,
)

# --- changes between waves (table 6) ---------------------------------------------------


@dataclass(frozen=True)
class ChangeFindings:
    """Before vs after per group, for one later wave against the baseline."""

    wave_to: str
    #: (indicator, buurt, groep, sign of the change) of significant changes
    changes: list[tuple[str, str, str, int]]
    #: (indicator, buurt, description) of patterns in the aimed-for direction
    desired: list[tuple[str, str, str]]
    #: (indicator, buurt, description) of patterns against it
    undesired: list[tuple[str, str, str]]
    tests: int
    paragraphs: list[str]
    conclusion: list[str]
    #: the claims behind the paragraphs and the conclusion
    claims: list[Claim] = field(default_factory=list)
    #: the judged comparisons with a p-value (the chance expectation counts these)
    tested: int = 0
    #: the baseline wave
    wave_from: str = ""


def _change_detail(words: Words, row) -> str:
    return (
        f"van {words.mean(row.indicator, row.mean_from)} naar "
        f"{words.mean(row.indicator, row.mean_to)}; d = {nl_no_zero(row.d)}"
    )


def _group_clause(words: Words, group_name: str, rows: Sequence, front: str = "") -> str:
    """``front`` + verb + group + changes: "In Lombardijen nam in de controlegroep ... af"."""
    group = f"in de {group_name}"
    lead, where = (front, f" {group}") if front else (group, "")
    if not rows:
        return f"{lead} veranderde{where} geen enkele indicator significant"
    up = [r for r in rows if r.d > 0]
    down = [r for r in rows if r.d <= 0]
    clauses = []
    for items, verb in ((up, "toe"), (down, "af")):
        if items:
            listed = join_nl(
                f"{words.noun(r.indicator)} ({_change_detail(words, r)})" for r in items
            )
            clauses.append(f"{plural(len(items), 'nam', 'namen')}{where} {listed} {verb}")
            where = ""
    return f"{lead} " + " en ".join(clauses)


def change_findings(
    prepost: pd.DataFrame,
    words: Words,
    waves: Mapping[str, str],
    wave_to: str,
    small: Small = frozenset(),
    alpha: float = ALPHA,
    order: Sequence[str] = (),
) -> ChangeFindings:
    """Significant changes of each group between the baseline and ``wave_to``.

    Parameters
    ----------
    prepost : DataFrame
        ``results/tables/prepost.csv``; rows of kind ``baseline`` to ``wave_to`` are used.
    words : Words
    waves : mapping
        Wave id -> label, in time order.
    wave_to : str
        The later wave.
    small : set of (indicator, buurt, groep, wave)
        Small cells; their comparisons are not judged.
    alpha : float
    order : sequence of str
        The buurten in report order; empty: as they come in ``prepost``.
    """
    part = prepost[(prepost["kind"] == "baseline") & (prepost["wave_to"] == wave_to)]
    wave_from = str(part["wave_from"].iloc[0]) if len(part) else next(iter(waves))
    buurten = _in_order(part["buurt"], order)
    judged = [
        r
        for r in part.itertuples(index=False)
        if (r.indicator, r.buurt, r.groep, r.wave_from) not in small
        and (r.indicator, r.buurt, r.groep, r.wave_to) not in small
    ]
    sig = [r for r in judged if _significant(r.p, alpha)]
    changes = [(r.indicator, r.buurt, r.groep, _sign(r.d)) for r in sig]
    paragraphs = []
    for buurt in buurten:
        by_group = {g: [r for r in sig if r.buurt == buurt and r.groep == g] for g in words.groepen}
        if not any(by_group.values()):
            paragraphs.append(
                _sentence(
                    f"{words.buurt_in(buurt)} veranderde in geen van beide groepen een "
                    f"indicator significant"
                )
            )
            continue
        clauses = [
            _group_clause(
                words,
                words.groepen[g]["name"],
                by_group[g],
                words.buurt_in(buurt) if i == 0 else "",
            )
            for i, g in enumerate(by_group)
        ]
        paragraphs.append(_sentence("; ".join(clauses)))
    desired, undesired = _patterns(judged, words, alpha)
    from_label, to_label = waves[wave_from].lower(), waves[wave_to].lower()
    tested = [r for r in judged if not _missing(r.p)]
    improved = sum(_sign(r.d) * words.better(r.indicator) > 0 for r in sig)
    claims = [
        c
        for r in judged
        for c in _row_claims(
            "bevindingen", f"changes.{wave_to}", "prepost", r,
            {"indicator": r.indicator, "buurt": r.buurt, "groep": r.groep, "kind": "baseline",
             "wave_to": wave_to}, "p", "d", alpha,
        )
    ]  # fmt: skip
    if len(judged) == len(part):  # no small cell left out: the counts are of the whole table
        rows = rows_key(kind="baseline", wave_to=wave_to)
        sentence = f"changes.{wave_to}.count"
        claims += _chance_claims("conclusie", sentence, "prepost", rows, len(sig), len(tested),
                                 alpha)  # fmt: skip
        claims.append(
            _claim("conclusie", sentence, "count", "prepost", rows, improved,
                   "p<alpha & intended(d)>0")
        )  # fmt: skip
    conclusion = _change_conclusion(
        words, from_label, to_label, len(tested), len(sig), improved, desired, undesired, alpha
    )
    return ChangeFindings(
        wave_to, changes, desired, undesired, len(judged), paragraphs, conclusion, claims,
        len(tested), wave_from,
    )  # fmt: skip


def _missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def _movement(group: str, sign: int, better: int) -> str:
    """How one group moved on an indicator, judged by the direction the indicator aims for.

    ``sign`` is the sign of a significant change (0: none), ``better`` the
    indicator's aim (``words.yaml``): a fall of an indicator where lower is
    better is an improvement. ``"de experimentele groep verbeterde, met een
    afname"``, ``"de controlegroep veranderde niet significant"``.
    """
    if not sign:
        return f"de {group} veranderde niet significant"
    verdict = "verbeterde" if sign * better > 0 else "verslechterde"
    return f"de {group} {verdict}, met een {'toename' if sign > 0 else 'afname'}"


def _patterns(judged, words: Words, alpha: float):
    """Per indicator x buurt: does E move the aimed-for way relative to C?

    The description names the group that moved first and says, per group,
    whether it improved or got worse (:func:`_movement`), so a fall of the
    onveiligheidsgevoel reads as an improvement.
    """
    cells: dict[tuple[str, str], dict[str, object]] = {}
    for r in judged:
        cells.setdefault((r.indicator, r.buurt), {})[r.groep] = r
    desired, undesired = [], []
    e_name, c_name = words.groepen["E"]["name"], words.groepen["C"]["name"]
    for (indicator, buurt), groups in cells.items():
        if "E" not in groups or "C" not in groups:
            continue
        better = words.better(indicator)
        e, c = groups["E"], groups["C"]
        e_sign = _sign(e.d) if _significant(e.p, alpha) else 0
        c_sign = _sign(c.d) if _significant(c.p, alpha) else 0
        e_dir, c_dir = e_sign * better, c_sign * better
        e_says, c_says = _movement(e_name, e_sign, better), _movement(c_name, c_sign, better)
        how = f"{e_says}; {c_says}" if e_sign else f"{c_says}; {e_says}"
        if (e_dir > 0 and c_dir <= 0) or (e_dir == 0 and c_dir < 0):
            desired.append((indicator, buurt, how))
        elif (e_dir < 0 and c_dir >= 0) or (e_dir == 0 and c_dir > 0):
            undesired.append((indicator, buurt, how))
    return desired, undesired


def _of_them(total: int, part: int) -> str:
    """``"alle zes wijzen"``, ``"geen ervan wijst"``, ``"vier daarvan wijzen"``."""
    if part == total:
        return "die ene wijst" if total == 1 else f"alle {number_word(total)} wijzen"
    if part == 0:
        return "geen ervan wijst"
    return f"{number_word(part)} daarvan {plural(part, 'wijst', 'wijzen')}"


def _change_conclusion(
    words, from_label, to_label, tests, n_sig, improved, desired, undesired, alpha=ALPHA
):
    """Count of significant changes against chance and direction, then the E-vs-C patterns."""
    span = f"van een groep tussen de {from_label} en de {to_label}"
    text = _sentence(
        f"{part_is(n_sig, tests, f'vergelijking {span}', f'vergelijkingen {span}', 'is', 'zijn')} "
        f"significant; {chance_phrase(n_sig, tests, alpha)}"
    )
    if n_sig:
        worse = n_sig - improved
        text += " " + _sentence(
            f"{_of_them(n_sig, improved)} de richting op die voor de indicator gewenst is"
            + (f", {number_word(worse)} de andere kant op" if worse else "")
        )
    if desired:
        listed = join_nl(f"{words.noun(i)} {words.buurt_in(b)} ({how})" for i, b, how in desired)
        text += " " + _sentence(
            f"{count(len(desired), 'patroon wijst', 'patronen wijzen')} in de gewenste richting: "
            f"{listed}"
        )
        indicators = [i for i, _, _ in desired]
        in_all = sorted({i for i in indicators if indicators.count(i) > 1})
        if in_all:
            text += " " + _sentence(
                f"{join_nl(words.noun(i) for i in in_all)} "
                f"{plural(len(in_all), 'verandert', 'veranderen')} in meer dan één buurt in de "
                f"gewenste richting"
            )
        else:
            text += " " + _sentence(
                plural(len(desired), "deze verandering doet", "geen van deze veranderingen doet")
                + f" zich {plural(len(desired), 'niet ', '')}in meer dan één buurt voor"
            )
    else:
        text += " " + _sentence("geen enkel patroon wijst in de gewenste richting")
    if undesired:
        listed = join_nl(f"{words.noun(i)} {words.buurt_in(b)} ({how})" for i, b, how in undesired)
        text += " " + _sentence(
            f"{count(len(undesired), 'patroon wijst', 'patronen wijzen')} de andere kant op: "
            f"{listed}"
        )
    return [text]
