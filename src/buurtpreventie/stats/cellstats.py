"""Two-group statistics for many cells at once, from per-cell sums.

A city-wide study compares tens of thousands of cells (indicator x buurt x
groep x wave pair). :func:`buurtpreventie.stats.compare.compare_groups` does one pair
per call with scipy and pingouin, at about 3 ms a call; here the same
statistics come from per-cell sums (n, mean, variance, and the mean and
variance of the absolute deviations for Levene's test), for all cells in one
pass with numpy and the scipy distributions. The closed forms are written by
hand because no library offers them vectorised over many pairs; the tests
(tests/test_vectorised_stats.py) check them cell for cell against the library
calls.

For a 0/1 variable, :func:`compare_proportions` gives the test of two
proportions from the same summaries (n and mean), checked cell for cell
against statsmodels.

This module imports only numpy, pandas and scipy, so that rules which need no
pingouin or statsmodels do not pay for their import.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd
from scipy import stats

from buurtpreventie.constants import ALPHA, CONFIDENCE, POWER

__all__ = [
    "ALPHA",
    "CONFIDENCE",
    "POWER",
    "PROPORTION_STATISTICS",
    "STATISTICS",
    "buurt_order",
    "cell_summaries",
    "compare_proportions",
    "compare_summaries",
    "minimum_detectable_d_many",
    "pick_cells",
]

STATISTICS = (
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
)
PROPORTION_STATISTICS = ("prop_diff", "prop_diff_ci_low", "prop_diff_ci_high", "prop_z", "prop_p")


def _power(d: np.ndarray, n1: np.ndarray, n2: np.ndarray, alpha: float) -> np.ndarray:
    """Power of the two-sided Student t-test at effect size ``d`` (pingouin's formula)."""
    dof = n1 + n2 - 2
    critical = stats.t.ppf(1 - alpha / 2, dof)
    noncentrality = d * np.sqrt(n1 * n2 / (n1 + n2))
    return stats.nct.sf(critical, dof, noncentrality) + stats.nct.cdf(-critical, dof, noncentrality)


def minimum_detectable_d_many(
    n1: np.ndarray, n2: np.ndarray, power: float = POWER, alpha: float = ALPHA
) -> np.ndarray:
    """:func:`minimum_detectable_d` for many pairs of group sizes at once.

    Solves power(d) = ``power`` on [1e-7, 10] (pingouin's bracket) by bisection
    on all distinct (n1, n2) pairs together; written by hand because pingouin
    solves one pair per call. Sizes below 2 give NaN.
    """
    n1 = np.asarray(n1, dtype=float)
    n2 = np.asarray(n2, dtype=float)
    result = np.full(n1.shape, np.nan)
    valid = (n1 >= 2) & (n2 >= 2)
    if not valid.any():
        return result
    pairs, inverse = np.unique(np.column_stack([n1[valid], n2[valid]]), axis=0, return_inverse=True)
    low = np.full(len(pairs), 1e-7)
    high = np.full(len(pairs), 10.0)
    for _ in range(64):  # halves the bracket to below 1e-17
        middle = (low + high) / 2
        # scipy's noncentral t gives NaN far in the tail (huge d): power there is 1.
        enough = ~(_power(middle, pairs[:, 0], pairs[:, 1], alpha) < power)
        high = np.where(enough, middle, high)
        low = np.where(enough, low, middle)
    result[valid] = ((low + high) / 2)[inverse.ravel()]
    return result


def buurt_order(respondents: pd.DataFrame) -> list[str]:
    """The buurten of the respondents in the order of the tables (the report's: reverse name)."""
    return sorted(respondents["buurt"].dropna().unique(), reverse=True)


def cell_summaries(frame: pd.DataFrame, keys: Sequence[str], value: str) -> pd.DataFrame:
    """Per cell of ``keys``: what :func:`compare_summaries` needs of ``value``.

    Returns
    -------
    DataFrame
        Indexed by ``keys``: ``n``, ``mean``, ``var`` (n - 1), and ``dev_mean``,
        ``dev_var``: mean and variance of the absolute deviations from the
        cell mean (the mean-centred Levene test is an ANOVA on those).
        Missing values are left out.
    """
    data = frame[[*keys, value]].dropna(subset=[value]).astype({value: float})
    cells = data.groupby(list(keys), observed=True, sort=False)[value]
    data["_deviation"] = (data[value] - cells.transform("mean")).abs()
    grouped = data.groupby(list(keys), observed=True, sort=False)
    return pd.DataFrame(
        {
            "n": grouped[value].size(),
            "mean": grouped[value].mean(),
            "var": grouped[value].var(ddof=1),
            "dev_mean": grouped["_deviation"].mean(),
            "dev_var": grouped["_deviation"].var(ddof=1),
        }
    )


def compare_summaries(first: Mapping[str, np.ndarray], second: Mapping[str, np.ndarray]) -> dict:
    """:func:`compare_groups` for many pairs of cells at once, from their summaries.

    Parameters
    ----------
    first, second : mapping of str -> array
        ``n, mean, var, dev_mean, dev_var`` per pair (see :func:`cell_summaries`).

    Returns
    -------
    dict of str -> array
        The columns of :func:`compare_groups`, one entry per pair. Closed forms:
        pooled-variance and Welch t; Levene's F as the two-group ANOVA on the
        absolute deviations; Cohen's d on the pooled SD with pingouin's CI
        (se = sqrt((n1 + n2) / (n1 n2) + d^2 / (2 (n1 + n2))), t quantile on
        n1 + n2 - 2 df).
    """
    n1, m1, v1 = first["n"], first["mean"], first["var"]
    n2, m2, v2 = second["n"], second["mean"], second["var"]
    sd1, sd2 = np.sqrt(v1), np.sqrt(v2)
    valid = (n1 >= 2) & (n2 >= 2) & ~((sd1 == 0) & (sd2 == 0))
    with np.errstate(divide="ignore", invalid="ignore"):
        dof = n1 + n2 - 2
        pooled = ((n1 - 1) * v1 + (n2 - 1) * v2) / dof
        t = (m1 - m2) / np.sqrt(pooled * (1 / n1 + 1 / n2))
        share1, share2 = v1 / n1, v2 / n2
        t_welch = (m1 - m2) / np.sqrt(share1 + share2)
        df_welch = (share1 + share2) ** 2 / (share1**2 / (n1 - 1) + share2**2 / (n2 - 1))
        grand = (n1 * first["dev_mean"] + n2 * second["dev_mean"]) / (n1 + n2)
        between = n1 * (first["dev_mean"] - grand) ** 2 + n2 * (second["dev_mean"] - grand) ** 2
        within = ((n1 - 1) * first["dev_var"] + (n2 - 1) * second["dev_var"]) / dof
        d = (m1 - m2) / np.sqrt(pooled)
        se_d = np.sqrt((n1 + n2) / (n1 * n2) + d**2 / (2 * (n1 + n2)))
        critical = np.abs(stats.t.ppf((1 - CONFIDENCE) / 2, dof))
        columns = {
            "t": t,
            "df": dof,
            "p": 2 * stats.t.sf(np.abs(t), dof),
            "t_welch": t_welch,
            "df_welch": df_welch,
            "p_welch": 2 * stats.t.sf(np.abs(t_welch), df_welch),
            "levene_p": stats.f.sf(between / within, 1, dof),
            "d": d,
            "d_ci_low": d - critical * se_d,
            "d_ci_high": d + critical * se_d,
            "mde_d": minimum_detectable_d_many(np.where(valid, n1, 0), np.where(valid, n2, 0)),
        }
    describe = {
        "n_1": n1.astype(int),
        "mean_1": np.where(n1 > 0, m1, np.nan),
        "sd_1": np.where(n1 > 1, sd1, np.nan),
        "n_2": n2.astype(int),
        "mean_2": np.where(n2 > 0, m2, np.nan),
        "sd_2": np.where(n2 > 1, sd2, np.nan),
    }
    return describe | {k: np.where(valid, v, np.nan) for k, v in columns.items()}


def pick_cells(summaries: pd.DataFrame, cells: Sequence[tuple]) -> dict[str, np.ndarray]:
    """The summaries of ``cells`` (tuples of the keys) as arrays; absent cells have n = 0."""
    index = pd.MultiIndex.from_tuples(cells) if cells and len(cells[0]) > 1 else cells
    picked = summaries.reindex(index)
    return {column: picked[column].to_numpy(dtype=float) for column in summaries.columns} | {
        "n": picked["n"].fillna(0).to_numpy(dtype=float)
    }


def _wilson(successes: np.ndarray, n: np.ndarray, critical: float) -> tuple[np.ndarray, np.ndarray]:
    """Wilson's score interval of one proportion per cell (statsmodels' ``wilson``)."""
    share = successes / n
    centre = (successes + critical**2 / 2) / (n + critical**2)
    spread = np.sqrt(share * (1 - share) + critical**2 / (4 * n))
    half = critical * np.sqrt(n) / (n + critical**2) * spread
    return centre - half, centre + half


def compare_proportions(first: Mapping[str, np.ndarray], second: Mapping[str, np.ndarray]) -> dict:
    """Two independent proportions per pair of cells of a 0/1 variable: ``first`` minus ``second``.

    Parameters
    ----------
    first, second : mapping of str -> array
        ``n`` and ``mean`` per pair (see :func:`cell_summaries`); the mean of
        a 0/1 variable is the proportion of ones.

    Returns
    -------
    dict of str -> array
        ``prop_diff`` (difference in proportions), ``prop_diff_ci_low``,
        ``prop_diff_ci_high`` (95%, Newcombe's hybrid score interval, method 10
        of Newcombe 1998, from the two Wilson intervals), ``prop_z`` and
        ``prop_p``: the two-sided z-test with the pooled proportion and without
        continuity correction (z squared is Pearson's chi-square of the 2 x 2
        table, R's ``prop.test(correct = FALSE)``). The same as
        :func:`statsmodels.stats.proportion.proportions_ztest` and
        :func:`~statsmodels.stats.proportion.confint_proportions_2indep`
        (``method="newcomb"``), written out so that all cells take one pass.
        A cell without values gives missing statistics; so do z and p when
        every value of the pair is the same (the pooled variance is 0).
    """
    n1, n2 = first["n"], second["n"]
    valid = (n1 >= 1) & (n2 >= 1)
    critical = stats.norm.ppf(1 - (1 - CONFIDENCE) / 2)
    with np.errstate(divide="ignore", invalid="ignore"):
        share1 = np.where(valid, first["mean"], np.nan)
        share2 = np.where(valid, second["mean"], np.nan)
        x1, x2 = np.round(share1 * n1), np.round(share2 * n2)
        diff = share1 - share2
        low1, high1 = _wilson(x1, n1, critical)
        low2, high2 = _wilson(x2, n2, critical)
        pooled = (x1 + x2) / (n1 + n2)
        z = diff / np.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
        z = np.where(np.isfinite(z), z, np.nan)
    return {
        "prop_diff": diff,
        "prop_diff_ci_low": diff - np.sqrt((share1 - low1) ** 2 + (high2 - share2) ** 2),
        "prop_diff_ci_high": diff + np.sqrt((high1 - share1) ** 2 + (share2 - low2) ** 2),
        "prop_z": z,
        "prop_p": 2 * stats.norm.sf(np.abs(z)),
    }
