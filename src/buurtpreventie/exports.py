"""Reading SurveyMonkey "All individual responses" exports.

An export has two header rows (question headings, then sub-headings) and one
respondent per row, as described in INTERFACES.md section 1. This module reads
the file as text cells, whatever its form: CSV separated by commas or
semicolons, with or without a byte-order mark, or the first sheet of an XLSX
workbook. It does not interpret answers; :mod:`buurtpreventie.ingest` does.

The CSV dialect detection is written by hand because the only two dialects
that occur (SurveyMonkey's comma and Dutch Excel's semicolon) are decided
reliably by which separator splits the heading row into more fields, where
``csv.Sniffer`` guesses from a sample and fails on headings full of commas.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass
from pathlib import Path

from buurtpreventie.errors import InputError

__all__ = ["FIRST_DATA_ROW", "RawExport", "parse_surveymonkey_date", "read_export"]

FIRST_DATA_ROW = 3
"""Spreadsheet row number of the first respondent (after the two header rows)."""

_SURVEYMONKEY_DATE = "%m/%d/%Y %I:%M:%S %p"


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
    rows : list of list of str
        Respondent rows, each as long as ``headings``.
    """

    path: str
    headings: list[str]
    subheadings: list[str]
    rows: list[list[str]]

    def row_number(self, index: int) -> int:
        """Spreadsheet row number of the respondent at ``index`` in ``rows``."""
        return index + FIRST_DATA_ROW


def _decode(path: str, data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise InputError(
            path,
            f"text cannot be decoded as UTF-8 (byte {data[error.start]:#04x} at offset "
            f"{error.start}); save the export as UTF-8 CSV",
            row=line,
        ) from None


def _delimiter(text: str) -> str:
    first_line = text.split("\n", 1)[0]
    widths = {d: len(next(csv.reader([first_line], delimiter=d), [])) for d in (",", ";")}
    return ";" if widths[";"] > widths[","] else ","


def _read_csv(path: str) -> list[list[str]]:
    text = _decode(path, Path(path).read_bytes())
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
    return [row for row in reader]


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


def _read_xlsx(path: str) -> list[list[str]]:
    from openpyxl import load_workbook  # imported here: only XLSX readers pay for it

    workbook = load_workbook(path, read_only=True, data_only=True)
    try:
        sheet = workbook.worksheets[0]
        return [[_cell_text(v) for v in row] for row in sheet.iter_rows(values_only=True)]
    finally:
        workbook.close()


def read_export(path: str | Path) -> RawExport:
    """Read one export into text cells.

    Parameters
    ----------
    path : str or Path
        A ``.csv`` (comma or semicolon, UTF-8 with or without BOM) or ``.xlsx``
        file in the SurveyMonkey two-header-row layout.

    Returns
    -------
    RawExport
        Trailing empty rows are dropped; short rows are padded with "".

    Raises
    ------
    InputError
        Undecodable text (with the line), fewer than two header rows, a row
        longer than the header, or no respondent rows at all.
    """
    path = str(path)
    table = _read_xlsx(path) if path.lower().endswith(".xlsx") else _read_csv(path)
    while table and not any(cell.strip() for cell in table[-1]):
        table.pop()
    if len(table) < 2:
        raise InputError(path, "the two header rows of a SurveyMonkey export are missing")
    width = len(table[0])
    headings = [c.strip() for c in table[0]]
    subheadings = [c.strip() for c in table[1]] + [""] * (width - len(table[1]))
    rows = []
    for index, row in enumerate(table[2:]):
        if len(row) > width and any(c.strip() for c in row[width:]):
            raise InputError(
                path,
                f"row has {len(row)} cells but the header has {width}",
                row=index + FIRST_DATA_ROW,
            )
        rows.append([c.strip() for c in row[:width]] + [""] * (width - len(row)))
    if not rows:
        raise InputError(path, "the export has no respondent rows (only headers)")
    return RawExport(path=path, headings=headings, subheadings=subheadings[:width], rows=rows)


def parse_surveymonkey_date(value: str) -> dt.datetime | None:
    """Parse ``MM/DD/YYYY hh:mm:ss AM``; empty gives ``None``; bad raises ``ValueError``."""
    if not value:
        return None
    return dt.datetime.strptime(value, _SURVEYMONKEY_DATE)
