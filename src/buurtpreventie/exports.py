"""Reading SurveyMonkey "All individual responses" exports.

An export has two header rows (question headings, then sub-headings) and one
respondent per row, as described in INTERFACES.md section 1. This module reads
the file as text cells, whatever its form: CSV separated by commas or
semicolons, with or without a byte-order mark, or the first sheet of an XLSX
workbook. It does not interpret answers; :mod:`buurtpreventie.ingest` does.

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
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import io
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pcsv

from buurtpreventie.errors import InputError

__all__ = [
    "FIRST_DATA_ROW",
    "RawExport",
    "parse_surveymonkey_date",
    "parse_surveymonkey_dates",
    "read_export",
]

FIRST_DATA_ROW = 3
"""Spreadsheet row number of the first respondent (after the two header rows)."""

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
    """

    path: str
    headings: list[str]
    subheadings: list[str]
    cells: pa.Table

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


def _export_from_columns(path: str, columns: list[pa.ChunkedArray]) -> RawExport:
    """A :class:`RawExport` from the stripped columns of all rows (headers included)."""
    rows = _last_filled_row(columns) + 1  # trailing empty rows are dropped
    if rows < 2:
        raise InputError(path, "the two header rows of a SurveyMonkey export are missing")
    if rows == 2:
        raise InputError(path, "the export has no respondent rows (only headers)")
    cells = pa.table([c.slice(2, rows - 2) for c in columns], names=_names(len(columns)))
    return RawExport(
        path=path,
        headings=[c[0].as_py() for c in columns],
        subheadings=[c[1].as_py() for c in columns],
        cells=cells,
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
        Cells stripped of white space; trailing empty rows are dropped; short
        rows are padded with "".

    Raises
    ------
    InputError
        Undecodable text (with the line), fewer than two header rows, a row
        longer than the header, or no respondent rows at all.
    """
    path = str(path)
    if path.lower().endswith(".xlsx"):
        return _export_from_rows(path, _read_xlsx(path))
    columns = _read_csv_columns(path)
    if columns is None:  # not readable by pyarrow as the csv module reads it
        return _export_from_rows(path, _read_csv(path))
    return _export_from_columns(path, _strip_columns(columns))


def _export_from_rows(path: str, table: list[list[str]]) -> RawExport:
    """A :class:`RawExport` from rows of cells (headers included), checked row by row."""
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
    columns = [pa.array([row[i] for row in rows], type=pa.string()) for i in range(width)]
    return RawExport(
        path=path,
        headings=headings,
        subheadings=subheadings[:width],
        cells=pa.table(columns, names=_names(width)),
    )


def parse_surveymonkey_date(value: str) -> dt.datetime | None:
    """Parse ``MM/DD/YYYY hh:mm:ss AM``; empty gives ``None``; bad raises ``ValueError``."""
    if not value:
        return None
    return dt.datetime.strptime(value, _SURVEYMONKEY_DATE)


def parse_surveymonkey_dates(
    values: pa.ChunkedArray | None, rows: int
) -> tuple[pd.Series, np.ndarray]:
    """Parse a column of ``MM/DD/YYYY hh:mm:ss AM`` cells at once (vectorised).

    Gives the same values as :func:`parse_surveymonkey_date` cell by cell,
    followed by ``pd.to_datetime`` on the column.

    Parameters
    ----------
    values : pyarrow.ChunkedArray or None
        The stripped cells; ``None`` when the export has no such column.
    rows : int
        Number of respondent rows.

    Returns
    -------
    dates : Series
        One timestamp per row, ``NaT`` for an empty (or bad) cell.
    bad : numpy.ndarray of bool
        True where a non-empty cell is not a date in this format.
    """
    if values is None:
        return _no_dates(rows)
    text = pd.Series(pd.array(values, dtype="str"))
    filled = text != ""
    if not filled.any():
        return _no_dates(rows)
    dates = pd.to_datetime(text.where(filled), format=_SURVEYMONKEY_DATE, errors="coerce")
    bad = (filled & dates.isna()).to_numpy(dtype=bool, copy=True)
    # pandas carries a second of 60 or 61 over into the next minute, where
    # datetime.strptime rejects it: cells with ":6" are checked one by one.
    for index in np.flatnonzero(~bad & text.str.contains(":6", regex=False).to_numpy(dtype=bool)):
        try:
            parse_surveymonkey_date(text.iloc[index])
        except ValueError:
            bad[index] = True
    return dates.mask(bad), bad


def _no_dates(rows: int) -> tuple[pd.Series, np.ndarray]:
    """A date column without dates, typed as before (a column of None: datetime64[s])."""
    return pd.to_datetime(pd.Series([None] * rows, dtype=object)), np.zeros(rows, dtype=bool)
