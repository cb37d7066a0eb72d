"""The claim checker recomputes each claim from the tables, apart from the text."""

import pandas as pd
import pytest

from buurtpreventie.report.claims import (
    Claim,
    check_claims,
    claims_frame,
    load_effect_sizes,
    rows_key,
    size_word,
)


def _tables():
    did = pd.DataFrame(
        {
            "indicator": ["alertheid", "onveiligheidsgevoel", "rapportcijfer"],
            "buurt": ["lombardijen", "lombardijen", "essenburgbuurt"],
            "wave_to": ["nameting"] * 3,
            "estimate": [0.4, -0.3, 0.1],
            "p": [0.01, 0.02, 0.6],
            "p_holm": [0.03, 0.04, 1.0],
        }
    )
    baseline = pd.DataFrame(
        {"indicator": ["alertheid", "rapportcijfer"], "buurt": ["lombardijen"] * 2,
         "d": [0.47, -0.15], "p": [0.0003, 0.2]}
    )  # fmt: skip
    hypothesis = pd.DataFrame(
        {"scope": ["study"], "buurt": [""], "verdict": ["supported"], "reason": ["x"]}
    )
    return {"did": did, "baseline": baseline, "hypothesis": hypothesis, "panel": pd.DataFrame()}


def _claim(kind, table, rows, value, asserts=""):
    return Claim("test", "s", kind, table, rows, value, asserts)


TRUE = [
    _claim("significant", "did", rows_key(indicator="alertheid", buurt="lombardijen"), 0.01, "p"),
    _claim("not_significant", "did", "indicator=rapportcijfer", 0.6, "p"),
    _claim("direction", "did", "indicator=onveiligheidsgevoel", -1, "estimate"),
    _claim("count", "did", "wave_to=nameting", 2, "p<alpha"),
    _claim("count", "did", "", 2, "p<alpha & intended(estimate)>0"),
    _claim("count", "did", "", 0, "p<alpha & intended(estimate)<0"),
    _claim("all", "did", "buurt=lombardijen", 2, "p_holm<alpha"),
    _claim("none", "did", "buurt=essenburgbuurt", 1, "p<alpha"),
    _claim("none", "panel", "", 0, ""),
    _claim("verdict", "hypothesis", "scope=study;buurt=", "supported", "verdict"),
    _claim("equals", "hypothesis", "scope=study", "supported", "verdict=supported"),
    _claim("superlative", "baseline", "", "indicator=alertheid;buurt=lombardijen", "max abs(d)"),
    _claim("size", "baseline", "indicator=alertheid", "klein", "d"),
    _claim("size", "baseline", "indicator=rapportcijfer", "verwaarloosbaar", "d"),
    _claim("chance", "did", "", 0.15, "p"),
    _claim("above_chance", "did", "", 2, "p"),
    _claim("at_most_chance", "did", "", 0, "p"),
    _claim("max", "did", "", 0.4, "estimate"),
]


@pytest.mark.parametrize("claim", TRUE, ids=lambda c: f"{c.kind}-{c.asserts}")
def test_a_true_claim_passes(claim):
    assert check_claims([claim], _tables()) == []


FALSE = [
    _claim("significant", "did", "indicator=rapportcijfer", 0.6, "p"),
    _claim("not_significant", "did", "indicator=alertheid", 0.01, "p"),
    _claim("direction", "did", "indicator=onveiligheidsgevoel", 1, "estimate"),
    _claim("count", "did", "wave_to=nameting", 3, "p<alpha"),
    _claim("all", "did", "", 3, "p<alpha"),
    _claim("none", "did", "", 0, "p<alpha"),
    _claim("verdict", "hypothesis", "scope=study", "mixed", "verdict"),
    _claim("superlative", "baseline", "", "indicator=rapportcijfer", "max abs(d)"),
    _claim("size", "baseline", "indicator=alertheid", "groot", "d"),
    _claim("at_most_chance", "did", "", 2, "p"),
]


@pytest.mark.parametrize("claim", FALSE, ids=lambda c: f"{c.kind}-{c.asserts}")
def test_a_false_claim_is_reported_once(claim):
    problems = check_claims([claim], _tables())
    assert len(problems) == 1 and "is false" in problems[0]


def test_a_claim_on_a_missing_row_or_table_cannot_be_checked():
    problems = check_claims(
        [
            _claim("significant", "did", "indicator=sociale_cohesie", 0.01, "p"),
            _claim("count", "prepost", "", 1, "p<alpha"),
            _claim("count", "did", "", 1, "q<alpha"),
        ],
        _tables(),
    )
    assert len(problems) == 3 and all("cannot be checked" in p for p in problems)


def test_alpha_is_the_checkers():
    claim = _claim("count", "did", "", 1, "p<alpha")
    assert check_claims([claim], _tables(), alpha=0.015) == []


def test_size_words_follow_cohen():
    classes = load_effect_sizes()
    assert [w for _, w in classes] == ["verwaarloosbaar", "klein", "middelgroot", "groot"]
    assert [size_word(d) for d in (0.1, -0.2, 0.49, 0.5, -0.8, 2)] == [
        "verwaarloosbaar", "klein", "klein", "middelgroot", "groot", "groot",
    ]  # fmt: skip


def test_claims_frame_has_the_columns_of_claims_csv():
    frame = claims_frame(TRUE[:2])
    assert list(frame.columns) == ["section", "sentence", "claim", "table", "rows", "value"]
    assert frame.loc[0, "claim"] == "significant: p"
