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
  (:func:`statsmodels.stats.multitest.multipletests`).

All functions take tidy respondent tables and return tidy tables with the
column names of INTERFACES.md section 3. Missing values of an indicator are
left out of that indicator's comparison only. A group with fewer than two
values gives missing statistics instead of an error.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import pandas as pd
import pingouin as pg
from scipy import stats
from statsmodels.stats.multitest import multipletests

__all__ = [
    "POWER",
    "adjust_p",
    "baseline_comparisons",
    "compare_groups",
    "demographic_tests",
    "prepost_comparisons",
    "wave_pairs",
]

POWER = 0.80
ALPHA = 0.05


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
    nan_stats = dict.fromkeys(
        [
            "t",
            "df",
            "p",
            "t_welch",
            "df_welch",
            "p_welch",
            "levene_p",
            "d",
            "d_ci_low",
            "d_ci_high",
            "mde_d",
        ],
        math.nan,
    )
    if n1 < 2 or n2 < 2 or (s1 == 0 and s2 == 0):
        return {**result, **nan_stats}
    student = stats.ttest_ind(x, y, equal_var=True)
    welch = stats.ttest_ind(x, y, equal_var=False)
    d = float(pg.compute_effsize(x, y, paired=False, eftype="cohen"))
    ci = pg.compute_esci(d, nx=n1, ny=n2, eftype="cohen", confidence=0.95, decimals=12)
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
    return float(pg.power_ttest2n(nx=n1, ny=n2, power=power, alpha=alpha))


def _values(frame: pd.DataFrame, indicator: str) -> np.ndarray:
    return frame[indicator].dropna().astype(float).to_numpy()


def _renamed(result: dict[str, float], first: str, second: str) -> dict[str, float]:
    """``n_1, mean_1, ...`` become ``n_<first>, mean_<first>, ...`` (and ``_2`` likewise)."""
    suffix = {"_1": f"_{first}", "_2": f"_{second}"}
    return {
        (key[:-2] + suffix[key[-2:]]) if key[-2:] in suffix else key: value
        for key, value in result.items()
    }


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
    rows = []
    for indicator in indicators:
        for buurt in _buurten(respondents):
            cell = wave[wave["buurt"] == buurt]
            result = compare_groups(
                _values(cell[cell["groep"] == "E"], indicator),
                _values(cell[cell["groep"] == "C"], indicator),
            )
            rows.append({"indicator": indicator, "buurt": buurt, **_renamed(result, "e", "c")})
    return pd.DataFrame(rows)


def _buurten(respondents: pd.DataFrame) -> list[str]:
    return sorted(respondents["buurt"].dropna().unique(), reverse=True)


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
    rows = []
    for wave_from, wave_to, kind in wave_pairs(list(waves)):
        for indicator in indicators:
            for buurt in _buurten(respondents):
                for groep in ("E", "C"):
                    cell = respondents[
                        (respondents["buurt"] == buurt) & (respondents["groep"] == groep)
                    ]
                    result = compare_groups(
                        _values(cell[cell["wave"] == wave_to], indicator),
                        _values(cell[cell["wave"] == wave_from], indicator),
                    )
                    rows.append(
                        {
                            "indicator": indicator,
                            "buurt": buurt,
                            "groep": groep,
                            "wave_from": wave_from,
                            "wave_to": wave_to,
                            "kind": kind,
                            **_renamed(result, "to", "from"),
                        }
                    )
    columns = [
        "indicator", "buurt", "groep", "wave_from", "wave_to", "kind",
        "n_from", "mean_from", "sd_from", "n_to", "mean_to", "sd_to",
        "t", "df", "p", "t_welch", "df_welch", "p_welch", "levene_p",
        "d", "d_ci_low", "d_ci_high", "mde_d",
    ]  # fmt: skip
    table = pd.DataFrame(rows)
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
    rows = []
    for wave in waves:
        for buurt in _buurten(respondents):
            cell = respondents[(respondents["wave"] == wave) & (respondents["buurt"] == buurt)]
            for variable, test in DEMOGRAPHIC_TESTS:
                data = cell[["groep", variable]].dropna()
                n_e, n_c = int((data["groep"] == "E").sum()), int((data["groep"] == "C").sum())
                statistic = df = p = math.nan
                if test == "chi2":
                    table = pd.crosstab(data["groep"], data[variable])
                    if table.shape == (2, 2) and (table.sum(axis=1) > 0).all():
                        result = stats.chi2_contingency(table.to_numpy(), correction=False)
                        statistic, df, p = (
                            float(result.statistic),
                            float(result.dof),
                            float(result.pvalue),
                        )
                else:
                    result = compare_groups(
                        _values(data[data["groep"] == "E"], variable),
                        _values(data[data["groep"] == "C"], variable),
                    )
                    statistic, df, p = result["t"], result["df"], result["p"]
                rows.append(
                    {
                        "wave": wave,
                        "buurt": buurt,
                        "kenmerk": variable,
                        "test": test,
                        "statistic": statistic,
                        "df": df,
                        "p": p,
                        "n_e": n_e,
                        "n_c": n_c,
                    }
                )
    return pd.DataFrame(rows)
