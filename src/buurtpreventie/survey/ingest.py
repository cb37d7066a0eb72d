"""From SurveyMonkey exports to one validated, pseudonymised respondent table per wave.

The steps, per export of a wave:

1. :func:`map_columns` recognises every column through the codebook (question
   heading or alias, then option label or statement in the sub-heading).
   Unknown questions are reported and ignored; personal columns are marked.
   An "Other (please specify)" column beside a single-choice or checkbox
   question codes the choice of the "other" option; its typed text is
   personal data and goes no further than this module (never in the results,
   the log or an error).
2. :func:`code_answers` turns answer labels into codes, and stops at the first
   unknown label or out-of-range value with file, row and question.
3. The panel pseudonym is computed from the contact questions, after which all
   personal data is dropped: it never leaves this module.
4. :func:`apply_skip_logic` blanks answers to questions the questionnaire skips.
5. :mod:`buurtpreventie.survey.derive` assigns buurt, groep or an exclusion reason,
   the demographics and the indicators.

:func:`ingest_wave` puts the exports of a wave together, checks that Respondent
IDs are unique, and accounts for every row: included or excluded with a reason.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from buurtpreventie.errors import InputError, describe_cell, shorten, shown_id
from buurtpreventie.inspection import Inspection
from buurtpreventie.survey import derive
from buurtpreventie.survey.codebook import (
    Codebook,
    Option,
    Question,
    Statement,
    is_other_label,
    normalise_text,
)
from buurtpreventie.survey.exports import (
    CondensedExportError,
    RawExport,
    date_order_evidence,
    date_problem,
    decide_date_order,
    is_scientific_notation,
    parse_surveymonkey_dates,
    read_export,
)
from buurtpreventie.survey.pseudonym import contact_pseudonym

__all__ = [
    "AnswerColumn",
    "ColumnMap",
    "IngestResult",
    "apply_skip_logic",
    "code_answers",
    "ingest_export",
    "ingest_wave",
    "inspect_survey",
    "map_columns",
]

log = logging.getLogger(__name__)

_REQUIRED_METADATA = ("respondent_id", "collector_id")


@dataclass(frozen=True)
class AnswerColumn:
    """One export column recognised as (part of) a codebook question."""

    index: int
    question: Question
    option: Option | None = None  # the option of a checkbox column
    statement: Statement | None = None  # the statement of a matrix column
    other: bool = False  # an "Other (please specify)" column: typed text, personal

    @property
    def column_id(self) -> str:
        """Column name in the coded answer table.

        An "Other (please specify)" column codes into its question's column
        (single choice) or its other option's column (checkbox).
        """
        if self.statement is not None:
            return self.statement.id
        if self.option is not None and self.question.type == "checkbox":
            return f"{self.question.id}_{self.option.name}"
        return self.question.id


@dataclass
class ColumnMap:
    """Where the metadata and the answers stand in one export."""

    metadata: dict[str, int]
    answers: list[AnswerColumn]
    unknown: list[str] = field(default_factory=list)
    older_names: bool = False  # metadata headed by older names or SPSS variable names

    def column_ids(self) -> set[str]:
        """The coded columns this export provides."""
        return {a.column_id for a in self.answers}


def _column_label(raw: RawExport, index: int) -> str:
    heading = next((raw.headings[i] for i in range(index, -1, -1) if raw.headings[i]), "")
    sub = raw.subheadings[index]
    return f"{heading} / {sub}" if sub else heading


def _metadata_index(raw: RawExport, codebook: Codebook) -> tuple[dict[str, int], bool]:
    """Where each metadata column is, and whether any is headed by an older name.

    A heading is the codebook's current one or one of its aliases (the older
    exports' ``RespondentID``, ``StartDate`` ...; the SPSS names).
    """
    found: dict[str, int] = {}
    older = False
    for index, heading in enumerate(raw.headings):
        known = codebook.metadata_id(heading) if heading else None
        if known is not None and known[0] not in found:
            found[known[0]] = index
            older = older or not known[1]
    for meta_id in _REQUIRED_METADATA:
        if meta_id not in found:
            names = codebook.metadata_headings(meta_id)
            sheets = ""
            if len(raw.sheets) > 1:
                shown = ", ".join(repr(shorten(s, 31)) for s in raw.sheets)
                sheets = f"; only the first sheet is read, and the workbook has the sheets {shown}"
            raise InputError(
                raw.path,
                "required metadata column is missing (looked for "
                + ", ".join(names)
                + ")"
                + sheets,
                row=1,
                column=names[0],
            )
    return found, older


def _block_columns(raw: RawExport, start: int, metadata: set[int]) -> list[int]:
    end = start + 1
    while end < len(raw.headings) and not raw.headings[end] and end not in metadata:
        end += 1
    return list(range(start, end))


def _is_other_column(raw: RawExport, question: Question, index: int, block: list[int]) -> bool:
    """True for an "Other (please specify)" column of a single-choice or checkbox question."""
    if question.type not in ("single", "checkbox") or not is_other_label(raw.subheadings[index]):
        return False
    return question.type == "checkbox" or index != block[0]


def _answer_column(
    raw: RawExport, question: Question, index: int, block: list[int]
) -> AnswerColumn:
    sub = raw.subheadings[index]
    if _is_other_column(raw, question, index, block):
        return AnswerColumn(index, question, option=question.other_option, other=True)
    if question.type in ("single", "open"):
        answer_columns = [i for i in block if not _is_other_column(raw, question, i, block)]
        if len(answer_columns) != 1:
            raise InputError(
                raw.path,
                f"question {question.id} is a single column, but the export has {len(block)} "
                "columns under its heading (columns without a heading belong to the question "
                "before them)",
                row=1,
                column=question.text,
            )
        return AnswerColumn(index, question)
    if question.type == "checkbox":
        option = question.option_by_label(sub)
        if option is None:
            raise InputError(
                raw.path,
                f"answer option {shorten(sub)!r} of question {question.id} is not in the codebook; "
                "add it with a code to resources/codebook.yaml",
                row=2,
                column=question.text,
            )
        return AnswerColumn(index, question, option=option)
    wanted = normalise_text(sub)
    for statement in question.statements:
        if wanted in (normalise_text(t) for t in (statement.text, *statement.aliases)):
            return AnswerColumn(index, question, statement=statement)
    raise InputError(
        raw.path,
        f"statement {shorten(sub)!r} of question {question.id} is not in the codebook",
        row=2,
        column=question.text,
    )


def _check_orphan_columns(raw: RawExport, covered: set[int]) -> None:
    """Stop at a column without a heading that belongs to no question.

    A column without a heading belongs to the question before it. One that
    follows a metadata column (or opens the file) belongs to none: columns were
    moved, or a heading was removed, and its answers would be lost.
    """
    orphans = [i for i in range(len(raw.headings)) if i not in covered]
    if orphans:
        index = orphans[0]
        before = next((raw.headings[i] for i in range(index - 1, -1, -1) if raw.headings[i]), "")
        after = f" (it follows the column {shorten(before)!r})" if before else ""
        raise InputError(
            raw.path,
            f"column {index + 1} has no question heading and belongs to no question{after}: "
            "columns were moved or a heading was removed; export again",
            row=1,
            column=_column_label(raw, index) or f"column {index + 1}",
        )


def map_columns(raw: RawExport, codebook: Codebook) -> ColumnMap:
    """Recognise every column of an export through the codebook.

    Parameters
    ----------
    raw : RawExport
        The export's cells.
    codebook : Codebook

    Returns
    -------
    ColumnMap
        Metadata column positions, the recognised answer columns, and the
        headings of unknown questions (ignored, reported as warnings).

    Raises
    ------
    InputError
        A required metadata column is missing, a question appears twice, or a
        known question has an option or statement the codebook does not know.
    """
    metadata, older_names = _metadata_index(raw, codebook)
    metadata_positions = set(metadata.values())
    personal_meta = codebook.personal_metadata
    metadata_positions |= {
        i for i, h in enumerate(raw.headings) if normalise_text(h) in personal_meta
    }
    answers: list[AnswerColumn] = []
    unknown: list[str] = []
    seen: dict[str, int] = {}
    covered = set(metadata_positions)
    for index, heading in enumerate(raw.headings):
        if not heading or index in metadata_positions:
            continue
        block = _block_columns(raw, index, metadata_positions)
        covered.update(block)
        question = codebook.find_question(heading)
        if question is None:
            unknown.append(heading)
            continue
        if question.id in seen:
            raise InputError(
                raw.path,
                f"question {question.id} appears twice in the export",
                row=1,
                column=heading,
            )
        seen[question.id] = index
        answers.extend(_answer_column(raw, question, i, block) for i in block)
    _check_orphan_columns(raw, covered)
    return ColumnMap(metadata=metadata, answers=answers, unknown=unknown, older_names=older_names)


def _code_label(column: AnswerColumn, value: str) -> tuple[object, str | None]:
    """Code one (stripped) cell of ``column``: the rule for a single cell.

    Returns
    -------
    code : object
        The codebook code (single, matrix), ``True`` (ticked checkbox), the
        text (open), or ``None`` for an empty or a bad cell.
    problem : str or None
        What is wrong with the cell, when it breaks the codebook.
    """
    question = column.question
    if question.type == "open":
        return value or None, None
    if not value:
        return None, None
    if column.other:
        return _code_other(column)
    if question.type == "checkbox":
        if normalise_text(value) == normalise_text(column.option.label):
            return True, None
        label = shorten(column.option.label)
        return None, (
            f"the ticked box of question {question.id} holds {describe_cell(value)}, "
            f"not the option label {label!r}"
        )
    option = question.option_by_label(value)
    if option is None and is_other_label(value):
        option = question.other_option  # "Other (please specify)" for "Anders, namelijk:"
    if option is not None:
        return option.code, None
    numeric = [o.label for o in question.options if o.label.isdigit()]
    if numeric and value.lstrip("-").replace(",", ".").replace(".", "", 1).isdigit():
        # a short number is no personal data; a long one (a phone number?) is described
        shown = repr(value) if len(value) <= 4 else describe_cell(value, "a number")
        problem = (
            f"value {shown} is out of range for question {question.id} ({numeric[0]}-{numeric[-1]})"
        )
    else:
        allowed = ", ".join(repr(shorten(o.label, 40)) for o in question.options)
        problem = (
            f"{describe_cell(value)} that is not one of the codebook's labels for question "
            f"{question.id}; allowed: {allowed}"
        )
    return None, problem


def _code_other(column: AnswerColumn) -> tuple[object, str | None]:
    """Code a filled "Other (please specify)" cell: the other option was chosen.

    The cell's text is never looked at beyond being non-empty, and never quoted.
    """
    option = column.option
    if option is None:
        return None, (
            f'question {column.question.id} has text in an "Other (please specify)" '
            "column, but the codebook has no other option for it; add one "
            "(with `other: true`) to resources/codebook.yaml"
        )
    return (True if column.question.type == "checkbox" else option.code), None


def _factorize(values: pa.ChunkedArray) -> tuple[np.ndarray, list[str]]:
    """The distinct values of a column and, per cell, the index of its value among them."""
    distinct = pc.unique(values)
    positions = pc.index_in(values, value_set=distinct).to_numpy()
    return positions, distinct.to_pylist()


def _open_answers(values: pa.ChunkedArray) -> pd.api.extensions.ExtensionArray:
    """Open answers as text, empty cells ``<NA>``."""
    empty = pc.equal(values, "")
    return pd.array(pc.if_else(empty, pa.scalar(None, pa.string()), values), dtype="string")


def _code_column(
    column: AnswerColumn, values: pa.ChunkedArray
) -> tuple[pd.api.extensions.ExtensionArray, np.ndarray]:
    """Code a whole column: each distinct label once by :func:`_code_label`, then per cell.

    Returns
    -------
    coded : ExtensionArray
        ``Int64`` codes, ``boolean`` ticks or ``string`` text; ``<NA>`` for
        empty and bad cells.
    bad : numpy.ndarray of bool
        True where the cell breaks the codebook (``_code_label`` names the problem).
    """
    if column.question.type == "open":
        return _open_answers(values), np.zeros(len(values), dtype=bool)
    positions, labels = _factorize(values)
    coded = [_code_label(column, label) for label in labels]
    bad = np.array([problem is not None for _, problem in coded], dtype=bool)[positions]
    missing = np.array([code is None for code, _ in coded], dtype=bool)[positions]
    if column.question.type == "checkbox":
        return pd.arrays.BooleanArray(np.ones(len(positions), dtype=bool), missing), bad
    codes = np.array([0 if code is None else code for code, _ in coded], dtype=np.int64)
    return pd.arrays.IntegerArray(codes[positions], missing), bad


def _first_true(masks: Sequence[np.ndarray]) -> tuple[int, int] | None:
    """Where the first ``True`` is, reading row by row and, within a row, mask by mask.

    Parameters
    ----------
    masks : sequence of numpy.ndarray of bool
        One mask per column, all as long as the table.

    Returns
    -------
    tuple of int or None
        ``(row, k)``: the first row with a ``True`` in any mask and the first
        mask ``k`` that has it there; ``None`` when all are ``False``.
    """
    first: tuple[int, int] | None = None
    for k, mask in enumerate(masks):
        if mask.any():
            row = int(mask.argmax())
            if first is None or row < first[0]:
                first = (row, k)
    return first


def code_answers(raw: RawExport, columns: ColumnMap) -> pd.DataFrame:
    """Turn answer labels into codes, one row per respondent.

    Single-choice and matrix answers become their codebook code (``Int64``);
    a checkbox column becomes ``True`` when ticked; open answers stay text.
    Empty cells are ``<NA>``. A checkbox question with no box ticked is
    unanswered: all its columns are ``<NA>``. Each column is coded at once,
    through its distinct labels.

    Raises
    ------
    InputError
        An unknown answer label or an out-of-range value, naming the file, the
        row, the Respondent ID and the question. With several, the first in
        row order (within a row, in column order).
    """
    data: dict[str, pd.api.extensions.ExtensionArray] = {}
    bad: list[np.ndarray] = []
    for column in columns.answers:
        coded, bad_cells = _code_column(column, raw.column(column.index))
        bad.append(bad_cells)
        if column.other and column.option is None:
            continue  # nothing to code into: a typed text is an error (bad_cells)
        key = column.column_id
        # an "Other" column fills its question's (or option's) column where that is empty
        data[key] = coded if key not in data else pd.array(data[key]).fillna(coded)
    first = _first_true(bad)
    if first is not None:
        position, k = first
        column = columns.answers[k]
        _, problem = _code_label(column, raw.column(column.index)[position].as_py())
        raise InputError(
            raw.path,
            problem,
            row=raw.row_number(position),
            respondent_id=raw.column(columns.metadata["respondent_id"])[position].as_py(),
            column=_column_label(raw, column.index),
        )
    frame = pd.DataFrame(data, index=pd.RangeIndex(len(raw)))
    checkbox_questions: dict[str, list[str]] = {}
    for column in columns.answers:
        if column.question.type == "checkbox" and column.column_id in frame:
            checkbox_questions.setdefault(column.question.id, []).append(column.column_id)
    for option_columns in checkbox_questions.values():
        option_columns = list(dict.fromkeys(option_columns))
        answered = frame[option_columns].notna().any(axis=1)
        frame[option_columns] = frame[option_columns].fillna(False).where(answered)
    return frame


def _ordered_columns(codebook: Codebook) -> list[tuple[Question, str]]:
    return [(q, c) for q in codebook.questions for c in q.column_ids]


def apply_skip_logic(answers: pd.DataFrame, codebook: Codebook, describe_rows=None) -> pd.DataFrame:
    """Blank answers to questions that the questionnaire skips.

    After an answer listed in a question's ``skip`` rule, the questions up to
    (not including) the ``to`` question are not asked; ``to: end`` skips the
    rest. An answer found there anyway is ignored, and a warning names the
    questions and rows.

    Parameters
    ----------
    answers : DataFrame
        Coded answers.
    codebook : Codebook
    describe_rows : callable, optional
        Turns a boolean mask into a text naming the rows (for the warning).

    Returns
    -------
    DataFrame
        A copy with the skipped answers set to ``<NA>``.
    """
    result = answers.copy()
    order = [q.id for q in codebook.questions]
    for question in codebook.questions:
        if not question.skip_answers or question.id not in result:
            continue
        codes = [question.code_of(a) for a in question.skip_answers]
        skipping = result[question.id].isin(codes).fillna(False).astype(bool)
        if not skipping.any():
            continue
        start = order.index(question.id) + 1
        stop = len(order) if question.skip_to == "end" else order.index(question.skip_to)
        skipped = [c for q in codebook.questions[start:stop] for c in q.column_ids if c in result]
        for column in skipped:
            answered_anyway = skipping & result[column].notna()
            if answered_anyway.any():
                where = (
                    describe_rows(answered_anyway) if describe_rows else int(answered_anyway.sum())
                )
                log.warning(
                    "%s is skipped after %s = %s, but was answered (%s); answer ignored",
                    column,
                    question.id,
                    "/".join(question.skip_answers),
                    where,
                )
                result[column] = result[column].mask(answered_anyway)
    return result


_SCIENTIFIC_ID = (
    "Respondent ID is in Excel's scientific notation (such as 1.18E+11): Excel rounded the "
    "IDs when the export was opened and saved, so they can no longer be told apart; export "
    "again from SurveyMonkey and do not open and re-save the file in Excel"
)
_DATE_COLUMNS = (("start_date", "Start Date"), ("end_date", "End Date"))
_ID = re.compile(r"[1-9][0-9]*")  # SurveyMonkey's IDs; a leading 0 is a phone number
_CONTROL = r"[\x00-\x1f\x7f-\x9f]"


def _id_problem(value: str) -> str:
    """Why a Respondent ID is refused: SurveyMonkey writes digits only.

    A control character (a NUL byte, a line break) would otherwise reach the
    flow table and the parquet file; any other text is no ID SurveyMonkey
    wrote (a shifted row, text typed into the column). The value is described,
    never repeated.
    """
    if re.search(_CONTROL, value):
        return (
            "Respondent ID holds a control character (such as a NUL byte or a line break): "
            f"{describe_cell(value, 'a value')}; SurveyMonkey writes digits only, export again"
        )
    return (
        f"Respondent ID is not a whole number ({describe_cell(value, 'a value')}); "
        "SurveyMonkey writes digits only, without a leading 0: the row is shifted or the "
        "column was edited"
    )


def _check_metadata_row(
    raw: RawExport,
    columns: ColumnMap,
    collectors: Mapping[str, str],
    position: int,
    date_order: str,
) -> None:
    """Raise the error of the first bad metadata cell of one row (the rule per row)."""
    row = [raw.column(i)[position].as_py() for i in columns.metadata.values()]
    cell = dict(zip(columns.metadata, row, strict=True))
    number = raw.row_number(position)
    rid = cell["respondent_id"]
    if not rid:
        raise InputError(raw.path, "Respondent ID is empty", row=number, column="Respondent ID")
    if _ID.fullmatch(rid) is None:
        raise InputError(raw.path, _id_problem(rid), row=number, column="Respondent ID")
    collector = cell["collector_id"]
    if collector not in collectors:
        shown = f"'{collector}'" if shown_id(collector) == collector else shown_id(collector)
        raise InputError(
            raw.path,
            f"Collector ID {shown} is not in the config's `collectors`; add it as app or door",
            row=number,
            respondent_id=rid,
            column="Collector ID",
        )
    for key, heading in _DATE_COLUMNS:
        problem = date_problem(cell.get(key, ""), date_order)
        if problem is not None:
            raise InputError(raw.path, problem, row=number, respondent_id=rid, column=heading)


def file_date_order(raw: RawExport, columns: ColumnMap, configured: str | None) -> str:
    """The day/month order of this export's dates (``mdy`` or ``dmy``).

    From ``survey.date_order`` when it is ``mdy`` or ``dmy``; with ``auto``
    (or ``None``) from the values, see :func:`buurtpreventie.survey.exports.decide_date_order`.
    """
    evidence = [
        date_order_evidence(raw.column(columns.metadata[key]))
        for key, _ in _DATE_COLUMNS
        if key in columns.metadata
    ]
    return decide_date_order(raw.path, evidence, configured)


def _metadata(
    raw: RawExport,
    columns: ColumnMap,
    collectors: Mapping[str, str],
    date_order: str | None = None,
) -> pd.DataFrame:
    """The metadata columns, checked for all rows at once.

    Parameters
    ----------
    date_order : {"auto", "mdy", "dmy"} or None
        ``survey.date_order`` of the config (``None``: ``auto``).

    Raises
    ------
    InputError
        For the first row (in row order) with an empty Respondent ID, one in
        Excel's scientific notation, an unknown Collector ID or a bad date, as
        :func:`_check_metadata_row` says; or dates whose day/month order
        cannot be decided.
    """
    rows = len(raw)
    rid = raw.column(columns.metadata["respondent_id"])
    collector = raw.column(columns.metadata["collector_id"])
    positions, collector_ids = _factorize(collector)
    known = np.array([c in collectors for c in collector_ids], dtype=bool)
    recruitment = np.array([collectors.get(c) for c in collector_ids], dtype=object)
    scientific = is_scientific_notation(rid)
    if scientific.any():  # Excel's damage to the whole file: before anything else
        number = raw.row_number(int(scientific.argmax()))
        raise InputError(raw.path, _SCIENTIFIC_ID, row=number, column="Respondent ID")
    order = file_date_order(raw, columns, date_order)
    dates = {
        key: parse_surveymonkey_dates(
            raw.column(columns.metadata[key]) if key in columns.metadata else None, rows, order
        )
        for key, _ in _DATE_COLUMNS
    }
    bad = [
        ~pc.match_substring_regex(rid, r"^[1-9][0-9]*$").to_numpy(zero_copy_only=False),
        ~known[positions],
        *(bad_dates for _, bad_dates in dates.values()),
    ]
    first = _first_true(bad)
    if first is not None:
        _check_metadata_row(raw, columns, collectors, first[0], order)
        raise AssertionError(f"{raw.path}: row {raw.row_number(first[0])} passed the row check")
    return pd.DataFrame(
        {
            "respondent_id": pd.array(rid, dtype="str"),
            "source": pd.array(np.full(rows, raw.path, dtype=object), dtype="str"),
            "source_row": pd.array(np.arange(rows) + raw.row_number(0), dtype="Int64"),
            "collector_id": pd.array(collector, dtype="str"),
            "recruitment": pd.array(recruitment[positions], dtype="str"),
            **{key: parsed for key, (parsed, _) in dates.items()},
        }
    )


def _check_needed_columns(raw: RawExport, columns: ColumnMap, codebook: Codebook) -> None:
    """Stop when a question that an indicator or a derived variable needs is absent."""
    present = columns.column_ids()
    needs: dict[str, list[str]] = {}
    for indicator in codebook.indicators:
        for column in codebook.questions_for(indicator):
            needs.setdefault(column, []).append(f"indicator {indicator.id}")
    for role in ("buurt", "in_safety_app_group"):
        needs.setdefault(codebook.roles[role], []).append(f"derived variable {role}")
    missing: dict[str, list[str]] = {}
    for column, purposes in needs.items():
        if column not in present:
            question = codebook.question(column)
            missing.setdefault(question.id, []).extend(purposes)
    if missing:
        question_id, purposes = next(iter(missing.items()))
        question = codebook.question(question_id)
        raise InputError(
            raw.path,
            f"question {question_id} is missing from the export; needed for "
            + ", ".join(dict.fromkeys(purposes)),
            row=1,
            column=question.text,
        )


def _contact_values(answers: pd.DataFrame, column: str, rows: np.ndarray) -> list[str]:
    """The contact answers of the selected rows, ``""`` where empty or not asked."""
    if column not in answers:
        return [""] * int(rows.sum())
    return answers[column].to_numpy(dtype=object, na_value="")[rows].tolist()


def _pseudonyms(answers: pd.DataFrame, codebook: Codebook, key: bytes | None) -> pd.Series:
    """The panel pseudonym of each respondent who agreed to be contacted again, else ``<NA>``."""
    result = pd.Series(pd.NA, index=answers.index, dtype="string")
    recontact = codebook.question(codebook.roles["recontact"])
    if key is None or recontact.id not in answers:
        return result
    yes = recontact.code_of(codebook.roles["recontact_yes"])
    agreed = (answers[recontact.id] == yes).fillna(False).to_numpy(dtype=bool)
    email = _contact_values(answers, codebook.roles["contact_email"], agreed)
    phone = _contact_values(answers, codebook.roles["contact_phone"], agreed)
    pseudonyms = np.full(len(answers), None, dtype=object)
    # HMAC has no vectorised form: one call per respondent who agreed.
    pseudonyms[agreed] = [contact_pseudonym(key, e, p) for e, p in zip(email, phone, strict=True)]
    return pd.Series(pd.array(pseudonyms, dtype="string"), index=answers.index)


def ingest_export(
    path: str | Path,
    codebook: Codebook,
    collectors: Mapping[str, str],
    key: bytes | None,
    date_order: str | None = None,
) -> pd.DataFrame:
    """Read, check and code one export; personal data does not leave this function.

    Parameters
    ----------
    path : str or Path
        A SurveyMonkey export: CSV, XLSX or SPSS ``.sav``.
    codebook : Codebook
    collectors : mapping
        Collector ID -> ``app`` or ``door``.
    key : bytes or None
        Panel key.
    date_order : {"auto", "mdy", "dmy"}, optional
        Day/month order of Excel-style dates (config ``survey.date_order``);
        ``None`` or ``auto`` decides it from the file's values.

    Returns
    -------
    DataFrame
        One row per raw respondent row: metadata (without personal columns),
        ``pseudonym``, and the coded answers of all non-personal questions.
    """
    raw = read_export(path, codebook.metadata_headings())
    log.info("%s: %d respondent rows read", raw.path, len(raw))
    columns = map_columns(raw, codebook)
    for heading in columns.unknown:
        log.warning(
            "%s: unknown question %r ignored (not in the codebook)", raw.path, shorten(heading)
        )
    _check_needed_columns(raw, columns, codebook)
    metadata = _metadata(raw, columns, collectors, date_order)
    answers = code_answers(raw, columns)
    pseudonym = _pseudonyms(answers, codebook, key)
    personal = [c for q in codebook.questions if q.personal for c in q.column_ids]
    answers = answers.drop(columns=[c for c in personal if c in answers])
    for question, column in _ordered_columns(codebook):
        if column not in answers and not question.personal:
            dtype = {"checkbox": "boolean", "open": "string"}.get(question.type, "Int64")
            answers[column] = pd.Series(pd.NA, index=answers.index, dtype=dtype)

    def rows_named(mask: pd.Series) -> str:
        numbers = metadata.loc[mask, "source_row"].tolist()
        shown = ", ".join(str(n) for n in numbers[:10])
        more = f" and {len(numbers) - 10} more" if len(numbers) > 10 else ""
        return f"{raw.path} rows {shown}{more}"

    answers = apply_skip_logic(answers, codebook, rows_named)
    log.info("%s: answers coded, personal data dropped", raw.path)
    ordered = [c for q, c in _ordered_columns(codebook) if c in answers]
    return pd.concat([metadata, pseudonym.rename("pseudonym"), answers[ordered]], axis=1)


@dataclass
class IngestResult:
    """The outcome for one wave."""

    respondents: pd.DataFrame  # included respondents, with derived variables
    flow: pd.DataFrame  # one row per raw row: outcome and reason
    rows_read: int


def _check_unique_ids(coded: pd.DataFrame) -> None:
    duplicated = coded["respondent_id"].duplicated(keep="first")
    if duplicated.any():
        second = coded[duplicated].iloc[0]
        first = coded[coded["respondent_id"] == second["respondent_id"]].iloc[0]
        raise InputError(
            second["source"],
            f"Respondent ID appears twice in this wave (first at {first['source']} row "
            f"{first['source_row']})",
            row=int(second["source_row"]),
            respondent_id=second["respondent_id"],
            column="Respondent ID",
        )


def ingest_wave(
    wave: str,
    exports: Iterable[str | Path],
    codebook: Codebook,
    collectors: Mapping[str, str],
    min_answered: int,
    key: bytes | None = None,
    date_order: str | None = None,
) -> IngestResult:
    """Ingest all exports of one wave.

    Parameters
    ----------
    wave : str
        Wave id from the config.
    exports : iterable of path
        The wave's SurveyMonkey exports.
    codebook : Codebook
    collectors : mapping
        Collector ID -> ``app`` or ``door``.
    min_answered : int
        Minimum answered statements for a scale score.
    key : bytes, optional
        Panel key; without it ``pseudonym`` stays empty.
    date_order : {"auto", "mdy", "dmy"}, optional
        Config ``survey.date_order``: day/month order of Excel-style dates,
        decided per export from its values when ``auto`` or ``None``.

    Returns
    -------
    IngestResult

    Raises
    ------
    InputError
        On any bad input (see :func:`ingest_export`), or a Respondent ID that
        occurs twice in the wave.
    AssertionError
        If included plus excluded rows do not add up to the rows read.
    """
    coded = pd.concat(
        [ingest_export(p, codebook, collectors, key, date_order) for p in exports],
        ignore_index=True,
    )
    _check_unique_ids(coded)
    derived = derive.option_derived(coded, codebook)
    groups = derive.assign_groups(coded, derived["buurt"], coded["recruitment"], codebook)
    indicators = derive.indicator_scores(coded, codebook, min_answered)
    identity = coded[["respondent_id", "source", "source_row", "collector_id", "recruitment"]]
    flow = pd.concat([identity, derived[["buurt"]], groups], axis=1)
    flow.insert(0, "wave", wave)
    flow["outcome"] = flow["reason"].isna().map({True: "included", False: "excluded"})
    flow.loc[flow["outcome"] == "excluded", "groep"] = pd.NA
    included = flow["outcome"] == "included"
    respondents = pd.concat(
        [
            coded.loc[included, ["respondent_id", "source", "source_row", "recruitment"]],
            groups.loc[included, ["groep"]],
            derived.loc[included],
            derive.app_groups(coded, codebook).loc[included].rename("app_groepen"),
            coded.loc[included, ["start_date", "end_date", "pseudonym"]],
            indicators.loc[included],
            coded.loc[included, [c for _, c in _ordered_columns(codebook) if c in coded]],
        ],
        axis=1,
    )
    respondents.insert(1, "wave", wave)
    respondents = respondents.sort_values("respondent_id", kind="stable").reset_index(drop=True)
    rows_read = len(coded)
    accounted = int(included.sum()) + int((flow["outcome"] == "excluded").sum())
    if accounted != rows_read or len(respondents) != int(included.sum()):
        raise AssertionError(f"wave {wave}: {rows_read} rows read but {accounted} accounted for")
    return IngestResult(respondents=respondents, flow=flow, rows_read=rows_read)


class _AnyCollector(Mapping[str, str]):
    """Collectors for an inspection without a config: every Collector ID is known."""

    def __getitem__(self, key: str) -> str:
        return "unknown"

    def __iter__(self):
        return iter(())

    def __len__(self) -> int:
        return 0

    def __contains__(self, key: object) -> bool:
        return True


class _Collected(logging.Handler):
    """Keeps the messages of the warnings logged while it is attached."""

    def __init__(self) -> None:
        super().__init__(level=logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(_one_line(record.getMessage()))


def _one_line(text: object) -> str:
    return " ".join(str(text).split())


def _header_names(raw: RawExport, columns: ColumnMap) -> str:
    if raw.format == "sav":
        return "spss"
    return "older" if columns.older_names else "current"


def _column_counts(raw: RawExport, columns: ColumnMap, codebook: Codebook) -> dict[str, int]:
    """Counts of an export's columns, by what the codebook makes of them."""
    personal_meta = codebook.personal_metadata
    personal_answers = sum(1 for a in columns.answers if a.question.personal or a.other)
    return {
        "respondents": len(raw),
        "columns": len(raw.headings),
        "questions": len({a.question.id for a in columns.answers}),
        "unknown_columns": len(columns.unknown),
        "other_columns": sum(1 for a in columns.answers if a.other),
        "personal_columns": personal_answers
        + sum(1 for h in raw.headings if h and normalise_text(h) in personal_meta),
    }


def _ingest_problems(
    path: str,
    codebook: Codebook,
    collectors: Mapping[str, str],
    date_order: str | None,
) -> tuple[list[str], list[str]]:
    """Run the real ingestion of one export: what would stop it, and what it warns about."""
    collected = _Collected()
    log.addHandler(collected)
    try:
        coded = ingest_export(path, codebook, collectors, None, date_order)
        _check_unique_ids(coded)
    except InputError as error:
        return [_one_line(error)], collected.messages
    finally:
        log.removeHandler(collected)
    return [], collected.messages


def inspect_survey(
    path: str | Path,
    codebook: Codebook | None,
    collectors: Mapping[str, str] | None = None,
    date_order: str | None = None,
) -> Inspection:
    """How one SurveyMonkey export would be read, without showing an answer or a name.

    Parameters
    ----------
    path : str or Path
        A CSV, XLSX or SPSS (``.sav``) export.
    codebook : Codebook or None
        Without it, only the file's form, how it was read and its size are
        shown (a warning says the questions were not checked).
    collectors : mapping, optional
        Collector ID -> ``app``/``door`` from the config; without it every
        Collector ID is accepted (``how["collectors"]`` says so).
    date_order : {"auto", "mdy", "dmy"}, optional
        Config ``survey.date_order``.

    Returns
    -------
    Inspection
        Kind ``surveymonkey``; format ``csv``, ``xlsx``, ``sav`` or
        ``csv-condensed``; how it was read (delimiter, encoding, sheet,
        date_order, header_names); counts (respondents, columns, questions,
        unknown_columns, other_columns, personal_columns); problems: the
        error that would stop the ingestion (the real ingestion is run),
        one line; warnings: unknown questions and the ingestion's warnings.
    """
    path = str(path)
    result = Inspection(path=path, kind="surveymonkey")
    suffix = Path(path).suffix.lower().lstrip(".")
    result.format = suffix if suffix in ("csv", "xlsx", "sav") else ""
    if codebook is None:
        return _inspect_without_codebook(path, result)
    try:
        raw = read_export(path, codebook.metadata_headings())
        columns = map_columns(raw, codebook)
    except CondensedExportError as error:
        result.format = f"{result.format}-condensed"
        result.problems.append(_one_line(error))
        return result
    except InputError as error:
        result.problems.append(_one_line(error))
        return result
    result.format = raw.format
    result.how = {**raw.how, "header_names": _header_names(raw, columns)}
    if collectors is None:
        result.how["collectors"] = "not checked (no config given)"
    try:
        order = file_date_order(raw, columns, date_order)
        source = "config" if (date_order or "auto") != "auto" else "values"
        result.how["date_order"] = f"{order} (from the {source})"
    except InputError:
        pass  # the ingestion below reports it
    result.counts = _column_counts(raw, columns, codebook)
    problems, warnings = _ingest_problems(
        path, codebook, _AnyCollector() if collectors is None else collectors, date_order
    )
    result.problems.extend(problems)
    result.warnings.extend(warnings)
    return result


def _inspect_without_codebook(path: str, result: Inspection) -> Inspection:
    """What can be said of an export without a codebook: its form and size."""
    try:
        raw = read_export(path)
    except InputError as error:
        result.problems.append(_one_line(error))
        return result
    result.format, result.how = raw.format, dict(raw.how)
    result.counts = {"respondents": len(raw), "columns": len(raw.headings)}
    result.warnings.append("no codebook given: questions, answers and metadata not checked")
    return result
