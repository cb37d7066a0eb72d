"""Personal data typed anywhere in an export never reaches a message, a log or the console.

Names, streets, phone numbers and e-mail addresses are planted in every place a
respondent (or a broken file) can put them: the open questions, the metadata,
checkbox, single-choice and matrix cells, dates, IDs, and a row broken by a
stray quote. Each export is ingested with the log captured, and the error, the
log and the console are searched for the planted values. One real
``snakemake`` run of the ingest rule does the same for the job log and the
console of a failed run.
"""

from __future__ import annotations

import csv
import io
import logging
from pathlib import Path

import pytest
from conftest import COLLECTORS, DOOR, record
from test_workflow import _copy_workflow, _snakemake

from buurtpreventie.errors import InputError
from buurtpreventie.survey.ingest import ingest_wave

NAME, STREET = "Anouk Testpersoon", "Fictieweg 12"
PHONE, DIGITS = "06-12345678", "0612345678"
EMAIL = "anouk.testpersoon@example.org"
PLANTED = (NAME, "Testpersoon", STREET, "Fictieweg", PHONE, DIGITS, "12345678", EMAIL)
ANDERS = f"Anders: {NAME} {PHONE} {EMAIL}"
GOOD = {"q1": "Essenburgbuurt", "q2": "Nee", "q4": "Soms", "q7": "Ja", "q12": "Nee"}
PERSON = {"q21": "Ja", "q22": NAME, "q23": f"{STREET}, Rotterdam", "q24": EMAIL, "q25": PHONE}
META = {"Email Address": EMAIL, "First Name": "Anouk", "Last Name": "Testpersoon"}


def _assert_clean(*texts: str) -> None:
    for text in texts:
        for value in PLANTED:
            assert value.lower() not in text.lower(), text


def _ingest_captured(path, caplog, capsys) -> str:
    """Ingest with every log record captured; returns the error (or "") and checks all output."""
    caplog.set_level(logging.DEBUG)
    try:
        result = ingest_wave("voormeting", [path], _ingest_captured.codebook, COLLECTORS, 4)
    except InputError as error:
        message = str(error)
    else:
        message = ""
        _assert_clean(result.respondents.to_csv(), result.flow.to_csv())
    out, err = capsys.readouterr()
    _assert_clean(message, caplog.text, out, err)
    return message


@pytest.fixture(autouse=True)
def _codebook(codebook):
    _ingest_captured.codebook = codebook


def test_open_questions_and_metadata_stay_out_of_logs(write, caplog, capsys):
    path = write([record(1, DOOR, **GOOD, **PERSON, **META)])
    assert _ingest_captured(path, caplog, capsys) == ""


@pytest.mark.parametrize(
    ("place", "value", "fragment"),
    [
        ("q5_vuil", ANDERS, "ticked box"),  # "Anders: ..." typed into a checkbox cell
        ("q4", ANDERS, "not one of the codebook's labels for question q4"),
        ("q4", f"{STREET} {NAME}", "question q4"),
        ("q9_3", EMAIL, "question q9"),
        ("q8", DIGITS, "out of range"),
        ("q8", PHONE, "question q8"),
        ("q1", NAME, "question q1"),
        ("Start Date", PHONE, "Start Date"),
        ("End Date", DIGITS, "End Date"),
        ("Collector ID", NAME, "Collector ID"),
        ("Collector ID", DIGITS, "Collector ID"),
        ("Respondent ID", EMAIL, "Respondent ID"),
        ("Respondent ID", DIGITS, "Respondent ID"),  # digits, but a leading 0: a phone?
        ("Respondent ID", f"7{NAME}\x00", "control character"),
        ("q4", NAME * 5000, "question q4"),
    ],
)
def test_planted_value_in_a_bad_cell_is_never_echoed(write, caplog, capsys, place, value, fragment):
    answers = {**GOOD, **PERSON}
    checkbox = place == "q5_vuil"  # the writer writes the option label: typed over below
    planted = {place: True if checkbox else value}
    rows = [record(1, DOOR, **answers), {**record(2, DOOR, **answers, **META), **planted}]
    path = Path(write(rows))
    if checkbox:
        table = _table(path)
        column = next(i for i, s in enumerate(table[1]) if s.startswith("Vuil - straatvuil"))
        table[3][column] = value
        with path.open("w", encoding="utf-8", newline="") as handle:
            csv.writer(handle, lineterminator="\r\n").writerows(table)
    message = _ingest_captured(str(path), caplog, capsys)
    assert "row 4" in message and fragment in message, message


def _table(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.reader(handle))


def _quote_swallows_the_address(path: Path) -> bytes:
    """A stray quote opens question 21's cell, which swallows the name and street after it."""
    rows = _table(path)
    column = next(i for i, h in enumerate(rows[0]) if h.startswith("Zouden wij u"))
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(rows)
    lines = buffer.getvalue().split("\r\n")
    cells = lines[3].split(",")  # no cell of this row holds a comma or a quote
    assert cells[column] == "Ja"
    cells[column] = '"Ja'
    lines[3] = ",".join(cells)
    return "\r\n".join(lines).encode("utf-8")


def test_stray_quote_that_swallows_name_and_street(write, caplog, capsys, tmp_path):
    answers = {**GOOD, "q21": "Ja", "q22": NAME, "q23": STREET, "q25": PHONE}
    path = Path(write([record(1, DOOR, **GOOD), record(2, DOOR, **answers)]))
    broken = tmp_path / "quote.csv"
    broken.write_bytes(_quote_swallows_the_address(path))
    message = _ingest_captured(str(broken), caplog, capsys)
    assert str(broken) in message and "row 4" in message


@pytest.mark.e2e
def test_failed_snakemake_run_keeps_personal_data_out_of_logs_and_console(tmp_path):
    """A real run of the ingest rule on an export with personal data in a checkbox cell."""
    workdir = _copy_workflow(tmp_path / "hostile")
    survey = workdir / "resources" / "survey"
    rows = _table(survey / "voormeting.csv")
    checkbox = next(i for i, s in enumerate(rows[1]) if s.startswith("Vuil - straatvuil"))
    rows[5][checkbox] = ANDERS
    with (survey / "voormeting-hostile.csv").open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\r\n").writerows(rows)
    overlay = workdir / "hostile.yaml"
    overlay.write_text(
        "waves:\n"
        "  - {id: voormeting, label: Voormeting, fieldwork: 2020-06,"
        " exports: [resources/survey/voormeting-hostile.csv]}\n",
        encoding="utf-8",
    )
    # the target first: --configfile takes every path after it
    result = _snakemake(
        workdir, "results/respondents/voormeting.flow.csv", "--configfile", str(overlay)
    )
    assert result.returncode != 0
    output = result.stdout + result.stderr
    assert "voormeting-hostile.csv, row 6" in output and "ticked box" in output, output
    logs = [p.read_text("utf-8", errors="replace") for p in (workdir / "logs").rglob("*.log")]
    logs += [
        p.read_text("utf-8", errors="replace")
        for p in (workdir / ".snakemake" / "log").rglob("*.log")
    ]
    assert any("ticked box" in text for text in logs)
    _assert_clean(output, *logs)
