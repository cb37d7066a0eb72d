"""The panel: respondents who answered in more than one wave, linked by pseudonym.

The report gave up on the panel because it was small (57 respondents answered
both waves). Its data are still informative where a cell has enough pairs: a
paired t-test (:func:`scipy.stats.ttest_rel`) per buurt x groep x indicator,
for cells with at least ``min_pairs`` pairs; smaller cells are reported as too
small, not computed.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Sequence

import pandas as pd
from scipy import stats

from buurtpreventie.compare import wave_pairs

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

    Returns
    -------
    DataFrame
        ``indicator, buurt, groep, wave_from, wave_to, n_pairs, mean_from, mean_to,
        mean_diff, sd_diff, t, df, p, status``; ``status`` is ``computed`` or
        ``too_small`` (fewer than ``min_pairs`` pairs: no statistics).
    """
    rows = []
    for wave_from, wave_to, _kind in wave_pairs(list(waves)):
        linked = linked_pairs(respondents, wave_from, wave_to)
        for indicator in indicators:
            for buurt in sorted(respondents["buurt"].dropna().unique(), reverse=True):
                for groep in ("E", "C"):
                    cell = linked[(linked["buurt"] == buurt) & (linked["groep"] == groep)]
                    pairs = cell[[indicator, f"{indicator}_to"]].dropna().astype(float)
                    before, after = pairs[indicator], pairs[f"{indicator}_to"]
                    row = {
                        "indicator": indicator,
                        "buurt": buurt,
                        "groep": groep,
                        "wave_from": wave_from,
                        "wave_to": wave_to,
                        "n_pairs": len(pairs),
                    }
                    if len(pairs) >= max(min_pairs, 2):
                        diff = after - before
                        result = stats.ttest_rel(after, before)
                        row.update(
                            mean_from=float(before.mean()),
                            mean_to=float(after.mean()),
                            mean_diff=float(diff.mean()),
                            sd_diff=float(diff.std(ddof=1)),
                            t=float(result.statistic),
                            df=float(result.df),
                            p=float(result.pvalue),
                            status=COMPUTED,
                        )
                    else:
                        row.update(
                            dict.fromkeys(
                                ["mean_from", "mean_to", "mean_diff", "sd_diff", "t", "df", "p"],
                                math.nan,
                            ),
                            status=TOO_SMALL,
                        )
                    rows.append(row)
    return pd.DataFrame(rows)


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
