"""The questionnaire as data: loading and querying ``resources/codebook.yaml``.

The codebook is the single place that knows question texts, answer labels and
their codes, skip logic, personal-data questions and the indicator rules. This
module turns the YAML into small immutable objects and offers the look-ups the
ingestion needs. It validates the file on load, so a mistake in the codebook
stops the run with the question it concerns.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from buurtpreventie.yamlio import load_yaml

__all__ = [
    "OTHER_WORDINGS",
    "Codebook",
    "Indicator",
    "Option",
    "Question",
    "Statement",
    "is_other_label",
    "load_codebook",
    "normalise_text",
]

QUESTION_TYPES = ("single", "checkbox", "matrix", "open")
PERSONAL_KINDS = ("name", "address", "email", "phone")

# Typographic quotes and dashes (as escapes, so the source stays unambiguous).
_QUOTES = str.maketrans(
    {"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"', "\u2013": "-", "\u2014": "-"}
)
_LEADING_NUMBER = re.compile(r"^\s*(?:[a-z]?\d+(?:\.\d+)*[.)]?\s+|[a-z]?\d+(?:\.\d+)*[.)]\s*)")
_TRAILING_PUNCTUATION = re.compile(r"[\s.:;?!]+$")
_WHITESPACE = re.compile(r"\s+")

OTHER_WORDINGS = ("other", "anders", "overig", "overige", "iets anders")
"""First words of SurveyMonkey's "Other (please specify)" option, in English and Dutch
("Other (please specify)", "Anders (graag specificeren)", "Anders, namelijk:",
"Overig, te weten")."""
_OTHER = re.compile(r"^(?:" + "|".join(OTHER_WORDINGS) + r")\b")


def normalise_text(text: object) -> str:
    """Normalise a heading or answer label for matching.

    Tolerates what differs between exports of the same questionnaire:
    Unicode composition, typographic quotes and dashes, white space, case,
    trailing punctuation and a leading question number ("9. Kunt u ..." and
    "Kunt u ..." are the same heading).

    Parameters
    ----------
    text : object
        The heading or label; ``None`` counts as empty.

    Returns
    -------
    str
        The normalised form (may be empty).
    """
    if text is None:
        return ""
    value = unicodedata.normalize("NFC", str(text)).translate(_QUOTES)
    value = _WHITESPACE.sub(" ", value).strip()
    value = _LEADING_NUMBER.sub("", value, count=1)
    value = _TRAILING_PUNCTUATION.sub("", value)
    return value.casefold()


def is_other_label(text: object) -> bool:
    """True for an "Other (please specify)" label or sub-heading, English or Dutch.

    Examples: "Other (please specify)", "Anders (graag specificeren)",
    "Anders, namelijk:", "Overig". "Andere buurt in Rotterdam" is not one.
    """
    return bool(_OTHER.match(normalise_text(text)))


@dataclass(frozen=True)
class Option:
    """One answer label of a single-choice or checkbox question."""

    label: str
    code: int
    missing: bool = False
    name: str | None = None
    derive: dict[str, Any] = field(default_factory=dict)
    other: bool = False  # the "Other (please specify)" option: its typed text is personal


@dataclass(frozen=True)
class Statement:
    """One statement (row) of a matrix question; its codes are the column's."""

    id: str
    text: str
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Question:
    """One question of the questionnaire."""

    id: str
    number: int
    text: str
    type: str
    aliases: tuple[str, ...] = ()
    options: tuple[Option, ...] = ()
    statements: tuple[Statement, ...] = ()
    personal: str | None = None
    skip_answers: tuple[str, ...] = ()
    skip_to: str | None = None

    @property
    def headings(self) -> tuple[str, ...]:
        """The question text and its aliases, normalised."""
        return tuple(normalise_text(t) for t in (self.text, *self.aliases))

    def option_by_label(self, label: str) -> Option | None:
        """The option whose label matches ``label`` after normalisation."""
        wanted = normalise_text(label)
        for option in self.options:
            if normalise_text(option.label) == wanted:
                return option
        return None

    @property
    def other_option(self) -> Option | None:
        """The "Other (please specify)" option: marked ``other: true``, or so worded."""
        marked = [o for o in self.options if o.other]
        worded = [o for o in self.options if is_other_label(o.label)]
        return (marked or worded or [None])[0]

    def code_of(self, label: str) -> int:
        """The code of an option label; raises ``KeyError`` for an unknown label."""
        option = self.option_by_label(label)
        if option is None:
            raise KeyError(f"question {self.id} has no answer {label!r}")
        return option.code

    @property
    def missing_codes(self) -> frozenset[int]:
        """Codes that count as missing in analyses (for example "Weet ik niet")."""
        return frozenset(o.code for o in self.options if o.missing)

    @property
    def column_ids(self) -> tuple[str, ...]:
        """The ids of the columns this question gives in the respondent table."""
        if self.type == "matrix":
            return tuple(s.id for s in self.statements)
        if self.type == "checkbox":
            return tuple(f"{self.id}_{o.name}" for o in self.options)
        return (self.id,)


@dataclass(frozen=True)
class Indicator:
    """One of the study's indicators, with its derivation rules."""

    id: str
    label: str
    low: float
    high: float
    rules: tuple[dict[str, Any], ...] = ()
    items: tuple[str, ...] = ()
    reversed_items: tuple[str, ...] = ()

    @property
    def is_scale(self) -> bool:
        """True for a scale (mean of statements), False for a single question."""
        return bool(self.items)


@dataclass(frozen=True)
class Codebook:
    """The whole codebook; see ``resources/codebook.yaml`` for the keys."""

    path: str
    metadata_columns: tuple[dict[str, Any], ...]
    subheadings: dict[str, str]
    questions: tuple[Question, ...]
    roles: dict[str, str]
    buurten: tuple[str, ...]
    indicators: tuple[Indicator, ...]
    exclusions: dict[str, str]

    def question(self, question_id: str) -> Question:
        """The question (or the matrix question of a statement) with this id."""
        for q in self.questions:
            if q.id == question_id or question_id in q.column_ids:
                return q
        raise KeyError(f"{self.path}: no question or statement {question_id!r}")

    def metadata_headings(self, meta_id: str | None = None) -> tuple[str, ...]:
        """Headings of the metadata columns (or of one): current names first, then aliases."""
        columns = [m for m in self.metadata_columns if meta_id in (None, m["id"])]
        current = [m["heading"] for m in columns]
        older = [a for m in columns for a in m.get("aliases", ())]
        return tuple(dict.fromkeys(current + older))

    def metadata_id(self, heading: str) -> tuple[str, bool] | None:
        """The metadata id a heading names, and whether it is the current name (not an alias)."""
        wanted = normalise_text(heading)
        for m in self.metadata_columns:
            if normalise_text(m["heading"]) == wanted:
                return m["id"], True
        for m in self.metadata_columns:
            if wanted in (normalise_text(a) for a in m.get("aliases", ())):
                return m["id"], False
        return None

    def find_question(self, heading: str) -> Question | None:
        """The question whose text or alias matches an export heading."""
        wanted = normalise_text(heading)
        for q in self.questions:
            if wanted in q.headings:
                return q
        return None

    @property
    def personal_metadata(self) -> frozenset[str]:
        """Normalised headings of metadata columns that hold personal data."""
        return frozenset(
            normalise_text(h)
            for m in self.metadata_columns
            if m.get("personal")
            for h in (m["heading"], *m.get("aliases", ()))
        )

    @property
    def derived_variables(self) -> tuple[str, ...]:
        """Names of the variables the options derive (buurt, geslacht, ...), in codebook order."""
        names = (name for q in self.questions for o in q.options for name in o.derive)
        return tuple(dict.fromkeys(names))

    def analysis_columns(self, *, items: bool = False) -> list[str]:
        """The respondent columns the analyses read: cell, pseudonym, derived, indicators.

        ``items=True`` adds the statements of the scales (for the reliability).
        Reading only these from the respondents' parquet files keeps a million
        respondents in memory as a few hundred MB.
        """
        columns = ["wave", "buurt", "groep", "pseudonym", *self.derived_variables]
        columns += [i.id for i in self.indicators]
        if items:
            columns += [item for i in self.indicators for item in i.items]
        return list(dict.fromkeys(columns))

    def indicator(self, indicator_id: str) -> Indicator:
        """The indicator with this id."""
        for ind in self.indicators:
            if ind.id == indicator_id:
                return ind
        raise KeyError(f"{self.path}: no indicator {indicator_id!r}")

    def questions_for(self, indicator: Indicator) -> tuple[str, ...]:
        """The question and statement ids an indicator is derived from."""
        ids: list[str] = list(indicator.items)
        for rule in indicator.rules:
            if "from" in rule:
                ids.append(rule["from"])
            ids.extend(rule.get("when", {}))
        return tuple(dict.fromkeys(ids))


def _options(raw: list[dict[str, Any]], where: str) -> tuple[Option, ...]:
    options = []
    for item in raw:
        if "label" not in item or "code" not in item:
            raise ValueError(f"{where}: every option needs a label and a code")
        options.append(
            Option(
                label=str(item["label"]),
                code=int(item["code"]),
                missing=bool(item.get("missing", False)),
                name=item.get("name"),
                derive=dict(item.get("derive", {})),
                other=bool(item.get("other", False)),
            )
        )
    codes = [o.code for o in options]
    if len(set(codes)) != len(codes):
        raise ValueError(f"{where}: option codes must be unique")
    return tuple(options)


def _question(raw: dict[str, Any], answer_sets: dict[str, Any], path: str) -> Question:
    qid = raw.get("id")
    where = f"{path}: question {qid!r}"
    qtype = raw.get("type")
    if qtype not in QUESTION_TYPES:
        raise ValueError(f"{where}: type must be one of {QUESTION_TYPES}, not {qtype!r}")
    personal = raw.get("personal")
    if personal is not None and personal not in PERSONAL_KINDS:
        raise ValueError(f"{where}: personal must be one of {PERSONAL_KINDS}")
    if qtype == "matrix":
        set_name = raw.get("answers")
        if set_name not in answer_sets:
            raise ValueError(f"{where}: unknown answer set {set_name!r}")
        options = _options(answer_sets[set_name], where)
    else:
        options = _options(raw.get("options", []), where)
    if qtype == "checkbox" and any(not o.name for o in options):
        raise ValueError(f"{where}: checkbox options need a `name`")
    statements = tuple(
        Statement(id=s["id"], text=s["text"], aliases=tuple(s.get("aliases", ())))
        for s in raw.get("statements", [])
    )
    skip = raw.get("skip") or {}
    for answer in skip.get("answers", []):
        if not any(normalise_text(o.label) == normalise_text(answer) for o in options):
            raise ValueError(f"{where}: skip answer {answer!r} is not an option")
    return Question(
        id=qid,
        number=int(raw["number"]),
        text=str(raw["text"]),
        type=qtype,
        aliases=tuple(raw.get("aliases", ())),
        options=options,
        statements=statements,
        personal=personal,
        skip_answers=tuple(skip.get("answers", ())),
        skip_to=skip.get("to"),
    )


def _indicator(indicator_id: str, raw: dict[str, Any]) -> Indicator:
    low, high = raw["range"]
    scale = raw.get("scale") or {}
    return Indicator(
        id=indicator_id,
        label=str(raw.get("label", indicator_id)),
        low=float(low),
        high=float(high),
        rules=tuple(raw.get("rules", ())),
        items=tuple(scale.get("items", ())),
        reversed_items=tuple(scale.get("reversed", ())),
    )


def load_codebook(path: str | Path) -> Codebook:
    """Read and check the codebook.

    Parameters
    ----------
    path : str or Path
        The YAML file (``resources/codebook.yaml``).

    Returns
    -------
    Codebook

    Raises
    ------
    ValueError
        When the codebook contradicts itself: an unknown question in a rule,
        a skip to a question that does not exist, duplicate ids or codes.
    """
    path = str(path)
    with open(path, encoding="utf-8") as handle:
        raw = load_yaml(handle)
    answer_sets = raw.get("answer_sets", {})
    questions = tuple(_question(q, answer_sets, path) for q in raw["questions"])
    ids = [c for q in questions for c in dict.fromkeys((q.id, *q.column_ids))]
    duplicates = {i for i in ids if ids.count(i) > 1}
    if duplicates:
        raise ValueError(f"{path}: ids used twice: {sorted(duplicates)}")
    question_ids = {q.id for q in questions}
    for q in questions:
        if q.skip_to not in (None, "end") and q.skip_to not in question_ids:
            raise ValueError(f"{path}: question {q.id} skips to unknown {q.skip_to!r}")
    book = Codebook(
        path=path,
        metadata_columns=tuple(raw["metadata_columns"]),
        subheadings=dict(raw["subheadings"]),
        questions=questions,
        roles=dict(raw["roles"]),
        buurten=tuple(raw["buurten"]),
        indicators=tuple(_indicator(k, v) for k, v in raw["indicators"].items()),
        exclusions=dict(raw.get("exclusions", {})),
    )
    for indicator in book.indicators:
        for column in book.questions_for(indicator):
            book.question(column)  # raises KeyError naming the unknown id
    return book
