"""Reliability of the three scales: Cronbach's alpha with its confidence interval.

Per scale and wave, over all included respondents of that wave who answered
every statement of the scale (listwise, as the report did), after reversing the
reversed statements. Alpha is computed as :func:`pingouin.cronbach_alpha` computes
it (:func:`cronbach_alpha`, compared with pingouin in the tests); its 95% CI is
Feldt's (1965) F-based interval, the one pingouin gives, computed here by
:func:`alpha_ci` because pingouin rounds its bounds to three decimals and the
tables are written at full precision. Item statistics (corrected item-total
correlation, alpha if the item is deleted) are computed from the same matrix.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy.special import fdtri

from buurtpreventie.constants import CONFIDENCE
from buurtpreventie.survey.codebook import Codebook, Indicator

__all__ = ["alpha_ci", "item_table", "reliability_table", "scale_items"]


def alpha_ci(alpha: float, n: int, k: int, confidence: float = CONFIDENCE) -> tuple[float, float]:
    """Feldt's confidence interval of Cronbach's alpha, at full precision.

    Parameters
    ----------
    alpha : float
        Cronbach's alpha of ``k`` statements answered by ``n`` respondents.
    n, k : int
    confidence : float

    Returns
    -------
    (float, float)
        ``1 - (1 - alpha) F``, with F the upper and lower ``(1 - confidence) / 2``
        quantiles of the F distribution on ``n - 1`` and ``(n - 1)(k - 1)`` df
        (Feldt 1965; pingouin's formula, without its rounding).
    """
    tail = (1 - confidence) / 2
    df1, df2 = n - 1, (n - 1) * (k - 1)
    # scipy.stats.f.isf(q, df1, df2) is fdtri(df1, df2, 1.0 - q) (its generic isf of
    # the F ppf), so the same numbers without importing scipy.stats (about 1 s a job)
    low = 1 - (1 - alpha) * fdtri(df1, df2, 1.0 - tail)
    high = 1 - (1 - alpha) * fdtri(df1, df2, 1.0 - (1 - tail))
    return float(low), float(high)


def cronbach_alpha(items: pd.DataFrame, listwise: bool = False) -> float:
    """Cronbach's alpha of the item columns: ``k / (k - 1) * (1 - trace(C) / sum(C))``.

    ``C`` is the items' covariance matrix, pairwise complete, or over the
    respondents who answered every item when ``listwise`` (R: ``psych::alpha``
    with ``use = "complete.obs"``). The same operations, in the same order, as
    :func:`pingouin.cronbach_alpha`, so the same floating-point result
    (tests/test_reliability.py compares them). Written here because importing
    pingouin (seaborn, statsmodels and matplotlib with it) cost the reliability
    job about 1.8 s for these three lines.
    """
    n, k = items.shape
    if k < 2 or n < 2:
        raise ValueError(f"Cronbach's alpha needs 2 items and 2 respondents, not {k} and {n}")
    if listwise and items.isna().any().any():
        items = items.dropna(axis=0, how="any")
    covariance = items.cov(numeric_only=True)
    return (k / (k - 1)) * (1 - np.trace(covariance) / covariance.sum().sum())


def scale_items(
    respondents: pd.DataFrame, codebook: Codebook, indicator: Indicator
) -> pd.DataFrame:
    """The statements of a scale, reversed where needed, for respondents who answered all.

    Parameters
    ----------
    respondents : DataFrame
        Respondent table with the statement columns (codes).
    codebook : Codebook
    indicator : Indicator
        A scale indicator (``indicator.items`` not empty).

    Returns
    -------
    DataFrame
        One float column per statement; reversed statements hold ``low + high - code``.
    """
    if not indicator.is_scale:
        raise ValueError(f"{indicator.id} is not a scale")
    items = respondents[list(indicator.items)].astype("Float64")
    for column in indicator.reversed_items:
        valid = [o.code for o in codebook.question(column).options if not o.missing]
        items[column] = (min(valid) + max(valid)) - items[column]
    return items.dropna().astype(float).reset_index(drop=True)


def _scales(codebook: Codebook) -> list[Indicator]:
    return [i for i in codebook.indicators if i.is_scale]


def _pearson(x: pd.Series, y: pd.Series) -> float:
    """Pearson's r of two complete float columns (numpy; pandas' corr is slower here)."""
    return float(np.corrcoef(x.to_numpy(), y.to_numpy())[0, 1])


def _scale_items_per_wave(respondents: pd.DataFrame, codebook: Codebook, waves: Sequence[str]):
    """(scale, wave, its complete and reversed statement scores) for every scale and wave."""
    by_wave = _waves(respondents, codebook)
    empty = respondents.iloc[0:0]
    for indicator in _scales(codebook):
        for wave in waves:
            yield indicator, wave, scale_items(by_wave.get(wave, empty), codebook, indicator)


def _waves(respondents: pd.DataFrame, codebook: Codebook) -> dict[str, pd.DataFrame]:
    """The scale statements per wave, split once (not one full-table filter per scale)."""
    items = [item for indicator in _scales(codebook) for item in indicator.items]
    slim = respondents[["wave", *dict.fromkeys(items)]]
    return dict(tuple(slim.groupby("wave", sort=False)))


def reliability_table(
    respondents: pd.DataFrame,
    codebook: Codebook,
    waves: Sequence[str],
    min_alpha: float = 0.70,
) -> pd.DataFrame:
    """Cronbach's alpha per scale x wave, pooled over buurten and groepen.

    Returns
    -------
    DataFrame
        Columns ``scale, wave, n, k, alpha, ci_low, ci_high, below_min_alpha``;
        ``below_min_alpha`` flags a scale under the rule of thumb (``min_alpha``).
    """
    rows = []
    for indicator, wave, items in _scale_items_per_wave(respondents, codebook, waves):
        if len(items) < 3:
            alpha, ci = float("nan"), (float("nan"), float("nan"))
        else:
            alpha = cronbach_alpha(items, listwise=True)
            ci = alpha_ci(alpha, len(items), items.shape[1])
        rows.append(
            {
                "scale": indicator.id,
                "wave": wave,
                "n": len(items),
                "k": len(indicator.items),
                "alpha": float(alpha),
                "ci_low": float(ci[0]),
                "ci_high": float(ci[1]),
                "below_min_alpha": bool(alpha < min_alpha),
            }
        )
    return pd.DataFrame(rows)


def item_table(respondents: pd.DataFrame, codebook: Codebook, waves: Sequence[str]) -> pd.DataFrame:
    """Per statement: mean, SD, corrected item-total correlation, alpha if deleted.

    The corrected item-total correlation is the Pearson correlation of the item
    with the sum of the *other* items of its scale.

    Returns
    -------
    DataFrame
        Columns ``scale, wave, item, reversed, n, mean, sd, item_rest_r, alpha_if_deleted``.
    """
    rows = []
    for indicator, wave, items in _scale_items_per_wave(respondents, codebook, waves):
        for column in indicator.items:
            rest = items.drop(columns=column)
            enough = len(items) >= 3
            rows.append(
                {
                    "scale": indicator.id,
                    "wave": wave,
                    "item": column,
                    "reversed": column in indicator.reversed_items,
                    "n": len(items),
                    "mean": items[column].mean(),
                    "sd": items[column].std(ddof=1),
                    "item_rest_r": _pearson(items[column], rest.sum(axis=1)) if enough else None,
                    "alpha_if_deleted": cronbach_alpha(rest) if enough else None,
                }
            )
    return pd.DataFrame(rows)
