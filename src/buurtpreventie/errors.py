"""Errors that point at the exact place in an input file, without quoting personal data.

A cell of an export may hold anything a respondent typed: a name, a street, a
phone number. Messages therefore name the place (file, row, column) and
describe a bad cell (:func:`describe_cell`) instead of repeating it; only
texts the pipeline itself knows (the codebook's labels, headings) are quoted,
cut to :data:`QUOTE_LIMIT` characters (:func:`shorten`).
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["QUOTE_LIMIT", "InputError", "describe_cell", "plain_id", "shorten", "shown_id"]

QUOTE_LIMIT = 80
"""Most characters of a heading or label quoted in a message."""

_PLAIN_ID = re.compile(r"[1-9][0-9]{0,19}")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def shorten(text: object, limit: int = QUOTE_LIMIT) -> str:
    """``text`` on one line, cut to ``limit`` characters with "…"; control characters escaped.

    Parameters
    ----------
    text : object
        A heading, label or other text the pipeline may quote.
    limit : int
        Most characters kept.

    Returns
    -------
    str
    """
    one_line = " ".join(str(text).split())
    one_line = _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", one_line)
    return one_line if len(one_line) <= limit else one_line[: limit - 1] + "…"


def plain_id(value: object) -> bool:
    """True for an ID that is plainly one: a whole number of at most 20 digits, no leading 0.

    Such a value is quoted in messages; anything else (a phone number starts
    with 0, a name has letters) may be personal and is described instead.
    """
    return isinstance(value, str) and _PLAIN_ID.fullmatch(value) is not None


def shown_id(value: object) -> str:
    """An ID as a message may show it: the number, else a description of the cell."""
    return str(value) if plain_id(value) else f"({describe_cell(str(value), 'a value')})"


def _kinds(text: str) -> list[str]:
    """The kinds of characters in ``text``: letters, digits, spaces, and the others by name."""
    kinds: dict[str, None] = {}
    others: dict[str, None] = {}
    for char in text:
        category = unicodedata.category(char)
        if category.startswith("L"):
            kinds["letters"] = None
        elif category == "Nd":
            kinds["digits"] = None
        elif char.isspace():
            kinds["spaces" if char == " " else "line breaks or tabs"] = None
        elif category.startswith("C"):
            kinds["control characters"] = None
        else:
            others[char] = None
    shown = [repr(c) for c in list(others)[:6]]
    if len(others) > 6:
        shown.append("other signs")
    return [*kinds, *shown]


def describe_cell(value: str, noun: str = "an answer") -> str:
    """What a cell holds, in words that repeat none of it.

    Parameters
    ----------
    value : str
        The cell.
    noun : str
        How to call it ("an answer", "a value").

    Returns
    -------
    str
        For example ``an answer of 43 characters (letters, spaces, '@', '.')``.
    """
    if not value:
        return f"{noun} that is empty"
    size = f"{len(value)} character" + ("" if len(value) == 1 else "s")
    return f"{noun} of {size} ({', '.join(_kinds(value))})"


def _place(column: str) -> str:
    """A column name cut to a sane length: heading and sub-heading (after " / ") each."""
    heading, _, sub = str(column).partition(" / ")
    return f"{shorten(heading, 60)} / {shorten(sub, 60)}" if sub else shorten(heading)


class InputError(ValueError):
    """Bad input: names the file, the row (and respondent) and the column.

    Parameters
    ----------
    file : str
        The input file, as given in the config.
    message : str
        What is wrong, in words a researcher understands. It must not repeat a
        cell that may hold personal data (see :func:`describe_cell`).
    row : int, optional
        Row number in the file as a spreadsheet shows it (the two header rows
        are rows 1 and 2, the first respondent is row 3).
    respondent_id : str, optional
        The ``Respondent ID`` of that row, when known; shown only when it is a
        plain number (:func:`plain_id`), else described.
    column : str, optional
        The column heading or the question (id and text); cut to
        :data:`QUOTE_LIMIT` characters.
    """

    def __init__(
        self,
        file: str,
        message: str,
        *,
        row: int | None = None,
        respondent_id: str | None = None,
        column: str | None = None,
    ) -> None:
        self.file = str(file)
        self.row = row
        self.respondent_id = respondent_id
        self.column = column
        self.message = message
        super().__init__(self._format())

    def _format(self) -> str:
        where = [self.file]
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.respondent_id:
            where.append(f"Respondent ID {shown_id(self.respondent_id)}")
        if self.column:
            where.append(f"column {_place(self.column)!r}")
        return f"{', '.join(where)}: {' '.join(self.message.split())}"
