"""Respondent counts and indicator descriptives, checked against independent computations."""

import statistics

import pandas as pd
import pytest

from buurtpreventie.survey.describe import indicator_table, respondent_table

WAVES = ["voormeting", "nameting"]


def _respondents(codebook):
    rows = [
        # buurt, groep, wave, alertheid
        ("lombardijen", "E", "voormeting", 4.0),
        ("lombardijen", "E", "voormeting", 2.0),
        ("lombardijen", "E", "voormeting", 3.0),
        ("lombardijen", "E", "voormeting", None),
        ("lombardijen", "C", "voormeting", 1.0),
        ("lombardijen", "C", "nameting", 2.0),
        ("essenburgbuurt", "E", "nameting", 3.0),
    ]
    frame = pd.DataFrame(rows, columns=["buurt", "groep", "wave", "alertheid"])
    for indicator in codebook.indicators[1:]:
        frame[indicator.id] = pd.NA
    frame["alertheid"] = frame["alertheid"].astype("Float64")
    return frame


def test_sd_is_the_sample_sd(codebook):
    table = indicator_table(_respondents(codebook), codebook, WAVES)
    cell = table.query("indicator == 'alertheid' and buurt == 'lombardijen' and groep == 'E'")
    # Independent computation: Python's statistics module (n - 1 denominator).
    # By hand: mean of 4, 2, 3 = 3; squared deviations 1 + 1 + 0 = 2; 2 / (3 - 1) = 1; sd = 1.
    assert cell["n"].item() == 3
    assert cell["mean"].item() == pytest.approx(statistics.mean([4, 2, 3])) == 3
    assert cell["sd"].item() == pytest.approx(statistics.stdev([4, 2, 3])) == 1


def test_single_value_has_no_sd(codebook):
    table = indicator_table(_respondents(codebook), codebook, WAVES)
    cell = table.query("indicator == 'alertheid' and groep == 'C' and wave == 'nameting'")
    assert cell["n"].item() == 1 and pd.isna(cell["sd"].item())


def test_respondent_table_lists_every_cell_in_wave_order(codebook):
    app_groups = [
        {"id": "a", "buurt": "lombardijen", "members_at_start": 77},
        {"id": "b", "buurt": "lombardijen", "members_at_start": 123},
    ]
    table = respondent_table(_respondents(codebook), WAVES, app_groups)
    assert list(table.columns) == ["buurt", "groep", "wave", "n", "app_members", "response_rate"]
    assert len(table) == 2 * 2 * 2
    counts = table.set_index(["buurt", "groep", "wave"])["n"]
    assert counts[("lombardijen", "E", "voormeting")] == 4  # missing indicator still counts
    assert counts[("essenburgbuurt", "C", "voormeting")] == 0
    assert table["wave"].tolist()[:2] == WAVES
    experimental = table.set_index(["buurt", "groep", "wave"]).loc[
        ("lombardijen", "E", "voormeting")
    ]
    # 4 respondents of 77 + 123 = 200 members: a response of 2%.
    assert experimental["app_members"] == 200
    assert experimental["response_rate"] == pytest.approx(4 / 200)
    control = table.set_index(["buurt", "groep", "wave"]).loc[("lombardijen", "C", "voormeting")]
    assert pd.isna(control["app_members"]) and pd.isna(control["response_rate"])
