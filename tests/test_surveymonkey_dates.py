"""Dates as real exports hold them: SurveyMonkey's 12-hour form, ISO, Excel re-saves.

Each test writes a small export of invented respondents and states the dates it
expects. The day/month order of Excel's 24-hour dates (``8/7/22 15:44``) is
decided per file from the values, or set by ``survey.date_order``.
"""

import datetime as dt
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest
from conftest import COLLECTORS, DOOR, record

from buurtpreventie.errors import InputError
from buurtpreventie.survey.exports import (
    date_problem,
    parse_surveymonkey_date,
    parse_surveymonkey_dates,
)
from buurtpreventie.survey.ingest import ingest_wave
from buurtpreventie.synthetic.export_writer import ExportForm

GOOD = {"q1": "Essenburgbuurt", "q2": "Nee", "q4": "Soms", "q7": "Ja", "q12": "Nee"}


def _on(respondent_id, when):
    """A respondent who started at ``when`` and finished 7 minutes and 30 seconds later."""
    return {
        **record(respondent_id, DOOR, **GOOD),
        "Start Date": when,
        "End Date": when + dt.timedelta(minutes=7, seconds=30),
    }


def _dates(codebook, path, date_order=None):
    result = ingest_wave("voormeting", [path], codebook, COLLECTORS, 4, date_order=date_order)
    table = result.respondents.sort_values("respondent_id")
    return table["start_date"].tolist(), table["end_date"].tolist()


AUGUST = [dt.datetime(2022, 8, 22, 15, 44, 5), dt.datetime(2022, 8, 3, 9, 5, 0)]


def test_surveymonkey_12_hour_dates(write, codebook):
    path = write([_on(1, AUGUST[0]), _on(2, AUGUST[1])])
    starts, ends = _dates(codebook, path)
    assert starts == [pd.Timestamp("2022-08-22 15:44:05"), pd.Timestamp("2022-08-03 09:05:00")]
    assert ends == [pd.Timestamp("2022-08-22 15:51:35"), pd.Timestamp("2022-08-03 09:12:30")]


def test_iso_dates_keep_their_seconds(write, codebook):
    path = write([_on(1, AUGUST[0]), _on(2, AUGUST[1])], form=ExportForm(date_style="iso"))
    assert "2022-08-22 15:44:05" in Path(path).read_text(encoding="utf-8")
    starts, ends = _dates(codebook, path)
    assert starts == [pd.Timestamp("2022-08-22 15:44:05"), pd.Timestamp("2022-08-03 09:05:00")]
    assert ends[0] == pd.Timestamp("2022-08-22 15:51:35")


def test_us_excel_resave_month_first_decided_from_a_day_above_12(write, codebook):
    path = write([_on(1, AUGUST[0]), _on(2, AUGUST[1])], form=ExportForm(date_style="excel_us"))
    assert "8/22/22 15:44" in Path(path).read_text(encoding="utf-8")
    starts, ends = _dates(codebook, path)
    # Excel drops the seconds: 15:44:05 becomes 15:44, 15:51:35 becomes 15:51
    assert starts == [pd.Timestamp("2022-08-22 15:44"), pd.Timestamp("2022-08-03 09:05")]
    assert ends == [pd.Timestamp("2022-08-22 15:51"), pd.Timestamp("2022-08-03 09:12")]


def test_dutch_excel_resave_day_first_decided_from_a_day_above_12(write, codebook):
    form = ExportForm(date_style="excel_nl", delimiter=";", bom=True)
    path = write([_on(1, AUGUST[0]), _on(2, AUGUST[1])], form=form)
    assert "22-8-2022 15:44" in Path(path).read_text(encoding="utf-8-sig")
    starts, _ = _dates(codebook, path)
    # 3-8-2022 is read day first like 22-8-2022: the 3rd of August, not the 8th of March
    assert starts == [pd.Timestamp("2022-08-22 15:44"), pd.Timestamp("2022-08-03 09:05")]


def test_ambiguous_dates_stop_and_ask_for_the_config_key(write, codebook):
    early = [dt.datetime(2022, 8, 3, 9, 5), dt.datetime(2022, 8, 4, 10, 0)]
    path = write([_on(1, early[0]), _on(2, early[1])], form=ExportForm(date_style="excel_nl"))
    with pytest.raises(InputError, match=r"cannot be told .* set survey\.date_order"):
        _dates(codebook, path)
    starts, _ = _dates(codebook, path, date_order="dmy")
    assert starts == [pd.Timestamp("2022-08-03 09:05"), pd.Timestamp("2022-08-04 10:00")]
    starts, _ = _dates(codebook, path, date_order="mdy")  # the config is believed
    assert starts == [pd.Timestamp("2022-03-08 09:05"), pd.Timestamp("2022-04-08 10:00")]


def test_config_order_that_the_values_contradict_stops_at_the_row(write, codebook):
    path = write([_on(1, AUGUST[1]), _on(2, AUGUST[0])], form=ExportForm(date_style="excel_nl"))
    with pytest.raises(InputError) as caught:
        _dates(codebook, path, date_order="mdy")
    assert caught.value.row == 4 and caught.value.column == "Start Date"
    assert "'22-8-2022 15:44' is not a valid date (read in month-day-year order)" in str(
        caught.value
    )


def test_dates_in_both_orders_in_one_file_stop(write, codebook, tmp_path):
    path = write([_on(1, AUGUST[0]), _on(2, AUGUST[1])], form=ExportForm(date_style="excel_us"))
    text = Path(path).read_text(encoding="utf-8").replace("8/3/22 9:05", "13/8/22 9:05", 1)
    mixed = tmp_path / "mixed.csv"
    mixed.write_text(text, encoding="utf-8")
    with pytest.raises(InputError, match="mix day-first and month-first"):
        _dates(codebook, str(mixed))


def test_excel_hashes_are_damaged_data(write, codebook, tmp_path):
    path = write([_on(1, AUGUST[0]), _on(2, AUGUST[1])], form=ExportForm(date_style="excel_us"))
    text = Path(path).read_text(encoding="utf-8").replace("8/3/22 9:12", "##########", 1)
    damaged = tmp_path / "hashes.csv"
    damaged.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as caught:
        _dates(codebook, str(damaged))
    error = caught.value
    assert (error.row, error.column) == (4, "End Date")
    assert "#####" in error.message and "too narrow" in error.message
    assert "export again from SurveyMonkey" in error.message


@pytest.mark.parametrize(
    ("value", "order", "expected"),
    [
        ("08/22/2022 03:44:05 PM", "mdy", dt.datetime(2022, 8, 22, 15, 44, 5)),
        ("08/03/2022 03:44:05 PM", "dmy", dt.datetime(2022, 8, 3, 15, 44, 5)),  # 12-hour: US
        ("2022-08-23 19:51:14", "dmy", dt.datetime(2022, 8, 23, 19, 51, 14)),
        ("2022-08-23T19:51", "mdy", dt.datetime(2022, 8, 23, 19, 51)),
        ("8/22/22 15:44", "mdy", dt.datetime(2022, 8, 22, 15, 44)),
        ("8/22/2022 15:44:09", "mdy", dt.datetime(2022, 8, 22, 15, 44, 9)),
        ("22-8-2022 15:44", "dmy", dt.datetime(2022, 8, 22, 15, 44)),
        ("22-8-2022 15:44:09", "dmy", dt.datetime(2022, 8, 22, 15, 44, 9)),
        ("3/8/2022 0:05", "dmy", dt.datetime(2022, 8, 3, 0, 5)),
        ("", "mdy", None),
    ],
)
def test_one_date_in_each_form(value, order, expected):
    assert parse_surveymonkey_date(value, order) == expected
    dates, bad = parse_surveymonkey_dates(pa.chunked_array([[value]]), 1, order)
    assert not bad[0]
    assert (expected is None and pd.isna(dates[0])) or dates[0] == expected


@pytest.mark.parametrize(
    "value",
    ["22/8/2022 15:44", "2022-02-30 10:00:00", "8/22/22 24:00", "8/22/22 15:44:60", "gisteren"],
)
def test_impossible_dates_are_bad_in_both_parsers(value):
    assert date_problem(value, "mdy") is not None
    with pytest.raises(ValueError):
        parse_surveymonkey_date(value, "mdy")
    _, bad = parse_surveymonkey_dates(pa.chunked_array([[value]]), 1, "mdy")
    assert bad[0]


def test_a_cell_that_is_not_date_like_is_not_quoted():
    assert "Jansen" not in date_problem("bel Jansen terug", "mdy")
    assert "'8/22/22 15:61'" in date_problem("8/22/22 15:61", "mdy")


def test_excel_dates_of_200k_rows_parse_in_seconds():
    start = pd.Timestamp("2022-08-01")
    rng = np.random.default_rng(3)
    times = start + pd.to_timedelta(rng.integers(0, 86400 * 30, 200_000), unit="m")
    cells = [f"{t.day}-{t.month}-{t.year} {t.hour}:{t.minute:02d}" for t in times]
    began = time.perf_counter()
    dates, bad = parse_surveymonkey_dates(pa.chunked_array([cells]), len(cells), "dmy")
    elapsed = time.perf_counter() - began
    assert not bad.any()
    assert (dates == times.floor("min")).all()
    assert elapsed < 10, f"{elapsed:.1f} s"
