"""Comparisons of two independent groups: the report's tables 4 and 6, and more.

For every comparison the report made (experimental vs control at the baseline;
each group before vs after), this module gives what the report printed and
what a careful analyst adds:

- Student's pooled-variance t-test (what the report used) and Welch's test
  beside it (:func:`scipy.stats.ttest_ind`);
- Levene's test for equal variances, mean-centred as SPSS prints it
  (:func:`scipy.stats.levene` with ``center="mean"``);
- Cohen's d with the pooled SD and its 95% CI (:func:`pingouin.compute_effsize`,
  :func:`pingouin.compute_esci`);
- the minimum detectable effect: d at 80% power, alpha .05, two-sided, for the
  Ns at hand (:func:`pingouin.power_ttest2n`);
- Holm and Benjamini-Hochberg adjusted p across a family of tests
  (:func:`statsmodels.stats.multitest.multipletests`);
- for a 0/1 indicator, beside the t-test the report used, the test of two
  proportions: the difference with Newcombe's 95% CI and the z-test without
  continuity correction (:func:`baseline_proportions`,
  :func:`prepost_proportions`; computed by
  :func:`buurtpreventie.stats.cellstats.compare_proportions`).

All functions take tidy respondent tables and return tidy tables with the
column names of resources/tables.yaml and the identifiers of docs/tables.md, section Identifiers.

:func:`compare_groups` compares one pair of samples with the library
functions above. A city-wide study makes tens of thousands of such
comparisons, and at about 3 ms a call that alone would take minutes, so the
tables are computed by :mod:`buurtpreventie.stats.cellstats`: the same statistics from
per-cell sums (n, mean, variance, and the mean and variance of the absolute
deviations for Levene), for all cells at once with numpy and the scipy
distributions. Those closed forms are written by hand because no library
offers them vectorised over many pairs; the tests check them against
:func:`compare_groups` on random samples. Missing values of an indicator are
left out of that indicator's comparison only. A group with fewer than two
values gives missing statistics instead of an error.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy import stats
from statsmodels.stats.multitest import multipletests

from buurtpreventie.constants import ALPHA, CONFIDENCE, POWER
from buurtpreventie.stats.cellstats import (
    PROPORTION_STATISTICS,
    STATISTICS,
    buurt_order,
    cell_summaries,
    compare_proportions,
    compare_summaries,
    minimum_detectable_d_many,
    pick_cells,
)

__all__ = [
    "POWER",
    "PROPORTION_STATISTICS",
    "adjust_p",
    "baseline_comparisons",
    "baseline_proportions",
    "binary_indicators",
    "cell_summaries",
    "compare_groups",
    "compare_summaries",
    "demographic_tests",
    "minimum_detectable_d",
    "minimum_detectable_d_many",
    "prepost_comparisons",
    "prepost_proportions",
    "wave_pairs",
]


def _describe(values: np.ndarray) -> tuple[int, float, float]:
    n = len(values)
    mean = float(values.mean()) if n else math.nan
    sd = float(values.std(ddof=1)) if n > 1 else math.nan
    return n, mean, sd


def compare_groups(first: Sequence[float], second: Sequence[float]) -> dict[str, float]:
    """Compare two independent samples: ``first`` minus ``second``.

    Parameters
    ----------
    first, second : sequence of float
        The values of the two groups (missing values already removed).

    Returns
    -------
    dict
        ``n_1, mean_1, sd_1, n_2, mean_2, sd_2`` (sd with n - 1), Student's
        ``t, df, p``, Welch's ``t_welch, df_welch, p_welch``, ``levene_p``
        (mean-centred), Cohen's ``d`` (pooled SD) with ``d_ci_low, d_ci_high``
        (95%), and ``mde_d``: the smallest |d| with 80% power at alpha .05.
    """
    x = np.asarray(first, dtype=float)
    y = np.asarray(second, dtype=float)
    n1, m1, s1 = _describe(x)
    n2, m2, s2 = _describe(y)
    result = {"n_1": n1, "mean_1": m1, "sd_1": s1, "n_2": n2, "mean_2": m2, "sd_2": s2}
    nan_stats = dict.fromkeys(STATISTICS, math.nan)
    if n1 < 2 or n2 < 2 or (s1 == 0 and s2 == 0):
        return {**result, **nan_stats}
    student = stats.ttest_ind(x, y, equal_var=True)
    welch = stats.ttest_ind(x, y, equal_var=False)
    import pingouin as pg  # here: the tables use cellstats, so their rules need no pingouin

    d = float(pg.compute_effsize(x, y, paired=False, eftype="cohen"))
    ci = pg.compute_esci(d, nx=n1, ny=n2, eftype="cohen", confidence=CONFIDENCE, decimals=12)
    return {
        **result,
        "t": float(student.statistic),
        "df": float(student.df),
        "p": float(student.pvalue),
        "t_welch": float(welch.statistic),
        "df_welch": float(welch.df),
        "p_welch": float(welch.pvalue),
        "levene_p": float(stats.levene(x, y, center="mean").pvalue),
        "d": d,
        "d_ci_low": float(ci[0]),
        "d_ci_high": float(ci[1]),
        "mde_d": minimum_detectable_d(n1, n2),
    }


def minimum_detectable_d(n1: int, n2: int, power: float = POWER, alpha: float = ALPHA) -> float:
    """Smallest Cohen's d a two-sided Student t-test detects with this power."""
    if n1 < 2 or n2 < 2:
        return math.nan
    import pingouin as pg  # here, as in compare_groups

    return float(pg.power_ttest2n(nx=n1, ny=n2, power=power, alpha=alpha))


def _compared(
    frame: pd.DataFrame, keys: Sequence[str], value: str, pairs: Sequence[tuple[tuple, tuple]]
) -> dict:
    """Compare many (first cell, second cell) pairs of ``value``; cells are ``keys`` tuples."""
    summaries = cell_summaries(frame, keys, value)
    return compare_summaries(
        pick_cells(summaries, [a for a, _ in pairs]), pick_cells(summaries, [b for _, b in pairs])
    )


def _side_name(column: str, first: str, second: str) -> str:
    """``n_1`` becomes ``n_<first>``, ``n_2`` becomes ``n_<second>``; others stay."""
    suffix = {"_1": f"_{first}", "_2": f"_{second}"}
    return column[:-2] + suffix[column[-2:]] if column[-2:] in suffix else column


def _renamed(result: dict[str, float], first: str, second: str) -> dict[str, float]:
    """``n_1, mean_1, ...`` become ``n_<first>, mean_<first>, ...`` (and ``_2`` likewise)."""
    return {_side_name(key, first, second): value for key, value in result.items()}


def baseline_comparisons(
    respondents: pd.DataFrame, indicators: Sequence[str], baseline: str
) -> pd.DataFrame:
    """Experimental vs control per indicator x buurt at the baseline wave (table 4).

    Returns
    -------
    DataFrame
        ``indicator, buurt, n_e, mean_e, sd_e, n_c, mean_c, sd_c, t, df, p,
        t_welch, df_welch, p_welch, levene_p, d, d_ci_low, d_ci_high, mde_d``;
        ``d`` is positive when the experimental group scores higher.
    """
    wave = respondents[respondents["wave"] == baseline]
    buurten = buurt_order(respondents)
    pairs = [((buurt, "E"), (buurt, "C")) for buurt in buurten]
    parts = []
    for indicator in indicators:
        result = _compared(wave, ["buurt", "groep"], indicator, pairs)
        part = pd.DataFrame({"indicator": indicator, "buurt": buurten, **result})
        parts.append(part.rename(columns=lambda c: _side_name(c, "e", "c")))
    return _concat(parts)


def _concat(parts: list[pd.DataFrame]) -> pd.DataFrame:
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()


def wave_pairs(waves: Sequence[str]) -> list[tuple[str, str, str]]:
    """The before/after comparisons: every later wave vs the baseline, and with three
    or more waves also every wave vs the one before it.

    Returns
    -------
    list of (wave_from, wave_to, kind)
        ``kind`` is ``baseline`` or ``consecutive``.
    """
    pairs = [(waves[0], later, "baseline") for later in waves[1:]]
    pairs += [(waves[i - 1], waves[i], "consecutive") for i in range(2, len(waves))]
    return pairs


def prepost_comparisons(
    respondents: pd.DataFrame, indicators: Sequence[str], waves: Sequence[str]
) -> pd.DataFrame:
    """Each group before vs after, per indicator x buurt x groep (table 6).

    The report compared independent samples of the two waves with Student's
    t-test; so does this. ``d`` is positive when the later wave scores higher.
    Holm and Benjamini-Hochberg adjusted p-values are computed over the family
    of all comparisons of one kind (``baseline`` or ``consecutive``).

    Returns
    -------
    DataFrame
        ``indicator, buurt, groep, wave_from, wave_to, kind, n_from, mean_from,
        sd_from, n_to, mean_to, sd_to, t, df, p, t_welch, df_welch, p_welch,
        levene_p, d, d_ci_low, d_ci_high, mde_d, p_holm, p_bh``.
    """
    keys = ["buurt", "groep", "wave"]
    cells = [(b, g) for b in buurt_order(respondents) for g in ("E", "C")]
    parts = []
    for indicator in indicators:
        summaries = cell_summaries(respondents, keys, indicator)
        for wave_from, wave_to, kind in wave_pairs(list(waves)):
            result = compare_summaries(
                pick_cells(summaries, [(*c, wave_to) for c in cells]),
                pick_cells(summaries, [(*c, wave_from) for c in cells]),
            )
            part = pd.DataFrame(
                {
                    "indicator": indicator,
                    "buurt": [b for b, _ in cells],
                    "groep": [g for _, g in cells],
                    "wave_from": wave_from,
                    "wave_to": wave_to,
                    "kind": kind,
                    "_pair": wave_pairs(list(waves)).index((wave_from, wave_to, kind)),
                    **result,
                }
            )
            parts.append(part.rename(columns=lambda c: _side_name(c, "to", "from")))
    rows = _concat(parts)
    if not rows.empty:  # the order of the report: wave pair, then indicator, buurt, groep
        rows = rows.sort_values("_pair", kind="stable").reset_index(drop=True)
    columns = [
        "indicator", "buurt", "groep", "wave_from", "wave_to", "kind",
        "n_from", "mean_from", "sd_from", "n_to", "mean_to", "sd_to",
        "t", "df", "p", "t_welch", "df_welch", "p_welch", "levene_p",
        "d", "d_ci_low", "d_ci_high", "mde_d",
    ]  # fmt: skip
    table = rows
    if table.empty:
        return pd.DataFrame(columns=[*columns, "p_holm", "p_bh"])
    table = table[columns]
    parts = []
    for _, family in table.groupby("kind", sort=False):
        family = family.copy()
        family["p_holm"] = adjust_p(family["p"], "holm")
        family["p_bh"] = adjust_p(family["p"], "fdr_bh")
        parts.append(family)
    return pd.concat(parts).sort_index()


def binary_indicators(indicators: Sequence) -> list[str]:
    """The ids of the 0/1 indicators: a single question whose codebook range is [0, 1].

    Parameters
    ----------
    indicators : sequence of :class:`buurtpreventie.survey.codebook.Indicator`

    Returns
    -------
    list of str
        In codebook order (``meldingsbereidheid`` in the shipped codebook).
    """
    return [i.id for i in indicators if not i.is_scale and (i.low, i.high) == (0, 1)]


def _check_binary(frame: pd.DataFrame, indicator: str) -> None:
    """Stop when a 0/1 indicator holds another value: its proportions would be wrong."""
    values = frame[indicator].dropna()
    other = values[~values.isin([0, 1])]
    if len(other):
        raise ValueError(
            f"indicator {indicator!r} is 0/1 in the codebook but holds {other.iloc[0]!r}"
        )


def baseline_proportions(
    respondents: pd.DataFrame, indicators: Sequence[str], baseline: str
) -> pd.DataFrame:
    """E vs C at the baseline for 0/1 indicators: the test of two proportions.

    The rows of :func:`baseline_comparisons` for ``indicators``, with the
    statistics of :func:`buurtpreventie.stats.cellstats.compare_proportions` (E minus C).

    Returns
    -------
    DataFrame
        ``indicator, buurt, prop_diff, prop_diff_ci_low, prop_diff_ci_high, prop_z, prop_p``.
    """
    wave = respondents[respondents["wave"] == baseline]
    buurten = buurt_order(respondents)
    parts = []
    for indicator in indicators:
        _check_binary(wave, indicator)
        summaries = cell_summaries(wave, ["buurt", "groep"], indicator)
        result = compare_proportions(
            pick_cells(summaries, [(b, "E") for b in buurten]),
            pick_cells(summaries, [(b, "C") for b in buurten]),
        )
        parts.append(pd.DataFrame({"indicator": indicator, "buurt": buurten, **result}))
    columns = ["indicator", "buurt", *PROPORTION_STATISTICS]
    return _concat(parts) if parts else pd.DataFrame(columns=columns)


def prepost_proportions(
    respondents: pd.DataFrame, indicators: Sequence[str], waves: Sequence[str]
) -> pd.DataFrame:
    """Each group before vs after for 0/1 indicators: the test of two proportions.

    The rows of :func:`prepost_comparisons` for ``indicators`` (every wave pair
    of :func:`wave_pairs`), later minus earlier. These p-values are not
    adjusted: they test the same comparisons as the t-tests of the family, by
    another test, and add no hypotheses to it.

    Returns
    -------
    DataFrame
        ``indicator, buurt, groep, wave_from, wave_to, kind, prop_diff,
        prop_diff_ci_low, prop_diff_ci_high, prop_z, prop_p``.
    """
    cells = [(b, g) for b in buurt_order(respondents) for g in ("E", "C")]
    parts = []
    for wave_from, wave_to, kind in wave_pairs(list(waves)):
        for indicator in indicators:
            _check_binary(respondents, indicator)
            summaries = cell_summaries(respondents, ["buurt", "groep", "wave"], indicator)
            result = compare_proportions(
                pick_cells(summaries, [(*c, wave_to) for c in cells]),
                pick_cells(summaries, [(*c, wave_from) for c in cells]),
            )
            keys = {"buurt": [b for b, _ in cells], "groep": [g for _, g in cells]}
            parts.append(
                pd.DataFrame(
                    {"indicator": indicator, **keys, "wave_from": wave_from}
                    | {"wave_to": wave_to, "kind": kind, **result}
                )
            )
    columns = ["indicator", "buurt", "groep", "wave_from", "wave_to", "kind"]
    return _concat(parts) if parts else pd.DataFrame(columns=[*columns, *PROPORTION_STATISTICS])


def adjust_p(p: pd.Series, method: str) -> pd.Series:
    """Adjust a family of p-values (``holm`` or ``fdr_bh``); missing p stay missing."""
    result = pd.Series(np.nan, index=p.index, dtype=float)
    present = p.notna()
    if present.any():
        result[present] = multipletests(p[present].to_numpy(), method=method)[1]
    return result


# Characteristics compared between E and C in tables 2 and 3: variable -> test.
DEMOGRAPHIC_TESTS = (
    ("geslacht", "chi2"),
    ("samenwonend", "chi2"),
    ("inwonende_kinderen", "chi2"),
    ("leeftijdscategorie", "student_t"),
)


def demographic_tests(respondents: pd.DataFrame, waves: Sequence[str]) -> pd.DataFrame:
    """Do experimental and control differ in a characteristic? Per wave x buurt.

    Gender, living together and children at home: Pearson's chi-square on the
    E/C x category table without continuity correction (SPSS's "Pearson
    Chi-Square" line; :func:`scipy.stats.chi2_contingency`). Age category (0-6):
    Student's t-test.

    Returns
    -------
    DataFrame
        ``wave, buurt, kenmerk, test, statistic, df, p, n_e, n_c``.
    """
    cells = [(wave, buurt) for wave in waves for buurt in buurt_order(respondents)]
    parts = []
    for order, (variable, test) in enumerate(DEMOGRAPHIC_TESTS):
        if test == "chi2":
            result = _chi_square_2x2(respondents, variable, cells)
        else:
            pairs = [((w, b, "E"), (w, b, "C")) for w, b in cells]
            compared = _compared(respondents, ["wave", "buurt", "groep"], variable, pairs)
            result = {
                "statistic": compared["t"],
                "df": compared["df"],
                "p": compared["p"],
                "n_e": compared["n_1"],
                "n_c": compared["n_2"],
            }
        part = pd.DataFrame(
            {
                "wave": [w for w, _ in cells],
                "buurt": [b for _, b in cells],
                "kenmerk": variable,
                "test": test,
                **result,
            }
        )
        parts.append(part.assign(_cell=range(len(cells)), _order=order))
    if not parts:
        return pd.DataFrame()
    table = pd.concat(parts).sort_values(["_cell", "_order"], kind="stable")
    columns = ["wave", "buurt", "kenmerk", "test", "statistic", "df", "p", "n_e", "n_c"]
    return table[columns].reset_index(drop=True)


def _chi_square_2x2(
    respondents: pd.DataFrame, variable: str, cells: Sequence[tuple[str, str]]
) -> dict[str, np.ndarray]:
    """Pearson's chi-square of E/C x ``variable`` per (wave, buurt), all cells at once.

    The 2 x 2 shortcut N (ad - bc)^2 / ((a + b)(c + d)(a + c)(b + d)) on 1 df,
    which is what :func:`scipy.stats.chi2_contingency` gives without continuity
    correction; written out so that thousands of cells take one pass. A cell
    without both groups or without exactly two categories gets no test.
    """
    data = respondents[["wave", "buurt", "groep", variable]].dropna()
    index = pd.MultiIndex.from_tuples(cells) if cells else None
    by_cell = data.groupby(["wave", "buurt"], observed=True)
    data = data.assign(_first=data[variable] == by_cell[variable].transform("min"))
    counts = data.groupby(["wave", "buurt", "groep", "_first"], observed=True).size()
    counts = counts.unstack(["groep", "_first"], fill_value=0)
    counts = counts.reindex(index, fill_value=0) if index is not None else counts

    def count(groep: str, first: bool) -> np.ndarray:
        key = (groep, first)
        return counts[key].to_numpy(float) if key in counts else np.zeros(len(counts))

    a, b, c, d = count("E", True), count("E", False), count("C", True), count("C", False)
    testable = (by_cell[variable].nunique().reindex(index, fill_value=0).to_numpy() == 2) & (
        by_cell["groep"].nunique().reindex(index, fill_value=0).to_numpy() == 2
    )
    with np.errstate(divide="ignore", invalid="ignore"):
        n = a + b + c + d
        statistic = n * (a * d - b * c) ** 2 / ((a + b) * (c + d) * (a + c) * (b + d))
    return {
        "statistic": np.where(testable, statistic, np.nan),
        "df": np.where(testable, 1.0, np.nan),
        "p": np.where(testable, stats.chi2.sf(statistic, 1), np.nan),
        "n_e": (a + b).astype(int),
        "n_c": (c + d).astype(int),
    }
