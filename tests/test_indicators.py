"""Every indicator rule of docs/derivation.md, section Indicators, on hand-made exports.

Expected values are worked out by hand in the comments, from the codebook:
Nooit 1, Zelden 2, Soms 3, Vaak 4; Ja 1, Nee 0; Likert Helemaal mee eens 5,
Mee eens 4, Weet ik niet 3, Mee oneens 2, Helemaal mee oneens 1; statement
9.1 reversed (6 - code); a scale needs 4 of 6 statements.
"""

import pandas as pd
import pytest
from conftest import COLLECTORS, DOOR, INDICATORS, record

from buurtpreventie.survey.ingest import ingest_wave

BASE = {"q1": "Molièrebuurt", "q12": "Nee"}  # door + q12 Nee: groep C, Lombardijen
HME, ME, WIN, MO, HMO = (
    "Helemaal mee eens",
    "Mee eens",
    "Weet ik niet",
    "Mee oneens",
    "Helemaal mee oneens",
)


def _records():
    r1 = record(
        1,
        DOOR,
        **BASE,
        q2="Nee",
        q4="Vaak",
        q5_criminaliteit=True,
        q6="Ja",
        q7="Ja",
        q8="7",
        q9_1=HME,
        **{f"q9_{i}": ME for i in range(2, 7)},
        q9_7=MO,
        **{f"q10_{i}": WIN for i in range(1, 7)},
        **{f"q11_{i}": HME for i in range(1, 5)},
        q11_5=MO,
    )
    r2 = record(
        2,
        DOOR,
        **BASE,
        q2="Ja",
        q3="Soms",
        q4="Nooit",
        q7="Ja",  # skipped after q4 = Nooit: must be ignored
        q8="Weet ik niet",
        q9_1=HMO,
        q9_2=ME,
        q9_4=MO,
        q10_1=HME,
        q10_2=ME,
        q10_3=WIN,
        q10_4=MO,
    )
    r3 = record(3, DOOR, **BASE, q2="Weet ik niet", q4="Weet ik niet", q8="1")
    r4 = record(
        4, DOOR, **BASE, q2="Ja", q3="Weet ik niet", q4="Zelden", q7="Weet ik niet", q8="10"
    )
    r5 = record(5, DOOR, **BASE, q2="Ja", q3="Vaak", q4="Soms", q7="Nee", q9_7=HME)
    r6 = record(6, DOOR, **BASE, q2="Ja", q3="Zelden")
    return [r1, r2, r3, r4, r5, r6]


EXPECTED = {
    # id: alertheid, meldingsbereidheid, onveiligheidsgevoel, rapportcijfer, sociale_controle,
    #     sociale_cohesie, nabijheid_gemeente, nabijheid_politie
    # r1: q9_1 HME = 5 reversed to 1, five times Mee eens 4: (1 + 20) / 6 = 3.5;
    #     q10 six times Weet ik niet = 3 (not missing): 3.0;
    #     q11 four HME (5) and one Mee oneens (2), one empty: 22 / 5 = 4.4.
    "1": (4, 1, 1, 7, 2, 3.5, 3.0, 4.4),
    # r2: q7 skipped after Nooit -> missing; q8 Weet ik niet -> missing;
    #     q9: only 3 statements answered (< 4) -> missing;
    #     q10: 5 + 4 + 3 + 2 = 14 over 4 statements = 3.5 (4 answered is enough).
    "2": (1, None, 3, None, None, None, 3.5, None),
    # r3: q2 Weet ik niet -> missing (q3 skipped); q4 Weet ik niet -> missing.
    "3": (None, None, None, 1, None, None, None, None),
    # r4: q3 Weet ik niet -> missing; q4 Zelden 2; q7 Weet ik niet -> missing.
    "4": (2, None, None, 10, None, None, None, None),
    # r5: q3 Vaak 4; q4 Soms 3; q7 Nee 0; q9_7 Helemaal mee eens 5.
    "5": (3, 0, 4, None, 5, None, None, None),
    # r6: q3 Zelden 2; q4 not answered -> missing.
    "6": (None, None, 2, None, None, None, None, None),
}


@pytest.fixture
def respondents(write, codebook):
    path = write(_records())
    return ingest_wave("voormeting", [path], codebook, COLLECTORS, min_answered=4).respondents


@pytest.mark.parametrize("respondent_id", sorted(EXPECTED))
def test_indicator_values_worked_out_by_hand(respondents, respondent_id):
    row = respondents.set_index("respondent_id").loc[respondent_id]
    for indicator, expected in zip(INDICATORS, EXPECTED[respondent_id], strict=True):
        value = row[indicator]
        if expected is None:
            assert pd.isna(value), indicator
        else:
            assert float(value) == pytest.approx(expected), indicator


def test_min_answered_comes_from_config(write, codebook):
    path = write(_records())
    # With a minimum of 3 statements, r2's sociale cohesie counts: q9_1 HMO = 1 reversed
    # to 5, Mee eens 4, Mee oneens 2: (5 + 4 + 2) / 3 = 3.6667.
    result = ingest_wave("voormeting", [path], codebook, COLLECTORS, min_answered=3)
    row = result.respondents.set_index("respondent_id").loc["2"]
    assert float(row["sociale_cohesie"]) == pytest.approx(11 / 3)


def test_skipped_answer_is_ignored_with_a_warning(write, codebook, caplog):
    path = write(_records())
    ingest_wave("voormeting", [path], codebook, COLLECTORS, min_answered=4)
    assert any("q7 is skipped after q4" in m and "rows 4" in m for m in caplog.messages)


def test_demographics_coded_as_in_interfaces(write, codebook):
    rows = [
        record(
            11,
            DOOR,
            **BASE,
            q18="Vrouw",
            q19="18-25 jaar",
            q20="Alleenstaand met inwonende kinderen",
        ),
        record(
            12,
            DOOR,
            **BASE,
            q18="Man",
            q19="Ouder dan 75 jaar",
            q20="Samenwonend zonder inwonende kinderen",
        ),
        record(13, DOOR, **BASE, q19="46-55 jaar"),
    ]
    result = ingest_wave("voormeting", [write(rows)], codebook, COLLECTORS, min_answered=4)
    table = result.respondents.set_index("respondent_id")
    assert table.loc[
        "11", ["geslacht", "leeftijdscategorie", "samenwonend", "inwonende_kinderen"]
    ].tolist() == ["vrouw", 0, 0, 1]
    assert table.loc[
        "12", ["geslacht", "leeftijdscategorie", "samenwonend", "inwonende_kinderen"]
    ].tolist() == ["man", 6, 1, 0]
    assert table.loc["13", "leeftijdscategorie"] == 3
    assert table.loc["13", ["geslacht", "samenwonend"]].isna().all()
