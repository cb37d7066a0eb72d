"""Writing SurveyMonkey exports from answer records (for synthetic data and tests).

The layout is the "All individual responses" export (INTERFACES.md section 1):
metadata columns, then one block per question with the question text in the
first column of its block; row 2 holds the sub-headings. The same records can
be written in the forms researchers meet: comma CSV (SurveyMonkey), semicolon
CSV with BOM (re-saved by Dutch Excel), XLSX, numbered headings, shuffled rows,
an extra question the codebook does not know.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from buurtpreventie.codebook import Codebook, Question

__all__ = ["ExportForm", "export_layout", "export_table", "write_export"]

DATE_FORMAT = "%m/%d/%Y %I:%M:%S %p"


@dataclass(frozen=True)
class ExportForm:
    """How an export is written.

    Attributes
    ----------
    delimiter : str
        ``","`` (SurveyMonkey) or ``";"`` (Dutch Excel).
    bom : bool
        Write a UTF-8 byte-order mark.
    numbered : bool
        Prefix question headings with their number ("9. Kunt u ...").
    extra_questions : mapping
        Heading -> values per record, for questions the codebook does not know.
    skip_questions : sequence of str
        Question ids to leave out of the export.
    renamed : mapping
        Question id -> heading to use instead of the codebook text.
    """

    delimiter: str = ","
    bom: bool = False
    numbered: bool = False
    extra_questions: Mapping[str, Sequence[str]] = field(default_factory=dict)
    skip_questions: Sequence[str] = ()
    renamed: Mapping[str, str] = field(default_factory=dict)


def _heading(question: Question, form: ExportForm) -> str:
    text = form.renamed.get(question.id, question.text)
    return f"{question.number}. {text}" if form.numbered else text


def _block(question: Question, codebook: Codebook) -> list[tuple[str, str]]:
    """(sub-heading, record key) per column of a question's block."""
    if question.type == "matrix":
        return [(s.text, s.id) for s in question.statements]
    if question.type == "checkbox":
        return [(o.label, f"{question.id}_{o.name}") for o in question.options]
    return [(codebook.subheadings[question.type], question.id)]


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.strftime(DATE_FORMAT)
    return str(value)


def export_layout(
    codebook: Codebook, form: ExportForm = ExportForm()
) -> tuple[list[str], list[str], list[tuple[str, str]]]:
    """The two header rows of an export, and what fills each column.

    Returns
    -------
    headings, subheadings : list of str
        Rows 1 and 2.
    keys : list of (kind, key)
        Per column: ``("meta", heading)``, ``("answer", column id)``,
        ``("checkbox", "column id<TAB>option label")`` or ``("extra", heading)``.
    """
    meta = [m["heading"] for m in codebook.metadata_columns]
    headings, subheadings = list(meta), [""] * len(meta)
    keys: list[tuple[str, str]] = [("meta", h) for h in meta]
    for question in codebook.questions:
        if question.id in form.skip_questions:
            continue
        for position, (sub, key) in enumerate(_block(question, codebook)):
            headings.append(_heading(question, form) if position == 0 else "")
            subheadings.append(sub)
            if question.type == "checkbox":
                keys.append(("checkbox", f"{key}\t{sub}"))
            else:
                keys.append(("answer", key))
    for heading in form.extra_questions:
        headings.append(heading)
        subheadings.append(codebook.subheadings["single"])
        keys.append(("extra", heading))
    return headings, subheadings, keys


def export_table(
    records: Sequence[Mapping[str, object]],
    codebook: Codebook,
    form: ExportForm = ExportForm(),
) -> list[list[str]]:
    """The export as rows of text cells (two header rows, then one row per record).

    Parameters
    ----------
    records : sequence of mapping
        Per respondent: metadata by heading (``"Respondent ID"``, ...), and
        answers by column id (``"q4"``, ``"q9_1"``, ``"q14_zenobuurt"``) as the
        answer label; a ticked checkbox may be given as ``True``.
    codebook : Codebook
    form : ExportForm
    """
    headings, subheadings, keys = export_layout(codebook, form)
    table = [headings, subheadings]
    for index, record in enumerate(records):
        row = []
        for kind, key in keys:
            if kind == "extra":
                row.append(_cell(form.extra_questions[key][index]))
            elif kind == "checkbox":
                column, label = key.split("\t")
                row.append(label if record.get(column) else "")
            else:
                row.append(_cell(record.get(key)))
        table.append(row)
    return table


def write_export(
    path: str | Path,
    records: Sequence[Mapping[str, object]],
    codebook: Codebook,
    form: ExportForm = ExportForm(),
) -> Path:
    """Write records as a SurveyMonkey export: ``.csv`` or ``.xlsx`` by the suffix."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    table = export_table(records, codebook, form)
    if path.suffix.lower() == ".xlsx":
        _write_xlsx(path, table)
    else:
        encoding = "utf-8-sig" if form.bom else "utf-8"
        with path.open("w", encoding=encoding, newline="") as handle:
            csv.writer(handle, delimiter=form.delimiter, lineterminator="\r\n").writerows(table)
    return path


def _write_xlsx(path: Path, table: Iterable[Sequence[str]]) -> None:
    from openpyxl import Workbook  # only XLSX writers pay for the import

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Sheet"
    for row in table:
        sheet.append([_xlsx_value(v) for v in row])
    workbook.save(path)


def _xlsx_value(text: str) -> object:
    """Numbers as numbers, as Excel keeps them; everything else as text."""
    if text.isdigit() and not text.startswith("0"):
        return int(text)
    return text if text else None
