"""Regression models the report did not fit: adjusted baseline differences and the
difference-in-differences test of the hypothesis itself.

- :func:`adjusted_baseline` answers the report's claim that the baseline
  differences hold "when controlled for age and gender": an ANCOVA (OLS with
  classical standard errors, as SPSS's GLM prints it) of the indicator on groep,
  gender and age category, per buurt, at the baseline wave.
- :func:`difference_in_differences` tests the hypothesis directly: did the
  experimental group change more than the control group? Per buurt x
  indicator, OLS of the indicator on groep, wave and their interaction, over
  all waves; the interaction for each later wave is the difference in
  differences against the baseline, with heteroskedasticity-robust (HC3)
  standard errors, because group variances differ. Holm and
  Benjamini-Hochberg adjusted p-values are computed over the family of all
  difference-in-differences estimates of the study (every indicator x buurt x
  later wave), with :func:`buurtpreventie.stats.compare.adjust_p`, the function that
  adjusts the before/after family of table 6.

The ANCOVA is fitted with :mod:`statsmodels`. The difference-in-differences
model is saturated (one mean per groep x wave cell), so its estimates and HC3
standard errors have a closed form: the interaction is a contrast of four cell
means, and under HC3 (leverage 1/n in a cell) the variance of a cell mean is
s^2 / (n - 1). A city-wide study fits thousands of these models; the closed
form does them all in one pass, where statsmodels takes tens of milliseconds
a fit. It is written by hand for that reason, and the tests check it against
the statsmodels fit.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy import stats

from buurtpreventie.constants import CONFIDENCE
from buurtpreventie.stats.cellstats import buurt_order, cell_summaries, pick_cells
from buurtpreventie.stats.compare import adjust_p

__all__ = ["ROBUST_COVARIANCE", "adjusted_baseline", "difference_in_differences"]

ROBUST_COVARIANCE = "HC3"


def adjusted_baseline(
    respondents: pd.DataFrame, indicators: Sequence[str], baseline: str
) -> pd.DataFrame:
    """E minus C at the baseline, adjusted for gender and age category (ANCOVA).

    Model per indicator x buurt: ``indicator ~ groep + geslacht + leeftijdscategorie``
    (age as a linear covariate, 0-6), on respondents with all four known.

    Returns
    -------
    DataFrame
        ``indicator, buurt, n_adjusted, diff_adjusted, se_adjusted, p_adjusted``.
    """
    # here, so that the DiD rule does not pay for it; the module, not statsmodels.api,
    # which imports all of statsmodels (about 1 s more for the same class)
    from statsmodels.regression.linear_model import OLS

    wave = respondents.loc[
        respondents["wave"] == baseline,
        ["buurt", "groep", "geslacht", "leeftijdscategorie", *indicators],
    ]
    by_buurt = dict(tuple(wave.groupby("buurt", sort=False)))
    rows = []
    for indicator in indicators:
        for buurt in buurt_order(respondents):
            cell = by_buurt.get(buurt, wave.iloc[0:0])
            data = cell[[indicator, "groep", "geslacht", "leeftijdscategorie"]].dropna()
            experimental = (data["groep"] == "E").to_numpy(float)
            row = {"indicator": indicator, "buurt": buurt, "n_adjusted": len(data)}
            estimable = len(set(experimental)) == 2 and data["geslacht"].nunique() == 2
            if estimable and len(data) > 4:
                # The design of `indicator ~ experimental + C(geslacht) + leeftijdscategorie`.
                other = data["geslacht"] != sorted(data["geslacht"].unique())[0]
                design = np.column_stack(
                    [
                        np.ones(len(data)),
                        experimental,
                        other.to_numpy(float),
                        data["leeftijdscategorie"].to_numpy(float),
                    ]
                )
                fit = OLS(data[indicator].to_numpy(float), design).fit()
                row.update(
                    diff_adjusted=float(fit.params[1]),
                    se_adjusted=float(fit.bse[1]),
                    p_adjusted=float(fit.pvalues[1]),
                )
            else:
                row.update(diff_adjusted=math.nan, se_adjusted=math.nan, p_adjusted=math.nan)
            rows.append(row)
    return pd.DataFrame(rows)


def difference_in_differences(
    respondents: pd.DataFrame, indicators: Sequence[str], waves: Sequence[str]
) -> pd.DataFrame:
    """The groep x wave interaction per buurt x indicator, with robust standard errors.

    Model: ``indicator ~ experimental * C(wave)`` with the baseline wave as the
    reference, fitted on all waves at once. For each later wave the
    interaction is (E_later - E_baseline) - (C_later - C_baseline).

    The family of the adjusted p-values is the whole table: every estimate of
    the study tests the one hypothesis (the groups improve the indicators), so
    a verdict on it must account for all of them; a family per buurt would let
    a study of many buurten find some buurt "supported" by chance alone.

    Returns
    -------
    DataFrame
        ``indicator, buurt, wave_from, wave_to, n, estimate, se, ci_low, ci_high, p,
        cov_type, p_holm, p_bh``.
    """
    baseline = waves[0]
    data = respondents[respondents["wave"].isin(waves)]
    cells = [(buurt, later) for buurt in buurt_order(respondents) for later in waves[1:]]
    parts = []
    for indicator in indicators:
        summaries = cell_summaries(data, ["buurt", "groep", "wave"], indicator)

        e_to, e_from, c_to, c_from = (
            pick_cells(summaries, [(b, groep, later if after else baseline) for b, later in cells])
            for groep, after in (("E", True), ("E", False), ("C", True), ("C", False))
        )
        four = (e_to, e_from, c_to, c_from)
        estimate = (e_to["mean"] - e_from["mean"]) - (c_to["mean"] - c_from["mean"])
        with np.errstate(divide="ignore", invalid="ignore"):
            variance = sum(part["var"] / (part["n"] - 1) for part in four)
        n = sum(part["n"] for part in four)
        fitted = np.logical_and.reduce([part["n"] >= 2 for part in four])
        parts.append(_did_rows(indicator, baseline, cells, n, estimate, variance, fitted))
    if not parts:
        return pd.DataFrame()
    table = pd.concat(parts, ignore_index=True)
    return table.assign(p_holm=adjust_p(table["p"], "holm"), p_bh=adjust_p(table["p"], "fdr_bh"))


def _did_rows(indicator, baseline, cells, n, estimate, variance, fitted) -> pd.DataFrame:
    """The table rows of one indicator: estimate, HC3 se, normal CI and p (as statsmodels)."""
    estimate = np.where(fitted, estimate, np.nan)
    se = np.where(fitted, np.sqrt(variance), np.nan)
    critical = stats.norm.ppf(1 - (1 - CONFIDENCE) / 2)
    with np.errstate(divide="ignore", invalid="ignore"):
        p = 2 * stats.norm.sf(np.abs(estimate / se))
    return pd.DataFrame(
        {
            "indicator": indicator,
            "buurt": [b for b, _ in cells],
            "wave_from": baseline,
            "wave_to": [later for _, later in cells],
            "n": n.astype(int),
            "estimate": estimate,
            "se": se,
            "ci_low": estimate - critical * se,
            "ci_high": estimate + critical * se,
            "p": p,
            "cov_type": ROBUST_COVARIANCE,
        }
    )
