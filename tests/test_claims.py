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
        "Zes van de 32 vergelijkingen van een groep tussen de voormeting en de meting 3 zijn "
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
    assert "niet meer dan toeval kan verklaren" in summary["baseline"][0]
    assert check_claims(found.claims, {"baseline": baseline}) == []


def test_every_verdict_has_a_name_and_a_lesson():
    words = yaml.safe_load((ROOT / "resources" / "report" / "words.yaml").read_text("utf-8"))
    assert set(words["verdicts"]) == {"supported", "mixed", "not_supported", "not_testable"}
    assert all(v["name"] and v["lesson"] for v in words["verdicts"].values())
    assert [q["answer"] for q in words["subquestions"]] == ["baseline", "interventions", "after"]


# --- the claims of the design chapter, the chats and the fallback -------------------------


def _false_after(claims, tables, name, change):
    """No false claim on ``tables``; after ``change`` (a frame -> frame) of ``name``, some."""
    assert check_claims(claims, tables) == []
    changed = {**tables, name: change(tables[name].copy())}
    return check_claims(claims, changed)


def test_respondent_counts_and_rates_are_claimed(words):
    frame = pd.DataFrame(
        {"buurt": ["essenburgbuurt", "essenburgbuurt", "lombardijen", "lombardijen"],
         "groep": ["C", "E", "C", "E"], "wave": ["voormeting"] * 4, "n": [55, 66, 237, 82],
         "app_members": [None, 107, None, 189], "response_rate": [None, 66 / 107, None, 82 / 189]}
    )  # fmt: skip
    claims = []
    text.respondent_findings(frame, words, {"voormeting": "Voormeting"}, None, claims)
    tables = {"respondents": frame}

    def rate(f):
        f.loc[3, "response_rate"] = 0.5
        return f

    def door(f):
        f.loc[2, "n"] = 200
        return f

    assert any("respondents" in p for p in _false_after(claims, tables, "respondents", rate))
    assert _false_after(claims, tables, "respondents", door)


def _demographics():
    rows = []
    for buurt, women, mean_e, mean_c in (("lombardijen", 59.0, 3.2, 3.0),
                                         ("essenburgbuurt", 55.0, 3.4, 3.1)):  # fmt: skip
        for groep, pct, mean in (("E", women, mean_e), ("C", 48.0, mean_c)):
            rows.append(
                {
                    "buurt": buurt,
                    "groep": groep,
                    "wave": "voormeting",
                    "kenmerk": "Vrouw",
                    "count": 1,
                    "base": 100,
                    "pct": pct,
                    "mean": None,
                    "sd": None,
                }
            )
            rows.append({"buurt": buurt, "groep": groep, "wave": "voormeting",
                         "kenmerk": "gemiddelde_leeftijdscategorie", "count": None,
                         "base": 100, "pct": None, "mean": mean, "sd": 1.0})  # fmt: skip
    tests = pd.DataFrame(
        {"wave": ["voormeting"] * 2, "buurt": ["lombardijen", "essenburgbuurt"],
         "kenmerk": ["geslacht"] * 2, "p": [0.3, 0.01]}
    )  # fmt: skip
    return pd.DataFrame(rows), tests


def test_demographic_sentences_are_claimed(words):
    demographics, tests = _demographics()
    claims = []
    paragraphs = text.demographic_findings(
        demographics, tests, words, {"voormeting": "Voormeting"}, ["a", "b", "c", "d", "e"],
        claims=claims,
    )  # fmt: skip
    assert paragraphs[0].startswith("In alle experimentele groepen zijn de vrouwen")
    assert "in beide vergelijkingen hoger" in paragraphs[1]
    tables = {"demographics": demographics, "demographics_tests": tests}

    def no_majority(f):
        f.loc[(f["kenmerk"] == "Vrouw") & (f["buurt"] == "essenburgbuurt") & (f["groep"] == "E"),
              "pct"] = 45.0  # fmt: skip
        return f

    def younger(f):
        f.loc[(f["kenmerk"] != "Vrouw") & (f["buurt"] == "lombardijen") & (f["groep"] == "C"),
              "mean"] = 3.5  # fmt: skip
        return f

    def largest(f):
        f.loc[(f["kenmerk"] == "Vrouw") & (f["groep"] == "E"), "pct"] = [59.0, 60.0]
        return f

    def control(f):
        f.loc[(f["kenmerk"] == "Vrouw") & (f["groep"] == "C"), "pct"] = [40.0, 48.0]
        return f

    def weights(f):
        f.loc[(f["kenmerk"] != "Vrouw") & (f["groep"] == "E"), "base"] = 10
        return f

    def significant(f):
        f.loc[0, "p"] = 0.001
        return f

    for name, change, what in (
        ("demographics", no_majority, "pct>50"),
        ("demographics", younger, "pairs"),
        ("demographics", largest, "max pct"),
        ("demographics", control, "min demographics"),
        ("demographics", weights, "mean weighted base"),
        ("demographics_tests", significant, "p<alpha"),
    ):
        assert any(what in p for p in _false_after(claims, tables, name, change)), what


def test_the_reliability_note_is_claimed():
    from buurtpreventie.report.context import _reliability

    table = pd.DataFrame(
        {"scale": ["sociale_cohesie", "nabijheid_gemeente"], "wave": ["voormeting"] * 2,
         "n": [400, 400], "k": [6, 6], "alpha": [0.77, 0.85], "ci_low": [0.7, 0.8],
         "ci_high": [0.8, 0.9], "below_min_alpha": [False, False]}
    )  # fmt: skip
    found = _reliability(table, [], [{"id": "voormeting", "label": "Voormeting"}], 0.7)
    assert found["all_above"]

    def low(f):  # the table's own flag is not trusted: the alpha itself is compared
        f.loc[0, "alpha"] = 0.65
        return f

    problems = _false_after(found["claims"], {"reliability": table}, "reliability", low)
    assert any("alpha<0.7" in p for p in problems)


def _chat_tables():
    members = pd.DataFrame(
        {"group": ["g"] * 4, "buurt": ["lombardijen"] * 4,
         "month": ["2019-08", "2019-09", "2019-10", "2019-11"], "joined": [10, 5, 3, 0],
         "left": [0, 1, 0, 2], "size": [10, 14, 17, 15]}
    )  # fmt: skip
    activity = pd.DataFrame(
        {"group": ["g"] * 5, "buurt": ["lombardijen"] * 5,
         "month": ["2019-08", "2019-09", "2019-09", "2019-10", "2019-10"],
         "role": ["bewoner", "bewoner", "wijkagent", "bewoner", "handhaving"],
         "messages": [4, 10, 2, 6, 2], "senders": [1] * 5, "share_professionals": [0.0] * 5}
    )  # fmt: skip
    return {"members": members, "activity": activity}


def test_members_and_activity_are_claimed():
    tables = _chat_tables()
    claims = []
    (members,) = text.member_findings(tables["members"], {"g": "G"}, "2019-09-01", "2019-11-01",
                                      claims)  # fmt: skip
    (activity,) = text.activity_findings(
        tables["activity"], {"g": "G"}, "2019-09-01", "2019-11-01", claims
    )
    assert "groeide de groep G van 10 naar 17 deelnemers (8 erbij, 1 eraf)" in members
    assert (
        "gemiddeld 10 berichten per maand (in de maanden ervoor 4); 20% daarvan kwam van "
        "professionals" in activity
    )

    def grown(f):
        f.loc[2, "size"] = 18
        return f

    def joined(f):
        f.loc[1, "joined"] = 6
        return f

    def busier(f):
        f.loc[1, "messages"] = 20
        return f

    def professional(f):
        f.loc[3, "role"] = "wijkagent"
        return f

    assert _false_after(claims, tables, "members", grown)
    assert _false_after(claims, tables, "members", joined)
    assert any("per month" in p for p in _false_after(claims, tables, "activity", busier))
    assert any("role=" in p for p in _false_after(claims, tables, "activity", professional))


def test_the_agreement_on_the_interventions_is_claimed(words):
    table = pd.DataFrame(
        {"intervention": [1, 2, 3], "buurt": ["lombardijen"] * 3, "score": ["✓", "~", None],
         "computed_score": ["✓", "X", "X"], "agree": [True, False, False]}
    )  # fmt: skip
    scheme = [{"number": n, "short": f"I{n}", "factor": "F"} for n in (1, 2, 3)]
    found = text.intervention_findings(table, words, scheme, ["lombardijen"])
    assert "Bij één van de twee beoordelingen wijkt de regel af" in found["agreement"]
    tables = {"interventions": table}

    def agrees(f):  # the rule now gives what the researchers judged
        f.loc[1, "computed_score"] = "~"
        return f

    def judged(f):
        f.loc[2, "score"] = "X"
        return f

    assert any("score!=computed_score" in p
               for p in _false_after(found["claims"], tables, "interventions", agrees))  # fmt: skip
    assert any(
        "score=" in p for p in _false_after(found["claims"], tables, "interventions", judged)
    )


def test_the_hypothesis_fallback_is_claimed(words):
    did = pd.DataFrame(
        {"indicator": ["alertheid", "rapportcijfer"], "buurt": ["lombardijen"] * 2,
         "wave_to": ["nameting"] * 2, "estimate": [0.4, 0.1], "p": [0.01, 0.6]}
    )  # fmt: skip
    found_did = text.did_findings(did, words, {"nameting": "Nameting"})
    chance = {"families": []}
    found = text.hypothesis_findings(None, [], found_did, chance, words, ["lombardijen"], 0)
    assert "steun voor de hypothese" in found["paragraphs"][0]
    tables = {"did": did}

    def gone(f):
        f.loc[0, "p"] = 0.5
        return f

    problems = _false_after(found["claims"], tables, "did", gone)
    assert any("hypothesis.fallback" in p and "intended(estimate)>0" in p for p in problems)


def test_new_kinds_min_mean_and_pairs():
    frame = pd.DataFrame(
        {"g": ["E", "C", "E", "C"], "k": ["a", "a", "b", "b"], "m": ["x", "x", "y", "y"],
         "v": [3.0, 2.0, 1.0, 2.0], "w": [1, 1, 3, 1]}
    )  # fmt: skip
    true = [
        _claim("min", "t", "", 1.0, "v"),
        _claim("mean", "t", "", 2.0, "v"),
        _claim("mean", "t", "", 10 / 6, "v weighted w"),
        _claim("mean", "t", "", 4.0, "v per m"),
        _claim("pairs", "t", "", "1/2", "v[g=E]>v[g=C] per k"),
        _claim("count", "t", "", 2, "g!=E"),
    ]
    assert check_claims(true, {"t": frame}) == []
    false = [
        _claim("min", "t", "", 2.0, "v"),
        _claim("mean", "t", "", 2.0, "v weighted w"),
        _claim("pairs", "t", "", "2/2", "v[g=E]>v[g=C] per k"),
    ]
    assert len(check_claims(false, {"t": frame})) == 3
