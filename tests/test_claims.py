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


# --- the text functions and their claims ------------------------------------------------

from pathlib import Path  # noqa: E402

import yaml  # noqa: E402

from buurtpreventie.report import text  # noqa: E402

INDICATORS = [
    "alertheid", "meldingsbereidheid", "onveiligheidsgevoel", "rapportcijfer",
    "sociale_controle", "sociale_cohesie", "nabijheid_gemeente", "nabijheid_politie",
]  # fmt: skip
ROOT = Path(__file__).resolve().parents[1]


def _three_wave_prepost():
    """The issue's study: 32 comparisons to the third wave, six significant, all the aimed way."""
    rows = []
    for indicator in INDICATORS:
        for buurt in ("lombardijen", "essenburgbuurt"):
            for groep in ("E", "C"):
                rows.append(
                    {"indicator": indicator, "buurt": buurt, "groep": groep,
                     "wave_from": "voormeting", "wave_to": "meting_3", "kind": "baseline",
                     "mean_from": 3.0, "mean_to": 3.0, "d": 0.05, "p": 0.6, "mde_d": 0.5}
                )  # fmt: skip
    frame = pd.DataFrame(rows)
    better = text.load_words(ROOT / "resources" / "report" / "words.yaml")
    for i in range(6):
        frame.loc[i * 4, "p"] = 0.01
        frame.loc[i * 4, "d"] = 0.4 * better.better(frame.loc[i * 4, "indicator"])
    return frame


def test_six_of_thirty_two_are_set_against_chance_and_direction(words):
    prepost = _three_wave_prepost()
    waves = {"voormeting": "Voormeting", "meting_3": "Meting 3"}
    found = text.change_findings(prepost, words, waves, "meting_3")
    conclusion = found.conclusion[0]
    assert "weinig" not in conclusion
    assert conclusion.startswith(
        "Van de 32 vergelijkingen van een groep tussen de voormeting en de meting 3 zijn er zes "
        "significant; door toeval alleen verwacht je er bij 32 toetsen ongeveer 1,6, dus dat is "
        "meer dan toeval doet verwachten. Alle zes wijzen de richting op"
    )
    assert check_claims(found.claims, {"prepost": prepost}) == []
    # the same claims on other data: the checker finds what no longer holds
    prepost.loc[0, "p"] = 0.5
    problems = check_claims(found.claims, {"prepost": prepost})
    assert problems and any("count prepost" in p for p in problems)


def _did_and_hypothesis(verdict, reason, significant, in_direction, against):
    did = pd.DataFrame(
        {"indicator": INDICATORS[:6], "buurt": ["lombardijen"] * 6, "wave_to": ["nameting"] * 6,
         "estimate": [0.3, 0.3, -0.3, 0.3, 0.3, -0.3], "p": [0.001] * 6,
         "p_holm": [0.01] * significant + [0.5] * (6 - significant)}
    )  # fmt: skip
    hypothesis = pd.DataFrame(
        [{"scope": "study", "buurt": "", "verdict": verdict, "reason": reason, "estimates": 6,
          "not_estimable": 0, "significant": significant, "in_direction": in_direction,
          "against": against, "alpha": 0.05, "adjustment": "holm", "min_in_direction": 1,
          "max_against": 0}]
    )  # fmt: skip
    return did, hypothesis


def test_a_supported_hypothesis_gets_a_verdict_with_its_reason(words):
    did, hypothesis = _did_and_hypothesis("supported", "significant_in_intended_direction", 5, 5, 0)
    found = text.verdict_findings(hypothesis, words, ["lombardijen"])
    assert found["paragraphs"][0] == (
        "De hypothese is ondersteund: na correctie voor het aantal toetsen (Holm) zijn vijf van "
        "de 6 schattingen van het verschil in verandering significant; alle vijf wijzen in de "
        "gewenste richting."
    )
    tables = {"did": did, "hypothesis": hypothesis}
    assert check_claims(found["claims"], tables) == []
    # a verdict the table does not give is caught
    tables["hypothesis"] = hypothesis.assign(verdict="mixed")
    assert any("verdict hypothesis" in p for p in check_claims(found["claims"], tables))


def test_no_verdict_word_without_its_table(words):
    did, hypothesis = _did_and_hypothesis("not_supported", "none_significant", 0, 0, 0)
    found = text.verdict_findings(hypothesis, words)
    assert found["paragraphs"][0].startswith("De hypothese is niet ondersteund: na correctie")
    assert "is geen van de 6 schattingen" in found["paragraphs"][0]
    assert check_claims(found["claims"], {"did": did, "hypothesis": hypothesis}) == []


def test_without_a_panel_key_linkage_is_off_and_the_text_says_how_to_switch_it_on(words):
    empty = pd.DataFrame(columns=["indicator", "buurt", "groep", "wave_from", "wave_to",
                                  "n_pairs", "p", "status"])  # fmt: skip
    found = text.panel_findings(empty, words, {"voormeting": "Voormeting"}, key=False)
    paragraph = found["paragraphs"][0]
    assert "0 respondenten" not in paragraph and "stond uit" in paragraph
    assert "BUURTPREVENTIE_PANEL_KEY" in paragraph and ".panel-key" in paragraph
    assert not found["linked"]
    assert check_claims(found["claims"], {"panel": empty}) == []
    with_key = text.panel_findings(empty, words, {"voormeting": "Voormeting"}, key=True)
    assert "stond aan" in with_key["paragraphs"][0]


def test_summary_without_a_baseline_difference_claims_none(words):
    baseline = pd.DataFrame(
        {"indicator": ["alertheid", "rapportcijfer"], "buurt": ["lombardijen"] * 2,
         "mean_e": [3.0, 6.0], "mean_c": [2.9, 6.1], "d": [0.1, -0.05], "p": [0.5, 0.5],
         "p_welch": [0.5, 0.5], "p_adjusted": [0.5, 0.5]}
    )  # fmt: skip
    found = text.baseline_findings(baseline, words, "Voormeting")
    summary = text.summary_findings(found, "not_supported", words, "Voormeting")
    assert "verschil zien" not in summary["baseline"][0]
    assert "niet significant" in summary["baseline"][0]
    assert check_claims(found.claims, {"baseline": baseline}) == []


def test_every_verdict_has_a_name_and_a_lesson():
    words = yaml.safe_load((ROOT / "resources" / "report" / "words.yaml").read_text("utf-8"))
    assert set(words["verdicts"]) == {"supported", "mixed", "not_supported", "not_testable"}
    assert all(v["name"] and v["lesson"] for v in words["verdicts"].values())
    assert [q["answer"] for q in words["subquestions"]] == ["baseline", "interventions", "after"]
