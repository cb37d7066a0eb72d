"""The verdict on the hypothesis: the rule of resources/stats/verdict.yaml on DiD tables.

Second source: the verdicts are worked out by hand from the rule as the
module docstring states it; the adjusted p-values come from did.csv, whose
Holm and BH values are pinned to R's p.adjust in tests/test_models.py.
"""

import math

import pandas as pd
import pytest
import yaml
from conftest import ROOT

from buurtpreventie.stats.verdict import (
    VERDICTS,
    hypothesis_table,
    intended_directions,
    verdict,
    verdict_rule,
)

RULE = verdict_rule(
    {"alpha": 0.05, "adjustment": "holm", "supported": {"min_in_direction": 1, "max_against": 0}}
)
DIRECTIONS = {"melden": 1, "onveilig": -1}


def _did(rows):
    """Rows of did.csv: (indicator, buurt, estimate, p, p_holm); p_bh = p_holm here."""
    frame = pd.DataFrame(rows, columns=["indicator", "buurt", "estimate", "p", "p_holm"])
    return frame.assign(p_bh=frame["p_holm"])


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        # Higher reporting (aim +1) and less feeling unsafe (aim -1): both in the intended
        # direction, both significant after adjustment.
        ([("melden", "a", 0.3, 0.001, 0.002), ("onveilig", "a", -0.4, 0.01, 0.02)],
         ("supported", "significant_in_intended_direction", 2, 0, 2, 2, 0)),
        # Significant before adjustment, not after: not supported.
        ([("melden", "a", 0.3, 0.03, 0.06)], ("not_supported", "none_significant", 1, 0, 0, 0, 0)),
        # More feeling unsafe in E: against the aim only.
        ([("onveilig", "a", 0.5, 0.001, 0.002)],
         ("not_supported", "significant_against_only", 1, 0, 1, 0, 1)),
        # One each way: mixed.
        ([("melden", "a", 0.3, 0.001, 0.002), ("onveilig", "a", 0.4, 0.001, 0.002)],
         ("mixed", "significant_in_both_directions", 2, 0, 2, 1, 1)),
        # No cell with both groups in both waves: an empty estimate.
        ([("melden", "a", math.nan, math.nan, math.nan)],
         ("not_testable", "no_estimable_cell", 0, 1, 0, 0, 0)),
        # One wave only: did.csv has no rows.
        ([], ("not_testable", "no_difference_in_differences", 0, 0, 0, 0, 0)),
    ],
)  # fmt: skip
def test_verdict_by_the_rule(rows, expected):
    result = verdict(_did(rows), DIRECTIONS, RULE)
    keys = ("verdict", "reason", "estimates", "not_estimable", "significant")
    assert tuple(result[k] for k in (*keys, "in_direction", "against")) == expected
    assert result["verdict"] in VERDICTS


def test_significance_uses_the_adjustment_of_the_rule():
    did = _did([("melden", "a", 0.3, 0.01, 0.06)]).assign(p_bh=0.03)
    supported = {"min_in_direction": 1, "max_against": 0}
    bh = verdict_rule({"alpha": 0.05, "adjustment": "bh", "supported": supported})
    assert verdict(did, DIRECTIONS, RULE)["verdict"] == "not_supported"
    assert verdict(did, DIRECTIONS, bh)["verdict"] == "supported"
    assert verdict(did.assign(p_bh=0.05), DIRECTIONS, bh)["verdict"] == "not_supported"  # p < alpha


def test_table_has_a_row_per_buurt_and_one_for_the_study():
    did = _did(
        [
            ("melden", "b", 0.3, 0.001, 0.002),
            ("onveilig", "b", -0.1, 0.4, 0.8),
            ("melden", "a", -0.3, 0.001, 0.002),
            ("onveilig", "a", math.nan, math.nan, math.nan),
        ]
    )
    table = hypothesis_table(did, DIRECTIONS, RULE)
    assert table["scope"].tolist() == ["buurt", "buurt", "study"]
    assert table["buurt"].iloc[:2].tolist() == ["b", "a"] and pd.isna(table["buurt"].iloc[2])
    assert table["verdict"].tolist() == ["supported", "not_supported", "mixed"]
    study = table.iloc[2]
    assert (study["estimates"], study["not_estimable"], study["in_direction"]) == (3, 1, 1)
    assert (study["alpha"], study["adjustment"], study["max_against"]) == (0.05, "holm", 0)


def test_an_empty_did_table_is_not_testable():
    table = hypothesis_table(pd.DataFrame(), DIRECTIONS, RULE)
    assert table[["scope", "verdict", "reason"]].values.tolist() == [
        ["study", "not_testable", "no_difference_in_differences"]
    ]


def test_an_indicator_without_direction_stops():
    with pytest.raises(ValueError, match="alertheid"):
        verdict(_did([("alertheid", "a", 0.3, 0.001, 0.002)]), DIRECTIONS, RULE)


def test_the_shipped_rule_and_directions_are_read_as_data():
    settings = yaml.safe_load((ROOT / "resources/stats/verdict.yaml").read_text(encoding="utf-8"))
    assert verdict_rule(settings).adjustment in ("holm", "bh")
    words = yaml.safe_load((ROOT / "resources/report/words.yaml").read_text(encoding="utf-8"))
    directions = intended_directions(words)
    assert directions["onveiligheidsgevoel"] == -1 and directions["alertheid"] == 1
    with pytest.raises(ValueError, match="better"):
        intended_directions({"indicators": {"x": {"better": 0}}})
    with pytest.raises(ValueError, match="adjustment"):
        verdict_rule(settings | {"adjustment": "bonferroni"})
