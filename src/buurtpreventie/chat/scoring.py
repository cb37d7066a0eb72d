"""Scoring the eleven interventions: a documented rule beside the researchers' judgement.

The report judged per buurt whether an intervention substantially strengthened
its success factor, comparing the experiment year with practice before it
(table 5). :func:`rule_score` makes that comparison explicit on the code
counts, with thresholds from the config (``chats.scoring``); the researchers'
intersubjective judgement (``resources/chat/judgements.yaml``) stays the final
score, and ``interventions.csv`` shows where the two differ.

The rule, per buurt x intervention, with ``e`` the "carried out" codes in the
experiment year, ``o`` the opposite codes in that year, and monthly rates
``rate_before`` and ``rate_experiment``:

1. ``X``: fewer than ``min_count`` codes in the experiment year;
2. ``~``: opposite codes balance it (``o >= balance_share * e``);
3. ``✓``: at least ``min_substantial`` codes, and no practice before it or a
   rate at least ``substantial_ratio`` times the rate before;
4. ``=``: it was common practice before (``rate_before >= common_rate``) and
   continued at a similar rate (``rate_experiment >= similar_ratio * rate_before``);
5. ``~``: otherwise (carried out, but not substantially more than before).
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

__all__ = ["DEFAULT_THRESHOLDS", "SYMBOLS", "intervention_scores", "rule_score"]

SYMBOLS = ("✓", "=", "~", "X")
DEFAULT_THRESHOLDS = {
    "min_count": 1,
    "balance_share": 0.5,
    "min_substantial": 4,
    "substantial_ratio": 2.0,
    "common_rate": 0.5,
    "similar_ratio": 0.5,
}


def rule_score(
    carried_out: int,
    opposite: int,
    rate_before: float,
    rate_experiment: float,
    thresholds: Mapping[str, float] = DEFAULT_THRESHOLDS,
) -> tuple[str, str]:
    """The computed score and which step of the rule gave it (see the module docstring)."""
    t = {**DEFAULT_THRESHOLDS, **thresholds}
    if carried_out < t["min_count"]:
        return "X", "not carried out in the experiment year"
    if opposite >= t["balance_share"] * carried_out:
        return "~", "opposite codes balance the codes carried out"
    more = rate_before == 0 or rate_experiment >= t["substantial_ratio"] * rate_before
    if carried_out >= t["min_substantial"] and more:
        return "✓", "substantially more than before"
    if rate_before >= t["common_rate"] and rate_experiment >= t["similar_ratio"] * rate_before:
        return "=", "common practice before, continued at a similar rate"
    return "~", "carried out, but not substantially more than before"


def _months(months: pd.Series, start: str, end: str) -> tuple[int, int]:
    before = int((months < start).sum())
    during = int(((months >= start) & (months < end)).sum())
    return before, during


def intervention_scores(
    codes: pd.DataFrame,
    members: pd.DataFrame,
    judgements: Mapping[str, Mapping[int, Mapping[str, str]]],
    interventions: list[Mapping[str, object]],
    experiment_start: str,
    experiment_end: str,
    thresholds: Mapping[str, float] = DEFAULT_THRESHOLDS,
) -> pd.DataFrame:
    """Table 5: per intervention x buurt the judgement (``score``) and the rule's score.

    Counts are pooled over the groups of a buurt. Rates are codes per month of
    chat: the months before the experiment in which the buurt's groups existed,
    and the months of the experiment year.

    Parameters
    ----------
    codes : DataFrame
        ``codes.csv`` (group, buurt, intervention, direction, period, count).
    members : DataFrame
        ``members.csv``, for the months each buurt's chats cover.
    judgements : mapping
        buurt -> intervention number -> ``{score, rationale}``.
    interventions : list of mapping
        The entries of ``resources/interventions.yaml``.
    experiment_start, experiment_end : str
        ``YYYY-MM`` of the first month of the experiment and of the first month after it.

    Returns
    -------
    DataFrame
        ``intervention, buurt, score, computed_score, agree, rule, rationale,
        before, experiment, opposite, after, months_before, months_experiment,
        rate_before, rate_experiment``.
    """
    codes = codes.astype({"intervention": str})
    pooled = codes.groupby(["buurt", "intervention", "direction", "period"])["count"].sum()
    rows = []
    for buurt in list(dict.fromkeys(codes["buurt"])):
        months = pd.Series(sorted(set(members.loc[members["buurt"] == buurt, "month"])))
        months_before, months_experiment = _months(months, experiment_start, experiment_end)
        for entry in interventions:
            number = int(entry["number"])

            cell = (buurt, str(number))
            before = int(pooled.get((*cell, "uitgevoerd", "before"), 0))
            during = int(pooled.get((*cell, "uitgevoerd", "experiment"), 0))
            opposite = int(pooled.get((*cell, "tegengesteld", "experiment"), 0))
            after = int(pooled.get((*cell, "uitgevoerd", "after"), 0))
            rate_before = before / months_before if months_before else 0.0
            rate_experiment = during / months_experiment if months_experiment else 0.0
            computed, rule = rule_score(during, opposite, rate_before, rate_experiment, thresholds)
            judged = judgements.get(buurt, {}).get(number, {})
            unexpected = set(judged) - {"score", "rationale"}
            if unexpected:
                raise ValueError(
                    f"judgements: {buurt} {number}: unexpected keys {sorted(map(str, unexpected))}"
                    " (quote a rationale that contains a comma)"
                )
            score = judged.get("score")
            if score is not None and score not in SYMBOLS:
                raise ValueError(f"judgements: {buurt} {number}: score {score!r} not in {SYMBOLS}")
            rows.append(
                {
                    "intervention": number,
                    "buurt": buurt,
                    "score": score,
                    "computed_score": computed,
                    "agree": score == computed,
                    "rule": rule,
                    "rationale": judged.get("rationale", ""),
                    "before": before,
                    "experiment": during,
                    "opposite": opposite,
                    "after": after,
                    "months_before": months_before,
                    "months_experiment": months_experiment,
                    "rate_before": rate_before,
                    "rate_experiment": rate_experiment,
                }
            )
    return pd.DataFrame(rows)
