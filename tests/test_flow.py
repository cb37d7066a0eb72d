"""Every raw row is included as buurt x groep, or excluded with exactly one reason."""

import pandas as pd
import pytest
from conftest import APP, COLLECTORS, DOOR, record

from buurtpreventie.survey.describe import flow_table
from buurtpreventie.survey.ingest import ingest_wave

ROWS = [
    # (respondent, collector, answers, expected outcome)
    (1, APP, {}, "lege_respons"),
    (2, DOOR, {"q2": "Nee", "q8": "7"}, "buurt_onbekend"),
    (3, APP, {"q1": "Andere buurt in Rotterdam"}, "buurt_gediskwalificeerd"),
    (4, DOOR, {"q1": "Essenburgbuurt", "q12": "Ja", "q13": "Ja"}, "deur_in_appgroep"),
    (5, APP, {"q1": "Homerusbuurt", "q12": "Ja", "q13": "Nee"}, "app_niet_in_appgroep"),
    (6, APP, {"q1": "Homerusbuurt", "q12": "Nee"}, "app_niet_in_appgroep"),
    (
        7,
        APP,
        {"q1": "Homerusbuurt", "q12": "Ja", "q13": "Ja", "q14_zenobuurt": True},
        "lombardijen E",
    ),
    (8, APP, {"q1": "Essenburgbuurt", "q12": "Weet ik niet", "q13": "Ja"}, "essenburgbuurt E"),
    (9, DOOR, {"q1": "Smeetsland of Karl Marx buurt", "q12": "Ja", "q13": "Nee"}, "lombardijen C"),
    (10, DOOR, {"q1": "Essenburgbuurt", "q12": "Nee"}, "essenburgbuurt C"),
    # Door respondent who skipped q12/q13: q13 is not "Ja", so control.
    (11, DOOR, {"q1": "Molièrebuurt", "q8": "6"}, "lombardijen C"),
]


@pytest.fixture
def result(write, codebook):
    records = [record(rid, collector, **answers) for rid, collector, answers, _ in ROWS]
    return ingest_wave("voormeting", [write(records)], codebook, COLLECTORS, min_answered=4)


@pytest.mark.parametrize(("rid", "expected"), [(str(r[0]), r[3]) for r in ROWS])
def test_each_row_has_one_outcome(result, rid, expected):
    row = result.flow.set_index("respondent_id").loc[rid]
    if row["outcome"] == "included":
        assert f"{row['buurt']} {row['groep']}" == expected
        assert pd.isna(row["reason"])
    else:
        assert row["reason"] == expected
        assert pd.isna(row["groep"])


def test_included_rows_are_the_respondent_table(result):
    included = result.flow[result.flow["outcome"] == "included"]
    assert sorted(result.respondents["respondent_id"]) == sorted(included["respondent_id"])
    assert result.rows_read == len(ROWS) == len(result.flow)


def test_flow_table_accounts_for_every_row(result, codebook):
    table = flow_table([result.flow], codebook)
    total = table.loc[table["outcome"] == "total", "n"].item()
    assert total == len(ROWS)
    assert table.loc[table["outcome"] != "total", "n"].sum() == total
    counts = table.set_index(["outcome", "reason"])["n"]
    assert counts[("excluded", "app_niet_in_appgroep")] == 2
    assert counts[("excluded", "lege_respons")] == 1


def test_flow_table_refuses_rows_without_a_known_outcome(result, codebook):
    broken = result.flow.copy()
    broken.loc[0, "reason"] = "verzonnen_reden"
    broken.loc[0, "outcome"] = "excluded"
    with pytest.raises(AssertionError, match="verzonnen_reden"):
        flow_table([broken], codebook)
