"""The verdict on the hypothesis, from the difference in differences.

The hypothesis of the experiment: the WhatsApp groups improve the indicators
for the experimental group relative to the control group. Its test is the
difference in differences (``results/tables/did.csv``, one estimate per
indicator x buurt x later wave, with Holm and Benjamini-Hochberg adjusted p
over all estimates of the study). The verdict counts the estimates that are
significant after adjustment, in the intended direction of their indicator
(``better`` in ``resources/report/words.yaml``: +1 when a higher score is the
aim, -1 when a lower one is) and against it, and applies a rule kept as data
(``resources/stats/verdict.yaml``):

- ``not_testable``: no estimate (one wave only, or no cell with both groups
  in two waves);
- ``supported``: at least ``min_in_direction`` significant estimates in the
  intended direction and at most ``max_against`` against it;
- ``mixed``: enough in the intended direction, but more than ``max_against``
  against it;
- ``not_supported``: fewer than ``min_in_direction`` in the intended direction.

Pure functions: the tables and the rule go in, a table comes out.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

__all__ = [
    "VERDICTS",
    "VerdictRule",
    "hypothesis_table",
    "intended_directions",
    "verdict",
    "verdict_rule",
]

VERDICTS = ("supported", "not_supported", "mixed", "not_testable")
ADJUSTED = {"holm": "p_holm", "bh": "p_bh"}  # adjustment -> its column of did.csv
COLUMNS = [
    "scope", "buurt", "verdict", "reason", "estimates", "not_estimable", "significant",
    "in_direction", "against", "alpha", "adjustment", "min_in_direction", "max_against",
]  # fmt: skip


@dataclass(frozen=True)
class VerdictRule:
    """When the difference in differences supports the hypothesis (see the module)."""

    alpha: float
    adjustment: str
    min_in_direction: int
    max_against: int


def verdict_rule(settings: Mapping) -> VerdictRule:
    """The rule of ``resources/stats/verdict.yaml`` (its parsed mapping), checked.

    Raises
    ------
    ValueError
        A key is missing or out of range, naming it.
    """
    try:
        supported = settings["supported"]
        rule = VerdictRule(
            alpha=float(settings["alpha"]),
            adjustment=str(settings["adjustment"]),
            min_in_direction=int(supported["min_in_direction"]),
            max_against=int(supported["max_against"]),
        )
    except (KeyError, TypeError) as missing:
        raise ValueError(f"verdict rule: missing or malformed key {missing}") from None
    if not 0 < rule.alpha < 1:
        raise ValueError(f"verdict rule: alpha = {rule.alpha}: must lie between 0 and 1")
    if rule.adjustment not in ADJUSTED:
        raise ValueError(f"verdict rule: adjustment = {rule.adjustment!r}: one of {list(ADJUSTED)}")
    if rule.min_in_direction < 1 or rule.max_against < 0:
        raise ValueError("verdict rule: min_in_direction must be >= 1 and max_against >= 0")
    return rule


def intended_directions(words: Mapping) -> dict[str, int]:
    """Per indicator the direction the experiment aims for, from ``words.yaml``'s ``better``.

    Returns
    -------
    dict of str -> int
        +1 when a higher score is the aim, -1 when a lower one is.
    """
    directions = {i: int(entry["better"]) for i, entry in words.get("indicators", {}).items()}
    wrong = {i: d for i, d in directions.items() if d not in (1, -1)}
    if wrong:
        raise ValueError(f"words: better must be 1 or -1, not {wrong}")
    return directions


def verdict(did: pd.DataFrame, directions: Mapping[str, int], rule: VerdictRule) -> dict:
    """The verdict on the rows of ``did`` (one buurt, or the whole study), with its reason.

    Parameters
    ----------
    did : DataFrame
        Rows of ``did.csv``: ``indicator, estimate, p`` and the adjusted p of
        ``rule.adjustment`` (``p_holm`` or ``p_bh``).
    directions : mapping of str -> int
        The intended direction per indicator (:func:`intended_directions`).
    rule : VerdictRule

    Returns
    -------
    dict
        ``verdict`` (one of :data:`VERDICTS`), ``reason`` (a code), and the
        counts: ``estimates`` (rows with a p), ``not_estimable`` (rows without),
        ``significant`` (adjusted p below alpha), ``in_direction``, ``against``.
    """
    unknown = sorted(set(did["indicator"]) - set(directions))
    if unknown:
        raise ValueError(f"no intended direction (words.yaml 'better') for {unknown}")
    estimated = did[did["p"].notna()]
    adjusted = estimated[ADJUSTED[rule.adjustment]].to_numpy(dtype=float)
    significant = estimated[adjusted < rule.alpha]
    aimed = np.sign(significant["estimate"].to_numpy(dtype=float)) * np.array(
        [directions[i] for i in significant["indicator"]], dtype=float
    )
    counts = {
        "estimates": len(estimated),
        "not_estimable": len(did) - len(estimated),
        "significant": len(significant),
        "in_direction": int((aimed > 0).sum()),
        "against": int((aimed < 0).sum()),
    }
    return _apply(counts, rule, rows=len(did))


def _apply(counts: Mapping[str, int], rule: VerdictRule, rows: int) -> dict:
    """The verdict and its reason code from the counts (the rule of the module)."""
    if counts["estimates"] == 0:
        reason = "no_difference_in_differences" if rows == 0 else "no_estimable_cell"
        return {"verdict": "not_testable", "reason": reason, **counts}
    if counts["in_direction"] >= rule.min_in_direction:
        if counts["against"] <= rule.max_against:
            return {"verdict": "supported", "reason": "significant_in_intended_direction", **counts}
        return {"verdict": "mixed", "reason": "significant_in_both_directions", **counts}
    if counts["significant"] == 0:
        reason = "none_significant"
    elif counts["in_direction"] == 0:
        reason = "significant_against_only"
    else:
        reason = "too_few_in_intended_direction"
    return {"verdict": "not_supported", "reason": reason, **counts}


def hypothesis_table(
    did: pd.DataFrame, directions: Mapping[str, int], rule: VerdictRule
) -> pd.DataFrame:
    """The verdict per buurt (in the order of ``did``) and for the whole study (last row).

    Every verdict uses the p adjusted over the study's family (``did.csv``), so
    a buurt's verdict is as strict as the study's.

    Returns
    -------
    DataFrame
        ``scope`` (``buurt`` or ``study``), ``buurt`` (empty for the study),
        ``verdict, reason, estimates, not_estimable, significant, in_direction,
        against``, and the rule: ``alpha, adjustment, min_in_direction, max_against``.
    """
    if did.empty:
        did = pd.DataFrame(columns=["indicator", "buurt", "estimate", "p", *ADJUSTED.values()])
    settings = {
        "alpha": rule.alpha,
        "adjustment": rule.adjustment,
        "min_in_direction": rule.min_in_direction,
        "max_against": rule.max_against,
    }
    rows = [
        {"scope": "buurt", "buurt": buurt, **verdict(part, directions, rule), **settings}
        for buurt, part in did.groupby("buurt", sort=False)
    ]
    rows.append({"scope": "study", "buurt": math.nan, **verdict(did, directions, rule), **settings})
    return pd.DataFrame(rows, columns=COLUMNS)
