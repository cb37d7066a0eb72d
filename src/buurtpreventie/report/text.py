"""Dutch sentences written from the results: lists, plurals and the findings.

Every sentence of the report that depends on a result is made here, from the
results tables, so that other data gives other, still correct, text. The
helpers (:func:`join_nl`, :func:`count`, :func:`plural`) get Dutch lists
("a, b en c") and plurals right; the ``*_findings`` functions turn a results
table into structured findings and paragraphs.

Every sentence that states or presumes a result comes with the
:class:`~buurtpreventie.report.claims.Claim` objects it rests on (the
``claims`` of each finding); :func:`buurtpreventie.report.claims.check_claims`
recomputes them from the tables, apart from this module, and the report rule
fails on a false one. Size words ("klein", "groot") come only from the
effect-size convention (:func:`~buurtpreventie.report.claims.size_word`).

Significance is judged as the report did: Student's t (column ``p``) at
:data:`ALPHA`. A comparison that involves a small cell (``indicators.small_cell``)
is not judged: the report suppresses its means.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

import pandas as pd
import yaml

# ALPHA (significance level), MDE_POWER (power of mde_d) and CI_LEVEL (level of
# the CIs) are the study's constants, re-exported here under the report's names.
from buurtpreventie.constants import ALPHA, CI_LEVEL, MDE_POWER
from buurtpreventie.dutch import nl_int, nl_no_zero, nl_number, nl_p, nl_pct
from buurtpreventie.report.claims import STUDY, Claim, rows_key, size_word

__all__ = [
    "ALPHA",
    "CI_LEVEL",
    "MDE_POWER",
    "BaselineFindings",
    "ChangeFindings",
    "Words",
    "activity_findings",
    "all_buurten_findings",
    "baseline_findings",
    "buurt_names",
    "capitalise",
    "chance_findings",
    "change_findings",
    "count",
    "demographic_findings",
    "did_findings",
    "groups_findings",
    "hypothesis_findings",
    "in_every_buurt",
    "intervention_findings",
    "join_nl",
    "judged_scores",
    "load_words",
    "member_findings",
    "no_published_findings",
    "number_word",
    "p_is",
    "panel_design",
    "panel_findings",
    "places",
    "plural",
    "power_findings",
    "respondent_findings",
    "selection_findings",
    "study_words",
    "subquestion_answers",
    "summary_findings",
    "verdict_findings",
]


_WORDS = (
    "nul",
    "één",
    "twee",
    "drie",
    "vier",
    "vijf",
    "zes",
    "zeven",
    "acht",
    "negen",
    "tien",
    "elf",
    "twaalf",
    "dertien",
    "veertien",
    "vijftien",
    "zestien",
    "zeventien",
    "achttien",
    "negentien",
    "twintig",
)

Small = frozenset[tuple[str, str, str, str]]


# --- helpers ---------------------------------------------------------------------------


def join_nl(items: Iterable[str], conjunction: str = "en") -> str:
    """A Dutch list: ``["a", "b", "c"]`` -> ``"a, b en c"`` (no comma before *en*)."""
    items = [str(i) for i in items]
    if not items:
        return ""
    if len(items) == 1:
        return items[0]
    return ", ".join(items[:-1]) + f" {conjunction} " + items[-1]


def number_word(n: int) -> str:
    """A count in words up to twenty (``3`` -> ``"drie"``, ``1`` -> ``"één"``), else digits."""
    n = int(n)
    return _WORDS[n] if 0 <= n < len(_WORDS) else str(n)


def part_of(part: int, whole: int, one: str, many: str, article: str = "de") -> str:
    """How many of a whole, in words that read well at the ends too.

    ``part_of(3, 5, "vergelijking", "vergelijkingen")`` -> ``"drie van de vijf
    vergelijkingen"``; all of them: ``"beide vergelijkingen"``, ``"alle zes
    vergelijkingen"``, ``"de enige vergelijking"`` (``article`` for a
    het-word); none: ``"geen van de vijf vergelijkingen"``, ``"geen enkele
    vergelijking"`` (of one). Never "vier van de vier".
    """
    part, whole = int(part), int(whole)
    if whole == 1:
        return f"{article} enige {one}" if part else f"geen enkele {one}"
    if part == whole:
        return f"beide {many}" if whole == 2 else f"alle {number_word(whole)} {many}"
    if part == 0:
        return f"geen van de {number_word(whole)} {many}"
    return f"{number_word(part)} van de {number_word(whole)} {many}"


def plural(n: int, one: str, many: str) -> str:
    """``one`` for exactly one, else ``many`` (Dutch uses the plural for zero too)."""
    return one if int(n) == 1 else many


def count(n: int, one: str, many: str, zero: str | None = None) -> str:
    """A count with its noun: ``count(3, "indicator", "indicatoren")`` -> ``"drie indicatoren"``.

    ``zero`` replaces the whole phrase for zero (``"geen enkele indicator"``);
    without it zero is ``"geen <many>"``.
    """
    n = int(n)
    if n == 0:
        return zero if zero is not None else f"geen {many}"
    return f"{number_word(n)} {plural(n, one, many)}"


def capitalise(text: str) -> str:
    """The first letter in upper case, the rest untouched ("één" becomes "Eén", as in Dutch)."""
    if text.startswith("één"):
        return "Eén" + text[3:]
    return text[:1].upper() + text[1:] if text else text


def p_is(p: float) -> str:
    """A p-value in running text: ``p = ,007`` or ``p < ,001``."""
    printed = nl_p(p, None)
    return f"p {printed[0]} {printed[1:]}" if printed.startswith("<") else f"p = {printed}"


def _sentence(text: str) -> str:
    text = capitalise(text.strip())
    return text if text.endswith((".", "?", "!")) else text + "."


def _significant(p: object, alpha: float = ALPHA) -> bool:
    return p is not None and not (isinstance(p, float) and math.isnan(p)) and float(p) < alpha


def _sign(value: float) -> int:
    return 1 if value > 0 else -1 if value < 0 else 0


def _claim(
    section: str, sentence: str, kind: str, table: str, rows: str, value: object, asserts: str = ""
) -> Claim:
    """A claim; ``value`` as a plain Python number or text (for claims.csv)."""
    if hasattr(value, "item"):
        value = value.item()
    return Claim(section, sentence, kind, table, rows, value, asserts)


def _row_claims(
    section: str,
    sentence: str,
    table: str,
    row,
    keys: Mapping[str, str],
    column: str,
    sign_of: str,
    alpha: float,
) -> list[Claim]:
    """Significant (with its direction) or not: the claims behind one judged comparison."""
    rows = rows_key(**keys)
    p = getattr(row, column)
    if _significant(p, alpha):
        return [
            _claim(section, sentence, "significant", table, rows, p, column),
            _claim(section, sentence, "direction", table, rows, _sign(getattr(row, sign_of)),
                   sign_of),
        ]  # fmt: skip
    return [_claim(section, sentence, "not_significant", table, rows, p, column)]


def chance_phrase(n_sig: int, tests: int, alpha: float) -> str:
    """``"door toeval verwacht je er bij 32 toetsen ongeveer 1,6; dat is meer dan dat"``."""
    expected = alpha * tests
    compare = "meer dan" if n_sig > expected else "niet meer dan"
    return (
        f"door toeval alleen verwacht je er bij {tests} toetsen ongeveer "
        f"{nl_number(expected, 1)}, dus dat is {compare} toeval doet verwachten"
    )


def _chance_claims(section, sentence, table, rows, n_sig, tests, alpha, column="p"):
    """The count set against the chance expectation, as claims (see :func:`chance_phrase`)."""
    kind = "above_chance" if n_sig > alpha * tests else "at_most_chance"
    return [
        _claim(section, sentence, "count", table, rows, n_sig, f"{column}<alpha"),
        _claim(section, sentence, "chance", table, rows, alpha * tests, column),
        _claim(section, sentence, kind, table, rows, n_sig, column),
    ]


def _in_order(column: Iterable[str], order: Sequence[str] = ()) -> list[str]:
    """The buurten of a column, in ``order`` where given, else as they first come."""
    present = list(dict.fromkeys(column))
    return [b for b in order if b in present] + [b for b in present if b not in order]


def _scoped(scope: str) -> str:
    return f"{scope} " if scope else ""


def in_every_buurt(buurten: Sequence[str], words: Words, scope: str = "") -> str:
    """``"in beide buurten"``, ``"in alle getoonde buurten"``, or the one buurt (``"in X"``).

    ``scope`` is an adjective for buurten that are a selection (``"getoonde"``).
    """
    if len(buurten) == 1:
        return words.buurt_in(buurten[0])
    return f"in {'beide' if len(buurten) == 2 else 'alle'} {_scoped(scope)}buurten"


# --- words -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Words:
    """The words of ``resources/report/words.yaml`` plus the codebook's labels."""

    buurten: Mapping[str, Mapping[str, str]]
    groepen: Mapping[str, Mapping[str, str]]
    indicators: Mapping[str, Mapping[str, object]]
    scores: Mapping[str, Mapping[str, str]]
    ranges: Mapping[str, tuple[float, float]] = field(default_factory=dict)
    subquestions: Sequence[Mapping[str, str]] = ()
    verdicts: Mapping[str, Mapping[str, str]] = field(default_factory=dict)

    def noun(self, indicator: str) -> str:
        """The indicator in running text (``"de meldingsbereidheid"``)."""
        return str(self.indicators[indicator]["noun"])

    def phrase(self, indicator: str, direction: int) -> str:
        """What a higher (``direction > 0``) or lower score means, as a verb phrase."""
        return str(self.indicators[indicator]["higher" if direction > 0 else "lower"])

    def better(self, indicator: str) -> int:
        """+1 when a higher score is the aim, -1 when a lower one is."""
        return int(self.indicators[indicator]["better"])

    def mean(self, indicator: str, value: object) -> str:
        """A mean as the report prints it: no leading zero on a 0-1 scale."""
        high = self.ranges.get(indicator, (1.0, 10.0))[1]
        return nl_no_zero(value) if high <= 1 else nl_number(value)

    def buurt_in(self, buurt: str) -> str:
        """``"in de Essenburgbuurt"``."""
        return str(self.buurten[buurt]["in"])

    def cell(self, buurt: str, groep: str) -> str:
        """``"Lombardijen-E"``, as the report labels a group in table 6."""
        return f"{self.buurten[buurt]['name']}-{self.groepen[groep]['short']}"

    def buurt_name(self, buurt: str) -> str:
        """The buurt with its article, as a sentence names it (``"de Essenburgbuurt"``)."""
        return self.buurt_in(buurt).removeprefix("in ")

    def with_buurten(self, buurten: Mapping[str, Mapping[str, str]]) -> Words:
        """The same words with these buurt names (see :func:`buurt_names`)."""
        return replace(self, buurten=dict(buurten))


def _short(name: str) -> str:
    """A short label of a buurt name: initials and numbers (``"Buurt 001"`` -> ``"B001"``)."""
    parts = re.findall(r"[^\W\d_]+|\d+", name)
    return "".join(p if p.isdigit() else p[0].upper() for p in parts) or name


def buurt_names(
    buurten: Sequence[str],
    options: Sequence[object],
    named: Mapping[str, Mapping[str, str]],
) -> dict[str, dict[str, str]]:
    """A name for every buurt of the study: ``words.yaml``'s, else the codebook's.

    Parameters
    ----------
    buurten : sequence of str
        The study's buurten (the codebook's ``buurten``), in order.
    options : sequence of Option
        The options of the buurt question (``codebook.roles["buurt"]``); an
        option's ``derive["buurt"]`` says which buurt it stands for.
    named : mapping
        The buurten ``resources/report/words.yaml`` names (``name``, ``in``,
        ``short``); they are kept as they are.

    Returns
    -------
    dict
        Buurt -> ``{"name", "in", "short"}``, in the order of ``buurten``. A
        buurt that words.yaml does not name is called by the label of the one
        option that derives it ("Buurt 001"), else by its id; ``in`` is
        ``"in "`` + name, ``short`` its initials and numbers (the name itself
        where two shorts would be the same).
    """
    names: dict[str, dict[str, str]] = {}
    for buurt in buurten:
        if buurt in named:
            names[buurt] = {k: str(v) for k, v in named[buurt].items()}
            continue
        labels = [
            str(o.label)
            for o in options
            if (getattr(o, "derive", None) or {}).get("buurt") == buurt
        ]
        name = labels[0] if len(labels) == 1 else buurt
        names[buurt] = {"name": name, "in": f"in {name}", "short": _short(name)}
    shorts = [n["short"] for n in names.values()]
    for buurt, entry in names.items():
        if buurt not in named and shorts.count(entry["short"]) > 1:
            entry["short"] = entry["name"]
    return names


def study_words(words: Words, codebook: object) -> Words:
    """``words`` with a name for every buurt of the codebook (:func:`buurt_names`)."""
    options = codebook.question(codebook.roles["buurt"]).options
    return words.with_buurten(buurt_names(codebook.buurten, options, words.buurten))


def load_words(path: str | Path, ranges: Mapping[str, tuple[float, float]] | None = None) -> Words:
    """Read ``resources/report/words.yaml``; ``ranges`` are the indicators' scales (codebook)."""
    with open(path, encoding="utf-8") as handle:
        raw = yaml.safe_load(handle)
    return Words(
        buurten=raw["buurten"],
        groepen=raw["groepen"],
        indicators=raw["indicators"],
        scores=raw["scores"],
        ranges=dict(ranges or {}),
        subquestions=list(raw.get("subquestions", [])),
        verdicts=dict(raw.get("verdicts", {})),
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
                f"bij de {wave_text} verschillen {people} en {others} niet significant: de "
                f"uitgangssituatie is in de experimentele groepen en de controlegroepen "
                f"vergelijkbaar"
            )
        ]
    parts = [
        _sentence(f"de {wave_text} laat zien dat {people} al bij aanvang verschillen van {others}")
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
        wave_to, changes, desired, undesired, len(judged), paragraphs, conclusion, claims
    )


def _missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def _patterns(judged, words: Words, alpha: float):
    """Per indicator x buurt: does E move the aimed-for way relative to C?"""
    cells: dict[tuple[str, str], dict[str, object]] = {}
    for r in judged:
        cells.setdefault((r.indicator, r.buurt), {})[r.groep] = r
    desired, undesired = [], []
    for (indicator, buurt), groups in cells.items():
        if "E" not in groups or "C" not in groups:
            continue
        better = words.better(indicator)
        e, c = groups["E"], groups["C"]
        e_dir = _sign(e.d) * better if _significant(e.p, alpha) else 0
        c_dir = _sign(c.d) * better if _significant(c.p, alpha) else 0
        if e_dir > 0 and c_dir <= 0:
            how = "de experimentele groep ging vooruit" + (
                ", de controlegroep achteruit" if c_dir < 0 else ", de controlegroep niet"
            )
            desired.append((indicator, buurt, how))
        elif e_dir == 0 and c_dir < 0:
            desired.append(
                (indicator, buurt, "de controlegroep ging achteruit, de experimentele groep niet")
            )
        elif e_dir < 0 and c_dir >= 0:
            how = "de experimentele groep ging achteruit" + (
                ", de controlegroep vooruit" if c_dir > 0 else ", de controlegroep niet"
            )
            undesired.append((indicator, buurt, how))
        elif e_dir == 0 and c_dir > 0:
            undesired.append(
                (indicator, buurt, "de controlegroep ging vooruit, de experimentele groep niet")
            )
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
    text = _sentence(
        f"van de {tests} vergelijkingen van een groep tussen de {from_label} en de {to_label} "
        f"{plural(n_sig, 'is er', 'zijn er')} {number_word(n_sig) if n_sig else 'geen'} "
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


# --- what the report did not do --------------------------------------------------------


def did_findings(
    did: pd.DataFrame, words: Words, waves: Mapping[str, str], alpha: float = ALPHA
) -> dict[str, object]:
    """The difference in differences: which interactions are significant, which way.

    Returns a dict with ``tests``, ``desired`` and ``undesired`` (lists of
    (indicator, buurt, wave_to)) and ``paragraphs``.
    """
    sig = [r for r in did.itertuples(index=False) if _significant(r.p, alpha)]
    desired = [
        (r.indicator, r.buurt, r.wave_to)
        for r in sig
        if _sign(r.estimate) * words.better(r.indicator) > 0
    ]
    undesired = [
        (r.indicator, r.buurt, r.wave_to)
        for r in sig
        if _sign(r.estimate) * words.better(r.indicator) < 0
    ]
    several_waves = len(set(did["wave_to"])) > 1

    def where(i, b, w):
        text = f"{words.noun(i)} {words.buurt_in(b)}"
        return text + (f" ({waves[w].lower()})" if several_waves else "")

    n = int(did["p"].notna().sum())
    if not sig:
        text = _sentence(
            f"geen van de {n} schattingen is significant: bij geen enkele indicator "
            f"veranderde de experimentele groep aantoonbaar anders dan de controlegroep"
        )
    else:
        text = _sentence(
            f"van de {n} schattingen {plural(len(sig), 'is er', 'zijn er')} "
            f"{number_word(len(sig))} significant (zonder correctie voor het aantal toetsen); "
            f"{chance_phrase(len(sig), n, alpha)}"
        )
        text += " " + _sentence(
            f"{_of_them(len(sig), len(desired))} in de gewenste richting"
            + (f": {join_nl(where(*x) for x in desired)}" if desired else "")
        )
        if undesired:
            text += " " + _sentence(
                f"tegen de gewenste richting in: {join_nl(where(*x) for x in undesired)}"
            )
    claims = [
        *_chance_claims("bevindingen", "did.summary", "did", "", len(sig), n, alpha),
        _claim("bevindingen", "did.summary", "count", "did", "", len(desired),
               "p<alpha & intended(estimate)>0"),
        _claim("bevindingen", "did.summary", "count", "did", "", len(undesired),
               "p<alpha & intended(estimate)<0"),
    ]  # fmt: skip
    claims += [
        _claim("bevindingen", "did.summary", "significant", "did",
               rows_key(indicator=r.indicator, buurt=r.buurt, wave_to=r.wave_to), r.p, "p")
        for r in sig
    ]  # fmt: skip
    return {
        "tests": n,
        "desired": desired,
        "undesired": undesired,
        "paragraphs": [text],
        "claims": claims,
    }


def chance_findings(prepost: pd.DataFrame, alpha: float = ALPHA) -> dict[str, object]:
    """How many tests one would expect to be significant by chance, and what survives adjustment.

    Counts the comparisons of kind ``baseline`` (table 6); with three or more
    waves the consecutive comparisons are a family of their own.
    """
    families = []
    for kind, part in prepost.groupby("kind", sort=False):
        tests = int(part["p"].notna().sum())
        families.append(
            {
                "kind": kind,
                "tests": tests,
                "expected": alpha * tests,
                "significant": int((part["p"] < alpha).sum()),
                "holm": int((part["p_holm"] < alpha).sum()),
                "bh": int((part["p_bh"] < alpha).sum()),
            }
        )
    paragraphs = []

    def holding(k: int, name: str) -> str:
        if k == 0:
            return f"volgens {name} geen enkele"
        return f"volgens {name} nog {number_word(k)}"

    for family in families:
        what = (
            "vergelijkingen van een groep met de eerste meting"
            if family["kind"] == "baseline"
            else "vergelijkingen van een groep met de meting ervoor"
        )
        n_sig, tests = family["significant"], family["tests"]
        text = _sentence(f"er zijn {tests} {what} gedaan")
        text += " " + _sentence(
            f"als er nergens een werkelijk verschil is, valt bij \u03b1 = {nl_no_zero(alpha)} toch "
            f"ongeveer {nl_number(alpha * 100, 0)}% van de toetsen significant uit: bij {tests} "
            f"toetsen naar verwachting {nl_number(family['expected'], 1)}"
        )
        text += " " + _sentence(
            f"gevonden {plural(n_sig, 'is', 'zijn')} er "
            f"{number_word(n_sig) if n_sig else 'geen enkele'}"
        )
        if n_sig:
            holm, bh = family["holm"], family["bh"]
            if holm == 0 and bh == 0:
                text += " " + _sentence(
                    "na correctie voor het aantal toetsen is er geen enkele meer significant, "
                    "volgens Holm noch volgens Benjamini-Hochberg"
                )
            else:
                text += " " + _sentence(
                    f"na correctie voor het aantal toetsen {plural(holm, 'is', 'zijn')} er "
                    f"{holding(holm, 'Holm')} significant en {holding(bh, 'Benjamini-Hochberg')}"
                )
        paragraphs.append(text)
    claims = [
        c
        for f in families
        for c in (
            _claim("bevindingen", "chance", "chance", "prepost", f"kind={f['kind']}",
                   f["expected"], "p"),
            _claim("bevindingen", "chance", "count", "prepost", f"kind={f['kind']}",
                   f["significant"], "p<alpha"),
            _claim("bevindingen", "chance", "count", "prepost", f"kind={f['kind']}",
                   f["holm"], "p_holm<alpha"),
            _claim("bevindingen", "chance", "count", "prepost", f"kind={f['kind']}",
                   f["bh"], "p_bh<alpha"),
        )
    ]  # fmt: skip
    return {"families": families, "paragraphs": paragraphs, "claims": claims}


def power_findings(
    prepost: pd.DataFrame, words: Words, small: Small = frozenset(), alpha: float = ALPHA
) -> dict[str, object]:
    """The smallest effect each before/after comparison could detect, against what was found."""
    part = prepost[prepost["kind"] == "baseline"]
    part = part[
        [
            (r.indicator, r.buurt, r.groep, r.wave_to) not in small
            and (r.indicator, r.buurt, r.groep, r.wave_from) not in small
            for r in part.itertuples(index=False)
        ]
    ]
    if part.empty:
        return {"paragraphs": [], "rows": [], "claims": []}
    whole = len(part) == int((prepost["kind"] == "baseline").sum())
    per_cell = (
        part.groupby(["buurt", "groep", "wave_to"], sort=False)
        .agg(mde=("mde_d", "median"), n_from=("n_from", "median"), n_to=("n_to", "median"))
        .reset_index()
    )
    low = per_cell.loc[per_cell["mde"].idxmin()]
    high = per_cell.loc[per_cell["mde"].idxmax()]
    observed = part["d"].abs()
    below = int((observed < part["mde_d"]).sum())
    text = _sentence(
        f"met deze aantallen respondenten kon een vergelijking van twee metingen een effect "
        f"alleen met {nl_pct(MDE_POWER * 100, 0)} kans (bij \u03b1 = {nl_no_zero(alpha)}) opsporen "
        f"als het minstens d = {nl_no_zero(low['mde'])} groot was; dat gold voor de grootste "
        f"groep ({words.cell(low['buurt'], low['groep'])}). In de kleinste groep "
        f"({words.cell(high['buurt'], high['groep'])}) moest het effect minstens "
        f"d = {nl_no_zero(high['mde'])} zijn"
    )
    top = part.loc[observed.idxmax()]
    size = size_word(top["d"])
    text += " " + _sentence(
        f"{part_of(below, len(part), 'gevonden verschil', 'gevonden verschillen', 'het')} "
        f"{'liggen' if below >= 2 else 'ligt'} "
        f"onder die grens; het grootste is "
        f"d = {nl_no_zero(observed.max())}, volgens de maatstaf van Cohen een {size} effect"
    )
    if below > len(part) / 2:
        text += " " + _sentence(
            f"een effect kleiner dan d = {nl_no_zero(low['mde'])} kon het experiment dus niet "
            f"betrouwbaar aantonen of uitsluiten"
        )
    else:
        text += " " + _sentence("de meeste gevonden verschillen waren groot genoeg om op te sporen")
    top_rows = rows_key(
        indicator=top["indicator"], buurt=top["buurt"], groep=top["groep"], kind="baseline",
        wave_to=top["wave_to"],
    )  # fmt: skip
    claims = [_claim("bevindingen", "power", "size", "prepost", top_rows, size, "d")]
    if whole:
        claims += [
            _claim("bevindingen", "power", "count", "prepost", "kind=baseline", below,
                   "abs(d)<mde_d"),
            _claim("bevindingen", "power", "superlative", "prepost", "kind=baseline", top_rows,
                   "max abs(d)"),
        ]  # fmt: skip
    return {"paragraphs": [text], "rows": per_cell.to_dict("records"), "claims": claims}


def _linked_sentence(pairs: pd.DataFrame, words: Words, waves: Mapping[str, str]) -> str:
    """How many respondents are linked: per group for one pair of waves, else per pair.

    With more than two waves a respondent can be linked in several pairs, so
    the counts are given per pair of waves, with their range over the groups,
    and not added up.
    """
    wave_pairs = list(dict.fromkeys(zip(pairs["wave_from"], pairs["wave_to"], strict=True)))
    if len(wave_pairs) == 1:
        listed = join_nl(
            f"{int(r.n_pairs)} in {words.cell(r.buurt, r.groep)}" for r in pairs.itertuples()
        )
        total = int(pairs["n_pairs"].sum())
        return _sentence(
            f"{total} respondenten zijn via hun pseudoniem aan een eerdere meting gekoppeld: "
            f"{listed}"
        )
    parts = []
    for wave_from, wave_to in wave_pairs:
        own = pairs[(pairs["wave_from"] == wave_from) & (pairs["wave_to"] == wave_to)]
        low, high = int(own["n_pairs"].min()), int(own["n_pairs"].max())
        spread = f"{low} per groep" if low == high else f"{low} tot {high} per groep"
        parts.append(
            f"{int(own['n_pairs'].sum())} tussen de {waves.get(wave_from, wave_from).lower()} "
            f"en de {waves.get(wave_to, wave_to).lower()} ({spread})"
        )
    return _sentence(
        "via hun pseudoniem zijn respondenten aan een eerdere meting gekoppeld: " + join_nl(parts)
    )


#: How to switch panel linkage on (README, "Panel linkage").
PANEL_HOW = (
    "de koppeling gaat aan met een geheime sleutel in de omgevingsvariabele "
    "BUURTPREVENTIE_PANEL_KEY of in het bestand .panel-key (make study maakt er een aan); "
    "zie \u2018Panel linkage\u2019 in de README"
)


def panel_findings(
    panel: pd.DataFrame,
    words: Words,
    waves: Mapping[str, str],
    alpha: float = ALPHA,
    key: bool | None = None,
) -> dict[str, object]:
    """Respondents linked across waves: how many per group, and what the paired tests show.

    Parameters
    ----------
    panel : DataFrame
        ``results/tables/panel.csv``.
    words : Words
    waves : mapping
        Wave id -> label.
    alpha : float
    key : bool or None
        Whether a panel key was set (``None``: not known). Without a key the
        text says that linkage was switched off and how to switch it on.

    Returns
    -------
    dict
        ``paragraphs``, ``linked`` (any respondent linked), ``limitation`` (a
        sentence for the discussion), ``pairs`` and ``claims``.
    """
    if panel.empty:
        claims = [_claim("bevindingen", "panel", "none", "panel", "", 0, "")]
        if key:
            text = _sentence(
                "de koppeling van respondenten over de metingen stond aan, maar geen "
                "respondent is in twee metingen herkend"
            )
        else:
            text = (
                _sentence(
                    "respondenten zijn niet over de metingen heen gekoppeld: de koppeling via een "
                    "pseudoniem stond uit, omdat er geen sleutel was"
                )
                + " "
                + _sentence(PANEL_HOW)
            )
        return {
            "paragraphs": [text],
            "linked": False,
            "limitation": text,
            "linked_text": text,
            "pairs": [],
            "claims": claims,
        }
    pairs = (
        panel.groupby(["buurt", "groep", "wave_from", "wave_to"], sort=False)["n_pairs"]
        .max()
        .reset_index()
    )
    linked = text = _linked_sentence(pairs, words, waves)
    claims = [
        _claim("bevindingen", "panel.linked", "max", "panel",
               rows_key(buurt=r.buurt, groep=r.groep, wave_from=r.wave_from,
                        wave_to=r.wave_to), int(r.n_pairs), "n_pairs")
        for r in pairs.itertuples()
    ]  # fmt: skip
    computed = panel[panel["status"] == "computed"]
    too_small = int((panel["status"] != "computed").sum())
    sig = computed[computed["p"] < alpha]
    if too_small:
        text += " " + _sentence(
            f"{count(too_small, 'vergelijking heeft', 'vergelijkingen hebben')} te weinig paren "
            f"voor een gepaarde toets"
        )
        claims.append(
            _claim("bevindingen", "panel.tests", "count", "panel", "", too_small,
                   "status=too_small")
        )  # fmt: skip
    limitation = _sentence(
        "een panel van dezelfde respondenten in elke meting was sterker geweest; "
        + _linked_clause(pairs)
    )
    out = {"paragraphs": [text], "linked": True, "limitation": limitation, "linked_text": linked,
           "pairs": pairs.to_dict("records"), "claims": claims}  # fmt: skip
    if computed.empty:
        return out
    claims.append(
        _claim("bevindingen", "panel.tests", "count", "panel", "status=computed", len(sig),
               "p<alpha")
    )  # fmt: skip
    if sig.empty:
        text += " " + _sentence(
            f"geen van de {len(computed)} gepaarde toetsen is significant; "
            f"{chance_phrase(0, len(computed), alpha)}"
        )
    else:
        several = panel[["wave_from", "wave_to"]].drop_duplicates().shape[0] > 1

        def when(r) -> str:  # which pair of waves, when there are several
            if not several:
                return ""
            return f" van de {waves.get(r.wave_from, r.wave_from).lower()} naar de " + (
                f"{waves.get(r.wave_to, r.wave_to).lower()}"
            )

        listed = join_nl(
            f"{words.noun(r.indicator)} in {words.cell(r.buurt, r.groep)} "
            f"({'toename' if r.mean_diff > 0 else 'afname'}{when(r)}, {p_is(r.p)})"
            for r in sig.itertuples()
        )
        text += " " + _sentence(
            f"van de {len(computed)} gepaarde toetsen {plural(len(sig), 'is er', 'zijn er')} "
            f"{number_word(len(sig))} significant: {listed}"
        )
    out["paragraphs"] = [text]
    return out


def _linked_clause(pairs: pd.DataFrame) -> str:
    """``"hier zijn 39 respondenten aan een eerdere meting gekoppeld"`` (per pair of waves)."""
    totals = pairs.groupby(["wave_from", "wave_to"], sort=False)["n_pairs"].sum()
    if len(totals) == 1:
        return f"hier zijn {int(totals.iloc[0])} respondenten aan een eerdere meting gekoppeld"
    return (
        f"hier zijn per paar van metingen {join_nl(str(int(t)) for t in totals)} "
        f"respondenten aan een eerdere meting gekoppeld"
    )


def panel_design(panel: Mapping[str, object]) -> list[str]:
    """How the samples of the waves relate (section 2), from :func:`panel_findings`."""
    lead = _sentence(
        "bij elke meting is een nieuwe steekproef getrokken, op dezelfde manier als de eerste "
        "keer; wie vaker meedeed, telt in elke meting mee"
    )
    return [lead + " " + str(panel["linked_text"])]


# --- respondents and demographics (section 2.2) ----------------------------------------


def respondent_findings(
    respondents: pd.DataFrame,
    words: Words,
    waves: Mapping[str, str],
    buurten: Sequence[str] | None = None,
    claims: list[Claim] | None = None,
) -> list[str]:
    """Response in the app groups and at the door, per wave.

    ``claims``, when given, gets the claims behind the sentences (on ``respondents``).
    """
    claims = [] if claims is None else claims
    order = list(buurten or dict.fromkeys(respondents["buurt"]))
    rank = {b: i for i, b in enumerate(order)}
    respondents = respondents.sort_values("buurt", key=lambda s: s.map(rank))
    people = words.groepen["E"]["people"]
    paragraphs = []
    for wave, label in waves.items():
        part = respondents[respondents["wave"] == wave]
        app = []
        for i, r in enumerate(part[part["groep"] == "E"].itertuples()):
            known = r.app_members == r.app_members and r.app_members
            share = (
                f" ({nl_pct(r.response_rate * 100)} van de {int(r.app_members)} deelnemers"
                f"{' aan de groepen' if i == 0 else ''})"
                if known
                else ""
            )
            who = f" {people}" if i == 0 else ""
            app.append(f"{int(r.n)}{who} {words.buurt_in(r.buurt)}{share}")
            claims.append(
                _claim("opzet", "respondents", "equals", "respondents",
                       rows_key(buurt=r.buurt, groep="E", wave=wave), int(r.n),
                       f"n={int(r.n)}" + (f" & app_members={int(r.app_members)} & response_rate="
                                          f"{float(r.response_rate)!r}" if known else ""))
            )  # fmt: skip
        door = [
            f"{int(r.n)}{' buurtgenoten' if i == 0 else ''} {words.buurt_in(r.buurt)}"
            for i, r in enumerate(part[part["groep"] == "C"].itertuples())
        ]
        claims += [
            _claim("opzet", "respondents", "equals", "respondents",
                   rows_key(buurt=r.buurt, groep="C", wave=wave), int(r.n), f"n={int(r.n)}")
            for r in part[part["groep"] == "C"].itertuples()
        ]  # fmt: skip
        for groep, listed in (("E", app), ("C", door)):  # every group of the wave is named
            claims.append(
                _claim("opzet", "respondents", "count", "respondents",
                       rows_key(groep=groep, wave=wave), len(listed))
            )  # fmt: skip
        text = ""
        if app:
            text = _sentence(
                f"bij de {label.lower()} vulden {join_nl(app)} de vragenlijst in na de oproep "
                f"in hun appgroep"
            )
        if door:
            text += " " + _sentence(
                f"aan de deur werkten {join_nl(door)} mee die zelf niet aan een "
                f"veiligheidsappgroep deelnemen"
            )
        paragraphs.append(text.strip())
    return paragraphs


def demographic_findings(
    demographics: pd.DataFrame,
    tests: pd.DataFrame,
    words: Words,
    waves: Mapping[str, str],
    age_labels: Sequence[str],
    alpha: float = ALPHA,
    claims: list[Claim] | None = None,
) -> list[str]:
    """Gender, age and household of the groups, and whether E and C differ on them.

    ``claims``, when given, gets the claims behind the sentences (on
    ``demographics`` and ``demographics_tests``).
    """
    claims = [] if claims is None else claims
    paragraphs = []
    women = demographics[demographics["kenmerk"] == "Vrouw"]
    e_women = women[women["groep"] == "E"]
    c_women = women[women["groep"] == "C"]
    if len(e_women):
        majority = int((e_women["pct"] > 50).sum())
        n_cells = len(e_women)
        if majority == n_cells:
            lead = (
                "in alle experimentele groepen zijn de vrouwen in de meerderheid, bij elke meting"
            )
        elif majority == 0:
            lead = "in geen van de experimentele groepen zijn de vrouwen in de meerderheid"
        else:
            lead = (
                f"in {number_word(majority)} van de {number_word(n_cells)} combinaties van "
                f"experimentele groep en meting zijn de vrouwen in de meerderheid"
            )
        top = e_women.loc[e_women["pct"].idxmax()]
        e_rows, c_rows = rows_key(kenmerk="Vrouw", groep="E"), rows_key(kenmerk="Vrouw", groep="C")
        claims += [
            _claim("opzet", "demographics.women", "count", "demographics", e_rows, n_cells),
            _claim("opzet", "demographics.women", "count", "demographics", e_rows, majority,
                   "pct>50"),
            _claim("opzet", "demographics.women", "superlative", "demographics", e_rows,
                   rows_key(buurt=top["buurt"], wave=top["wave"]), "max pct"),
            _claim("opzet", "demographics.women", "max", "demographics", e_rows,
                   float(top["pct"]), "pct"),
        ]  # fmt: skip
        if len(c_women):
            claims += [
                _claim("opzet", "demographics.women", "min", "demographics", c_rows,
                       float(c_women["pct"].min()), "pct"),
                _claim("opzet", "demographics.women", "max", "demographics", c_rows,
                       float(c_women["pct"].max()), "pct"),
            ]  # fmt: skip
        text = _sentence(
            f"{lead}; het grootste aandeel vrouwen is {nl_pct(top['pct'])}, "
            f"{words.buurt_in(top['buurt'])} bij de {waves[top['wave']].lower()}"
        )
        if len(c_women):
            text += " " + _sentence(
                f"in de controlegroepen ligt het aandeel vrouwen tussen "
                f"{nl_pct(c_women['pct'].min())} en {nl_pct(c_women['pct'].max())}"
            )
        paragraphs.append(text)
    age = demographics[demographics["kenmerk"] == "gemiddelde_leeftijdscategorie"]
    if len(age):
        merged = age[age["groep"] == "E"].merge(
            age[age["groep"] == "C"], on=["buurt", "wave"], suffixes=("_e", "_c")
        )
        older = int((merged["mean_e"] > merged["mean_c"]).sum())
        claims.append(
            _claim("opzet", "demographics.age", "pairs", "demographics",
                   rows_key(kenmerk="gemiddelde_leeftijdscategorie"), f"{older}/{len(merged)}",
                   "mean[groep=E]>mean[groep=C] per buurt,wave")
        )  # fmt: skip
        text = _sentence(
            f"de gemiddelde leeftijdscategorie van {words.groepen['E']['people']} ligt in "
            f"{part_of(older, len(merged), 'vergelijking', 'vergelijkingen')} "
            f"hoger dan die van {words.groepen['C']['people']}"
        )
        nearest = []
        for buurt, part in age.groupby("buurt", sort=False):
            mean = (part["mean"] * part["base"]).sum() / part["base"].sum()
            label = age_labels[min(max(round(mean), 0), len(age_labels) - 1)]
            claims.append(
                _claim("opzet", "demographics.age", "mean", "demographics",
                       rows_key(kenmerk="gemiddelde_leeftijdscategorie", buurt=buurt),
                       float(mean), "mean weighted base")
            )  # fmt: skip
            nearest.append(f"{words.buurt_in(buurt)} bij {label} ({nl_number(mean)})")
        text += " " + _sentence(
            f"over alle groepen en metingen ligt het gemiddelde het dichtst {join_nl(nearest)}"
        )
        paragraphs.append(text)
    if len(tests):
        sig = tests[tests["p"] < alpha]
        names = {
            "geslacht": "geslacht",
            "samenwonend": "samenwonen",
            "inwonende_kinderen": "inwonende kinderen",
            "leeftijdscategorie": "leeftijd",
        }
        claims += [
            _claim("opzet", "demographics.tests", "count", "demographics_tests", "", len(tests)),
            _claim("opzet", "demographics.tests", "count", "demographics_tests", "", len(sig),
                   "p<alpha"),
            *(_claim("opzet", "demographics.tests", "significant", "demographics_tests",
                     rows_key(kenmerk=r.kenmerk, buurt=r.buurt, wave=r.wave), r.p, "p")
              for r in sig.itertuples()),
        ]  # fmt: skip
        if sig.empty:
            text = _sentence(
                f"geen van de {len(tests)} verschillen tussen experimentele groep en "
                f"controlegroep in geslacht, leeftijd en gezinssituatie is significant "
                f"(chi-kwadraattoets; voor leeftijd een t-toets)"
            )
        else:
            listed = join_nl(
                f"{names.get(r.kenmerk, r.kenmerk)} {words.buurt_in(r.buurt)} bij de "
                f"{waves[r.wave].lower()} ({p_is(r.p)})"
                for r in sig.itertuples()
            )
            text = _sentence(
                f"van de {len(tests)} verschillen tussen experimentele groep en controlegroep "
                f"in geslacht, leeftijd en gezinssituatie {plural(len(sig), 'is', 'zijn')} "
                f"{number_word(len(sig))} significant: {listed}"
            )
        paragraphs.append(text)
    return paragraphs


# --- the interventions (section 3.2) ---------------------------------------------------


def judged_scores(interventions: pd.DataFrame) -> pd.DataFrame:
    """``interventions.csv`` with the rule's score where the researchers gave none.

    Returns a copy with a boolean column ``judged`` (the researchers' score is
    there) and ``score`` filled from ``computed_score`` where it is not.
    """
    out = interventions.copy()
    score = out["score"].astype(object)
    out["judged"] = score.notna() & (score.astype(str).str.strip() != "")
    out["score"] = score.where(out["judged"], out["computed_score"])
    return out


def intervention_findings(
    interventions: pd.DataFrame,
    words: Words,
    scheme: Sequence[Mapping[str, object]],
    buurten: Sequence[str],
) -> dict[str, object]:
    """Table 5 in words: per buurt what was strengthened, continued, partly or not done.

    Parameters
    ----------
    interventions : DataFrame
        ``results/tables/interventions.csv``.
    words : Words
    scheme : list of dict
        The interventions of ``resources/interventions.yaml`` (number, short, factor).
    buurten : list of str
        Buurten in report order.

    Where the researchers left no judgement, the rule's score stands in
    (:func:`judged_scores`) and the agreement sentence says so.
    """
    raw = interventions
    interventions = judged_scores(interventions)
    by_number = {int(i["number"]): i for i in scheme}

    def name(number: int) -> str:
        item = by_number.get(int(number), {})
        return f"{str(item.get('short', number)).lower()} ({int(number)})"

    strengthened: dict[str, list[int]] = {}
    paragraphs, expectations = [], []
    total = len(by_number) or int(interventions["intervention"].nunique())
    for buurt in buurten:
        part = interventions[interventions["buurt"] == buurt].sort_values("intervention")
        groups = {s: [int(n) for n in part.loc[part["score"] == s, "intervention"]] for s in "✓=~X"}
        strengthened[buurt] = groups["✓"]
        n_ok = len(groups["✓"])
        text = _sentence(
            f"{words.buurt_in(buurt)} "
            + (
                "versterkte geen enkele interventie een succesfactor substantieel"
                if not n_ok
                else f"{plural(n_ok, 'versterkte', 'versterkten')} "
                f"{count(n_ok, 'interventie', 'interventies')} van de {number_word(total)} een "
                f"succesfactor substantieel: {join_nl(name(n) for n in groups['✓'])}"
            )
        )
        for symbol, verb_one, verb_many in (
            (
                "=",
                "interventie was al gangbare praktijk en is voortgezet",
                "interventies waren al gangbare praktijk en zijn voortgezet",
            ),
            (
                "~",
                "interventie is (deels) uitgevoerd, zonder veel verandering",
                "interventies zijn (deels) uitgevoerd, zonder veel verandering",
            ),
            ("X", "interventie is niet uitgevoerd", "interventies zijn niet uitgevoerd"),
        ):
            numbers = groups[symbol]
            if numbers:
                text += " " + _sentence(
                    f"{number_word(len(numbers))} {plural(len(numbers), verb_one, verb_many)}: "
                    f"{join_nl(name(n) for n in numbers)}"
                )
        paragraphs.append(text)
        factors = list(
            dict.fromkeys(
                str(by_number[n]["factor"]).split(" (")[0].lower()
                for n in groups["✓"]
                if n in by_number
            )
        )
        if not n_ok:
            expectations.append(
                _sentence(
                    f"omdat {words.buurt_in(buurt)} geen succesfactor substantieel is versterkt, "
                    f"verwachten we daar geen verandering die aan het experiment is toe te "
                    f"schrijven"
                )
            )
        elif n_ok * 2 < total:
            expectations.append(
                _sentence(
                    f"{words.buurt_in(buurt)} verwachten we weinig verandering tussen de metingen, "
                    f"hooguit op wat samenhangt met {join_nl(factors)}"
                )
            )
        else:
            expectations.append(
                _sentence(
                    f"{words.buurt_in(buurt)} zijn genoeg succesfactoren versterkt om een "
                    f"verbetering te verwachten, vooral op wat samenhangt met {join_nl(factors)}"
                )
            )
    judged = interventions["judged"]
    differ = interventions[judged & ~interventions["agree"].astype(bool)]
    if not judged.any():
        agreement = _sentence(
            "de onderzoekers hebben voor deze buurten geen oordelen vastgelegd: de symbolen "
            "zijn die van de vastgelegde beslisregel op de codes uit de chats"
        )
    elif differ.empty:
        agreement = _sentence(
            f"de regel en het oordeel van de onderzoekers komen bij alle {int(judged.sum())} "
            f"beoordelingen overeen"
        )
    else:
        listed = join_nl(
            f"{name(r.intervention)} {words.buurt_in(r.buurt)} (oordeel {r.score}, regel "
            f"{r.computed_score})"
            for r in differ.itertuples()
        )
        agreement = _sentence(
            f"bij {number_word(len(differ))} van de {int(judged.sum())} beoordelingen wijkt de "
            f"regel af van het oordeel van de onderzoekers: {listed}"
        )
    if judged.any() and not judged.all():
        missing = int((~judged).sum())
        agreement += " " + _sentence(
            f"bij {number_word(missing)} van de {len(interventions)} "
            f"{plural(missing, 'combinatie', 'combinaties')} van interventie en buurt ontbreekt "
            f"het oordeel; daar geldt de regel"
        )
    # the agreement sentence, recomputed from the scores themselves (not ``agree``)
    claims = [
        _claim("bevindingen", "interventions.agreement", "count", "interventions", "",
               len(raw)),
        _claim("bevindingen", "interventions.agreement", "count", "interventions", "",
               int((~judged).sum()), "score="),
        _claim("bevindingen", "interventions.agreement", "count", "interventions", "",
               len(differ), "score!= & score!=computed_score"),
        *(_claim("bevindingen", "interventions.agreement", "equals", "interventions",
                 rows_key(intervention=int(r.intervention), buurt=r.buurt), str(r.score),
                 f"score={r.score} & computed_score={r.computed_score}")
          for r in differ.itertuples()),
    ]  # fmt: skip
    for buurt in buurten:
        own = interventions[interventions["buurt"] == buurt]
        column = (
            "score" if own["judged"].all() else "computed_score" if not own["judged"].any() else ""
        )
        if column:
            claims.append(
                _claim("bevindingen", "interventions", "count", "interventions",
                       rows_key(buurt=buurt), len(strengthened[buurt]), f"{column}=✓")
            )  # fmt: skip
    return {
        "claims": claims,
        "strengthened": strengthened,
        "paragraphs": paragraphs,
        "expectations": expectations,
        "agreement": agreement,
        "disagreements": len(differ),
    }


def member_findings(
    members: pd.DataFrame,
    names: Mapping[str, str],
    start: str,
    end: str,
    claims: list[Claim] | None = None,
) -> list[str]:
    """Group size at the start and the end of the experiment year, per group.

    ``claims``, when given, gets the claims behind the sentence (on ``members``).
    """
    claims = [] if claims is None else claims
    parts = []
    for group, own in members.groupby("group", sort=False):
        own = own.sort_values("month")
        before = own[own["month"] < start[:7]]
        during = own[(own["month"] >= start[:7]) & (own["month"] < end[:7])]
        if during.empty:
            continue
        first = (
            int(before["size"].iloc[-1])
            if len(before)
            else int(during["size"].iloc[0] - during["joined"].iloc[0] + during["left"].iloc[0])
        )
        last = int(during["size"].iloc[-1])
        joined, left = int(during["joined"].sum()), int(during["left"].sum())
        months = rows_key(group=group, month=list(during["month"]))
        claims += [
            _claim("bevindingen", "members", "sum", "members", months, joined, "joined"),
            _claim("bevindingen", "members", "sum", "members", months, left, "left"),
            _claim("bevindingen", "members", "equals", "members",
                   rows_key(group=group, month=during["month"].iloc[-1]), last, f"size={last}"),
            _claim("bevindingen", "members", "equals", "members",
                   rows_key(group=group, month=before["month"].iloc[-1]), first,
                   f"size={first}")
            if len(before)
            else _claim("bevindingen", "members", "equals", "members",
                        rows_key(group=group, month=during["month"].iloc[0]), first,
                        f"size={int(during['size'].iloc[0])} & "
                        f"joined={int(during['joined'].iloc[0])} & "
                        f"left={int(during['left'].iloc[0])}"),
        ]  # fmt: skip
        verb = "groeide van" if last > first else "kromp van" if last < first else "bleef op"
        sizes = f"{first} naar {last}" if last != first else f"{first}"
        parts.append(
            f"{names.get(group, group)} {verb} {sizes} deelnemers ({joined} erbij, {left} eraf)"
        )
    if not parts:
        return []
    return [_sentence(f"tijdens het experiment {join_nl(parts)}")]


def activity_findings(
    activity: pd.DataFrame,
    names: Mapping[str, str],
    start: str,
    end: str,
    claims: list[Claim] | None = None,
) -> list[str]:
    """Messages per month before and during the experiment year, per group.

    ``claims``, when given, gets the claims behind the sentence (on ``activity``).
    """
    claims = [] if claims is None else claims
    parts = []
    for group, own in activity.groupby("group", sort=False):
        per_month = own.groupby("month")["messages"].sum()
        professional = (
            own[~own["role"].isin(["bewoner", "beheerder_bewoner"])]
            .groupby("month")["messages"]
            .sum()
        )
        before = per_month[per_month.index < start[:7]]
        during = per_month[(per_month.index >= start[:7]) & (per_month.index < end[:7])]
        if during.empty:
            continue
        from_professionals = professional.reindex(during.index, fill_value=0).sum()
        share = from_professionals / max(during.sum(), 1)
        months = rows_key(group=group, month=list(during.index))
        claims += [
            _claim("bevindingen", "activity", "mean", "activity", months, float(during.mean()),
                   "messages per month"),
            _claim("bevindingen", "activity", "sum", "activity", months, float(during.sum()),
                   "messages"),
            _claim("bevindingen", "activity", "sum", "activity",
                   f"{months};{rows_key(role=['bewoner', 'beheerder_bewoner'])}",
                   float(during.sum() - from_professionals), "messages"),
        ]  # fmt: skip
        if len(before):
            claims.append(
                _claim("bevindingen", "activity", "mean", "activity",
                       rows_key(group=group, month=list(before.index)), float(before.mean()),
                       "messages per month")
            )  # fmt: skip
        text = (
            f"{names.get(group, group)} gemiddeld {nl_number(during.mean(), 0)} per maand"
            + (f" (daarvoor {nl_number(before.mean(), 0)})" if len(before) else "")
            + f", waarvan {nl_pct(share * 100, 0)} van professionals"
        )
        parts.append(text)
    if not parts:
        return []
    return [_sentence(f"tijdens het experiment verschenen er berichten in {join_nl(parts)}")]


# --- the conclusion (chapter 4) --------------------------------------------------------


def hypothesis_findings(
    interventions: Mapping[str, object] | None,
    changes: Sequence[ChangeFindings],
    did: Mapping[str, object],
    chance: Mapping[str, object],
    words: Words,
    buurten: Sequence[str],
    total_interventions: int,
    hypothesis: pd.DataFrame | None = None,
) -> dict[str, list[str]]:
    """The answer to the hypothesis, from the interventions, the changes and the DiD.

    With ``hypothesis`` (``results/tables/hypothesis.csv``) the last paragraph is
    the verdict of that table (:func:`verdict_findings`), with its claims.
    """
    paragraphs = []
    if interventions is not None:
        counts = {b: len(interventions["strengthened"].get(b, [])) for b in buurten}
        listed = join_nl(
            f"{words.buurt_in(b)} {number_word(n) if n else 'geen'}" for b, n in counts.items()
        )
        few = all(n * 2 < total_interventions for n in counts.values())
        paragraphs.append(
            _sentence(
                f"van de {number_word(total_interventions)} interventies versterkten er "
                f"{listed} een succesfactor substantieel"
            )
            + " "
            + _sentence(
                "de interventies zijn dus in beperkte mate uitgevoerd"
                if few
                else "een groot deel van de interventies is dus uitgevoerd"
            )
        )
    if hypothesis is not None:
        found = verdict_findings(hypothesis, words, buurten)
        return {
            "paragraphs": [*paragraphs, *found["paragraphs"]],
            "verdict": [found["name"]],
            "code": found["verdict"],
            "claims": list((interventions or {}).get("claims", [])) + found["claims"],
        }
    desired = [d for c in changes for d in c.desired]
    undesired = [d for c in changes for d in c.undesired]
    support = list(did["desired"])
    against = list(did["undesired"])
    expected = sum(f["expected"] for f in chance["families"])
    if not support:
        reason = []
        if desired:
            reason.append(
                f"de {count(len(desired), 'verandering', 'veranderingen')} in de gewenste "
                f"richting {plural(len(desired), 'houdt', 'houden')} geen stand in de directe "
                f"toets van het verschil in verandering"
            )
        else:
            reason.append("er is geen verandering in de gewenste richting gevonden")
        if len(desired) + len(undesired) <= expected:
            reason.append(
                "het aantal significante uitkomsten is niet groter dan je door toeval zou "
                "verwachten"
            )
        paragraphs.append(_sentence(f"de hypothese kunnen we niet bevestigen: {join_nl(reason)}"))
        verdict = "niet bevestigd"
    else:
        listed = join_nl(
            dict.fromkeys(f"{words.noun(i)} {words.buurt_in(b)}" for i, b, _ in support)
        )
        text = _sentence(
            f"de directe toets van het verschil in verandering geeft steun voor de hypothese "
            f"bij {listed}"
        )
        if len(support) <= did["tests"] * ALPHA:
            text += " " + _sentence(
                "dat zijn niet meer uitkomsten dan je bij dit aantal toetsen door toeval "
                "verwacht; de steun is daarom zwak"
            )
        if against:
            cells = dict.fromkeys(f"{words.noun(i)} {words.buurt_in(b)}" for i, b, _ in against)
            text += " " + _sentence(
                f"daar staat tegenover dat {join_nl(cells)} juist de andere kant op veranderde"
            )
        paragraphs.append(text)
        verdict = "gedeeltelijk ondersteund" if len(support) > did["tests"] * ALPHA else "zwak"
    # the fallback rests on the difference in differences (and, without support, on the
    # number of changes against the chance expectation of table 6)
    sentence = "hypothesis.fallback"
    claims = [
        _claim("conclusie", sentence, "count", "did", "", len(support),
               "p<alpha & intended(estimate)>0"),
        _claim("conclusie", sentence, "count", "did", "", len(against),
               "p<alpha & intended(estimate)<0"),
        *(_claim("conclusie", sentence, "significant", "did",
                 rows_key(indicator=i, buurt=b, wave_to=w), 0, "p")
          for i, b, w in [*support, *against]),
    ]  # fmt: skip
    if support:
        kind = "above_chance" if len(support) > did["tests"] * ALPHA else "at_most_chance"
        claims.append(_claim("conclusie", sentence, kind, "did", "", len(support), "p"))
    elif len(desired) + len(undesired) <= expected:
        claims.append(
            _claim("conclusie", sentence, "at_most_chance", "prepost", "",
                   len(desired) + len(undesired), "p")
        )  # fmt: skip
    return {
        "paragraphs": paragraphs,
        "verdict": [verdict],
        "code": "",
        "claims": list((interventions or {}).get("claims", [])) + claims,
    }


_ADJUSTED = {"holm": ("p_holm", "Holm"), "bh": ("p_bh", "Benjamini-Hochberg")}


def _verdict_reason(r, name: str, rule_name: str) -> str:
    """Why the verdict is what it is, in plain Dutch, from one row of ``hypothesis.csv``."""
    n, k = int(r.estimates), int(r.significant)
    up, down = int(r.in_direction), int(r.against)
    tested = (
        f"na correctie voor het aantal toetsen ({rule_name}) "
        f"{plural(k, 'is', 'zijn') if k else 'is'} {number_word(k) if k else 'geen'} van de "
        f"{n} schattingen "
        f"van het verschil in verandering significant"
    )
    reasons = {
        "significant_in_intended_direction": f"{tested}; {_of_them(k, up)} in de gewenste "
        f"richting" + (f" en {number_word(down)} ertegenin" if down else ""),
        "significant_in_both_directions": f"{tested}, maar niet eensgezind: "
        f"{number_word(up)} in de gewenste richting en {number_word(down)} ertegenin",
        "none_significant": tested,
        "significant_against_only": f"{tested}, en {_of_them(k, down)} tegen de gewenste "
        f"richting in",
        "too_few_in_intended_direction": f"{tested}; in de gewenste richting "
        f"{plural(up, 'wijst', 'wijzen')} er {number_word(up) if up else 'geen'}, minder dan de "
        f"regel vraagt ({number_word(int(r.min_in_direction))})",
        "no_difference_in_differences": "er is geen schatting van het verschil in verandering: "
        "daarvoor zijn in een buurt beide groepen in ten minste twee metingen nodig",
        "no_estimable_cell": "geen enkele schatting van het verschil in verandering was te "
        "berekenen",
    }
    return f"de hypothese is {name}: {reasons.get(str(r.reason), str(r.reason))}"


def verdict_findings(
    hypothesis: pd.DataFrame, words: Words, buurten: Sequence[str] = ()
) -> dict[str, object]:
    """The verdict on the hypothesis of ``hypothesis.csv``, with its reason, in plain Dutch.

    Parameters
    ----------
    hypothesis : DataFrame
        ``results/tables/hypothesis.csv`` (scope ``study``, and one row per buurt).
    words : Words
        ``verdicts`` gives the verdict's name.
    buurten : sequence of str
        The buurten of the report; with more than one, the verdict per buurt follows.

    Returns
    -------
    dict
        ``verdict`` (the code), ``name``, ``paragraphs`` (one) and ``claims``.
    """
    study = hypothesis[hypothesis["scope"] == "study"]
    r = next(study.itertuples(index=False))
    name = str(words.verdicts.get(r.verdict, {}).get("name", r.verdict))
    column, rule_name = _ADJUSTED.get(str(r.adjustment), ("p_holm", str(r.adjustment)))
    text = _sentence(_verdict_reason(r, name, rule_name))
    section, sentence = "conclusie", "hypothesis.verdict"
    claims = [
        _claim(section, sentence, "verdict", "hypothesis", "scope=study", r.verdict, "verdict"),
        _claim(section, sentence, "equals", "hypothesis", "scope=study", r.reason,
               f"reason={r.reason}"),
    ] + [
        _claim(section, sentence, "equals", "hypothesis", "scope=study", int(getattr(r, c)),
               f"{c}={int(getattr(r, c))}")
        for c in ("estimates", "significant", "in_direction", "against")
    ]  # fmt: skip
    if float(r.alpha) == ALPHA and int(r.estimates):  # recount from did.csv itself
        claims += [
            _claim(section, sentence, "count", "did", STUDY, int(r.significant), f"{column}<alpha"),
            _claim(section, sentence, "count", "did", STUDY, int(r.in_direction),
                   f"{column}<alpha & intended(estimate)>0"),
            _claim(section, sentence, "count", "did", STUDY, int(r.against),
                   f"{column}<alpha & intended(estimate)<0"),
        ]  # fmt: skip
    own = {
        str(b.buurt): b for b in hypothesis[hypothesis["scope"] == "buurt"].itertuples(index=False)
    }
    shown = [b for b in buurten if b in own]
    if len(shown) > 1:
        per = {}
        for b in shown:
            per.setdefault(str(own[b].verdict), []).append(b)
            claims.append(
                _claim(section, sentence, "verdict", "hypothesis", rows_key(scope="buurt", buurt=b),
                       own[b].verdict, "verdict")
            )  # fmt: skip
        listed = join_nl(
            f"{words.verdicts.get(v, {}).get('name', v)} {join_nl(words.buurt_in(b) for b in bs)}"
            for v, bs in per.items()
        )
        text += " " + _sentence(f"per buurt bekeken is de hypothese {listed}")
    return {"verdict": str(r.verdict), "name": name, "paragraphs": [text], "claims": claims}


def summary_findings(
    baseline: BaselineFindings, verdict: str, words: Words, wave_label: str
) -> dict[str, object]:
    """The summary's paragraphs that rest on a result: the baseline and the lesson.

    The baseline lead says that a difference was found only when one was; the
    lesson is the one ``words.verdicts`` gives for the verdict of ``hypothesis.csv``.
    """
    claims = [
        _claim("samenvatting", "summary.lesson", "verdict", "hypothesis", "scope=study", verdict,
               "verdict")
    ]  # fmt: skip
    lead = ""
    if baseline.significant:
        lead = (
            _sentence(
                f"naast de vraag van het experiment laat de {wave_label.lower()} een verschil zien "
                f"waar het experiment niet naar zocht"
            )
            + " "
        )
    lesson = str(words.verdicts.get(verdict, {}).get("lesson", ""))
    return {
        "baseline": [lead + baseline.conclusion[0]] if baseline.conclusion else [],
        "lessons": [lesson] if lesson else [],
        "claims": claims,
    }


def subquestion_answers(
    questions: Sequence[Mapping[str, str]], answers: Mapping[str, Sequence[str]]
) -> list[dict[str, object]]:
    """Each sub-question of ``words.subquestions`` with the paragraphs that answer it."""
    return [
        {"id": q["id"], "question": q["question"], "answer": list(answers.get(q["answer"], []))}
        for q in questions
    ]


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
            f"{join_nl(words.buurten[b]['name'] for b in main)}, {how}"
        )
    ]


def places(buurten: Sequence[str], words: Words, shown: Sequence[str] | None = None) -> dict:
    """How the report names the study's buurten together, in a title and in sentences.

    Every buurt by name when the chapters show them all; otherwise their number.

    Returns
    -------
    dict
        ``names`` (``"Lombardijen en Essenburgbuurt"``, or ``"Twaalf buurten"``),
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
    if len(shown) >= len(buurten):
        return {
            "names": join_nl(words.buurten[b]["name"] for b in buurten),
            "in": join_nl(words.buurt_in(b) for b in buurten),
            "of": join_nl((words.buurt_name(b) for b in buurten), "of"),
            "every": every,
        }
    many = count(len(buurten), "buurt", "buurten")
    return {"names": capitalise(many), "in": f"in {many}", "of": f"deze {many}", "every": every}


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
        + (f": {join_nl(words.buurten[b]['name'] for b in buurten)}" if len(buurten) <= 4 else "")
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
