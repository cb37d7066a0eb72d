"""Malformed exports: nothing lost, nothing wrong in silence.

Each test builds a small broken input and checks that the reader either
stops with one line naming the file, the row and the column, or reads exactly
what the intact file holds. The last tests let hypothesis damage a small valid
export at random (cut rows, swapped columns, stray bytes and quotes, formulas).
"""

from __future__ import annotations

import csv
import io
import logging
import re
import shutil
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from conftest import APP, COLLECTORS, DOOR, ROOT, record
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook

from buurtpreventie.errors import InputError
from buurtpreventie.survey import exports
from buurtpreventie.survey.ingest import ingest_wave

GOOD = {"q1": "Essenburgbuurt", "q2": "Nee", "q4": "Soms", "q7": "Ja", "q12": "Nee"}
SHIPPED = ROOT / "resources" / "survey" / "voormeting.csv"


def _ingest(*paths):
    return ingest_wave("voormeting", [str(p) for p in paths], _ingest.codebook, COLLECTORS, 4)


@pytest.fixture(autouse=True)
def _codebook(codebook):
    _ingest.codebook = codebook


def _rows(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.reader(handle))


def _csv_text(rows: list[list[str]]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(rows)
    return buffer.getvalue()


def _stops(path, *fragments) -> InputError:
    with pytest.raises(InputError) as caught:
        _ingest(path)
    message = str(caught.value)
    assert "\n" not in message and str(path) in message
    for fragment in fragments:
        assert fragment in message, message
    return caught.value


# --- 1. a truncated CSV ----------------------------------------------------------


def test_csv_cut_in_the_middle_of_a_row_stops_naming_file_and_row(tmp_path):
    rows = _rows(SHIPPED)
    cut = tmp_path / "voormeting.csv"
    # the file ends after the 30th cell of row 200 (as a spreadsheet counts), no line end
    cut.write_text(_csv_text(rows[:199]) + _csv_text([rows[199][:30]]).rstrip("\r\n"), "utf-8")
    error = _stops(cut, "row 200", "cut off", f"30 of {len(rows[0])} cells")
    assert error.row == 200 and error.column


def test_short_row_inside_a_csv_stops(tmp_path, write):
    rows = _rows(Path(write([record(1, DOOR, **GOOD), record(2, DOOR, **GOOD)])))
    short = tmp_path / "short.csv"
    short.write_text(_csv_text([*rows[:2], rows[2][:10], rows[3]]), "utf-8")
    error = _stops(short, "row 3", "10 of", "cut short or broken")
    assert error.column


def test_row_with_a_stray_separator_stops(tmp_path, write):
    rows = _rows(Path(write([record(1, DOOR, **GOOD), record(2, DOOR, **GOOD)])))
    shifted = tmp_path / "shifted.csv"
    rows[3].insert(8, "")  # every cell after it moves one column to the right
    shifted.write_text(_csv_text(rows), "utf-8")
    _stops(shifted, "row 4", "cells but the header has")


def test_a_quote_never_closed_stops_instead_of_swallowing_the_rows_after_it(tmp_path, write):
    # Found by the property test below: a stray quote opening the last cell of a row
    # (here the personal question 25) swallowed the next respondent into that cell,
    # and with it into the dropped personal data: one respondent lost without a word.
    rows = _rows(Path(write([record(1, DOOR, **GOOD), record(2, DOOR, **GOOD)])))
    text = _csv_text(rows)
    lines = text.split("\r\n")
    lines[2] += '"'  # row 3 ends in a quote that opens a cell and is never closed
    stray = tmp_path / "stray.csv"
    stray.write_text("\r\n".join(lines), "utf-8")
    error = _stops(stray, "row 3", "never closed")
    assert error.column == rows[0][-1]


@pytest.mark.parametrize(
    ("record", "cell"),
    [
        ('x,"p"q,r\r\n', 1),  # text after a closing quote
        ('x,y,"never closed\r\n4,5,6\r\n', 2),  # a quote open to the end of the file
        ('"a ""b""",c,"d\r\ne"f\r\n', 2),  # doubled quotes and a line end inside a cell
    ],
)
def test_the_cell_of_a_bad_quote_is_found(record, cell):
    # Second source: the cells counted by hand in each record.
    assert exports._bad_quote_cell(record, ",") == cell


# --- 2. XLSX formulas --------------------------------------------------------------


def _xlsx_with_formula(tmp_path, write, cached: str | None) -> tuple[Path, str]:
    path = Path(write([record(1, DOOR, **GOOD), record(2, DOOR, **GOOD)], name="f.xlsx"))
    workbook = load_workbook(path)
    sheet = workbook.worksheets[0]
    column = next(c.column_letter for c in sheet[1] if str(c.value).startswith("Hoe vaak ziet"))
    sheet[f"{column}4"] = '=CONCAT("So","ms")'  # as a script writes it: no saved result
    workbook.save(path)
    if cached is not None:  # add the result Excel saves with a formula
        _patch_sheet(path, lambda xml: _cache(xml, f"{column}4", cached))
    return path, column


def _patch_sheet(path: Path, change) -> None:
    copy = path.with_suffix(".tmp")
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(copy, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = change(data.decode("utf-8")).encode("utf-8")
            target.writestr(item, data)
    shutil.move(copy, path)


def _cache(xml: str, cell: str, value: str) -> str:
    pattern = re.compile(rf'<c r="{cell}"([^>]*)><f>(.*?)</f>(?:<v\s*/>|<v></v>)?</c>')
    assert pattern.search(xml), xml[:300]
    return pattern.sub(rf'<c r="{cell}" t="str"><f>\2</f><v>{value}</v></c>', xml)


def test_formula_without_a_saved_result_stops(tmp_path, write):
    path, column = _xlsx_with_formula(tmp_path, write, cached=None)
    error = _stops(path, "row 4", "formula without a saved result")
    assert error.column.startswith(f"{column}: Hoe vaak ziet")


def test_formula_with_a_saved_result_reads_the_result(tmp_path, write):
    path, _ = _xlsx_with_formula(tmp_path, write, cached="Soms")
    plain = write([record(1, DOOR, **GOOD), record(2, DOOR, **GOOD)], name="plain.csv")
    pd.testing.assert_frame_equal(_tables(path)[0], _tables(plain)[0])


# --- 10. control characters in a Respondent ID ------------------------------------


@pytest.mark.parametrize("character", ["\x00", "\x1b", "\x7f", "\u0085"])
def test_control_character_in_respondent_id_stops(write, character):
    path = write([record(1, DOOR, **GOOD), {**record(2, DOOR, **GOOD), "Respondent ID": "2"}])
    data = Path(path).read_bytes()
    damaged = data.replace(b"\r\n2,", f"\r\n2{character}7,".encode(), 1)
    assert damaged != data
    Path(path).write_bytes(damaged)
    error = _stops(path, "row 4", "column 'Respondent ID'", "control character")
    assert character not in str(error)


def test_respondent_id_that_is_no_number_stops(write):
    rows = [record(1, DOOR, **GOOD), {**record(2, DOOR, **GOOD), "Respondent ID": "Jan Jansen"}]
    error = _stops(write(rows), "row 4", "not a whole number", "a value of 10 characters")
    assert "Jan" not in str(error)


# --- 11. broken workbooks and SPSS files ---------------------------------------------


def _valid(write, name):
    return Path(write([record(1, DOOR, **GOOD), record(2, DOOR, **GOOD)], name=name)).read_bytes()


@pytest.mark.parametrize(
    ("name", "content", "sentence"),
    [
        ("csv.xlsx", "csv", "this .xlsx file is a CSV file with the wrong extension"),
        ("random.xlsx", b"\x8f\x01\x93 random bytes \xfe" * 40, "the workbook is damaged"),
        (
            "locked.xlsx",
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504),
            "the workbook is password-protected",
        ),
        ("half.xlsx", "half-xlsx", "the workbook is damaged (cut off or not a workbook)"),
        ("empty.xlsx", b"", "the workbook is empty"),
        ("zip.xlsx", "other-zip", "the workbook is damaged"),
        ("half.sav", "half-sav", "the SPSS file is damaged (cut off or not an SPSS file)"),
        ("random.sav", b"\x00\x01\x02 no spss here" * 20, "the SPSS file is damaged"),
        ("csv.sav", "csv", "this .sav file is a CSV file with the wrong extension"),
        ("book.csv", "xlsx", "this .csv file is an XLSX workbook"),
    ],
)
def test_broken_file_gets_its_own_sentence(tmp_path, write, name, content, sentence):
    if content == "csv":
        content = _valid(write, "good.csv")
    elif content == "xlsx":
        content = _valid(write, "good.xlsx")
    elif content == "half-xlsx":
        whole = _valid(write, "good.xlsx")
        content = whole[: len(whole) // 2]
    elif content == "half-sav":
        whole = _valid(write, "good.sav")
        content = whole[: len(whole) // 2]
    elif content == "other-zip":
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            archive.writestr("readme.txt", "not a workbook")
        content = buffer.getvalue()
    path = tmp_path / name
    path.write_bytes(content)
    error = _stops(path, sentence)
    assert len(str(error)) < len(str(path)) + 200


# --- 15. empty columns at the right ---------------------------------------------------


def test_trailing_empty_columns_are_dropped_and_counted(tmp_path, write, caplog):
    plain = Path(write([record(1, DOOR, **GOOD), record(2, APP, **GOOD, q13="Ja")]))
    resaved = tmp_path / "resaved.csv"
    resaved.write_text(_csv_text([[*row, "", "", ""] for row in _rows(plain)]), "utf-8")
    with caplog.at_level(logging.INFO):
        tables = _tables(resaved)
    assert any("3 empty column(s) at the right dropped" in m for m in caplog.messages)
    for ours, theirs in zip(tables, _tables(plain), strict=True):
        pd.testing.assert_frame_equal(ours, theirs)


def test_trailing_column_without_heading_but_with_data_names_the_cause(tmp_path, write):
    plain = Path(write([record(1, DOOR, **GOOD), record(2, DOOR, **GOOD)]))
    rows = [[*row, "", ""] for row in _rows(plain)]
    rows[3][-1] = "iets"
    extra = tmp_path / "extra.csv"
    extra.write_text(_csv_text(rows), "utf-8")
    error = _stops(extra, "row 4", "no heading and no sub-heading, but holds data")
    assert "iets" not in str(error) and "q25" not in str(error)


# --- 16. the data on another sheet -----------------------------------------------------


@pytest.mark.parametrize("first_sheet", [[], [["Toelichting"], ["Zie het tweede blad"]]])
def test_data_on_the_second_sheet_names_the_sheets(tmp_path, write, first_sheet):
    data = load_workbook(write([record(1, DOOR, **GOOD)], name="data.xlsx")).worksheets[0]
    workbook = Workbook()
    workbook.active.title = "Uitleg"
    for row in first_sheet:
        workbook.active.append(row)
    second = workbook.create_sheet("Antwoorden")
    for row in data.iter_rows(values_only=True):
        second.append(row)
    path = tmp_path / "two.xlsx"
    workbook.save(path)
    _stops(path, "only the first sheet is read", "'Uitleg', 'Antwoorden'")


# --- 17. a very long cell -------------------------------------------------------------


def test_very_long_cell_gives_a_short_message(write):
    path = write([record(1, DOOR, **{**GOOD, "q4": "x" * 100_000})])
    error = _stops(path, "row 3", "100000 characters")
    assert len(str(error)) < len(str(path)) + 500


def test_very_long_heading_is_cut(tmp_path, write, caplog):
    rows = _rows(Path(write([record(1, DOOR, **GOOD)])))
    rows[0][-1] = "Vraag " + "lang " * 20_000  # an unknown question: a warning quotes it
    rows[1][-1] = "Response"
    long_heading = tmp_path / "long.csv"
    long_heading.write_text(_csv_text(rows), "utf-8")
    _tables(long_heading)
    warning = next(m for m in caplog.messages if "unknown question" in m)
    assert "Vraag lang" in warning and "…" in warning and len(warning) < len(str(tmp_path)) + 200


# --- the property: random damage is refused or harmless -----------------------------

SMALL = [
    record(1, DOOR, **GOOD),
    record(2, APP, **{**GOOD, "q12": "Ja", "q13": "Ja", "q8": "7"}),
    record(3, DOOR, **{**GOOD, "q4": "Vaak", "q5_vuil": True, "q22": "Anouk Testpersoon"}),
    record(4, APP, **{**GOOD, "q2": "Ja", "q3": "Soms", "q12": "Ja", "q13": "Ja"}),
]
# Inserted bytes are no letters, digits or spaces: those could make another valid
# answer ("1" -> "10") or ID, which no reader can tell from the original.
STRAY = st.binary(min_size=1, max_size=3).filter(
    lambda b: not any(chr(c).isalnum() or c == 0x20 for c in b)
)


def _tables(path) -> tuple[pd.DataFrame, pd.DataFrame]:
    result = _ingest(path)
    return (
        result.respondents.drop(columns="source"),
        result.flow.drop(columns="source"),
    )


def _refused_or_same(path, intact) -> None:
    try:
        tables = _tables(path)
    except InputError as error:
        assert error.file == str(path) and "\n" not in str(error)
        assert error.row is not None and error.column, str(error)
        return
    for ours, theirs in zip(tables, intact, strict=True):
        pd.testing.assert_frame_equal(ours, theirs)


@pytest.fixture(scope="module")
def small_csv(tmp_path_factory, codebook):
    from buurtpreventie.synthetic.export_writer import ExportForm, write_export

    path = write_export(
        tmp_path_factory.mktemp("small") / "small.csv", SMALL, codebook, ExportForm()
    )
    _ingest.codebook = codebook
    return path.read_bytes(), _tables(path)


def _separators(line: bytes) -> list[int]:
    """Offsets of the commas of a CSV line that separate cells (outside quotes)."""
    inside, found = False, []
    for offset, byte in enumerate(line):
        if byte == ord('"'):
            inside = not inside
        elif byte == ord(",") and not inside:
            found.append(offset)
    return found


@st.composite
def csv_damage(draw, data: bytes) -> bytes:
    lines = data.split(b"\r\n")
    assert lines[-1] == b""
    row = draw(st.integers(2, len(lines) - 2))
    line = lines[row]
    kind = draw(st.sampled_from(["cut", "swap", "bytes", "quote"]))
    if kind == "cut":  # the file ends inside the row, before its last cell
        at = draw(st.integers(1, _separators(line)[-1]))  # 0 would be a row boundary
        return b"\r\n".join([*lines[:row], line[:at]])
    if kind == "swap":  # two whole columns change places, headings and all
        rows = list(csv.reader(io.StringIO(data.decode("utf-8"), newline="")))
        i, j = draw(st.lists(st.integers(0, len(rows[0]) - 1), min_size=2, max_size=2, unique=True))
        for cells in rows:
            cells[i], cells[j] = cells[j], cells[i]
        return _csv_text(rows).encode("utf-8")
    stray = b'"' if kind == "quote" else draw(STRAY)
    at = draw(st.integers(0, len(line)))
    lines[row] = line[:at] + stray + line[at:]
    return b"\r\n".join(lines)


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(st.data())
def test_damaged_csv_is_refused_or_read_as_intact(small_csv, tmp_path_factory, data):
    intact_bytes, intact = small_csv
    damaged = data.draw(csv_damage(intact_bytes))
    path = tmp_path_factory.mktemp("damaged") / "small.csv"
    path.write_bytes(damaged)
    _refused_or_same(path, intact)


@pytest.fixture(scope="module")
def small_xlsx(tmp_path_factory, codebook):
    from buurtpreventie.synthetic.export_writer import ExportForm, write_export

    path = write_export(
        tmp_path_factory.mktemp("small") / "small.xlsx", SMALL, codebook, ExportForm()
    )
    _ingest.codebook = codebook
    return path, _tables(path)


XLSX_TEXT = st.text(alphabet="\"';,=@.-/:\té€\u00a0", min_size=1, max_size=3).filter(
    lambda t: t.strip()
)


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(st.data())
def test_damaged_xlsx_is_refused_or_read_as_intact(small_xlsx, tmp_path_factory, data):
    source, intact = small_xlsx
    path = tmp_path_factory.mktemp("damaged") / "small.xlsx"
    kind = data.draw(st.sampled_from(["formula", "text", "swap", "cut"]))
    if kind == "cut":
        whole = source.read_bytes()
        path.write_bytes(whole[: data.draw(st.integers(0, len(whole) - 1))])
        with pytest.raises(InputError, match=r"workbook is (damaged|empty)"):
            _ingest(path)
        return
    workbook = load_workbook(source)
    sheet = workbook.worksheets[0]
    rows, width = sheet.max_row, sheet.max_column
    row = data.draw(st.integers(3, rows))
    column = data.draw(st.integers(1, width))
    if kind == "formula":
        sheet.cell(row, column).value = '=CONCAT("a","b")'
    elif kind == "text":
        cell = sheet.cell(row, column)
        text = "" if cell.value is None else str(cell.value)
        at = data.draw(st.integers(0, len(text)))
        cell.value = text[:at] + data.draw(XLSX_TEXT) + text[at:]
    else:
        other = data.draw(st.integers(1, width).filter(lambda c: c != column))
        for r in range(1, rows + 1):
            a, b = sheet.cell(r, column), sheet.cell(r, other)
            a.value, b.value = b.value, a.value
    workbook.save(path)
    if kind == "formula":
        with pytest.raises(InputError, match="formula without a saved result"):
            _ingest(path)
        return
    _refused_or_same(path, intact)
