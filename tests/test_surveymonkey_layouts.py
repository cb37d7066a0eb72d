"""Layouts of real exports: older headings, condensed, Excel's IDs, "Other" columns.

Every sample holds invented respondents; the expected codes are worked out in
each test from the codebook (q6: Ja 1, Nee 0, Weet ik niet 9; the test codebook
adds "Anders, namelijk:" as code 7 to q6 and as option ``anders`` to q5).
"""

import logging
from pathlib import Path

import pandas as pd
import pytest
import yaml
from conftest import APP, COLLECTORS, DOOR, ROOT, record

from buurtpreventie.errors import InputError
from buurtpreventie.survey.codebook import is_other_label, load_codebook
from buurtpreventie.survey.exports import CondensedExportError, read_export
from buurtpreventie.survey.ingest import ingest_wave
from buurtpreventie.synthetic.export_writer import ExportForm, write_export

GOOD = {"q1": "Essenburgbuurt", "q2": "Nee", "q4": "Soms", "q7": "Ja", "q12": "Nee"}
SECRET = "Mw. Jansen, Dorpsweg 12, 06-12345678"  # typed into an "Other" box: personal


def _ingest(codebook, *paths):
    return ingest_wave("voormeting", list(paths), codebook, COLLECTORS, min_answered=4)


@pytest.fixture(scope="module")
def other_codebook(tmp_path_factory):
    """The shipped codebook with an "other" option on q5 (checkbox) and q6 (single)."""
    raw = yaml.safe_load((ROOT / "resources" / "codebook.yaml").read_text(encoding="utf-8"))
    for question in raw["questions"]:
        if question["id"] == "q5":
            question["options"].append(
                {"label": "Anders, namelijk:", "code": 5, "name": "anders", "other": True}
            )
        if question["id"] == "q6":
            question["options"].append({"label": "Anders, namelijk:", "code": 7, "other": True})
    path = tmp_path_factory.mktemp("codebook") / "codebook.yaml"
    path.write_text(yaml.safe_dump(raw, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return load_codebook(path)


# --- older headings -------------------------------------------------------------


def test_older_metadata_headings_give_the_same_respondents(write, codebook):
    records = [record(1, DOOR, **GOOD), record(2, APP, **{**GOOD, "q13": "Ja"})]
    older = write(records, name="older.csv", form=ExportForm(older_headings=True))
    first_line = Path(older).read_text(encoding="utf-8").splitlines()[0]
    assert first_line.startswith("RespondentID,CollectorID,StartDate,EndDate,IP Address")
    assert "LastName,Custom Data," in first_line
    current = write(records, name="current.csv")
    one = _ingest(codebook, older).respondents.drop(columns="source")
    two = _ingest(codebook, current).respondents.drop(columns="source")
    pd.testing.assert_frame_equal(one, two)
    assert "192.0.2.10" not in one.to_string()  # IP Address under its older name is dropped too


# --- condensed layout -------------------------------------------------------------


@pytest.mark.parametrize("name", ["condensed.csv", "condensed.xlsx"])
@pytest.mark.parametrize("respondents", [1, 3])
def test_condensed_export_is_refused_with_how_to_export(write, codebook, name, respondents):
    records = [record(i, DOOR, **GOOD) for i in range(1, respondents + 1)]
    path = write(records, name=name, form=ExportForm(condensed=True))
    with pytest.raises(CondensedExportError) as caught:
        _ingest(codebook, path)
    error = caught.value
    assert error.row == 2 and error.column == "Respondent ID"
    assert "condensed" in error.message and "Expanded" in error.message
    assert "All individual responses" in error.message
    assert "\n" not in str(error)


def test_second_row_is_never_read_as_subheadings(write, codebook):
    path = write([record(7, DOOR, **GOOD)] * 2, form=ExportForm(condensed=True))
    with pytest.raises(CondensedExportError):
        read_export(path, codebook.metadata_headings())
    # under the older headings too
    older = write(
        [record(7, DOOR, **GOOD)] * 2,
        name="older.csv",
        form=ExportForm(condensed=True, older_headings=True),
    )
    with pytest.raises(CondensedExportError):
        read_export(older, codebook.metadata_headings())


# --- Excel's damage to Respondent IDs -----------------------------------------------


def test_respondent_ids_in_scientific_notation_are_refused(write, codebook):
    records = [record(118000000001, DOOR, **GOOD), record(118000000002, DOOR, **GOOD)]
    path = write(records, form=ExportForm(excel_ids=True))
    assert "1.18E+11" in Path(path).read_text(encoding="utf-8")
    with pytest.raises(InputError) as caught:
        _ingest(codebook, path)
    error = caught.value
    assert (error.row, error.column) == (3, "Respondent ID")
    assert "scientific notation" in error.message
    assert "export again from SurveyMonkey" in error.message
    assert "do not open and re-save" in error.message


# --- "Other (please specify)" -----------------------------------------------------


@pytest.mark.parametrize(
    "wording",
    ["Other (please specify)", "Anders (graag specificeren)", "Anders, namelijk:", "Overig"],
)
def test_other_wordings_are_recognised(wording):
    assert is_other_label(wording)


def test_andere_buurt_is_not_an_other_column():
    assert not is_other_label("Andere buurt in Rotterdam")


def test_other_beside_a_single_choice_codes_the_choice(write, other_codebook, caplog):
    records = [
        record(1, DOOR, **GOOD, q6="Ja"),
        record(2, DOOR, **GOOD, q6_other=SECRET),  # Response empty, text typed
        record(3, DOOR, **GOOD, q6="Other (please specify)", q6_other=SECRET),
        record(4, DOOR, **GOOD),  # not answered
    ]
    form = ExportForm(other_columns={"q6": "Other (please specify)"})
    path = write(records, form=form)
    with caplog.at_level(logging.DEBUG):
        result = _ingest(other_codebook, path)
    table = result.respondents.set_index("respondent_id")
    assert table["q6"].tolist() == [1, 7, 7, pd.NA]
    _assert_secret_absent(result, caplog)


def test_other_beside_a_checkbox_ticks_the_other_option(write, other_codebook, caplog):
    records = [
        record(1, DOOR, **GOOD, q5_vuil=True),
        record(2, DOOR, **GOOD, q5_vuil=True, q5_other=SECRET),
        record(3, DOOR, **GOOD, q5_other=SECRET),
        record(4, DOOR, **GOOD),
    ]
    form = ExportForm(other_columns={"q5": "Anders (graag specificeren)"})
    path = write(records, form=form)
    headings = read_export(path).subheadings
    assert "Anders (graag specificeren)" in headings and "Anders, namelijk:" not in headings
    with caplog.at_level(logging.DEBUG):
        result = _ingest(other_codebook, path)
    table = result.respondents.set_index("respondent_id")
    assert table["q5_vuil"].tolist() == [True, True, False, pd.NA]
    assert table["q5_anders"].tolist() == [False, True, True, pd.NA]
    assert table["q5_criminaliteit"].tolist() == [False, False, False, pd.NA]
    _assert_secret_absent(result, caplog)


def test_empty_other_column_needs_no_codebook_option(write, codebook):
    records = [record(1, DOOR, **GOOD, q6="Nee"), record(2, DOOR, **GOOD, q5_vuil=True)]
    form = ExportForm(other_columns={"q6": "Other (please specify)", "q5": "Anders, namelijk:"})
    table = _ingest(codebook, write(records, form=form)).respondents.set_index("respondent_id")
    assert table["q6"].tolist() == [0, pd.NA]
    assert table["q5_vuil"].tolist() == [pd.NA, True]


def test_other_text_without_a_codebook_option_stops_without_quoting_it(write, codebook):
    records = [record(1, DOOR, **GOOD, q6="Nee"), record(2, DOOR, **GOOD, q6_other=SECRET)]
    path = write(records, form=ExportForm(other_columns={"q6": "Other (please specify)"}))
    with pytest.raises(InputError) as caught:
        _ingest(codebook, path)
    error = caught.value
    assert error.row == 4 and "q6" in error.message and "other: true" in error.message
    assert "Jansen" not in str(error) and "Dorpsweg" not in str(error)


def _assert_secret_absent(result, caplog):
    for frame in (result.respondents, result.flow):
        text = frame.astype(str).to_string()
        assert "Jansen" not in text and "Dorpsweg" not in text
    assert "Jansen" not in caplog.text and "Dorpsweg" not in caplog.text


def test_other_columns_in_the_spss_export(tmp_path, other_codebook):
    records = [
        record(1, DOOR, **GOOD, q6="Ja", q5_vuil=True),
        record(2, DOOR, **GOOD, q6_other=SECRET, q5_other=SECRET),
    ]
    form = ExportForm(other_columns={"q6": "Other (please specify)", "q5": "Other"})
    sav = write_export(tmp_path / "other.sav", records, other_codebook, form)
    csv = write_export(tmp_path / "other.csv", records, other_codebook, form)
    one = _ingest(other_codebook, str(sav)).respondents.drop(columns="source")
    two = _ingest(other_codebook, str(csv)).respondents.drop(columns="source")
    pd.testing.assert_frame_equal(one, two)
    assert one["q6"].tolist() == [1, 7] and one["q5_anders"].tolist() == [False, True]


def test_shipped_codebook_has_no_other_option():
    codebook = load_codebook(ROOT / "resources" / "codebook.yaml")
    assert all(q.other_option is None for q in codebook.questions)


def test_inputs_are_not_changed(write, other_codebook):
    records = [record(2, DOOR, **GOOD, q6_other=SECRET)]
    path = Path(write(records, form=ExportForm(other_columns={"q6": "Other (please specify)"})))
    before = path.read_bytes()
    _ingest(other_codebook, str(path))
    assert path.read_bytes() == before
