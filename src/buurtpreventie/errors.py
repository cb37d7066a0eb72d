"""Errors that point at the exact place in an input file."""

from __future__ import annotations

__all__ = ["InputError"]


class InputError(ValueError):
    """Bad input: names the file, the row (and respondent) and the column.

    Parameters
    ----------
    file : str
        The input file, as given in the config.
    message : str
        What is wrong, in words a researcher understands.
    row : int, optional
        Row number in the file as a spreadsheet shows it (the two header rows
        are rows 1 and 2, the first respondent is row 3).
    respondent_id : str, optional
        The ``Respondent ID`` of that row, when known.
    column : str, optional
        The column heading or the question (id and text).
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
            where.append(f"Respondent ID {self.respondent_id}")
        if self.column:
            where.append(f"column {self.column!r}")
        return f"{', '.join(where)}: {self.message}"
