"""The panel: respondents who answered in more than one wave, linked by pseudonym.

The report gave up on the panel because it was small (57 respondents answered
both waves). Its data are still informative where a cell has enough pairs: a
paired t-test (:func:`scipy.stats.ttest_rel`) per buurt x groep x indicator,
for cells with at least ``min_pairs`` pairs; smaller cells are reported as too
small, not computed.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy import stats

from buurtpreventie.stats.cellstats import buurt_order
from buurtpreventie.stats.compare import wave_pairs

__all__ = ["attrition_table", "linked_pairs", "paired_comparisons"]

log = logging.getLogger(__name__)

TOO_SMALL = "too_small"
COMPUTED = "computed"


def _panel_members(respondents: pd.DataFrame, wave: str) -> pd.DataFrame:
    members = respondents[(respondents["wave"] == wave) & respondents["pseudonym"].notna()]
    duplicated = members["pseudonym"].duplicated(keep="first")
    if duplicated.any():
        log.warning(
            "%s: %d pseudonyms answered twice; the first answer is used", wave, duplicated.sum()
        )
    return members[~duplicated]


def linked_pairs(respondents: pd.DataFrame, wave_from: str, wave_to: str) -> pd.DataFrame:
    """Respondents of ``wave_from`` linked to their answers in ``wave_to``.

    The buurt and groep are those of the earlier wave. Columns of the later
    wave carry the suffix ``_to``.
    """
    before = _panel_members(respondents, wave_from)
    after = _panel_members(respondents, wave_to)
    return before.merge(after, on="pseudonym", suffixes=("", "_to"))


def paired_comparisons(
    respondents: pd.DataFrame,
    indicators: Sequence[str],
    waves: Sequence[str],
    min_pairs: int = 5,
) -> pd.DataFrame:
    """Paired t-tests for linked respondents, per buurt x groep x indicator.

    The paired t-test is the one-sample t-test of the differences,
    t = mean / (sd / sqrt(n)) on n - 1 df (:func:`scipy.stats.ttest_rel` on
    each pair of columns). It is computed here from per-cell sums for all cells
    at once, because a city-wide panel has tens of thousands of cells; the
    tests check it against ``ttest_rel``.

    Returns
    -------
    DataFrame
        ``indicator, buurt, groep, wave_from, wave_to, n_pairs, mean_from, mean_to,
        mean_diff, sd_diff, t, df, p, status``; ``status`` is ``computed`` or
        ``too_small`` (fewer than ``min_pairs`` pairs: no statistics).
    """
    cells = [(buurt, groep) for buurt in buurt_order(respondents) for groep in ("E", "C")]
    slim = respondents[["wave", "pseudonym", "buurt", "groep", *indicators]]
    parts = []
    for wave_from, wave_to, _kind in wave_pairs(list(waves)):
        linked = linked_pairs(slim, wave_from, wave_to)
        for indicator in indicators:
            sums = _paired_sums(linked, indicator).reindex(pd.MultiIndex.from_tuples(cells))
            part = _paired_tests(sums, max(min_pairs, 2))
            part.insert(0, "indicator", indicator)
            part.insert(1, "buurt", [b for b, _ in cells])
            part.insert(2, "groep", [g for _, g in cells])
            part.insert(3, "wave_from", wave_from)
            part.insert(4, "wave_to", wave_to)
            parts.append(part)
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()


def _paired_sums(linked: pd.DataFrame, indicator: str) -> pd.DataFrame:
    """Per buurt x groep: pairs, mean before and after, mean and sd of the differences."""
    pairs = linked[["buurt", "groep", indicator, f"{indicator}_to"]].dropna()
    pairs = pairs.astype({indicator: float, f"{indicator}_to": float})
    pairs["_diff"] = pairs[f"{indicator}_to"] - pairs[indicator]
    grouped = pairs.groupby(["buurt", "groep"], observed=True)
    return pd.DataFrame(
        {
            "n_pairs": grouped.size(),
            "mean_from": grouped[indicator].mean(),
            "mean_to": grouped[f"{indicator}_to"].mean(),
            "mean_diff": grouped["_diff"].mean(),
            "sd_diff": grouped["_diff"].std(ddof=1),
        }
    )


def _paired_tests(sums: pd.DataFrame, min_pairs: int) -> pd.DataFrame:
    """t, df and p of the paired t-test per row of :func:`_paired_sums`; small cells blank."""
    n = sums["n_pairs"].fillna(0).to_numpy(dtype=float)
    computed = n >= min_pairs
    with np.errstate(divide="ignore", invalid="ignore"):
        t = sums["mean_diff"].to_numpy(float) / (sums["sd_diff"].to_numpy(float) / np.sqrt(n))
        p = 2 * stats.t.sf(np.abs(t), n - 1)
    out = pd.DataFrame({"n_pairs": n.astype(int)})
    for column in ("mean_from", "mean_to", "mean_diff", "sd_diff"):
        out[column] = np.where(computed, sums[column].to_numpy(float), np.nan)
    out["t"] = np.where(computed, t, np.nan)
    out["df"] = np.where(computed, n - 1, np.nan)
    out["p"] = np.where(computed, p, np.nan)
    out["status"] = np.where(computed, COMPUTED, TOO_SMALL)
    return out


def attrition_table(respondents: pd.DataFrame, waves: Sequence[str]) -> pd.DataFrame:
    """Who took part in which waves: the panel's participation patterns.

    Only respondents with a pseudonym (they agreed to be contacted again, and a
    panel key was set) can be followed. A pattern lists the waves a pseudonym
    answered in, in wave order ("voormeting+nameting"). Buurt and groep are
    those of the first wave the respondent answered.

    Returns
    -------
    DataFrame
        ``buurt, groep, pattern, waves, respondents``.
    """
    order = {wave: index for index, wave in enumerate(waves)}
    linked = respondents[respondents["pseudonym"].notna()].copy()
    if linked.empty:
        return pd.DataFrame(columns=["buurt", "groep", "pattern", "waves", "respondents"])
    linked["_order"] = linked["wave"].map(order)
    linked = linked.sort_values(["pseudonym", "_order"]).drop_duplicates(["pseudonym", "wave"])
    first = linked.groupby("pseudonym").first()[["buurt", "groep"]]
    pattern = linked.groupby("pseudonym")["wave"].agg("+".join).rename("pattern")
    table = first.join(pattern)
    table["waves"] = table["pattern"].str.count(r"\+") + 1
    counts = table.groupby(["buurt", "groep", "pattern", "waves"]).size().rename("respondents")
    counts = counts.reset_index().sort_values(
        ["buurt", "groep", "waves", "pattern"], ascending=[False, False, False, True]
    )
    return counts.reset_index(drop=True)
