"""The vectorised ingestion gives what the rules per cell and per row give.

Reading, coding and checking work on whole columns; each helper is compared
here with the cell-wise or row-wise rule it replaces, and bad input is reported
at the first bad cell in row order, as before.
"""

import csv
import datetime as dt
import io
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest
from conftest import COLLECTORS, DOOR, record

from buurtpreventie.errors import InputError
from buurtpreventie.survey import derive, exports
from buurtpreventie.survey.exports import (
    parse_surveymonkey_date,
    parse_surveymonkey_dates,
    read_export,
)
from buurtpreventie.survey.ingest import (
    AnswerColumn,
    _code_column,
    _code_label,
    _first_true,
    _pseudonyms,
    ingest_wave,
)
from buurtpreventie.survey.pseudonym import contact_pseudonym

GOOD = {"q1": "Essenburgbuurt", "q2": "Nee", "q4": "Soms", "q7": "Ja", "q12": "Nee"}


def _cells(values):
    return pa.chunked_array([pa.array(values[:3], pa.string()), pa.array(values[3:], pa.string())])


def _cell_wise(column, values):
    return [_code_label(column, v) for v in values]


CASES = {
    "single": ("q4", None, ["Soms", "", "soms", "Vaak", "Weet ik niet", "", "Nooit.", "Soms"]),
    "numeric": ("q8", None, ["7", "10", "", "1", "7", "11", "0"]),
    "matrix": ("q9", "q9_3", ["Mee eens", "", "mee EENS", "Beetje eens", "Helemaal mee oneens"]),
    "checkbox": ("q5", "vuil", ["", "Vuil - straatvuil, plaatsing van huisvuil naast containers"]),
    "checkbox_bad": (
        "q5",
        "vuil",
        ["", "ja", "", "VUIL - straatvuil, plaatsing van huisvuil naast containers"],
    ),
    "open": ("q24", None, ["a@example.org", "", "b@example.org", ""]),
}


def _column(codebook, question_id, part):
    question = codebook.question(question_id)
    if question.type == "checkbox":
        option = next(o for o in question.options if o.name == part)
        return AnswerColumn(0, question, option=option)
    if question.type == "matrix":
        statement = next(s for s in question.statements if s.id == part)
        return AnswerColumn(0, question, statement=statement)
    return AnswerColumn(0, question)


@pytest.mark.parametrize("case", sorted(CASES))
def test_coding_a_column_equals_coding_each_cell(codebook, case):
    question_id, part, values = CASES[case]
    column = _column(codebook, question_id, part)
    coded, bad = _code_column(column, _cells(values))
    expected = _cell_wise(column, values)
    assert [pd.isna(v) for v in coded] == [code is None for code, _ in expected]
    assert [None if pd.isna(v) else v for v in coded] == [code for code, _ in expected]
    assert bad.tolist() == [problem is not None for _, problem in expected]


def test_first_true_reads_row_by_row_then_column_by_column():
    masks = [
        np.array([False, False, True, True]),
        np.array([False, True, False, False]),
        np.array([False, True, True, False]),
    ]
    assert _first_true(masks) == (1, 1)
    assert _first_true(masks[:1]) == (2, 0)
    assert _first_true(masks[::-1]) == (1, 0)
    assert _first_true([np.zeros(4, dtype=bool)]) is None
    assert _first_true([]) is None


def _expect(codebook, path, *fragments):
    with pytest.raises(InputError) as caught:
        ingest_wave("voormeting", [path], codebook, COLLECTORS, min_answered=4)
    for fragment in fragments:
        assert fragment in str(caught.value), str(caught.value)
    return caught.value


def test_first_bad_answer_in_row_order_is_reported(write, codebook):
    rows = [
        record(1, DOOR, **GOOD),
        record(2, DOOR, **GOOD, q9_3="Beetje eens"),  # a late column, early row
        record(3, DOOR, **{**GOOD, "q4": "Heel soms"}),  # an early column, late row
    ]
    error = _expect(codebook, write(rows), "row 4", "Respondent ID 2", "question q9")
    assert "Beetje eens" not in str(error)  # a cell is described, never repeated
    assert error.column.endswith("Ik heb veel contact met andere buurtbewoners.")


def test_first_bad_answer_within_a_row_is_the_leftmost(write, codebook):
    rows = [record(1, DOOR, **GOOD), record(2, DOOR, **{**GOOD, "q4": "Heel soms", "q8": "11"})]
    error = _expect(codebook, write(rows), "row 4", "Respondent ID 2", "question q4")
    assert "Heel soms" not in str(error)


def test_first_bad_metadata_in_row_order_is_reported(write, codebook, tmp_path):
    path = Path(write([record(1, DOOR, **GOOD), record(2, DOOR, **GOOD), record(3, "999")]))
    lines = path.read_bytes().decode("utf-8").split("\r\n")
    assert "06/03/2020 10:24:00 AM" in lines[3]
    lines[3] = lines[3].replace("06/03/2020 10:24:00 AM", "2020-06-03 10:24", 1)  # End Date
    lines[3] = lines[3].replace(DOOR, "998", 1)  # and the collector of the same row
    broken = tmp_path / "broken.csv"
    broken.write_text("\r\n".join(lines), encoding="utf-8")
    error = _expect(codebook, str(broken), "row 4", "Respondent ID 2", "'998'")
    assert error.column == "Collector ID"


def test_metadata_error_comes_before_answer_errors(write, codebook):
    rows = [record(1, DOOR, **{**GOOD, "q4": "Heel soms"}), record(2, "999", **GOOD)]
    _expect(codebook, write(rows), "row 4", "Collector ID")


def _row_wise(path):
    return exports._export_from_rows(path, exports._read_csv(path))


@pytest.mark.parametrize(
    "text",
    [
        'a,b,c\r\n,sub,"x"\r\n 1 ,"two\r\nlines", three\u00a0\r\n"q""uote",\t, \r\n,,\r\n',
        "\ufeffa;b;c\n;;\n1;2,5;3\n4;5;6\n",
        'a,b,c\r\nx,y,z\r\np"q,r"s,\x1ct\x1c\r\n',  # literal quotes inside cells
    ],
    ids=["comma", "semicolon_bom", "odd_quotes"],
)
def test_columnar_reading_equals_the_csv_module(tmp_path, text):
    path = tmp_path / "export.csv"
    path.write_bytes(text.encode("utf-8"))
    assert exports._read_csv_columns(str(path)) is not None  # the pyarrow path is taken
    raw, expected = read_export(path), _row_wise(str(path))
    assert (raw.headings, raw.subheadings, raw.rows) == (
        expected.headings,
        expected.subheadings,
        expected.rows,
    )
    assert raw.row_number(0) == 3


@pytest.mark.parametrize(
    ("text", "error"),
    [
        # SurveyMonkey and Excel write full rows: a short row is broken
        ("a,b,c\r\nx,y,z\r\n1\r\n4,5,6\r\n\r\n", "row has 1 of 3 cells"),
        ("a,b,c\r\nx,y,z\r\n\r\n4,5,6\r\n", None),  # a blank row stays a row
        ("a,b,c\r\nx,y,z\r\n1,2,3\r\n4,5", "file ends in the middle of this row"),
        ("a,b\r\nx,y\r\n1,2,3\r\n", "row has 3 cells but the header has 2"),
        ("a,b\r\nx,y\r\n,,\r\n", "no respondent rows"),
        ("a,b\r\n", "the two header rows of a SurveyMonkey export are missing"),
        ("", "the two header rows of a SurveyMonkey export are missing"),
    ],
)
def test_irregular_files_are_read_row_by_row(tmp_path, text, error):
    path = tmp_path / "export.csv"
    path.write_bytes(text.encode("utf-8"))
    if error is not None:
        with pytest.raises(InputError, match=error):
            read_export(path)
        return
    raw, expected = read_export(path), _row_wise(str(path))
    assert raw.rows == expected.rows
    assert all(len(row) == len(raw.headings) for row in raw.rows)


def test_parsing_a_date_column_equals_parsing_each_date():
    values = [
        "06/03/2020 10:15:00 AM",
        "6/3/2020 1:05:00 pm",
        "",
        "06/03/2020 12:15:00 AM",
        "06/03/2020  10:15:00 PM",
        "06/03/2020 10:15:60 AM",  # pandas would carry the second over
        "06/03/2020 13:15:00 PM",
        "2020-06-03 10:16",
        "02/30/2020 10:15:00 AM",
    ]
    dates, bad = parse_surveymonkey_dates(_cells(values), len(values))
    for value, date, is_bad in zip(values, dates, bad, strict=True):
        try:
            expected = parse_surveymonkey_date(value)
        except ValueError:
            assert is_bad and pd.isna(date), value
        else:
            assert not is_bad, value
            assert (pd.isna(date) and expected is None) or date == expected, value
    assert dates.dtype == "datetime64[us]"


def test_a_date_column_without_dates_is_typed_as_before():
    for values in (None, _cells(["", "", "", ""])):
        dates, bad = parse_surveymonkey_dates(values, 4)
        before = pd.to_datetime(pd.Series([None] * 4, dtype=object))
        pd.testing.assert_series_equal(dates, before)
        assert not bad.any()
    one, _ = parse_surveymonkey_dates(_cells(["", "06/03/2020 10:15:00 AM", "", ""]), 4)
    before = pd.to_datetime(pd.Series([None, dt.datetime(2020, 6, 3, 10, 15), None, None]))
    pd.testing.assert_series_equal(one, before)


def _app_groups_per_row(answers, codebook):
    """The rule as it was written per row."""
    question = codebook.question(codebook.roles["app_groups"])
    names = [o.name for o in question.options]
    ticked = answers[list(question.column_ids)].fillna(False).astype(bool).to_numpy()
    labels = [";".join(sorted(n for n, t in zip(names, row, strict=True) if t)) for row in ticked]
    return pd.Series(labels, index=answers.index, dtype="string").replace("", pd.NA)


def test_app_groups_equal_the_rule_per_row(codebook):
    question = codebook.question(codebook.roles["app_groups"])
    rng = np.random.default_rng(5)
    answers = pd.DataFrame(
        {
            c: pd.array(rng.choice([True, False, None], 300).tolist(), dtype="boolean")
            for c in question.column_ids
        },
        index=pd.RangeIndex(10, 310),
    )
    pd.testing.assert_series_equal(
        derive.app_groups(answers, codebook), _app_groups_per_row(answers, codebook)
    )


def test_pseudonyms_equal_the_rule_per_row(codebook):
    answers = pd.DataFrame(
        {
            "q21": pd.array([1, 2, None, 1, 1], dtype="Int64"),
            "q24": pd.array(["A@x.nl", "b@x.nl", None, None, "geen"], dtype="string"),
            "q25": pd.array([None, "0612345678", None, "+31 6 1234 5678", None], dtype="string"),
        }
    )
    yes = codebook.question("q21").code_of("Ja")
    key = b"k" * 32
    expected = [
        contact_pseudonym(key, "" if pd.isna(e) else e, "" if pd.isna(p) else p)
        if not pd.isna(answer) and answer == yes
        else None
        for answer, e, p in zip(answers["q21"], answers["q24"], answers["q25"], strict=True)
    ]
    result = _pseudonyms(answers, codebook, key)
    assert result.dtype == "string"
    assert [None if pd.isna(v) else v for v in result] == expected


def test_white_space_around_cells_is_ignored(write, codebook, tmp_path):
    rows = [
        record(1, DOOR, **GOOD, q9_3="Mee eens", q5_vuil=True, q8="7"),
        record(2, DOOR, **{**GOOD, "q4": "Vaak"}),
        record(3, DOOR, **GOOD, q21="Ja", q24="a@example.org"),
    ]
    clean = Path(write(rows))
    table = list(csv.reader(io.StringIO(clean.read_text(encoding="utf-8"), newline="")))
    padded = table[:2] + [[f" \u00a0{c}\t" if c else " " for c in row] for row in table[2:]]
    spaced = tmp_path / "spaced" / clean.name
    spaced.parent.mkdir()
    with spaced.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(padded)

    def respondents(path):
        result = ingest_wave("voormeting", [str(path)], codebook, COLLECTORS, 4, key=b"k" * 32)
        return result.respondents.drop(columns="source")

    pd.testing.assert_frame_equal(respondents(spaced), respondents(clean))


@pytest.mark.parametrize(("rows", "columns"), [(0, 4), (1, 1), (50, 4), (200, 11)])
def test_distinct_rows_equal_numpy_unique_on_rows(rows, columns):
    ticked = np.random.default_rng(rows).random((rows, columns)) < 0.3
    distinct, which = derive._distinct_rows(ticked)
    expected, expected_which = np.unique(ticked, axis=0, return_inverse=True)
    assert {tuple(r) for r in distinct} == {tuple(r) for r in expected}
    assert len(distinct) == len(expected)
    np.testing.assert_array_equal(distinct[which], ticked)
    assert which.shape == expected_which.reshape(-1).shape
