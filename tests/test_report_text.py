"""The report's generated sentences, from small hand-made results and perturbed copies.

Each finding is worked out by hand from the rows below; the perturbed copies
(a p flipped from <.001 to .40, a direction reversed, a table 5 score swapped)
must change the text accordingly and keep it right.
"""

import re

import pandas as pd
import pytest

from buurtpreventie.report import text

MINUS = "\u2212"


def _baseline(changes=None):
    """Three indicators x two buurten; ``changes`` maps (indicator, buurt) -> {column: value}."""
    rows = [
        # indicator, buurt, mean_e, mean_c, p, d
        ("alertheid", "lombardijen", 2.91, 2.47, 0.0003, 0.47),
        ("alertheid", "essenburgbuurt", 3.17, 2.37, 1e-7, 1.05),
        ("meldingsbereidheid", "lombardijen", 0.42, 0.37, 0.48, 0.09),
        ("meldingsbereidheid", "essenburgbuurt", 0.57, 0.26, 0.0008, 0.66),
        ("sociale_cohesie", "lombardijen", 3.61, 3.52, 0.51, 0.09),
        ("sociale_cohesie", "essenburgbuurt", 3.53, 3.80, 0.11, -0.30),
    ]
    frame = pd.DataFrame(rows, columns=["indicator", "buurt", "mean_e", "mean_c", "p", "d"])
    frame["p_welch"] = frame["p"]
    frame["p_adjusted"] = frame["p"]
    for (indicator, buurt), values in (changes or {}).items():
        where = (frame["indicator"] == indicator) & (frame["buurt"] == buurt)
        for column, value in values.items():
            frame.loc[where, column] = value
    return frame


def _findings(words, frame, small=frozenset()):
    return text.baseline_findings(frame, words, "Voormeting", small, "voormeting")


def test_baseline_differences_by_hand(words):
    found = _findings(words, _baseline())
    assert found.everywhere == ["alertheid"]
    assert found.partly == {"lombardijen": [], "essenburgbuurt": ["meldingsbereidheid"]}
    assert found.nowhere == ["sociale_cohesie"]
    first, second, third, size, robust = found.paragraphs
    assert first == (
        "In beide buurten verschillen de appdeelnemers bij de voormeting significant van hun "
        "buurtgenoten op één indicator: de alertheid. Appdeelnemers zien vaker onveilige "
        "situaties in hun buurt dan niet-deelnemers."
    )
    assert second == (
        "Alleen in de Essenburgbuurt verschillen de groepen daarnaast significant in de "
        "meldingsbereidheid: appdeelnemers melden zulke situaties vaker bij een officiële "
        "instantie dan niet-deelnemers. In Lombardijen is dat verschil niet significant."
    )
    assert third == (
        "Op de sociale cohesie verschillen appdeelnemers en niet-deelnemers in geen van de "
        "buurten significant."
    )
    assert size.startswith("In de Essenburgbuurt is dat verschil groter dan in Lombardijen")
    assert "gemiddeld 3,17 bij de appdeelnemers tegen 2,37" in size
    assert "(d = 1,05, volgens de maatstaf van Cohen een groot effect)" in size
    assert "blijven alle drie verschillen significant" in robust
    assert "bevestigt ze alle" in robust
    assert found.conclusion[0].startswith("Bij de voormeting blijkt dat appdeelnemers al bij")


def test_baseline_text_follows_a_flipped_p_value(words):
    # Lombardijen's alertheid: p from <.001 to .40 -> no longer a difference in both buurten.
    found = _findings(words, _baseline({("alertheid", "lombardijen"): {"p": 0.40}}))
    assert found.everywhere == []
    assert found.partly["essenburgbuurt"] == ["alertheid", "meldingsbereidheid"]
    joined = " ".join(found.paragraphs)
    assert "In beide buurten" not in joined
    assert (
        "Alleen in de Essenburgbuurt verschillen de groepen significant in de alertheid en de "
        "meldingsbereidheid: appdeelnemers zien vaker onveilige situaties in hun buurt en "
        "melden zulke situaties vaker bij een officiële instantie dan niet-deelnemers. "
        "In Lombardijen zijn die verschillen niet significant." in joined
    )
    assert "blijven alle twee verschillen significant" in joined


def test_baseline_text_follows_the_direction_and_the_adjustment(words):
    frame = _baseline(
        {
            ("alertheid", "essenburgbuurt"): {"mean_e": 2.0, "mean_c": 2.5, "d": -0.6},
            ("alertheid", "lombardijen"): {"mean_e": 2.2, "mean_c": 2.5, "d": -0.3},
            ("meldingsbereidheid", "essenburgbuurt"): {"p_adjusted": 0.2, "p_welch": 0.07},
        }
    )
    joined = " ".join(_findings(words, frame).paragraphs)
    assert "Appdeelnemers zien minder vaak onveilige situaties in hun buurt dan" in joined
    assert "blijven er twee van de drie verschillen significant" in joined
    assert "valt er één weg" in joined


def test_no_difference_at_all(words):
    frame = _baseline()
    frame["p"] = frame["p_welch"] = frame["p_adjusted"] = 0.5
    found = _findings(words, frame)
    assert found.paragraphs == [
        "Bij de voormeting verschillen de appdeelnemers op geen enkele indicator significant "
        "van hun buurtgenoten."
    ]
    assert "vergelijkbaar" in found.conclusion[0]


def test_a_small_cell_is_not_judged(words):
    small = frozenset({("meldingsbereidheid", "essenburgbuurt", "E", "voormeting")})
    found = _findings(words, _baseline(), small)
    assert "meldingsbereidheid" not in found.significant
    assert found.not_judged == [("meldingsbereidheid", "essenburgbuurt")]
    assert found.paragraphs[-1] == (
        "Niet beoordeeld wegens te weinig respondenten: de meldingsbereidheid in de Essenburgbuurt."
    )


def _prepost(changes=None):
    rows = []
    for indicator in ("meldingsbereidheid", "onveiligheidsgevoel", "rapportcijfer"):
        for buurt in ("lombardijen", "essenburgbuurt"):
            for groep in ("E", "C"):
                rows.append([indicator, buurt, groep, 3.0, 3.02, 0.5, 0.01])
    frame = pd.DataFrame(
        rows, columns=["indicator", "buurt", "groep", "mean_from", "mean_to", "p", "d"]
    )
    frame["wave_from"], frame["wave_to"], frame["kind"] = "voormeting", "nameting", "baseline"
    frame["p_holm"] = frame["p_bh"] = 1.0
    frame["mde_d"], frame["n_from"], frame["n_to"] = 0.4, 80, 60
    cells = {
        ("meldingsbereidheid", "lombardijen", "C"): {
            "mean_from": 0.37,
            "mean_to": 0.27,
            "p": 0.042,
            "d": -0.22,
        },
        ("rapportcijfer", "essenburgbuurt", "E"): {
            "mean_from": 5.25,
            "mean_to": 5.92,
            "p": 0.041,
            "d": 0.42,
        },
    }
    cells.update(changes or {})
    for (indicator, buurt, groep), values in cells.items():
        where = (
            (frame["indicator"] == indicator)
            & (frame["buurt"] == buurt)
            & (frame["groep"] == groep)
        )
        for column, value in values.items():
            frame.loc[where, column] = value
    return frame


WAVES = {"voormeting": "Voormeting", "nameting": "Nameting"}


def test_changes_and_their_direction_by_hand(words):
    found = text.change_findings(_prepost(), words, WAVES, "nameting")
    assert found.tests == 12
    lombardijen, essenburg = found.paragraphs
    assert lombardijen == (
        "In Lombardijen veranderde in de experimentele groep geen enkele indicator significant; "
        f"in de controlegroep nam de meldingsbereidheid (van ,37 naar ,27; d = {MINUS},22) af."
    )
    assert essenburg == (
        "In de Essenburgbuurt nam in de experimentele groep het rapportcijfer voor veiligheid "
        "(van 5,25 naar 5,92; d = ,42) toe; in de controlegroep veranderde geen enkele "
        "indicator significant."
    )
    assert [(i, b) for i, b, _ in found.desired] == [
        ("meldingsbereidheid", "lombardijen"),
        ("rapportcijfer", "essenburgbuurt"),
    ]
    assert found.undesired == []
    conclusion = found.conclusion[0]
    assert conclusion.startswith(
        "Twee van de twaalf vergelijkingen van een groep tussen de voormeting en de nameting zijn "
        "significant; door toeval alleen verwacht je er bij 12 toetsen ongeveer 0,6, dus dat is "
        "meer dan toeval doet verwachten. Eén daarvan wijst de richting op die voor de indicator "
        "gewenst is, één de andere kant op."
    )
    assert "Twee patronen wijzen in de gewenste richting" in conclusion
    assert (
        "(de controlegroep verslechterde, met een afname; de experimentele groep veranderde "
        "niet significant)" in conclusion
    )
    assert "Geen van deze veranderingen doet zich in meer dan één buurt voor." in conclusion


def test_changes_follow_reversed_and_lower_is_better_indicators(words):
    changes = {
        # the mark went down in E: against the aim
        ("rapportcijfer", "essenburgbuurt", "E"): {"mean_to": 4.6, "d": -0.42, "p": 0.041},
        # feeling unsafe went down in E: lower is better, so towards the aim
        ("onveiligheidsgevoel", "lombardijen", "E"): {"mean_to": 1.8, "d": -0.35, "p": 0.01},
    }
    found = text.change_findings(_prepost(changes), words, WAVES, "nameting")
    assert ("onveiligheidsgevoel", "lombardijen") in [(i, b) for i, b, _ in found.desired]
    assert [(i, b) for i, b, _ in found.undesired] == [("rapportcijfer", "essenburgbuurt")]
    assert "nam in de experimentele groep het onveiligheidsgevoel" in found.paragraphs[0]
    assert "Eén patroon wijst de andere kant op: het rapportcijfer" in found.conclusion[0]


def test_expected_by_chance_is_five_percent_of_the_tests():
    frame = pd.DataFrame({"kind": ["baseline"] * 32, "p": [0.5] * 29 + [0.042, 0.041, 0.039]})
    frame["p_holm"], frame["p_bh"] = 1.0, 0.42
    found = text.chance_findings(frame)
    family = found["families"][0]
    assert (family["tests"], family["significant"], family["holm"]) == (32, 3, 0)
    assert family["expected"] == pytest.approx(1.6)
    paragraph = found["paragraphs"][0]
    assert "bij 32 toetsen naar verwachting 1,6" in paragraph
    assert "Gevonden zijn er drie." in paragraph
    assert "volgens Holm noch volgens Benjamini-Hochberg" in paragraph
    frame.loc[31, "p_holm"] = 0.01
    assert "volgens Holm nog één significant" in text.chance_findings(frame)["paragraphs"][0]


# Table 5 of the report: (Lombardijen, Essenburgbuurt) per intervention.
TABLE_5 = {
    1: ("~", "="), 2: ("~", "✓"), 3: ("X", "X"), 4: ("~", "="), 5: ("X", "X"), 6: ("~", "="),
    7: ("=", "="), 8: ("✓", "="), 9: ("X", "X"), 10: ("X", "X"), 11: ("✓", "~"),
}  # fmt: skip


def _table5():
    rows = []
    for number, scores in TABLE_5.items():
        for buurt, score in zip(("lombardijen", "essenburgbuurt"), scores, strict=True):
            rows.append((number, buurt, score, score, True))
    return pd.DataFrame(rows, columns=["intervention", "buurt", "score", "computed_score", "agree"])


def test_interventions_in_words(words, scheme):
    found = text.intervention_findings(_table5(), words, scheme, ["lombardijen", "essenburgbuurt"])
    lombardijen, essenburg = found["paragraphs"]
    assert lombardijen.startswith(
        "In Lombardijen versterkten twee interventies van de elf een succesfactor "
        "substantieel: duiding (8) en sociale interactie (11). Eén interventie was al gangbare "
        "praktijk en is voortgezet: aanspreken (7). Vier interventies zijn (deels) uitgevoerd"
    )
    assert "Vier interventies zijn niet uitgevoerd: ontmoeten (3), training (5)" in lombardijen
    assert essenburg.startswith(
        "In de Essenburgbuurt versterkte één interventie van de elf een succesfactor "
        "substantieel: werven (2)."
    )
    assert found["strengthened"] == {"lombardijen": [8, 11], "essenburgbuurt": [2]}
    assert found["agreement"] == (
        "De regel en het oordeel van de onderzoekers komen bij alle 22 beoordelingen overeen."
    )
    assert "hooguit op wat samenhangt met dekkingsgraad" in found["expectations"][1]


def test_interventions_follow_a_swapped_score(words, scheme):
    table = _table5()
    swap = (table["intervention"] == 8) & (table["buurt"] == "lombardijen")
    table.loc[swap, "score"] = "~"  # the judgement; the rule still says ✓
    table.loc[swap, "agree"] = False
    found = text.intervention_findings(table, words, scheme, ["lombardijen", "essenburgbuurt"])
    assert found["paragraphs"][0].startswith(
        "In Lombardijen versterkte één interventie van de elf een succesfactor substantieel: "
        "sociale interactie (11)."
    )
    assert "Vijf interventies zijn (deels) uitgevoerd" in found["paragraphs"][0]
    assert found["agreement"] == (
        "Bij één van de 22 beoordelingen wijkt de regel af van het oordeel van de "
        "onderzoekers: duiding (8) in Lombardijen (oordeel ~, regel ✓)."
    )
    none = table.copy()
    none.loc[none["buurt"] == "essenburgbuurt", "score"] = "X"
    found = text.intervention_findings(none, words, scheme, ["lombardijen", "essenburgbuurt"])
    assert found["paragraphs"][1].startswith(
        "In de Essenburgbuurt versterkte geen enkele interventie een succesfactor substantieel."
    )
    assert (
        "geen verandering die aan het experiment is toe te schrijven" in (found["expectations"][1])
    )


def _did(p_rapportcijfer: float, estimate: float):
    return pd.DataFrame(
        {
            "indicator": ["rapportcijfer", "sociale_cohesie"],
            "buurt": ["essenburgbuurt", "essenburgbuurt"],
            "wave_to": ["nameting", "nameting"],
            "estimate": [estimate, 0.1],
            "p": [p_rapportcijfer, 0.6],
        }
    )


def test_hypothesis_follows_the_difference_in_differences(words, scheme):
    changes = [text.change_findings(_prepost(), words, WAVES, "nameting")]
    chance = text.chance_findings(_prepost())
    interventions = text.intervention_findings(
        _table5(), words, scheme, ["lombardijen", "essenburgbuurt"]
    )
    buurten = ["lombardijen", "essenburgbuurt"]
    did = text.did_findings(_did(0.06, 0.79), words, WAVES)
    assert did["paragraphs"][0].startswith("Geen van de twee schattingen is significant")
    verdict = text.hypothesis_findings(
        interventions, changes, did, chance, words, buurten, len(scheme)
    )
    assert verdict["paragraphs"][0] == (
        "Van de elf interventies versterkten er in Lombardijen twee en in de Essenburgbuurt één "
        "een succesfactor substantieel. De interventies zijn dus in beperkte mate uitgevoerd."
    )
    assert verdict["paragraphs"][1].startswith(
        "De hypothese kunnen we niet bevestigen: de twee veranderingen in de gewenste richting "
        "houden geen stand"
    )
    did = text.did_findings(_did(0.004, 0.79), words, WAVES)
    assert (
        "Die ene wijst in de gewenste richting: het rapportcijfer voor veiligheid in de "
        "Essenburgbuurt" in (did["paragraphs"][0])
    )
    verdict = text.hypothesis_findings(
        interventions, changes, did, chance, words, buurten, len(scheme)
    )
    assert verdict["paragraphs"][1].startswith(
        "De directe toets van het verschil in verandering geeft steun voor de hypothese bij het "
        "rapportcijfer voor veiligheid in de Essenburgbuurt."
    )
    did = text.did_findings(_did(0.004, -0.79), words, WAVES)
    assert did["undesired"] and not did["desired"]


def test_respondents_in_report_order(words):
    frame = pd.DataFrame(
        {
            "buurt": ["essenburgbuurt", "essenburgbuurt", "lombardijen", "lombardijen"],
            "groep": ["C", "E", "C", "E"],
            "wave": ["voormeting"] * 4,
            "n": [55, 66, 237, 82],
            "app_members": [None, 107, None, 189],
            "response_rate": [None, 66 / 107, None, 82 / 189],
        }
    )
    (paragraph,) = text.respondent_findings(
        frame, words, {"voormeting": "Voormeting"}, ["lombardijen", "essenburgbuurt"]
    )
    assert paragraph == (
        "Bij de voormeting vulden 82 appdeelnemers in Lombardijen (43,4% van de 189 deelnemers "
        "aan de groepen) en 66 in de Essenburgbuurt (61,7% van de 107 deelnemers) de "
        "vragenlijst in na de oproep in hun appgroep. Aan de deur werkten 237 buurtgenoten in "
        "Lombardijen en 55 in de Essenburgbuurt mee die zelf niet aan een veiligheidsappgroep "
        "deelnemen."
    )


def _panel_rows(pairs):
    """Panel rows: (wave_from, wave_to, buurt, groep, n_pairs, p, mean_diff)."""
    rows = [
        {
            "indicator": "alertheid",
            "buurt": buurt,
            "groep": groep,
            "wave_from": wave_from,
            "wave_to": wave_to,
            "n_pairs": n,
            "mean_from": 2.0,
            "mean_to": 2.0 + diff,
            "mean_diff": diff,
            "sd_diff": 0.5,
            "t": 1.0,
            "df": n - 1,
            "p": p,
            "status": "computed",
        }
        for wave_from, wave_to, buurt, groep, n, p, diff in pairs
    ]
    return pd.DataFrame(rows)


def test_panel_with_one_pair_of_waves_lists_the_groups(words):
    panel = _panel_rows(
        [
            ("voormeting", "nameting", "lombardijen", "E", 12, 0.5, 0.1),
            ("voormeting", "nameting", "lombardijen", "C", 9, 0.03, -0.4),
        ]
    )
    waves = {"voormeting": "Voormeting", "nameting": "Nameting"}
    found = text.panel_findings(panel, words, waves)["paragraphs"][0]
    assert found.startswith("21 respondenten zijn via hun pseudoniem")
    assert "12 in Lombardijen-E en 9 in Lombardijen-C" in found
    assert "(afname, p = ,030)" in found


def test_panel_with_several_pairs_counts_per_pair_and_names_the_pair(words):
    panel = _panel_rows(
        [
            ("voormeting", "nameting", "lombardijen", "E", 12, 0.5, 0.1),
            ("voormeting", "nameting", "lombardijen", "C", 9, 0.5, 0.1),
            ("nameting", "derde_meting", "lombardijen", "E", 20, 0.01, 0.3),
            ("nameting", "derde_meting", "lombardijen", "C", 20, 0.6, 0.0),
        ]
    )
    waves = {"voormeting": "Voormeting", "nameting": "Nameting", "derde_meting": "Derde meting"}
    found = text.panel_findings(panel, words, waves)["paragraphs"][0]
    # not added up: a respondent can be linked in both pairs
    assert "21 tussen de voormeting en de nameting (9 tot 12 per groep)" in found
    assert "40 tussen de nameting en de derde meting (20 per groep)" in found
    assert "(toename van de nameting naar de derde meting, p = ,010)" in found


@pytest.mark.parametrize(
    ("part", "whole", "expected"),
    [
        (3, 5, "drie van de vijf vergelijkingen"),
        (2, 2, "beide vergelijkingen"),
        (4, 4, "alle vier vergelijkingen"),
        (0, 4, "geen van de vier vergelijkingen"),
        (1, 1, "de enige vergelijking"),
        (0, 1, "geen enkele vergelijking"),
    ],
)
def test_part_of_never_says_four_of_the_four(part, whole, expected):
    # Second source: the Dutch phrases written out by hand.
    assert text.part_of(part, whole, "vergelijking", "vergelijkingen") == expected


# --- issue 17: Dutch that other data cannot break ------------------------------------------
# Each case below once read wrongly in a rendered report; the data are chosen to make the
# generator rule produce it again (other counts, all and none, one buurt).


def _everywhere(words, items, buurten=("lombardijen", "essenburgbuurt")):
    """Baseline findings where ``items`` (indicator -> sign of E - C) hold in every buurt."""
    significant = {i: dict.fromkeys(buurten, sign) for i, sign in items.items()}
    return text.BaselineFindings(significant, list(items), {b: [] for b in buurten}, [], [], [], [])


@pytest.mark.parametrize(
    ("buurten", "opening"),
    [
        (("lombardijen", "essenburgbuurt"), "In beide buurten voelen appdeelnemers zich vaker"),
        (("essenburgbuurt",), "In de Essenburgbuurt voelen appdeelnemers zich vaker"),
    ],
)
def test_discussion_puts_the_verb_second_after_the_place(words, buurten, opening):
    """'In beide buurten appdeelnemers voelen zich' was the wrong word order."""
    found = _everywhere(words, {"onveiligheidsgevoel": 1, "rapportcijfer": -1}, buurten)
    where = text.in_every_buurt(list(buurten), words)
    sentence = text.discussion_findings(found, words, where)["sentence"]
    assert sentence.startswith(opening), sentence
    assert (
        "en geven ze de veiligheid in hun buurt een lager rapportcijfer dan niet-deelnemers."
        in (sentence)
    )


def test_fronted_phrases_never_drop_the_subject_after_inversion(words):
    for indicator in words.indicators:
        for sign in (1, -1):
            one = words.fronted("in beide buurten", "appdeelnemers", [(indicator, sign)])
            verb = words.phrase(indicator, sign).split()[0]
            assert one.startswith(f"in beide buurten {verb} appdeelnemers "), one


def test_group_names_stand_after_de_groep_and_the_verb_comes_second():
    members = pd.DataFrame(
        {"group": ["a", "a", "b", "b", "c", "c"], "buurt": ["x"] * 6,
         "month": ["2019-08", "2019-09"] * 3, "joined": [5, 4, 0, 1, 0, 2],
         "left": [0, 1, 0, 3, 0, 2], "size": [5, 8, 9, 7, 5, 5]}
    )  # fmt: skip
    names = {"a": "Buurtapp Zenobuurt", "b": "Buurt Preventie Essenburg", "c": "Groep C"}
    (sentence,) = text.member_findings(members, names, "2019-09-01", "2019-10-01")
    assert sentence == (
        "Tijdens het experiment groeide de groep Buurtapp Zenobuurt van 5 naar 8 deelnemers "
        "(4 erbij, 1 eraf), kromp de groep Buurt Preventie Essenburg van 9 naar 7 deelnemers "
        "(1 erbij, 3 eraf) en bleef de groep Groep C op 5 deelnemers (2 erbij, 2 eraf)."
    )


@pytest.mark.parametrize(
    ("roles", "says"),
    [
        (["bewoner", "wijkagent"], "; 20% daarvan kwam van professionals."),
        (["bewoner", "bewoner"], "; geen enkel bericht kwam van professionals."),
        (["wijkagent", "handhaving"], "; alle berichten kwamen van professionals."),
    ],
)
def test_messages_per_month_read_as_sentences(roles, says):
    """'gemiddeld 44 per maand ..., waarvan 30% van professionals' had no verb."""
    activity = pd.DataFrame(
        {"group": ["g", "g", "g", "h"], "buurt": ["x"] * 4,
         "month": ["2019-08", "2019-09", "2019-09", "2019-09"],
         "role": ["bewoner", *roles, "bewoner"], "messages": [4, 8, 2, 3], "senders": [1] * 4,
         "share_professionals": [0.0] * 4}
    )  # fmt: skip
    (paragraph,) = text.activity_findings(
        activity, {"g": "Buurtapp G", "h": "Buurtapp H"}, "2019-09-01", "2019-10-01"
    )
    first, second = paragraph.split(". In ")
    assert first.startswith(
        "Tijdens het experiment verschenen in de groep Buurtapp G gemiddeld 10 berichten per "
        "maand (in de maanden ervoor 4)"
    )
    assert (first + ".").endswith(says)
    assert second.startswith("de groep Buurtapp H verschenen gemiddeld 3 berichten per maand;")
    assert "waarvan" not in paragraph


@pytest.mark.parametrize(
    ("significant", "opening"),
    [
        (12, "Alle twaalf vergelijkingen van een groep tussen de voormeting en de nameting zijn "
             "significant"),
        (0, "Geen van de twaalf vergelijkingen van een groep tussen de voormeting en de nameting "
            "is significant"),
        (1, "Eén van de twaalf vergelijkingen van een groep tussen de voormeting en de nameting "
            "is significant"),
    ],
)  # fmt: skip
def test_counts_of_comparisons_say_all_and_none(words, significant, opening):
    """'in vier van de vier vergelijkingen' and 'zijn er 0' read wrongly."""
    frame = _prepost()
    frame["p"], frame["d"] = 0.5, 0.01
    frame.loc[: significant - 1, ["p", "d"]] = [0.001, 0.3] if significant else [0.5, 0.01]
    found = text.change_findings(frame, words, WAVES, "nameting")
    assert found.conclusion[0].startswith(opening), found.conclusion[0]


@pytest.mark.parametrize(
    ("d", "opening"),
    [
        (0.1, "Alle twaalf gevonden verschillen liggen onder die grens"),
        (0.9, "Geen van de twaalf gevonden verschillen ligt onder die grens"),
    ],
)
def test_power_says_all_of_the_differences_not_32_of_32(words, d, opening):
    """'Van de 32 gevonden verschillen liggen er 32 onder die grens'."""
    frame = _prepost({})
    frame["d"] = d
    found = text.power_findings(frame, words)
    assert opening in found["paragraphs"][0], found["paragraphs"][0]
    one = text.power_findings(frame.iloc[:1], words)["paragraphs"][0]
    assert "Het enige gevonden verschil ligt onder die grens" in one or (
        "Geen enkel gevonden verschil ligt onder die grens" in one
    )


def test_a_buurt_name_takes_its_article_from_words_yaml(words):
    """'Lombardijen en Essenburgbuurt' lacked the article of the Essenburgbuurt."""
    assert words.buurten["essenburgbuurt"]["article"] == "de"
    assert words.buurt_name("essenburgbuurt") == "de Essenburgbuurt"
    assert words.buurt_name("lombardijen") == "Lombardijen"
    both = ["lombardijen", "essenburgbuurt"]
    assert text.places(both, words)["names"] == "Lombardijen en de Essenburgbuurt"
    assert text.places(both, words, ["essenburgbuurt"])["shown"] == "de Essenburgbuurt"
    assert "Lombardijen en de Essenburgbuurt" in text.groups_findings([], both, words)[0]
    # a buurt words.yaml does not know is named without an article
    named = text.buurt_names(["b1"], [], words.buurten)
    assert named["b1"]["article"] == ""


def test_a_wave_label_is_not_the_subject_of_a_sentence(words):
    """'De start legt de uitgangssituatie vast': a label read as a noun."""
    frame = _baseline()
    found = text.baseline_findings(frame, words, "Start", frozenset(), "start")
    assert found.conclusion[0].startswith("Bij de start blijkt dat appdeelnemers")
    from conftest import ROOT

    template = (ROOT / "report" / "templates" / "bevindingen.html.j2").read_text(encoding="utf-8")
    assert "De eerste meting ({{ first.label | lower }})" in template
    assert "<p>De {{ first.label" not in template


INDICATORS = (
    "alertheid", "meldingsbereidheid", "onveiligheidsgevoel", "rapportcijfer",
    "sociale_controle", "sociale_cohesie", "nabijheid_gemeente", "nabijheid_politie",
)  # fmt: skip


@pytest.mark.parametrize("indicator", INDICATORS)
@pytest.mark.parametrize("e_sign", [1, -1, 0])
@pytest.mark.parametrize("c_sign", [1, -1, 0])
def test_direction_words_follow_the_aim_of_every_indicator(words, indicator, e_sign, c_sign):
    """A fall of the onveiligheidsgevoel is an improvement, not 'ging vooruit' of a rise."""
    if not e_sign and not c_sign:
        return
    frame = _prepost({})
    frame = frame[frame["indicator"] == "rapportcijfer"].copy()
    frame["indicator"] = indicator  # the rows of one indicator, renamed
    for groep, sign in (("E", e_sign), ("C", c_sign)):
        where = (frame["buurt"] == "lombardijen") & (frame["groep"] == groep)
        frame.loc[where, ["p", "d"]] = [0.01, 0.3 * sign] if sign else [0.5, 0.0]
    found = text.change_findings(frame, words, WAVES, "nameting")
    (how,) = [h for i, b, h in found.desired + found.undesired if b == "lombardijen"] or [""]
    better = words.better(indicator)
    if e_sign == c_sign:  # both groups moved the same way: no pattern to describe
        assert not how
        return
    for name, sign in (("experimentele groep", e_sign), ("controlegroep", c_sign)):
        if not sign:
            expected = f"de {name} veranderde niet significant"
        else:
            verdict = "verbeterde" if sign * better > 0 else "verslechterde"
            expected = f"de {name} {verdict}, met een {'toename' if sign > 0 else 'afname'}"
        assert expected in how, (indicator, e_sign, c_sign, how)
    assert "vooruit" not in found.conclusion[0] and "achteruit" not in found.conclusion[0]
    if indicator == "onveiligheidsgevoel" and e_sign == -1 and c_sign == 0:
        assert found.desired and "de experimentele groep verbeterde, met een afname" in how


# --- the summary in plain Dutch (issue 17) ---------------------------------------------------

#: Words of chapter 3 that the summary leaves out.
JARGON = re.compile(r"significant|schatting|toets van|p-waarde|\bp [<=]|Holm|Benjamini|Cohen", re.I)


@pytest.mark.parametrize(
    ("seed", "waves", "effects"),
    [(21, 2, "null"), (22, 3, "significant"), (23, 4, "mixed"), (24, 5, "baseline_half")],
)
def test_summary_speaks_plain_dutch_and_its_claims_hold(tmp_path, seed, waves, effects):
    """Generated studies of 2-5 waves: no test jargon in the summary, every claim true."""
    import test_report_properties as properties

    from buurtpreventie.report.claims import check_claims
    from buurtpreventie.report.context import load_tables
    from buurtpreventie.synthetic.results import Scenario, generate

    scenario = Scenario(effects=effects, waves=waves, buurten=2)
    context, page, paths = properties._build(generate(seed, scenario), tmp_path)
    summary = properties._summary(page)
    assert not JARGON.search(summary), JARGON.search(summary)
    assert "oordeel over de hypothese luidt daarom" in summary or "niet te toetsen" in summary
    plain = [c for c in context["claims"] if c.sentence.startswith("summary.")]
    assert {c.sentence.split(".")[1] for c in plain} >= {"changes", "did"}
    assert check_claims(plain, load_tables(paths["tables"])) == []
    # the changes are told once per later wave
    assert len(context["summary"]["plain"]) == waves


def test_summary_follows_the_difference_in_differences(words):
    """Other results, another (true) summary: none found, or some in either direction."""
    did = pd.DataFrame(
        {"indicator": ["alertheid", "onveiligheidsgevoel"], "buurt": ["lombardijen"] * 2,
         "wave_to": ["nameting"] * 2, "estimate": [0.1, 0.2], "p": [0.6, 0.7]}
    )  # fmt: skip
    none = text.did_findings(did, words, WAVES)
    (paragraph,) = text.plain_summary([], none, None, words, WAVES)["paragraphs"]
    assert "zo klein dat ze ook door toeval kunnen ontstaan" in paragraph
    did["p"] = [0.001, 0.002]  # alertheid up (aimed for), onveiligheidsgevoel up (against)
    some = text.did_findings(did, words, WAVES)
    (paragraph,) = text.plain_summary([], some, None, words, WAVES)["paragraphs"]
    assert (
        "Bij beide vergelijkingen veranderden appdeelnemers duidelijk anders dan hun "
        "buurtgenoten: één keer in de gewenste richting en één keer ertegenin." in paragraph
    )


@pytest.mark.parametrize(
    ("part", "whole", "expected"),
    [
        (24, 32, "van de 32 verschillen liggen er 24"),
        (3, 32, "drie van de 32 verschillen liggen"),
        (1, 32, "één van de 32 verschillen ligt"),
        (0, 32, "geen van de 32 verschillen ligt"),
        (32, 32, "alle 32 verschillen liggen"),
        (0, 1, "geen enkel verschil ligt"),
    ],
)
def test_part_is_opens_a_sentence_in_words_and_agrees(part, whole, expected):
    found = text.part_is(part, whole, "verschil", "verschillen", "ligt", "liggen", "het")
    assert found == expected
