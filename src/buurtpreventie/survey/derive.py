"""Derived variables: buurt, groep, exclusions, demographics and the indicators.

Implements the codebook rules of docs/derivation.md on a table of coded
answers (one row per respondent, one column per question or statement, codes
as in the codebook, ``<NA>`` for skipped or empty). All functions are pure:
DataFrame in, DataFrame or Series out, index preserved.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from buurtpreventie.survey.codebook import Codebook, Indicator

__all__ = [
    "app_groups",
    "assign_groups",
    "indicator_scores",
    "option_derived",
]

EXPERIMENTAL = "E"
CONTROL = "C"


def option_derived(answers: pd.DataFrame, codebook: Codebook) -> pd.DataFrame:
    """Variables set by the ``derive`` attribute of the chosen options.

    For example the option "Samenwonend met inwonende kinderen" of question 20
    sets ``samenwonend = 1`` and ``inwonende_kinderen = 1``. A skipped question
    leaves its variables missing.

    Returns
    -------
    DataFrame
        One column per derived variable named in the codebook.
    """
    columns: dict[str, pd.Series] = {}
    for question in codebook.questions:
        if question.type != "single" or question.id not in answers:
            continue
        codes = answers[question.id]
        for option in question.options:
            chosen = codes == option.code
            for name, value in option.derive.items():
                if name not in columns:
                    dtype = "string" if isinstance(value, str) else "Int64"
                    columns[name] = pd.Series(pd.NA, index=answers.index, dtype=dtype)
                columns[name] = columns[name].mask(chosen.fillna(False), value)
    return pd.DataFrame(columns, index=answers.index)


def _ticked_names(names: list[str], ticked: np.ndarray) -> str:
    """The names whose box is ticked, sorted and joined by ``;`` ("" when none)."""
    return ";".join(sorted(n for n, t in zip(names, ticked, strict=True) if t))


def _distinct_rows(ticked: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The distinct rows of a boolean matrix and, per row, the index of its distinct row.

    As ``np.unique(ticked, axis=0, return_inverse=True)``, which sorts the rows
    as records and is several times slower: here each row is packed into bytes
    by hand and the byte strings are made unique.
    """
    packed = np.ascontiguousarray(np.packbits(ticked, axis=1, bitorder="little"))
    keys = packed.view(np.dtype((np.void, packed.shape[1]))).reshape(-1)
    distinct, which = np.unique(keys, return_inverse=True)
    distinct_bytes = distinct.view(np.uint8).reshape(len(distinct), packed.shape[1])
    rows = np.unpackbits(distinct_bytes, axis=1, count=ticked.shape[1], bitorder="little")
    return rows.astype(bool), which.reshape(-1)


def app_groups(answers: pd.DataFrame, codebook: Codebook) -> pd.Series:
    """The app groups ticked at the app-groups question, as ``"a;b"`` (sorted).

    The text is built once per distinct combination of ticked boxes, then
    looked up per respondent.
    """
    question = codebook.question(codebook.roles["app_groups"])
    present = {
        column: option.name
        for column, option in zip(question.column_ids, question.options, strict=True)
        if column in answers
    }
    if not present:
        return pd.Series(pd.NA, index=answers.index, dtype="string")
    ticked = answers[list(present)].fillna(False).astype(bool).to_numpy()
    combinations, which = _distinct_rows(ticked)
    names = list(present.values())
    labels = np.array([_ticked_names(names, row) for row in combinations], dtype=object)
    return pd.Series(labels[which], index=answers.index, dtype="string").replace("", pd.NA)


def _answer_is(answers: pd.DataFrame, codebook: Codebook, role: str, label: str) -> pd.Series:
    question = codebook.question(codebook.roles[role])
    return (answers[question.id] == question.code_of(label)).fillna(False).astype(bool)


def assign_groups(
    answers: pd.DataFrame,
    buurt: pd.Series,
    recruitment: pd.Series,
    codebook: Codebook,
) -> pd.DataFrame:
    """Assign ``groep`` (E or C) or one exclusion reason to every respondent.

    Rules (docs/derivation.md, section Groep and exclusions), tested in this order:

    1. ``lege_respons``: no question answered at all;
    2. ``buurt_onbekend``: question 1 not answered;
    3. ``buurt_gediskwalificeerd``: a buurt outside the study (question 1);
    4. ``deur_in_appgroep``: recruited door to door, but question 13 is "Ja";
    5. ``app_niet_in_appgroep``: recruited through the app link, but question 13
       is "Nee", or question 12 is "Nee" (so question 13 was skipped: in no app
       group at all);
    6. otherwise ``E`` for app recruitment and ``C`` for door recruitment.

    Parameters
    ----------
    answers : DataFrame
        Coded answers, all questions of the codebook as columns.
    buurt : Series
        The derived buurt (see :func:`option_derived`).
    recruitment : Series
        ``app`` or ``door`` from the collector mapping.

    Returns
    -------
    DataFrame
        Columns ``groep`` (E, C or missing) and ``reason`` (missing when included).
    """
    question_columns = [c for q in codebook.questions for c in q.column_ids if c in answers]
    empty = answers[question_columns].isna().all(axis=1)
    no_buurt = buurt.isna()
    outside = ~buurt.isin(list(codebook.buurten)) & ~no_buurt
    is_app = recruitment == "app"
    is_door = recruitment == "door"
    in_safety_group = _answer_is(answers, codebook, "in_safety_app_group", "Ja")
    not_in_safety_group = _answer_is(answers, codebook, "in_safety_app_group", "Nee") | _answer_is(
        answers, codebook, "in_app_group", "Nee"
    )
    conditions = [
        empty,
        no_buurt,
        outside,
        is_door & in_safety_group,
        is_app & not_in_safety_group,
    ]
    reasons = [
        "lege_respons",
        "buurt_onbekend",
        "buurt_gediskwalificeerd",
        "deur_in_appgroep",
        "app_niet_in_appgroep",
    ]
    unknown = set(reasons) - set(codebook.exclusions)
    if unknown:
        raise ValueError(f"{codebook.path}: exclusion reasons not described: {sorted(unknown)}")
    reason = pd.Series(
        np.select([c.to_numpy(dtype=bool) for c in conditions], reasons, default=""),
        index=answers.index,
        dtype="string",
    ).replace("", pd.NA)
    groep = pd.Series(
        np.where(is_app, EXPERIMENTAL, np.where(is_door, CONTROL, "")),
        index=answers.index,
        dtype="string",
    ).where(reason.isna())
    return pd.DataFrame({"groep": groep.replace("", pd.NA), "reason": reason})


def _valid_codes(answers: pd.DataFrame, codebook: Codebook, column: str) -> pd.Series:
    question = codebook.question(column)
    codes = answers[column].astype("Float64")
    return codes.mask(answers[column].isin(list(question.missing_codes)).fillna(False))


def _rule_based(answers: pd.DataFrame, codebook: Codebook, indicator: Indicator) -> pd.Series:
    result = pd.Series(np.nan, index=answers.index, dtype="Float64")
    decided = pd.Series(False, index=answers.index)
    for rule in indicator.rules:
        holds = pd.Series(True, index=answers.index)
        for column, label in rule.get("when", {}).items():
            code = codebook.question(column).code_of(label)
            holds &= (answers[column] == code).fillna(False).astype(bool)
        applies = holds & ~decided
        if "value" in rule:
            values = pd.Series(float(rule["value"]), index=answers.index, dtype="Float64")
        else:
            values = _valid_codes(answers, codebook, rule["from"])
        result = result.mask(applies, values)
        decided |= applies
    return result


def _scale_score(
    answers: pd.DataFrame, codebook: Codebook, indicator: Indicator, min_answered: int
) -> pd.Series:
    items = pd.DataFrame(
        {c: _valid_codes(answers, codebook, c) for c in indicator.items}, index=answers.index
    )
    for column in indicator.reversed_items:
        valid = [o.code for o in codebook.question(column).options if not o.missing]
        items[column] = (min(valid) + max(valid)) - items[column]
    answered = items.notna().sum(axis=1)
    return items.mean(axis=1, skipna=True).astype("Float64").where(answered >= min_answered)


def indicator_scores(answers: pd.DataFrame, codebook: Codebook, min_answered: int) -> pd.DataFrame:
    """The eight indicators per respondent.

    Single-question indicators take the code of their question, or a constant
    when a ``when`` condition holds (``onveiligheidsgevoel`` is 1 when question
    2 is "Nee", else the code of question 3). Codes marked missing in the
    codebook ("Weet ik niet", except on the Likert statements where it is the
    middle of the scale) and skipped questions give a missing value.

    A scale score is the mean of its answered statements, after reversing the
    reversed ones (``low + high - code``), and is missing when fewer than
    ``min_answered`` statements were answered.

    Returns
    -------
    DataFrame
        One float column per indicator, ``<NA>`` where missing.

    Raises
    ------
    ValueError
        When a value falls outside the indicator's range (a codebook error).
    """
    if min_answered < 1:
        raise ValueError(f"min_answered must be at least 1, not {min_answered}")
    scores = {}
    for indicator in codebook.indicators:
        if indicator.is_scale:
            values = _scale_score(answers, codebook, indicator, min_answered)
        else:
            values = _rule_based(answers, codebook, indicator)
        outside = values.notna() & ((values < indicator.low) | (values > indicator.high))
        if outside.any():
            raise ValueError(
                f"{codebook.path}: indicator {indicator.id} gives values outside "
                f"{indicator.low}-{indicator.high}; check its codes"
            )
        scores[indicator.id] = values
    return pd.DataFrame(scores, index=answers.index)
