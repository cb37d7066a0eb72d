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
  standard errors, because group variances differ.

Both use :mod:`statsmodels` formulas; nothing here is written by hand.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import pandas as pd
import statsmodels.formula.api as smf

__all__ = ["ROBUST_COVARIANCE", "adjusted_baseline", "difference_in_differences"]

ROBUST_COVARIANCE = "HC3"


def _buurten(respondents: pd.DataFrame) -> list[str]:
    return sorted(respondents["buurt"].dropna().unique(), reverse=True)


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
    wave = respondents[respondents["wave"] == baseline]
    rows = []
    for indicator in indicators:
        for buurt in _buurten(respondents):
            data = wave.loc[
                wave["buurt"] == buurt, [indicator, "groep", "geslacht", "leeftijdscategorie"]
            ].dropna()
            data = data.astype({indicator: float, "leeftijdscategorie": float})
            data["experimental"] = (data["groep"] == "E").astype(float)
            row = {"indicator": indicator, "buurt": buurt, "n_adjusted": len(data)}
            estimable = data["experimental"].nunique() == 2 and data["geslacht"].nunique() == 2
            if estimable and len(data) > 4:
                fit = smf.ols(
                    f"{indicator} ~ experimental + C(geslacht) + leeftijdscategorie", data=data
                ).fit()
                row.update(
                    diff_adjusted=float(fit.params["experimental"]),
                    se_adjusted=float(fit.bse["experimental"]),
                    p_adjusted=float(fit.pvalues["experimental"]),
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

    Returns
    -------
    DataFrame
        ``indicator, buurt, wave_from, wave_to, n, estimate, se, ci_low, ci_high, p,
        cov_type``.
    """
    baseline = waves[0]
    rows = []
    for indicator in indicators:
        for buurt in _buurten(respondents):
            data = respondents.loc[
                (respondents["buurt"] == buurt) & respondents["wave"].isin(waves),
                [indicator, "groep", "wave"],
            ].dropna()
            data = data.astype({indicator: float})
            data["experimental"] = (data["groep"] == "E").astype(float)
            present = [w for w in waves if w in set(data["wave"])]
            fit = None
            if len(present) > 1 and data["experimental"].nunique() == 2:
                formula = f"{indicator} ~ experimental * C(wave, Treatment(reference='{baseline}'))"
                fit = smf.ols(formula, data=data).fit(cov_type=ROBUST_COVARIANCE)
            for later in waves[1:]:
                term = f"experimental:C(wave, Treatment(reference='{baseline}'))[T.{later}]"
                row = {
                    "indicator": indicator,
                    "buurt": buurt,
                    "wave_from": baseline,
                    "wave_to": later,
                    "n": int(data["wave"].isin([baseline, later]).sum()),
                }
                if fit is not None and term in fit.params:
                    low, high = fit.conf_int().loc[term]
                    row.update(
                        estimate=float(fit.params[term]),
                        se=float(fit.bse[term]),
                        ci_low=float(low),
                        ci_high=float(high),
                        p=float(fit.pvalues[term]),
                    )
                else:
                    row.update(
                        estimate=math.nan,
                        se=math.nan,
                        ci_low=math.nan,
                        ci_high=math.nan,
                        p=math.nan,
                    )
                row["cov_type"] = ROBUST_COVARIANCE
                rows.append(row)
    return pd.DataFrame(rows)
