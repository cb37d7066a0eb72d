"""Reading SurveyMonkey "All individual responses" exports.

An export has two header rows (question headings, then sub-headings) and one
respondent per row, as described in docs/exports.md, section SurveyMonkey exports. This module reads
the file as text cells, whatever its form: CSV separated by commas or
semicolons, with or without a byte-order mark, or the first sheet of an XLSX
workbook. It does not interpret answers; :mod:`buurtpreventie.survey.ingest` does.

The cells are kept column by column as Arrow string arrays, so that a wave of
hundreds of thousands of respondents is read by pyarrow's CSV reader and
processed with vectorised operations instead of a Python loop per cell. Whatever
pyarrow does not read exactly as Python's :mod:`csv` module would (rows shorter
or longer than the header, blank lines, undecodable text, an empty file) is read
again with the :mod:`csv` module, row by row, which gives the precise error or
the padded rows. XLSX workbooks are always read row by row (they are small).

The CSV dialect detection is written by hand because the only two dialects
that occur (SurveyMonkey's comma and Dutch Excel's semicolon) are decided
reliably by which separator splits the heading row into more fields, where
``csv.Sniffer`` guesses from a sample and fails on headings full of commas.

Four forms of the same export are read into the same :class:`RawExport`: CSV,
XLSX, SurveyMonkey's SPSS file (``.sav``, see :func:`_read_sav` for the layout
it assumes), and, refused with a message, the "condensed" CSV layout with one
header row. Dates come in three forms (SurveyMonkey's US 12-hour clock, ISO,
and Excel's re-saved forms such as ``8/22/22 15:44`` or ``22-8-2022 15:44``);
see :func:`parse_surveymonkey_dates` and :func:`decide_date_order`.
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import io
import logging
import re
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pcsv

from buurtpreventie.errors import InputError, describe_cell, shorten
from buurtpreventie.survey.codebook import normalise_text

__all__ = [
    "DATE_ORDERS",
    "FIRST_DATA_ROW",
    "CondensedExportError",
    "RawExport",
    "date_order_evidence",
    "date_problem",
    "decide_date_order",
    "is_scientific_notation",
    "parse_surveymonkey_date",
    "parse_surveymonkey_dates",
    "read_export",
]

FIRST_DATA_ROW = 3
"""Spreadsheet row number of the first respondent (after the two header rows)."""

log = logging.getLogger(__name__)

_SURVEYMONKEY_DATE = "%m/%d/%Y %I:%M:%S %p"

# The characters str.strip() removes (str.isspace() is true). Stripping them
# with pyarrow's utf8_trim gives Python's result by construction (measured on
# this data, it is also faster than utf8_trim_whitespace).
_PY_WHITESPACE = "".join(chr(c) for c in range(sys.maxunicode + 1) if chr(c).isspace())

# Bytes pyarrow reads at a time; also the most it reads to learn the width.
_BLOCK_SIZE = 1 << 22


@dataclass(frozen=True)
class RawExport:
    """The cells of one export, as text.

    Attributes
    ----------
    path : str
        The file, as named in the config.
    headings : list of str
        Row 1: question headings (empty for the other columns of a block).
    subheadings : list of str
        Row 2: sub-headings.
    cells : pyarrow.Table
        Respondent rows, one string column per heading (named by position,
        ``"0"``, ``"1"``, ...), white space stripped, empty cells ``""``
        (never null).
    format : str
        ``csv``, ``xlsx`` or ``sav``.
    how : dict of str
        How the file was read (``delimiter``, ``encoding``, ``sheet``); no content.
    sheets : tuple of str
        The sheets of an XLSX workbook (only the first is read); empty otherwise.
    """

    path: str
    headings: list[str]
    subheadings: list[str]
    cells: pa.Table
    format: str = "csv"
    how: dict[str, str] = field(default_factory=dict)
    sheets: tuple[str, ...] = ()

    def __len__(self) -> int:
        """Number of respondent rows."""
        return self.cells.num_rows

    def column(self, index: int) -> pa.ChunkedArray:
        """The cells of the column at ``index``, one per respondent row."""
        return self.cells.column(index)

    @functools.cached_property
    def rows(self) -> list[list[str]]:
        """Respondent rows as lists of cells, each as long as ``headings``.

        Built on first use, for tests and small exports; the ingestion works
        on :meth:`column` instead.
        """
        columns = [column.to_pylist() for column in self.cells.columns]
        return [list(row) for row in zip(*columns, strict=True)]

    def row_number(self, index: int) -> int:
        """Spreadsheet row number of the respondent at ``index`` in ``rows``."""
        return index + FIRST_DATA_ROW


def _decode(path: str, data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        row, column = _place_of_offset(data, error.start)
        raise InputError(
            path,
            f"text cannot be decoded as UTF-8 (byte {data[error.start]:#04x} at offset "
            f"{error.start}); save the export as UTF-8 CSV",
            row=row,
            column=column,
        ) from None


def _place_of_offset(data: bytes, offset: int) -> tuple[int, str | None]:
    """The row (as a spreadsheet counts) and the column of the byte at ``offset`` of a CSV."""
    before = data[:offset].decode("utf-8-sig", errors="replace")
    reader = csv.reader(io.StringIO(before, newline=""), delimiter=_delimiter(before))
    try:
        rows = list(reader)
    except csv.Error:
        return before.count("\n") + 1, None
    if not rows or before.endswith(("\n", "\r")):
        return len(rows) + 1, None if not rows else _column_place(rows[0], [], 0)
    headings = [c.strip() for c in rows[0]]
    subheadings = [c.strip() for c in rows[1]] if len(rows) > 1 else []
    return len(rows), _column_place(headings, subheadings, len(rows[-1]) - 1)


def _delimiter(text: str) -> str:
    first_line = text.split("\n", 1)[0]
    widths = {d: len(next(csv.reader([first_line], delimiter=d), [])) for d in (",", ";")}
    return ";" if widths[";"] > widths[","] else ","


def _read_csv(path: str) -> list[list[str]]:
    """The rows of a CSV export, read by the :mod:`csv` module (every row, as written)."""
    text = _decode(path, Path(path).read_bytes())
    delimiter = _delimiter(text)
    # strict: a quote that is never closed is an error, not a cell that swallows
    # the rest of the file (with every row after it) without a word.
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    rows: list[list[str]] = []
    last_line = 0  # physical line on which the last complete row ended
    try:
        for row in reader:
            rows.append(row)
            last_line = reader.line_num
    except csv.Error as error:
        if "field larger than" in str(error):
            raise InputError(
                path,
                f"a cell is longer than {csv.field_size_limit():,} characters (a stray quote "
                "that runs on over many cells?); export again",
                row=reader.line_num,
            ) from None
        raise _quote_error(path, text, delimiter, rows, last_line) from None
    return rows


def _bad_quote_cell(record: str, delimiter: str) -> int:
    """Index of the cell whose quote breaks CSV's rules, in the text from a record's start.

    The rules of the excel dialect, as the csv module applies them with
    ``strict=True``: a quote that opens a cell must be closed by a quote that
    is followed by the delimiter or the line's end. Written out because the
    csv module says only that, not in which cell.
    """
    cell, quoted, index = 0, False, 0
    while index < len(record):
        char = record[index]
        if quoted:
            if char == '"':
                following = record[index + 1 : index + 2]
                if following == '"':
                    index += 1
                elif following in (delimiter, "\r", "\n", ""):
                    quoted = False
                else:
                    return cell
        elif char == '"' and (index == 0 or record[index - 1] in (delimiter, "\n")):
            quoted = True
        elif char == delimiter:
            cell += 1
        elif char == "\n":
            return cell
        index += 1
    return cell


def _quote_error(
    path: str, text: str, delimiter: str, rows: list[list[str]], last_line: int
) -> InputError:
    """The error for a quote the csv module refused: where it is, never what follows it."""
    record = "".join(text.splitlines(keepends=True)[last_line:])
    index = _bad_quote_cell(record, delimiter)
    header = rows[0] if rows else []
    heading = header[index] if index < len(header) and header[index] else f"cell {index + 1}"
    return InputError(
        path,
        "a quote in this cell breaks CSV's rules (a stray quote, or one never closed that "
        "swallows the cells and rows after it); correct the quote or export again",
        row=len(rows) + 1,
        column=shorten(heading),
    )


def _csv_options(delimiter: str) -> tuple[pcsv.ReadOptions, pcsv.ParseOptions]:
    """pyarrow options that read as ``csv.reader`` with the excel dialect does.

    A row with another number of cells than the first row is an error here
    (pyarrow cannot pad it); the caller then falls back to the csv module.
    """
    read = pcsv.ReadOptions(autogenerate_column_names=True, block_size=_BLOCK_SIZE)
    parse = pcsv.ParseOptions(
        delimiter=delimiter,
        quote_char='"',
        double_quote=True,
        escape_char=False,
        newlines_in_values=True,
        ignore_empty_lines=False,
    )
    return read, parse


def _read_csv_columns(path: str) -> list[pa.ChunkedArray] | None:
    """Read a CSV export with pyarrow, every cell as a string (headers as rows 0 and 1).

    Returns
    -------
    list of pyarrow.ChunkedArray or None
        The columns, as read (pyarrow skips a UTF-8 byte-order mark). ``None``
        when pyarrow cannot read the file as the :mod:`csv` module would (a row
        shorter or longer than the first row, a blank first line, undecodable
        text, no rows): the caller then reads it with the csv module, which
        reports the problem or pads the rows exactly as before.
    """
    if _needs_the_csv_module(path):
        return None
    with open(path, "rb") as handle:
        first_line = handle.readline()
    try:
        first_line = first_line.decode("utf-8-sig")
        delimiter = _delimiter(first_line)
    except (UnicodeDecodeError, csv.Error):
        return None
    if first_line[:1] in ("", "\r", "\n"):
        return None  # the csv module reads a blank first line as a header of no cells
    read, parse = _csv_options(delimiter)
    try:
        # Learn the width from the first block, so that every column can be
        # declared a string (pyarrow would otherwise infer numbers and dates).
        with pcsv.open_csv(path, read_options=read, parse_options=parse) as sniffer:
            names = sniffer.schema.names
        convert = pcsv.ConvertOptions(
            column_types=dict.fromkeys(names, pa.string()),
            strings_can_be_null=False,
            quoted_strings_can_be_null=False,
            check_utf8=True,
        )
        table = pcsv.read_csv(path, read_options=read, parse_options=parse, convert_options=convert)
    except (pa.ArrowException, OSError):
        return None
    return table.columns


def _needs_the_csv_module(path: str) -> bool:
    """True when pyarrow would read the file other than the csv module does.

    A NUL byte: pyarrow ends a cell there, where the csv module keeps it. An
    odd number of quotes: a well-formed CSV has quotes only in pairs (opening,
    closing, doubled), and pyarrow reads an unclosed quote to the end of the
    file without a word, where the csv module (``strict``) refuses it.
    Read block by block, not into memory at once.
    """
    quotes = 0
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(_BLOCK_SIZE), b""):
            if b"\x00" in block:
                return True
            quotes += block.count(b'"')
    return quotes % 2 == 1


def _strip_columns(columns: list[pa.ChunkedArray]) -> list[pa.ChunkedArray]:
    """Strip white space from every cell as ``str.strip`` does (vectorised), in place.

    The list is changed in place, so that each raw column is released as soon
    as its stripped copy exists: the peak memory is the raw cells plus one column.
    """
    for index, column in enumerate(columns):
        columns[index] = pc.utf8_trim(column, characters=_PY_WHITESPACE)
    return columns


def _last_filled_row(columns: list[pa.ChunkedArray]) -> int:
    """Index of the last row with a non-empty cell; -1 when every cell is empty."""
    filled = np.zeros(len(columns[0]) if columns else 0, dtype=bool)
    for column in columns:
        filled |= pc.not_equal(column, "").to_numpy(zero_copy_only=False)
    return int(np.flatnonzero(filled)[-1]) if filled.any() else -1


def _export_from_columns(path: str, columns: list[pa.ChunkedArray], layout: _Layout) -> RawExport:
    """A :class:`RawExport` from the stripped columns of all rows (headers included)."""
    rows = _last_filled_row(columns) + 1  # trailing empty rows are dropped
    if rows < 2:
        raise InputError(path, "the two header rows of a SurveyMonkey export are missing")
    headings = [c[0].as_py() for c in columns]
    second = [c[1].as_py() for c in columns]
    _check_expanded_layout(path, headings, second, layout.metadata_headings)
    if rows == 2:
        raise InputError(
            path, "the export has no respondent rows (only headers)", row=FIRST_DATA_ROW
        )
    body = [c.slice(2, rows - 2) for c in columns]
    return _raw_export(path, headings, second, body, layout)


def _raw_export(
    path: str,
    headings: list[str],
    subheadings: list[str],
    body: list[pa.Array | pa.ChunkedArray],
    layout: _Layout,
) -> RawExport:
    """The export, without the empty columns at its right (one place for both readers)."""
    width = _width_without_empty_tail(path, headings, subheadings, body)
    return RawExport(
        path=path,
        headings=headings[:width],
        subheadings=subheadings[:width],
        cells=pa.table(body[:width], names=_names(width)),
        format=layout.format,
        how=dict(layout.how),
        sheets=layout.sheets,
    )


def _filled(column: pa.Array | pa.ChunkedArray) -> np.ndarray:
    """True where a cell of ``column`` is not empty."""
    return pc.not_equal(column, "").to_numpy(zero_copy_only=False)


def _width_without_empty_tail(
    path: str, headings: list[str], subheadings: list[str], body: list[pa.ChunkedArray]
) -> int:
    """The number of columns once the trailing columns with nothing in them are dropped.

    A sheet re-saved in a spreadsheet can gain empty columns at the right
    (``,,,`` at the end of every line). Those with no heading, no sub-heading
    and no cell are dropped, and the log says how many.

    Raises
    ------
    InputError
        A trailing column with no heading and no sub-heading that holds data:
        cells were written past the last question (a shifted row, or columns
        added by hand).
    """
    width = len(headings)
    while width > 1 and not headings[width - 1] and not subheadings[width - 1]:
        filled = _filled(body[width - 1]) if body else np.zeros(0, dtype=bool)
        if filled.any():
            first = int(filled.argmax()) + FIRST_DATA_ROW
            raise InputError(
                path,
                f"column {width} has no heading and no sub-heading, but holds data in "
                f"{int(filled.sum())} row(s): cells were written past the last question "
                "(a row shifted by a stray separator or quote, or a column added by hand); "
                "remove that column or export again",
                row=first,
                column=f"column {width} (no heading)",
            )
        width -= 1
    if width < len(headings):
        log.info("%s: %d empty column(s) at the right dropped", path, len(headings) - width)
    return width


class CondensedExportError(InputError):
    """The export is in SurveyMonkey's condensed layout (one header row)."""


@dataclass(frozen=True)
class _Layout:
    """What the reader knows about a file before reading its rows.

    ``line_end`` says whether the file ends with a line end (a CSV cut off in
    the middle of a row does not); ``sheets`` names the sheets of a workbook.
    """

    format: str
    how: dict[str, str]
    metadata_headings: frozenset[str]
    line_end: bool = True
    sheets: tuple[str, ...] = ()

    def only_first_sheet(self) -> str:
        """A sentence for a workbook whose first sheet lacks the export, else ""."""
        if self.format != "xlsx":
            return ""
        names = ", ".join(repr(shorten(s, 31)) for s in self.sheets)
        return f"; only the first sheet is read, and the workbook has the sheets {names}"


def _check_expanded_layout(
    path: str, headings: list[str], second_row: list[str], metadata_headings: Iterable[str]
) -> None:
    """Refuse SurveyMonkey's condensed layout (one header row).

    In the expanded layout row 2 holds sub-headings and is empty under every
    metadata column (Respondent ID, Collector ID, dates ...). A filled cell
    there means row 2 is a respondent: the file has one header row.

    Raises
    ------
    InputError
        Naming row 2 and the metadata column that holds a value.
    """
    wanted = {normalise_text(h) for h in metadata_headings}
    for heading, cell in zip(headings, second_row, strict=False):
        if cell and normalise_text(heading) in wanted:
            raise CondensedExportError(
                path,
                "the export has one header row (SurveyMonkey's condensed layout): row 2 is a "
                "respondent, not the sub-headings; export again from SurveyMonkey as "
                '"All individual responses" with "Expanded" columns (two header rows)',
                row=2,
                column=heading,
            )


def _names(width: int) -> list[str]:
    return [str(i) for i in range(width)]


def _cell_text(value: object) -> str:
    """Text of an XLSX cell as SurveyMonkey would have written it in CSV."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.strftime(_SURVEYMONKEY_DATE)
    return str(value)


# --- What a file is, from its first bytes --------------------------------------

_MAGIC = {
    b"PK\x03\x04": "zip",  # XLSX (and any other zip file)
    b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1": "ole2",  # password-protected workbook, or .xls
    b"$FL2": "sav",
    b"$FL3": "sav",  # compressed SPSS (.zsav)
}


def file_kind(head: bytes) -> str:
    """What a file is, from its first bytes.

    Parameters
    ----------
    head : bytes
        The first bytes of the file (4 KB are plenty).

    Returns
    -------
    str
        ``empty``, ``zip`` (an XLSX workbook or another zip file), ``ole2`` (an
        encrypted workbook or an old ``.xls``), ``sav``, ``text`` (readable
        text with a comma or semicolon on its first line: a CSV) or ``other``.
    """
    if not head:
        return "empty"
    for magic, kind in _MAGIC.items():
        if head.startswith(magic):
            return kind
    text = head.decode("utf-8-sig", errors="replace")
    first_line = text.split("\n", 1)[0]
    readable = text.count("\ufffd") <= 1 and "\x00" not in text  # at most a cut character
    return "text" if readable and ("," in first_line or ";" in first_line) else "other"


def _head(path: str) -> bytes:
    with open(path, "rb") as handle:
        return handle.read(4096)


_WRONG_KIND = {
    # (the file's extension, what it is) -> what to do
    ("xlsx", "ole2"): (
        "the workbook is password-protected (or an old Excel 97-2003 .xls file), which "
        "cannot be read; save it as .xlsx without a password"
    ),
    ("xlsx", "text"): "this .xlsx file is a CSV file with the wrong extension; rename it to .csv",
    ("xlsx", "sav"): "this .xlsx file is an SPSS file with the wrong extension; rename it to .sav",
    ("xlsx", "empty"): "the workbook is empty (0 bytes); export again",
    ("xlsx", "other"): "the workbook is damaged (cut off or not a workbook); export again",
    ("sav", "zip"): "this .sav file is an XLSX workbook with the wrong extension; rename it",
    ("sav", "ole2"): "this .sav file is an Excel workbook, not an SPSS file; rename it",
    ("sav", "text"): "this .sav file is a CSV file with the wrong extension; rename it to .csv",
    ("sav", "empty"): "the SPSS file is empty (0 bytes); export again",
    ("sav", "other"): "the SPSS file is damaged (cut off or not an SPSS file); export again",
    ("csv", "zip"): "this .csv file is an XLSX workbook with the wrong extension; rename it",
    ("csv", "ole2"): "this .csv file is an Excel workbook (.xls or password-protected), not a CSV",
    ("csv", "sav"): "this .csv file is an SPSS file with the wrong extension; rename it to .sav",
}


def _check_kind(path: str, extension: str) -> None:
    """Refuse a file whose first bytes say it is not what its extension says."""
    problem = _WRONG_KIND.get((extension, file_kind(_head(path))))
    if problem is not None:
        raise InputError(path, problem)


_DAMAGED = {
    "xlsx": "the workbook is damaged (cut off or not a workbook); export again",
    "sav": "the SPSS file is damaged (cut off or not an SPSS file); export again",
}


def _read_xlsx(path: str) -> tuple[list[list[str]], tuple[str, ...]]:
    """The cells of the first sheet as text, and the names of all sheets.

    A formula is read as the result Excel saved with it. A formula without a
    saved result (as written by scripts, such as openpyxl's ``ws["A3"] =
    "=..."``) would read as an empty cell: it is refused.

    Raises
    ------
    InputError
        The file is not a workbook that can be read (see :data:`_WRONG_KIND`),
        or a formula has no saved result (naming the sheet row and column).
    """
    _check_kind(path, "xlsx")
    try:
        rows, formula, sheets = _xlsx_cells(path)
    except InputError:
        raise
    except Exception:  # zipfile, XML and openpyxl errors of a damaged workbook
        raise InputError(path, _DAMAGED["xlsx"]) from None
    if formula is not None:
        row, index = formula
        raise InputError(
            path,
            "the cell holds a formula without a saved result (written by a script, or "
            "never calculated), which reads as empty; open and save the workbook in Excel, "
            "or write the values instead of formulas",
            row=row,
            column=_xlsx_column(rows, index),
        )
    return rows, sheets


def _xlsx_cells(
    path: str,
) -> tuple[list[list[str]], tuple[int, int] | None, tuple[str, ...]]:
    """Rows of the first sheet, where the first formula without a saved result is, the sheets."""
    from openpyxl import load_workbook  # imported here: only XLSX readers pay for it

    values = load_workbook(path, read_only=True, data_only=True)
    formulas = load_workbook(path, read_only=True, data_only=False)
    try:
        sheets = tuple(values.sheetnames)
        pairs = zip(
            values.worksheets[0].iter_rows(values_only=True),
            formulas.worksheets[0].iter_rows(values_only=True),
            strict=True,
        )
        rows: list[list[str]] = []
        first: tuple[int, int] | None = None
        for number, (row, written) in enumerate(pairs, start=1):
            if first is None:
                unsaved = [
                    i
                    for i, (v, f) in enumerate(zip(row, written, strict=False))
                    if v is None and _is_formula(f)
                ]
                first = (number, unsaved[0]) if unsaved else None
            rows.append([_cell_text(v) for v in row])
        return rows, first, sheets
    finally:
        values.close()
        formulas.close()


def _is_formula(value: object) -> bool:
    """True for a cell value openpyxl gives for a formula (text with "=", or a formula object)."""
    if isinstance(value, str):
        return value.startswith("=")
    return value is not None and not isinstance(value, (int, float, dt.datetime, dt.date, dt.time))


def _xlsx_column(rows: list[list[str]], index: int) -> str:
    """A column as a spreadsheet shows it: its letter, and its heading when there is one."""
    from openpyxl.utils import get_column_letter

    letter = get_column_letter(index + 1)
    heading = next(
        (rows[0][i] for i in range(min(index, len(rows[0]) - 1), -1, -1) if rows and rows[0][i]),
        "",
    )
    return f"{letter}: {shorten(heading, 60)}" if heading else letter


def _csv_how(path: str) -> dict[str, str]:
    """Delimiter and encoding of a CSV export (from its first line)."""
    with open(path, "rb") as handle:
        first_line = handle.readline()
    bom = first_line.startswith(b"\xef\xbb\xbf")
    text = first_line.decode("utf-8-sig", errors="replace")
    delimiter = {",": "comma", ";": "semicolon"}[_delimiter(text)]
    return {"delimiter": delimiter, "encoding": "utf-8 with BOM" if bom else "utf-8"}


def read_export(path: str | Path, metadata_headings: Iterable[str] = ()) -> RawExport:
    """Read one export into text cells.

    Parameters
    ----------
    path : str or Path
        A ``.csv`` (comma or semicolon, UTF-8 with or without BOM), ``.xlsx``
        (first sheet) or ``.sav`` (SurveyMonkey's SPSS export) file.
    metadata_headings : iterable of str, optional
        Headings of SurveyMonkey's metadata columns (the codebook's, with their
        aliases). With them, a condensed export (one header row) is refused
        instead of its first respondent being read as the sub-headings.

    Returns
    -------
    RawExport
        Cells stripped of white space; trailing empty rows are dropped; short
        rows are padded with "".

    Raises
    ------
    InputError
        Undecodable text (with the line), fewer than two header rows, a
        condensed export, a row longer than the header, or no respondent rows.
    """
    path = str(path)
    headings = frozenset(metadata_headings)
    suffix = Path(path).suffix.lower()
    if suffix == ".sav":
        return _read_sav(path)
    if suffix == ".xlsx":
        table, sheets = _read_xlsx(path)
        layout = _Layout("xlsx", {"sheet": sheets[0]}, headings, sheets=sheets)
        return _export_from_rows(path, table, layout)
    _check_kind(path, "csv")
    layout = _Layout("csv", _csv_how(path), headings, line_end=_ends_with_line_end(path))
    columns = _read_csv_columns(path)
    if columns is None:  # not readable by pyarrow as the csv module reads it
        return _export_from_rows(path, _read_csv(path), layout)
    return _export_from_columns(path, _strip_columns(columns), layout)


def _ends_with_line_end(path: str) -> bool:
    """True when the file's last byte ends a line (or the file is empty)."""
    with open(path, "rb") as handle:
        handle.seek(0, 2)
        if handle.tell() == 0:
            return True
        handle.seek(-1, 2)
        return handle.read(1) in (b"\n", b"\r")


def _column_place(headings: list[str], subheadings: list[str], index: int) -> str:
    """A column as messages name it: the heading of its block and its sub-heading."""
    heading = next(
        (headings[i] for i in range(min(index, len(headings) - 1), -1, -1) if headings[i]), ""
    )
    sub = subheadings[index] if index < len(subheadings) else ""
    label = f"{heading} / {sub}" if heading and sub else heading or sub
    return label or f"column {index + 1}"


def _short_row(
    path: str, row: list[str], number: int, headings: list[str], subheadings: list[str], cut: bool
) -> InputError:
    """The error for a row with fewer cells than the header.

    SurveyMonkey and Excel write every row in full (an empty answer is an empty
    cell between two separators), so a short row was cut off (the file ends in
    it without a line end) or broken by hand (a stray quote or line break).
    """
    where = f"{len(row)} of {len(headings)} cells"
    if cut:
        message = (
            f"the file ends in the middle of this row ({where}, no line end): the file was "
            "cut off; copy or export it again"
        )
    else:
        message = (
            f"the row has {where}: SurveyMonkey and Excel write every row in full, so the row "
            "was cut short or broken (a stray quote or line break in a cell?); export again"
        )
    column = _column_place(headings, subheadings, len(row))
    return InputError(path, message, row=number, column=column)


def _is_blank(row: list[str], width: int) -> bool:
    """True for a trailing row that holds nothing: a blank line, or a full row of empty cells."""
    return (not row or len(row) >= width) and not any(cell.strip() for cell in row)


def _export_from_rows(
    path: str, table: list[list[str]], layout: _Layout | None = None
) -> RawExport:
    """A :class:`RawExport` from rows of cells (headers included), checked row by row.

    Raises
    ------
    InputError
        Missing header rows, no respondent rows (for a workbook: naming its
        sheets), a CSV row shorter than the header (:func:`_short_row`), a row
        with cells past the header's width, or data past the last heading.
    """
    layout = layout or _Layout("csv", {}, frozenset())
    width = len(table[0]) if table else 0
    while len(table) > 2 and _is_blank(table[-1], width):
        table.pop()
    if len(table) < 2 or not any(c.strip() for c in table[0]):
        raise InputError(
            path,
            "the two header rows of a SurveyMonkey export are missing" + layout.only_first_sheet(),
        )
    headings = [c.strip() for c in table[0]]
    subheadings = [c.strip() for c in table[1]] + [""] * (width - len(table[1]))
    _check_expanded_layout(path, headings, subheadings, layout.metadata_headings)
    rows = []
    last = len(table) - 1
    for index, row in enumerate(table[2:], start=2):
        number = index - 2 + FIRST_DATA_ROW
        # a longer row is refused even when its extra cells are empty: a stray
        # separator shifts the cells after it into the neighbouring columns
        longer = len(row) > width and (
            layout.format == "csv" or any(c.strip() for c in row[width:])
        )
        if longer:
            raise InputError(
                path,
                f"the row has {len(row)} cells but the header has {width} (a stray separator "
                "or quote in a cell?); export again",
                row=number,
                column=f"column {width + 1} (no heading)",
            )
        # a blank line is a row of empty cells, as pyarrow reads it (its empty
        # Respondent ID stops the ingestion); a row cut short is refused
        if 0 < len(row) < width and layout.format == "csv":
            cut = index == last and not layout.line_end
            raise _short_row(path, row, number, headings, subheadings, cut)
        rows.append([c.strip() for c in row[:width]] + [""] * (width - len(row)))
    if not rows:
        raise InputError(
            path,
            "the export has no respondent rows (only headers)" + layout.only_first_sheet(),
            row=FIRST_DATA_ROW,
        )
    body = [pa.array([row[i] for row in rows], type=pa.string()) for i in range(width)]
    return _raw_export(path, headings, subheadings, body, layout)


# --- SurveyMonkey's SPSS export ----------------------------------------------
#
# What the layout below is based on (no SurveyMonkey specification was found;
# these are the public traces of real files):
#   - R scripts that read SurveyMonkey .sav files address the questions as
#     ``q0001`` (one column) and ``q0001_0001``, ``q0001_0002`` ... (one
#     variable per checkbox option or matrix statement, numbered in export
#     order), and the metadata by the names ``respondent_id``, ``collector_id``,
#     ``date_created``, ``date_modified``, ``ip_address``, ``email_address``,
#     ``first_name``, ``last_name``, ``custom_1`` (the same names as the API's
#     response fields);
#   - readers of such files treat a checkbox variable as a dummy with a single
#     value label (the option text) and a single-choice or matrix variable as a
#     number with value labels (the answer texts); jasp-stats/jasp-issues#1190
#     (a SurveyMonkey .sav: "numerical values and the labels added");
#   - the variable label holds the question text (SPSS's place for it);
#     for a column of a block, the question and the option or statement.
# Assumed, and tolerated both ways: a block variable's label is either
# "<question> - <option or statement>" or the question alone (then the
# sub-heading comes from the single value label of a checkbox). An "Other
# (please specify)" text is a string variable named ``q0001_other`` (or whose
# label ends in the other-wording). Dates are SPSS datetimes or text.

_SAV_QUESTION = re.compile(r"^[qQ](\d+)(?:_(\w+))?$")
_LABEL_SEPARATORS = (" - ", " \u2013 ", ": ")


def _read_sav(path: str) -> RawExport:
    """Read SurveyMonkey's SPSS export into the two-header-row cells of the CSV form.

    Metadata variables keep their names as headings (the codebook knows them
    as aliases); the variables of one question (``q0005_0001``,
    ``q0005_0002``, ...) become one block: the question text heads its first
    column, the option or statement is the sub-heading. Cells become the
    texts the CSV would hold: value labels for coded answers, the option text
    for a ticked checkbox, text for open answers, ISO text for dates.
    """
    import pyreadstat  # imported here: only SPSS readers pay for it

    _check_kind(path, "sav")
    try:
        frame, meta = pyreadstat.read_sav(path, apply_value_formats=False)
    except Exception:  # pyreadstat raises its own types for a damaged file
        raise InputError(path, _DAMAGED["sav"]) from None
    if frame.empty:
        raise InputError(
            path, "the export has no respondent rows (only headers)", row=FIRST_DATA_ROW
        )
    labels = meta.column_names_to_labels
    value_labels = meta.variable_value_labels
    names = list(frame.columns)
    headings, subheadings, columns = [], [], []
    for stem, group in _sav_groups(names):
        texts = [labels.get(n) or "" for n in group]
        question, subs = _split_block_labels(texts)
        for position, name in enumerate(group):
            vlabels = value_labels.get(name, {})
            sub = _sav_subheading(name, subs[position], vlabels, frame[name])
            headings.append((question or name) if position == 0 else "")
            subheadings.append(sub if stem else "")
            columns.append(_sav_cells(frame[name], vlabels))
    return RawExport(
        path=path,
        headings=headings,
        subheadings=subheadings,
        cells=pa.table(columns, names=_names(len(columns))),
        format="sav",
        how={"encoding": str(meta.file_encoding or "")},
    )


def _sav_groups(names: list[str]) -> list[tuple[str | None, list[str]]]:
    """Variables grouped per question stem (``q0005``); metadata alone (stem ``None``)."""
    groups: list[tuple[str | None, list[str]]] = []
    for name in names:
        match = _SAV_QUESTION.match(name)
        stem = f"q{int(match.group(1))}" if match else None
        if stem is not None and groups and groups[-1][0] == stem:
            groups[-1][1].append(name)
        else:
            groups.append((stem, [name]))
    return groups


def _split_block_labels(texts: list[str]) -> tuple[str, list[str]]:
    """The question text and the per-variable rest of the labels of one block.

    Parameters
    ----------
    texts : list of str
        Variable labels of one question's variables.

    Returns
    -------
    question : str
        The label of a single variable, or the common start of the labels up
        to a separator (" - ", ": ").
    rest : list of str
        Per variable, what follows the question text ("" when nothing).
    """
    if len(texts) == 1 or len(set(texts)) == 1:
        return texts[0], [""] * len(texts)
    prefix = texts[0]
    for text in texts[1:]:
        while not text.startswith(prefix):
            prefix = prefix[:-1]
    # the question's own label (a single-choice column beside its "Other" column),
    # else the common start up to its last separator
    cut = len(prefix) if prefix in texts else max(prefix.rfind(s) for s in _LABEL_SEPARATORS)
    if cut <= 0:
        return texts[0], [""] * len(texts)
    question = prefix[:cut]
    rest = [_strip_separator(t[cut:]) for t in texts]
    return question, rest


def _strip_separator(text: str) -> str:
    for sep in _LABEL_SEPARATORS:
        if text.startswith(sep):
            return text[len(sep) :].strip()
    return text.strip()


def _sav_subheading(name: str, rest: str, vlabels: dict, values: pd.Series) -> str:
    """Row 2 of one variable: its option or statement, else the CSV's own words."""
    if rest:
        return rest
    if name.lower().endswith("_other"):
        return "Other (please specify)"
    if len(vlabels) == 1:  # a checkbox: its single value label is the option
        return str(next(iter(vlabels.values())))
    return "Response" if vlabels or not _is_text(values) else "Open-Ended Response"


def _is_text(values: pd.Series) -> bool:
    return not pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_datetime64_any_dtype(
        values
    )


def _sav_cells(values: pd.Series, vlabels: dict) -> pa.Array:
    """The text cells of one SPSS variable, as the CSV export would hold them."""
    if pd.api.types.is_datetime64_any_dtype(values):
        text = values.dt.strftime("%Y-%m-%d %H:%M:%S")
        return pa.array(text.fillna("").tolist(), type=pa.string())
    if not pd.api.types.is_numeric_dtype(values):
        return pa.array([_strip(v) for v in values.tolist()], type=pa.string())
    numbers = values.to_numpy(dtype=float)
    distinct = pd.unique(numbers[~np.isnan(numbers)])
    texts = {v: _sav_number_text(v, vlabels) for v in distinct.tolist()}
    if len(vlabels) == 1:  # a checkbox dummy: an unlabelled value (0) is not ticked
        texts = {v: (t if v in vlabels else "") for v, t in texts.items()}
    return pa.array(["" if np.isnan(v) else texts[v] for v in numbers], type=pa.string())


def _sav_number_text(value: float, vlabels: dict) -> str:
    if value in vlabels:
        return str(vlabels[value]).strip()
    return str(int(value)) if float(value).is_integer() else repr(value)


def _strip(value: object) -> str:
    return "" if value is None or value is pd.NA else str(value).strip(_PY_WHITESPACE)


# --- Dates ---------------------------------------------------------------------

DATE_ORDERS = ("auto", "mdy", "dmy")
"""``survey.date_order``: decide per file from the values, month first, or day first."""

_ISO_DATE = "%Y-%m-%d %H:%M:%S"
_DATE_DTYPE = "datetime64[us]"
_DATE = re.compile(
    r"^(?:(?P<iy>\d{4})-(?P<im>\d{1,2})-(?P<id>\d{1,2})(?:T|\s+)"
    r"|(?P<a>\d{1,2})(?P<sep>[/.-])(?P<b>\d{1,2})(?P=sep)(?P<y>\d{4}|\d{2})\s+)"
    r"(?P<H>\d{1,2}):(?P<M>\d{2})(?::(?P<S>\d{2}))?(?:\s*(?P<p>[AaPp][Mm]))?$"
)
_FIELDS = ("a", "b")
_DAY_MONTH = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-]\d{2,4}\s+\d{1,2}:\d{2}(?::\d{2})?$")
_EXCEL_HASHES = re.compile(r"^#+$")
_DATE_LIKE = re.compile(r"^[0-9/.:\- APMapmT]{1,40}$")


def _components(match: re.Match[str], order: str) -> tuple[int, ...]:
    """(year, month, day, hour, minute, second) of a matched date, in ``order``."""
    if match["iy"]:
        year, month, day = int(match["iy"]), int(match["im"]), int(match["id"])
    else:
        first, second = int(match["a"]), int(match["b"])
        am_pm = bool(match["p"])  # the 12-hour clock is SurveyMonkey's US form: month first
        month, day = (second, first) if order == "dmy" and not am_pm else (first, second)
        year = int(match["y"]) + (2000 if len(match["y"]) == 2 else 0)
    hour, minute = int(match["H"]), int(match["M"])
    second_ = int(match["S"] or 0)
    if match["p"]:
        if not 1 <= hour <= 12:
            raise ValueError("hour")
        hour = hour % 12 + (12 if match["p"].lower() == "pm" else 0)
    return year, month, day, hour, minute, second_


def date_problem(value: str, order: str = "mdy") -> str | None:
    """What is wrong with one date cell, or ``None`` when it is a date (or empty).

    Parameters
    ----------
    value : str
        The stripped cell.
    order : {"mdy", "dmy"}
        Day/month order of dates such as ``8/7/22 15:44`` (not of the 12-hour
        ``MM/DD/YYYY hh:mm:ss AM`` form, which is always month first).

    Returns
    -------
    str or None
        A message that quotes the cell only when it holds nothing but date
        characters (digits, separators, AM/PM).
    """
    if not value:
        return None
    if _EXCEL_HASHES.match(value):
        return (
            "the date shows as ##### (Excel's mark for a column too narrow): the date was "
            "lost when the export was saved in Excel; export again from SurveyMonkey and do "
            "not open and re-save it in Excel"
        )
    match = _DATE.match(value)
    # quoted only when it has a date's shape (a phone number has not); else described
    shown = f" {value!r}" if match is not None and _DATE_LIKE.match(value) else ""
    if match is None:
        return (
            f"the date ({describe_cell(value, 'a value')}) is not a date in a form "
            "SurveyMonkey or Excel writes "
            "(MM/DD/YYYY hh:mm:ss AM, YYYY-MM-DD hh:mm:ss, M/D/YY hh:mm, D-M-YYYY hh:mm)"
        )
    try:
        year, month, day, hour, minute, second = _components(match, order)
        if second > 59:
            raise ValueError("second")
        dt.datetime(year, month, day, hour, minute, second)
    except ValueError:
        if match["iy"] or match["p"]:
            return f"the date{shown} is not a valid date"
        words = "day-month-year" if order == "dmy" else "month-day-year"
        return f"the date{shown} is not a valid date (read in {words} order)"
    return None


def parse_surveymonkey_date(value: str, order: str = "mdy") -> dt.datetime | None:
    """Parse one date cell; empty gives ``None``; a bad date raises ``ValueError``.

    Accepts SurveyMonkey's ``MM/DD/YYYY hh:mm:ss AM``, ISO ``YYYY-MM-DD
    hh:mm[:ss]`` and Excel's re-saved ``M/D/YY hh:mm[:ss]`` or ``D-M-YYYY
    hh:mm[:ss]`` (``order`` decides day and month of the last two).
    """
    problem = date_problem(value, order)
    if problem is not None:
        raise ValueError(problem)
    if not value:
        return None
    return dt.datetime(*_components(_DATE.match(value), order))


def date_order_evidence(values: pa.ChunkedArray | None) -> tuple[bool, bool, bool]:
    """What a date column says about the day/month order (vectorised).

    Only 24-hour dates such as ``8/22/22 15:44`` or ``22-8-2022 15:44`` count:
    the 12-hour form is SurveyMonkey's own (month first) and ISO is unambiguous.

    Returns
    -------
    first_over_12, second_over_12, any_day_month : bool
        Whether some such date has a first (second) field above 12, and
        whether there is any such date at all.
    """
    if values is None or len(values) == 0:
        return False, False, False
    text = pd.Series(pd.array(values, dtype="str"))
    fields = text.str.extract(_DAY_MONTH)
    found = fields[0].notna()
    if not found.any():
        return False, False, False
    first = fields.loc[found, 0].astype(int)
    second = fields.loc[found, 1].astype(int)
    return bool((first > 12).any()), bool((second > 12).any()), True


def decide_date_order(
    path: str, evidence: Iterable[tuple[bool, bool, bool]], configured: str | None = "auto"
) -> str:
    """The day/month order of one file's dates: from the config, else from the values.

    Parameters
    ----------
    path : str
        The file (for the error).
    evidence : iterable of tuple
        :func:`date_order_evidence` of each date column of the file.
    configured : {"auto", "mdy", "dmy"} or None
        ``survey.date_order`` from the config; ``None`` means ``auto``.

    Returns
    -------
    str
        ``mdy`` or ``dmy``. With ``auto``: ``dmy`` when some first field is
        above 12, ``mdy`` when some second field is, ``mdy`` when no date has
        the ambiguous form.

    Raises
    ------
    InputError
        ``auto`` with dates that fit both orders (or neither).
    """
    configured = configured or "auto"
    if configured not in DATE_ORDERS:
        raise InputError(path, f"survey.date_order must be one of {', '.join(DATE_ORDERS)}")
    if configured != "auto":
        return configured
    evidence = list(evidence)
    first = any(e[0] for e in evidence)
    second = any(e[1] for e in evidence)
    ambiguous = any(e[2] for e in evidence)
    if first and second:
        raise InputError(
            path,
            "the dates mix day-first and month-first order (fields above 12 on both sides); "
            "export again from SurveyMonkey",
            column="Start Date",
        )
    if first:
        return "dmy"
    if second or not ambiguous:
        return "mdy"
    raise InputError(
        path,
        "the day/month order of the dates (such as 3/4/2022 15:44) cannot be told from the "
        "values (no day above 12); set survey.date_order to mdy or dmy in the config",
        column="Start Date",
    )


def parse_surveymonkey_dates(
    values: pa.ChunkedArray | None, rows: int, order: str = "mdy"
) -> tuple[pd.Series, np.ndarray]:
    """Parse a column of date cells at once (vectorised).

    Gives the same values as :func:`parse_surveymonkey_date` cell by cell,
    followed by ``pd.to_datetime`` on the column. SurveyMonkey's 12-hour form
    and ISO are parsed by pandas directly; only the other cells (Excel's
    re-saved forms) go through a regular expression.

    Parameters
    ----------
    values : pyarrow.ChunkedArray or None
        The stripped cells; ``None`` when the export has no such column.
    rows : int
        Number of respondent rows.
    order : {"mdy", "dmy"}
        Day/month order of the 24-hour slashed or dashed dates.

    Returns
    -------
    dates : Series
        One timestamp per row, ``NaT`` for an empty (or bad) cell.
    bad : numpy.ndarray of bool
        True where a non-empty cell is not a date in these forms.
    """
    if values is None:
        return _no_dates(rows)
    text = pd.Series(pd.array(values, dtype="str"))
    filled = text != ""
    if not filled.any():
        return _no_dates(rows)
    dates = pd.to_datetime(text.where(filled), format=_SURVEYMONKEY_DATE, errors="coerce")
    dates = dates.astype(_DATE_DTYPE)  # as before, whichever forms the column holds
    rest = filled & dates.isna()
    if rest.any():
        iso = pd.to_datetime(text.where(rest), format=_ISO_DATE, errors="coerce")
        dates = dates.fillna(iso.astype(dates.dtype))  # one resolution, whatever the form
        rest = filled & dates.isna()
    if rest.any():
        dates = dates.fillna(_parse_other_forms(text.where(rest), order).astype(dates.dtype))
    bad = (filled & dates.isna()).to_numpy(dtype=bool, copy=True)
    # pandas carries a second of 60 or 61 over into the next minute, where
    # datetime.strptime rejects it: cells with ":6" are checked one by one.
    for index in np.flatnonzero(~bad & text.str.contains(":6", regex=False).to_numpy(dtype=bool)):
        if date_problem(text.iloc[index], order) is not None:
            bad[index] = True
    return dates.mask(bad), bad


def _parse_other_forms(text: pd.Series, order: str) -> pd.Series:
    """Dates in the forms pandas was not given a format for (NaN cells stay NaT)."""
    fields = text.str.extract(_DATE)
    number = {k: pd.to_numeric(fields[k], errors="coerce") for k in ("iy", "im", "id", "a", "b")}
    number |= {k: pd.to_numeric(fields[k], errors="coerce") for k in ("y", "H", "M", "S")}
    am_pm = fields["p"].str.lower()
    short_year = fields["y"].str.len() == 2
    year = number["iy"].fillna(number["y"] + np.where(short_year, 2000, 0))
    day_first = (order == "dmy") & am_pm.isna()
    month = number["im"].fillna(number["a"].where(~day_first, number["b"]))
    day = number["id"].fillna(number["b"].where(~day_first, number["a"]))
    hour = number["H"]
    twelve = am_pm.notna()
    valid_hour = ~twelve | hour.between(1, 12)
    hour = hour.where(~twelve, hour % 12 + np.where(am_pm == "pm", 12, 0))
    second = number["S"].fillna(0)
    valid = valid_hour & hour.between(0, 23) & number["M"].between(0, 59) & second.between(0, 59)
    parts = pd.DataFrame(
        {"year": year, "month": month, "day": day, "hour": hour, "minute": number["M"]}
    ).where(valid)
    iso = (
        parts["year"].astype("Int64").astype("str").str.zfill(4)
        + "-"
        + parts["month"].astype("Int64").astype("str").str.zfill(2)
        + "-"
        + parts["day"].astype("Int64").astype("str").str.zfill(2)
        + " "
        + parts["hour"].astype("Int64").astype("str").str.zfill(2)
        + ":"
        + parts["minute"].astype("Int64").astype("str").str.zfill(2)
        + ":"
        + second.where(valid).astype("Int64").astype("str").str.zfill(2)
    )
    return pd.to_datetime(iso.where(valid), format=_ISO_DATE, errors="coerce")


def _no_dates(rows: int) -> tuple[pd.Series, np.ndarray]:
    """A date column without dates, typed as before (a column of None: datetime64[s])."""
    return pd.to_datetime(pd.Series([None] * rows, dtype=object)), np.zeros(rows, dtype=bool)


_SCIENTIFIC = re.compile(r"^\d+(?:[.,]\d+)?[eE][+-]?\d+$")


def is_scientific_notation(values: pa.ChunkedArray) -> np.ndarray:
    """True where a cell is a number in Excel's scientific notation (``1.18E+11``)."""
    text = pd.Series(pd.array(values, dtype="str"))
    return text.str.match(_SCIENTIFIC).to_numpy(dtype=bool, na_value=False)
