"""Bad input stops with a message naming the file, the row and the column."""

import re
from pathlib import Path

import pytest
from conftest import APP, COLLECTORS, DOOR, record

from buurtpreventie.errors import InputError
from buurtpreventie.survey.exports import read_export
from buurtpreventie.survey.ingest import ingest_wave
from buurtpreventie.synthetic.export_writer import ExportForm

GOOD = {"q1": "Essenburgbuurt", "q2": "Nee", "q4": "Soms", "q7": "Ja", "q12": "Nee"}


def _ingest(codebook, *paths):
    return ingest_wave("voormeting", list(paths), codebook, COLLECTORS, min_answered=4)


def _expect(codebook, paths, *fragments):
    with pytest.raises(InputError) as caught:
        _ingest(codebook, *paths)
    message = str(caught.value)
    for fragment in fragments:
        assert fragment in message, message
    return caught.value


def test_unknown_answer_label(write, codebook):
    path = write([record(1, DOOR, **GOOD), record(2, DOOR, **{**GOOD, "q4": "Heel soms"})])
    error = _expect(codebook, [path], path, "row 4", "Respondent ID 2", "question q4")
    assert "Heel soms" not in str(error)  # the cell is described, never repeated
    assert "an answer of 9 characters (letters, spaces)" in str(error)
    assert error.column.startswith("Hoe vaak ziet u situaties")


def test_unknown_label_in_matrix_statement_names_the_statement(write, codebook):
    path = write([record(1, DOOR, **GOOD, q10_3="Beetje eens")])
    error = _expect(codebook, [path], "row 3", "question q10")
    assert "Beetje eens" not in str(error)
    assert "houdt rekening met de wensen" in error.column


def test_value_out_of_range(write, codebook):
    path = write([record(1, DOOR, **{**GOOD, "q8": "11"})])
    _expect(codebook, [path], path, "row 3", "Respondent ID 1", "out of range", "q8", "1-10")


def test_ticked_box_with_another_text(write, codebook, tmp_path):
    path = Path(write([record(1, DOOR, **GOOD, q5_vuil=True)]))
    # the header row keeps the label; only the respondent's cell changes
    broken = tmp_path / "broken.csv"
    lines = path.read_bytes().decode("utf-8").split("\r\n")
    lines[2] = lines[2].replace(
        '"Vuil - straatvuil, plaatsing van huisvuil naast containers"', "ja"
    )
    broken.write_text("\r\n".join(lines), encoding="utf-8")
    error = _expect(codebook, [str(broken)], "row 3", "ticked box", "Vuil")
    assert "'ja'" not in str(error)


def test_duplicate_respondent_id_within_a_wave(write, codebook):
    first = write([record(1, DOOR, **GOOD), record(2, DOOR, **GOOD)], name="a.csv")
    second = write([record(3, APP, **GOOD), record(2, APP, **GOOD)], name="b.csv")
    _expect(codebook, [first, second], second, "row 4", "Respondent ID 2", "appears twice", first)


def test_collector_missing_from_config(write, codebook):
    path = write([record(1, DOOR, **GOOD), record(2, "999", **GOOD)])
    _expect(codebook, [path], path, "row 4", "Respondent ID 2", "Collector ID", "'999'")


@pytest.mark.parametrize(
    ("question", "indicator"),
    [
        ("q4", "alertheid"),
        ("q9", "sociale_cohesie"),
        ("q11", "nabijheid_politie"),
        ("q2", "onveiligheidsgevoel"),
    ],
)
def test_question_an_indicator_needs_is_missing(write, codebook, question, indicator):
    path = write([record(1, DOOR, **GOOD)], form=ExportForm(skip_questions=[question]))
    error = _expect(codebook, [path], path, "is missing from the export", indicator)
    assert error.column == codebook.question(question).text


def test_file_with_no_data_rows(write, codebook):
    path = write([])
    _expect(codebook, [path], path, "no respondent rows")


def test_text_that_cannot_be_decoded(write, codebook, tmp_path):
    good = Path(write([record(1, DOOR, **GOOD), record(2, DOOR, **GOOD)]))
    data = good.read_bytes().replace(b"Essenburgbuurt,Nee", b"Essenburgbuurt \xe9,Nee", 1)
    broken = tmp_path / "latin1.csv"
    broken.write_bytes(data)
    with pytest.raises(InputError) as caught:
        read_export(broken)
    assert caught.value.row == 3
    assert re.search(
        r"latin1\.csv, row 3, column 'In welke buurt woont u\? / Response': text cannot be "
        "decoded as UTF-8",
        str(caught.value),
    )


def test_bad_date(write, codebook, tmp_path):
    path = Path(write([record(1, DOOR, **GOOD)]))
    lines = path.read_bytes().decode("utf-8").split("\r\n")
    lines[2] = re.sub(r"06/03/2020 \d\d:\d\d:\d\d AM", "2020-13-03 10:16", lines[2], count=1)
    broken = tmp_path / "date.csv"
    broken.write_text("\r\n".join(lines), encoding="utf-8")
    _expect(codebook, [str(broken)], "row 3", "Start Date", "2020-13-03 10:16", "not a valid date")


def test_inputs_are_never_modified(write, codebook):
    path = Path(write([record(1, DOOR, **GOOD), record(2, DOOR, **{**GOOD, "q8": "11"})]))
    before = path.read_bytes()
    with pytest.raises(InputError):
        _ingest(codebook, str(path))
    assert path.read_bytes() == before


def test_unknown_extra_column_is_a_warning_not_an_error(write, codebook, caplog):
    form = ExportForm(extra_questions={"Wat is uw favoriete kleur?": ["Blauw"]})
    path = write([record(1, DOOR, **GOOD)], form=form)
    result = _ingest(codebook, path)
    assert len(result.respondents) == 1
    assert any("favoriete kleur" in m and "ignored" in m for m in caplog.messages)
    assert not any("Blauw" in str(v) for v in result.respondents.to_numpy().ravel())
