"""Writing SurveyMonkey exports from answer records (for synthetic data and tests).

The layout is the "All individual responses" export (docs/exports.md, section SurveyMonkey exports):
metadata columns, then one block per question with the question text in the
first column of its block; row 2 holds the sub-headings. The same records can
be written in the forms researchers meet: comma CSV (SurveyMonkey), semicolon
CSV with BOM (re-saved by Dutch Excel), XLSX, numbered headings, shuffled rows,
an extra question the codebook does not know; and the forms real exports come
in: dates in ISO or as Excel re-saves them, Respondent IDs in Excel's
scientific notation, the older metadata headings (``RespondentID`` ...),
"Other (please specify)" columns, the condensed layout (one header row), and
SurveyMonkey's SPSS file (``.sav``, :func:`write_sav`; the layout is the one
:func:`buurtpreventie.survey.exports._read_sav` documents).
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from buurtpreventie.survey.codebook import Codebook, Question

__all__ = [
    "DATE_STYLES",
    "OLDER_HEADINGS",
    "ExportForm",
    "export_layout",
    "export_table",
    "write_export",
    "write_sav",
]

DATE_FORMAT = "%m/%d/%Y %I:%M:%S %p"

OLDER_HEADINGS = {
    "Respondent ID": "RespondentID",
    "Collector ID": "CollectorID",
    "Start Date": "StartDate",
    "End Date": "EndDate",
    "Last Name": "LastName",
    "Custom Data 1": "Custom Data",
}
"""Metadata headings of older SurveyMonkey exports (the others kept their names)."""

SPSS_NAMES = {
    "Respondent ID": "respondent_id",
    "Collector ID": "collector_id",
    "Start Date": "date_created",
    "End Date": "date_modified",
    "IP Address": "ip_address",
    "Email Address": "email_address",
    "First Name": "first_name",
    "Last Name": "last_name",
    "Custom Data 1": "custom_1",
}
"""Variable names of the metadata in SurveyMonkey's SPSS export."""


def _surveymonkey_date(value: dt.datetime) -> str:
    return value.strftime(DATE_FORMAT)


def _iso_date(value: dt.datetime) -> str:
    return value.strftime("%Y-%m-%d %H:%M:%S")


def _excel_us_date(value: dt.datetime) -> str:
    """As US Excel shows a date after re-saving: ``8/22/22 15:44`` (seconds lost)."""
    return f"{value.month}/{value.day}/{value:%y} {value.hour}:{value:%M}"


def _excel_nl_date(value: dt.datetime) -> str:
    """As Dutch Excel shows a date after re-saving: ``22-8-2022 15:44`` (seconds lost)."""
    return f"{value.day}-{value.month}-{value:%Y} {value.hour}:{value:%M}"


DATE_STYLES = {
    "surveymonkey": _surveymonkey_date,
    "iso": _iso_date,
    "excel_us": _excel_us_date,
    "excel_nl": _excel_nl_date,
}
"""How dates are written: SurveyMonkey's own form, ISO, or as Excel re-saves them."""


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
    date_style : str
        A key of :data:`DATE_STYLES`.
    older_headings : bool
        Head the metadata columns as older exports do (:data:`OLDER_HEADINGS`).
    excel_ids : bool
        Respondent IDs as Excel shows long numbers (``1.18E+11``).
    condensed : bool
        SurveyMonkey's condensed layout: only the heading row, no sub-headings.
    other_columns : mapping
        Question id -> sub-heading of an "Other (please specify)" column after
        the question's block; a record's ``"<id>_other"`` holds the typed text.
    """

    delimiter: str = ","
    bom: bool = False
    numbered: bool = False
    extra_questions: Mapping[str, Sequence[str]] = field(default_factory=dict)
    skip_questions: Sequence[str] = ()
    renamed: Mapping[str, str] = field(default_factory=dict)
    date_style: str = "surveymonkey"
    older_headings: bool = False
    excel_ids: bool = False
    condensed: bool = False
    other_columns: Mapping[str, str] = field(default_factory=dict)


def _heading(question: Question, form: ExportForm) -> str:
    text = form.renamed.get(question.id, question.text)
    return f"{question.number}. {text}" if form.numbered else text


def _block(
    question: Question, codebook: Codebook, form: ExportForm = ExportForm()
) -> list[tuple[str, str]]:
    """(sub-heading, record key) per column of a question's block."""
    if question.type == "matrix":
        block = [(s.text, s.id) for s in question.statements]
    elif question.type == "checkbox":
        block = [(o.label, f"{question.id}_{o.name}") for o in question.options if not o.other]
    else:
        block = [(codebook.subheadings[question.type], question.id)]
    if question.id in form.other_columns:
        block.append((form.other_columns[question.id], f"{question.id}_other"))
    return block


def _cell(value: object, form: ExportForm = ExportForm()) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return DATE_STYLES[form.date_style](value)
    return str(value)


def _metadata_cell(heading: str, value: object, form: ExportForm) -> str:
    if heading == "Respondent ID" and form.excel_ids and value:
        return f"{float(str(value)):.2E}"
    return _cell(value, form)


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
    shown = [OLDER_HEADINGS.get(h, h) for h in meta] if form.older_headings else meta
    headings, subheadings = list(shown), [""] * len(meta)
    keys: list[tuple[str, str]] = [("meta", h) for h in meta]
    for question in codebook.questions:
        if question.id in form.skip_questions:
            continue
        for position, (sub, key) in enumerate(_block(question, codebook, form)):
            headings.append(_heading(question, form) if position == 0 else "")
            subheadings.append(sub)
            if question.type == "checkbox" and key != f"{question.id}_other":
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
    table = [headings] if form.condensed else [headings, subheadings]
    for index, record in enumerate(records):
        row = []
        for kind, key in keys:
            if kind == "extra":
                row.append(_cell(form.extra_questions[key][index], form))
            elif kind == "checkbox":
                column, label = key.split("\t")
                row.append(label if record.get(column) else "")
            elif kind == "meta":
                row.append(_metadata_cell(key, record.get(key), form))
            else:
                row.append(_cell(record.get(key), form))
        table.append(row)
    return table


def write_export(
    path: str | Path,
    records: Sequence[Mapping[str, object]],
    codebook: Codebook,
    form: ExportForm = ExportForm(),
) -> Path:
    """Write records as a SurveyMonkey export: ``.csv``, ``.xlsx`` or ``.sav`` by the suffix."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.suffix.lower() == ".sav":
        return write_sav(path, records, codebook, form)
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


def _sav_name(question: Question, position: int | None) -> str:
    stem = f"q{question.number:04d}"
    return stem if position is None else f"{stem}_{position:04d}"


def _positions(labels: Sequence[str]) -> dict[str, float]:
    """SurveyMonkey's numbering of answer labels: 1, 2, ... in questionnaire order."""
    return {label: float(i) for i, label in enumerate(labels, start=1)}


def _number_of(labels: Mapping[str, float], value: object, where: str) -> float:
    if value is None or value == "":
        return float("nan")
    if str(value) not in labels:
        raise ValueError(f"{where}: {value!r} is not an answer label; SPSS cannot hold it")
    return labels[str(value)]


def _sav_question(
    question: Question, records: Sequence[Mapping[str, object]], form: ExportForm
) -> list[tuple[str, str, list, dict | None]]:
    """(variable name, variable label, values, value labels) per variable of one question."""
    text = _heading(question, form)
    out: list[tuple[str, str, list, dict | None]] = []
    if question.type == "open":
        values = [_cell(r.get(question.id)) for r in records]
        out.append((_sav_name(question, None), text, values, None))
    elif question.type == "single":
        labels = _positions([o.label for o in question.options])
        values = [_number_of(labels, r.get(question.id), question.id) for r in records]
        out.append((_sav_name(question, None), text, values, labels))
    elif question.type == "checkbox":
        for position, option in enumerate(question.options, start=1):
            if option.other:
                continue
            column = f"{question.id}_{option.name}"
            values = [1.0 if r.get(column) else float("nan") for r in records]
            name = _sav_name(question, position)
            out.append((name, f"{text} - {option.label}", values, {option.label: 1.0}))
    else:
        labels = _positions([o.label for o in question.options])
        for position, statement in enumerate(question.statements, start=1):
            values = [_number_of(labels, r.get(statement.id), statement.id) for r in records]
            name = _sav_name(question, position)
            out.append((name, f"{text} - {statement.text}", values, labels))
    if question.id in form.other_columns:
        values = [_cell(r.get(f"{question.id}_other")) for r in records]
        label = f"{text} - {form.other_columns[question.id]}"
        out.append((f"{_sav_name(question, None)}_other", label, values, None))
    return out


def _sav_metadata(heading: str, records: Sequence[Mapping[str, object]]) -> list:
    values = [r.get(heading) for r in records]
    if any(isinstance(v, dt.datetime) for v in values):
        return values
    text = ["" if v is None else str(v) for v in values]
    if heading in ("Respondent ID", "Collector ID") and all(t.isdigit() for t in text):
        return [float(t) for t in text]
    return text


def write_sav(
    path: str | Path,
    records: Sequence[Mapping[str, object]],
    codebook: Codebook,
    form: ExportForm = ExportForm(),
) -> Path:
    """Write records as SurveyMonkey's SPSS export (``.sav``).

    Metadata under SurveyMonkey's variable names (:data:`SPSS_NAMES`);
    ``q0001`` for a one-column question, ``q0005_0001`` ... for the options of
    a checkbox (1 = ticked, its value label the option text) and the statements
    of a matrix; answers numbered 1, 2, ... with the answer texts as value
    labels; variable labels "<question>" or "<question> - <option or statement>".
    """
    import pandas as pd
    import pyreadstat  # only SPSS writers pay for the import

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    columns: dict[str, list] = {}
    labels: dict[str, str] = {}
    value_labels: dict[str, dict] = {}
    for meta in codebook.metadata_columns:
        columns[SPSS_NAMES[meta["heading"]]] = _sav_metadata(meta["heading"], records)
    for question in codebook.questions:
        if question.id in form.skip_questions:
            continue
        for name, label, values, vlabels in _sav_question(question, records, form):
            columns[name], labels[name] = values, label
            if vlabels:
                value_labels[name] = {v: k for k, v in vlabels.items()}
    for number, heading in enumerate(form.extra_questions, start=len(codebook.questions) + 1):
        name = f"q{number:04d}"
        columns[name] = [_cell(v) for v in form.extra_questions[heading]]
        labels[name] = heading
    frame = pd.DataFrame(columns)
    for name in ("date_created", "date_modified"):
        if name in frame:
            frame[name] = pd.to_datetime(frame[name])
    pyreadstat.write_sav(
        frame,
        str(path),
        column_labels={n: labels.get(n) for n in frame.columns},
        variable_value_labels=value_labels,
    )
    return path
