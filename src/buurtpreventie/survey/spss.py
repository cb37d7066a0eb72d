"""The clean respondents of a wave as an SPSS file (``results/respondents/<wave>.sav``).

The report's authors worked in SPSS; this writes the pseudonymised respondents
of one wave (the columns of the wave's parquet file, no others) with what an
SPSS user expects, all taken from the codebook:

- **variable labels**: the question text; a matrix statement or checkbox
  option as ``question - statement`` (as SurveyMonkey's own SPSS export
  labels them); derived variables, indicators and metadata get a Dutch
  description (:data:`DESCRIPTIONS`, the indicators' ``label`` and rule);
- **value labels**: the answer labels on the codes (``Ja`` on 1, ``Nee`` on
  0 ...); a checkbox is 0/1 (niet aangevinkt/aangevinkt); the derived
  demographics get the labels of the options that derive them;
- **user-missing values**: every code the codebook marks ``missing: true``
  ("Weet ik niet": 9, or 99 for question 8). The matrix questions' "Weet ik
  niet" is the middle of the scale in this study, not missing, and stays a
  valid 3;
- **measurement level** and **format** (width and decimals) per variable.

Text columns (wave, buurt, groep, geslacht ...) stay strings; an empty string
is SPSS's missing text. Nothing is added to the respondents: a column the
codebook does not know and :data:`DESCRIPTIONS` does not describe stops the
job, and a personal column (questions 22-25, IP or e-mail address ...) is
refused, even though ingestion never lets one through.

The file's bytes depend only on the data and the codebook: the creation time
SPSS stores in the file header is set to a fixed value (:data:`CREATED`).
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pyreadstat

from buurtpreventie.survey.codebook import Codebook, Question
from buurtpreventie.survey.describe import CHARACTERISTICS

__all__ = [
    "CHECKBOX_LABELS",
    "CREATED",
    "DESCRIPTIONS",
    "ORDINAL_QUESTIONS",
    "SavLayout",
    "sav_layout",
    "write_respondents_sav",
]

log = logging.getLogger(__name__)

DESCRIPTIONS = {
    "respondent_id": "Respondent-ID (SurveyMonkey)",
    "wave": "Meting",
    "source": "Exportbestand waaruit de respons komt",
    "source_row": "Regel van de respons in het exportbestand",
    "recruitment": "Werving: via de appgroep (app) of huis-aan-huis (door)",
    "groep": "Onderzoeksgroep: E = experimentele groep, C = controlegroep",
    "buurt": "Buurt",
    "geslacht": "Geslacht",
    "leeftijdscategorie": "Leeftijdscategorie",
    "samenwonend": "Samenwonend",
    "inwonende_kinderen": "Inwonende kinderen",
    "app_groepen": "Appgroepen waaraan de respondent deelneemt (gescheiden door ;)",
    "start_date": "Begonnen aan de vragenlijst",
    "end_date": "Laatst gewijzigd",
    "pseudonym": "Panelpseudoniem (gesleuteld; leeg zonder toestemming of zonder sleutel)",
}
"""Dutch descriptions of the columns that are no question of the codebook.

The derived demographics and ``app_groepen`` get the number of the question they
come from appended ("Buurt (vraag 1)"); the indicators are described from the
codebook's ``indicators``.
"""

STRING_VALUE_LABELS = {
    "groep": {"E": "Experimentele groep (appgroep)", "C": "Controlegroep"},
    "recruitment": {"app": "Via de appgroep", "door": "Huis-aan-huis"},
}
"""Value labels of the coded text columns whose codes are no Dutch words."""

ORDINAL_QUESTIONS = frozenset({"q3", "q4", "q8", "q15", "q16", "q17", "q19"})
"""Single-choice questions whose answers are ordered (how often, the mark, how long,
the age category). The codebook has no field for the measurement level; matrix
statements are ordinal, every other question nominal."""

CHECKBOX_LABELS = {0.0: "Niet aangevinkt", 1.0: "Aangevinkt"}
"""Value labels of a checkbox option, coded 0/1."""

CREATED = b"01 Jan 7000:00:00"
"""The creation date and time in the file header (``dd mmm yyhh:mm:ss``): fixed,
so that the same respondents give the same file."""

_PERSONAL_METADATA = ("ip_address", "email_address", "first_name", "last_name")
_HEADER_STAMP = slice(92, 109)  # creation_date[9] + creation_time[8] of the SAV header
_STAMP = re.compile(rb"\d\d [A-Z][a-z]{2} \d\d\d\d:\d\d:\d\d")
_LABEL_BYTES = 256  # SPSS's longest variable label


@dataclass(frozen=True)
class SavLayout:
    """The respondents as SPSS holds them, and what SPSS says about each variable.

    ``frame`` has the columns of the respondents, in their order: codes and
    numbers as float (missing NaN), checkboxes 0/1, text as str (missing ``""``
    once written), dates as datetime.
    """

    frame: pd.DataFrame
    column_labels: dict[str, str]
    value_labels: dict[str, dict[object, str]]
    missing: dict[str, list[float]]
    measure: dict[str, str]
    formats: dict[str, str]
    widths: dict[str, int]
    file_label: str
    note: list[str]  # SPSS's document: lines of at most 80 bytes


def _fits(label: str, column: str) -> str:
    """The label, cut to SPSS's 256 bytes (with a warning) when longer."""
    data = label.encode("utf-8")
    if len(data) <= _LABEL_BYTES:
        return label
    log.warning("label of %s is longer than SPSS's %d bytes: cut", column, _LABEL_BYTES)
    return data[: _LABEL_BYTES - 3].decode("utf-8", errors="ignore") + "..."


def _question_columns(codebook: Codebook) -> dict[str, tuple[Question, str]]:
    """Column id -> (question, variable label) for every column a question gives."""
    columns: dict[str, tuple[Question, str]] = {}
    for question in codebook.questions:
        if question.type == "matrix":
            for statement in question.statements:
                columns[statement.id] = (question, f"{question.text} - {statement.text}")
        elif question.type == "checkbox":
            for option in question.options:
                columns[f"{question.id}_{option.name}"] = (
                    question,
                    f"{question.text} - {option.label}",
                )
        else:
            columns[question.id] = (question, question.text)
    return columns


def _personal_columns(codebook: Codebook) -> set[str]:
    personal = {c for q in codebook.questions if q.personal for c in q.column_ids}
    personal |= {m["id"] for m in codebook.metadata_columns if m.get("personal")}
    return personal | set(_PERSONAL_METADATA)


def _derived_sources(codebook: Codebook) -> dict[str, Question]:
    """Derived variable -> the question whose options derive it; app_groepen -> its role."""
    sources = {
        name: question
        for question in codebook.questions
        for option in question.options
        for name in option.derive
    }
    if "app_groups" in codebook.roles:
        sources["app_groepen"] = codebook.question(codebook.roles["app_groups"])
    return sources


def _derived_value_labels(name: str, question: Question) -> dict[object, str]:
    """Labels of a derived variable's values: the option that derives each, or the
    report's words (describe.CHARACTERISTICS) when several options derive one value."""
    options: dict[object, list[str]] = {}
    for option in question.options:
        if name in option.derive:
            options.setdefault(option.derive[name], []).append(option.label)
    words = {value: label for label, variable, value in CHARACTERISTICS if variable == name}
    labels: dict[object, str] = {}
    for value, texts in options.items():
        if isinstance(value, bool | str):
            continue  # text values (buurt, geslacht) speak for themselves
        labels[float(value)] = texts[0] if len(texts) == 1 else words.get(value, "; ".join(texts))
    return labels


def _indicator_label(codebook: Codebook, indicator_id: str) -> str:
    indicator = codebook.indicator(indicator_id)
    scope = f"bereik {indicator.low:g}-{indicator.high:g}"
    if indicator.is_scale:
        reversed_ = (
            f" ({', '.join(indicator.reversed_items)} omgepoold)"
            if indicator.reversed_items
            else ""
        )
        items = ", ".join(indicator.items)
        return f"{indicator.label}: schaal, gemiddelde van {items}{reversed_}; {scope}"
    sources = ", ".join(codebook.questions_for(indicator))
    return f"{indicator.label}: indicator uit {sources}; {scope}"


def _as_numbers(values: pd.Series) -> pd.Series:
    """Codes, booleans and numbers as float64, missing as NaN."""
    if pd.api.types.is_bool_dtype(values.dtype):
        values = values.astype("Int64")
    return pd.Series(
        pd.to_numeric(values).to_numpy(dtype="float64", na_value=np.nan), index=values.index
    )


def _as_text(values: pd.Series) -> pd.Series:
    return pd.Series(
        [None if pd.isna(v) else str(v) for v in values], index=values.index, dtype=object
    )


def _code_format(codes: list[float]) -> str:
    width = max((len(str(int(abs(c)))) + (c < 0) for c in codes), default=1)
    return f"F{max(width, 1)}.0"


def sav_layout(respondents: pd.DataFrame, codebook: Codebook, wave: str) -> SavLayout:
    """The SPSS layout of one wave's respondents (see the module's docstring).

    Parameters
    ----------
    respondents : DataFrame
        The wave's respondents as ingestion writes them
        (``results/respondents/<wave>.parquet``).
    codebook : Codebook
    wave : str
        The wave id, for the file label.

    Returns
    -------
    SavLayout

    Raises
    ------
    ValueError
        For a personal column, or a column neither the codebook nor
        :data:`DESCRIPTIONS` describes.
    """
    questions = _question_columns(codebook)
    personal = _personal_columns(codebook)
    derived = _derived_sources(codebook)
    indicators = {i.id for i in codebook.indicators}
    frame: dict[str, pd.Series] = {}
    labels: dict[str, str] = {}
    value_labels: dict[str, dict[object, str]] = {}
    missing: dict[str, list[float]] = {}
    measure: dict[str, str] = {}
    formats: dict[str, str] = {}
    for column in respondents.columns:
        values = respondents[column]
        if column in personal:
            raise ValueError(f"respondents of {wave}: column {column!r} holds personal data")
        if column in questions:
            question, label = questions[column]
            labels[column] = label
            if question.type == "open":
                frame[column] = _as_text(values)
                measure[column] = "nominal"
                continue
            frame[column] = _as_numbers(values)
            if question.type == "checkbox":
                value_labels[column] = dict(CHECKBOX_LABELS)
                measure[column] = "nominal"
                formats[column] = "F1.0"
                continue
            codes = [float(o.code) for o in question.options]
            value_labels[column] = {float(o.code): o.label for o in question.options}
            user_missing = sorted(float(o.code) for o in question.options if o.missing)
            if len(user_missing) > 3:
                raise ValueError(
                    f"{codebook.path}: question {question.id} marks {len(user_missing)} answers "
                    "missing; SPSS holds at most 3 missing values per variable"
                )
            if user_missing:
                missing[column] = user_missing
            ordinal = question.type == "matrix" or question.id in ORDINAL_QUESTIONS
            measure[column] = "ordinal" if ordinal else "nominal"
            formats[column] = _code_format(codes)
        elif column in indicators:
            frame[column] = _as_numbers(values)
            labels[column] = _indicator_label(codebook, column)
            measure[column] = "scale"
            formats[column] = "F8.2" if codebook.indicator(column).is_scale else "F8.0"
        elif column in DESCRIPTIONS:
            label = DESCRIPTIONS[column]
            if column in derived:
                label = f"{label} (vraag {derived[column].number})"
            labels[column] = label
            if pd.api.types.is_datetime64_any_dtype(values.dtype):
                frame[column] = values.astype("datetime64[us]")
                measure[column] = "scale"
            elif pd.api.types.is_numeric_dtype(values.dtype):
                frame[column] = _as_numbers(values)
                value = _derived_value_labels(column, derived[column]) if column in derived else {}
                if value:
                    value_labels[column] = value
                ordinal = column in derived and derived[column].id in ORDINAL_QUESTIONS
                measure[column] = "ordinal" if ordinal else "nominal"
                formats[column] = _code_format([*value, *frame[column].dropna()])
            else:
                frame[column] = _as_text(values)
                if column in STRING_VALUE_LABELS:
                    value_labels[column] = dict(STRING_VALUE_LABELS[column])
                measure[column] = "nominal"
        else:
            raise ValueError(
                f"respondents of {wave}: column {column!r} is no question of {codebook.path} and "
                "has no description in buurtpreventie.survey.spss.DESCRIPTIONS"
            )
    table = pd.DataFrame(frame, index=respondents.index).reset_index(drop=True)
    widths = {c: max(8, min(len(c), 20)) for c in table.columns}
    for column in table.columns:
        if pd.api.types.is_datetime64_any_dtype(table[column].dtype):
            widths[column] = 20  # dd-mmm-yyyy hh:mm:ss
        elif table[column].dtype == object:
            longest = table[column].dropna().map(len).max()
            widths[column] = max(8, min(int(0 if pd.isna(longest) else longest), 40))
    return SavLayout(
        frame=table,
        column_labels={c: _fits(label, c) for c, label in labels.items()},
        value_labels=value_labels,
        missing=missing,
        measure=measure,
        formats=formats,
        widths=widths,
        file_label=f"Buurtpreventie {wave}"[:64],
        note=[
            f"Buurtpreventie, meting {wave}"[:80],
            "De geincludeerde respondenten, gepseudonimiseerd, zonder persoonsgegevens.",
            "Labels en codes uit het codeboek; 'Weet ik niet' is user-missing",
            "waar het codeboek het als ontbrekend markeert.",
        ],
    )


def write_respondents_sav(
    respondents: pd.DataFrame, codebook: Codebook, wave: str, path: str | Path
) -> SavLayout:
    """Write one wave's respondents as an SPSS ``.sav`` file; returns the layout written.

    See :func:`sav_layout`; the header's creation time is :data:`CREATED`.
    """
    layout = sav_layout(respondents, codebook, wave)
    pyreadstat.write_sav(
        layout.frame,
        str(path),
        file_label=layout.file_label,
        column_labels=layout.column_labels,
        note=layout.note,
        variable_value_labels=layout.value_labels,
        missing_ranges=layout.missing,
        variable_display_width=layout.widths,
        variable_measure=layout.measure,
        variable_format=layout.formats,
    )
    _fix_creation_time(Path(path))
    return layout


def _fix_creation_time(path: Path) -> None:
    """Set the header's creation date and time to :data:`CREATED`."""
    with path.open("r+b") as handle:
        handle.seek(_HEADER_STAMP.start)
        stamp = handle.read(_HEADER_STAMP.stop - _HEADER_STAMP.start)
        if not _STAMP.fullmatch(stamp):  # a readstat that writes another header
            raise ValueError(f"{path}: no SPSS creation time at bytes 92-108 ({stamp!r})")
        handle.seek(_HEADER_STAMP.start)
        handle.write(CREATED)
