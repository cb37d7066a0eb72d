"""Claims: what a result sentence of the report asserts, checked against the tables.

Every sentence of the report that states or presumes a result is written
together with one or more :class:`Claim` objects (by
:mod:`buurtpreventie.report.text`). A claim names the table and the rows it
rests on and what it asserts about them. :func:`check_claims` recomputes each
claim from the tables on its own code path (look the rows up by their keys,
test the condition, count, classify) and returns one line per false claim; the
report rule fails when there is one. :func:`claims_frame` gives the table
``results/report/claims.csv``.

The little languages
--------------------
``rows`` selects rows: ``"indicator=alertheid;buurt=lombardijen"`` (``;``
between keys, ``|`` between allowed values, ``buurt=`` for an empty cell, the
empty string for the whole table). Values compare as text.

``asserts`` is a condition on a row, terms joined by ``" & "``:

- ``p<alpha``, ``p>=alpha`` (any column; ``alpha`` is the checker's alpha);
- ``d>0``, ``d<0``, ``d=0``, ``verdict=supported`` (a column against a constant);
  ``score=`` (an empty cell), ``score!=`` (a filled one), ``!=`` for any other value;
- ``intended(estimate)>0``, ``intended(estimate)<0``: the sign of the column
  times the intended direction of the row's indicator (``better`` in
  ``resources/report/words.yaml``);
- ``abs(d)<mde_d``: a column (or its absolute value) against another column;
  ``score!=computed_score``: two text columns (``=``/``!=`` compare as text);
- ``notna(p)``.

What a claim asserts, per ``kind``:

==================  =========================================================
``significant``      the one selected row has ``asserts`` (a p column) < alpha
``not_significant``  ... has it >= alpha (or missing)
``direction``        the sign of column ``asserts`` of the one row is ``value``
``count``            ``value`` selected rows satisfy ``asserts``
``all``              every selected row (``value`` of them, at least one) satisfies it
``none``             no selected row satisfies it (``asserts`` empty: no row selected)
``equals``           the one row satisfies ``asserts`` (``verdict=supported``)
``verdict``          the one row of ``hypothesis`` has verdict ``value``
``superlative``      among the selected rows, ``asserts`` (``max abs(d)``) is
                     reached by the row ``value`` (its keys, as in ``rows``)
``size``             \\|column ``asserts``\\| of the one row is in size class
                     ``value`` (:data:`EFFECT_SIZES`)
``chance``           alpha x (selected rows with ``notna(asserts)``) is ``value``
``at_most_chance``   ``value`` (a count) is no more than alpha x the tests
                     selected (``notna(asserts)``)
``above_chance``     ``value`` is more than that
``max``, ``min``,    the maximum / minimum / sum of column ``asserts`` over the rows
``sum``              is ``value``
``mean``             the mean over the rows is ``value``: ``asserts`` is a column
                     (``pct``), a weighted mean (``mean weighted base``) or the
                     mean of the sums per value of a key (``messages per month``)
``pairs``            ``asserts`` ``mean[groep=E]>mean[groep=C] per buurt,wave``:
                     the selected rows of the two sides paired on the keys;
                     ``value`` ``"k/n"``: n pairs, k of them with the comparison
==================  =========================================================
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

# The report's significance level, from the study's constants.
from buurtpreventie.constants import ALPHA
from buurtpreventie.yamlio import load_yaml

__all__ = [
    "ALPHA",
    "EFFECT_SIZES",
    "KINDS",
    "Claim",
    "check_claims",
    "claims_frame",
    "load_directions",
    "load_effect_sizes",
    "rows_key",
    "size_word",
]

_ROOT = Path(__file__).resolve().parents[3]
#: The effect-size convention (Cohen 1988), ``resources/report/effect_sizes.yaml``.
EFFECT_SIZES = _ROOT / "resources" / "report" / "effect_sizes.yaml"
_WORDS = _ROOT / "resources" / "report" / "words.yaml"
KINDS = (
    "significant",
    "not_significant",
    "direction",
    "count",
    "all",
    "none",
    "equals",
    "verdict",
    "superlative",
    "size",
    "chance",
    "at_most_chance",
    "above_chance",
    "max",
    "min",
    "sum",
    "mean",
    "pairs",
)
_TOLERANCE = 1e-6
_TERM = re.compile(r"^(?:(intended|notna|abs)\()?(\w+)\)?\s*(<=|>=|!=|<|>|=)?\s*(.*)$")
_PAIRS = re.compile(r"^(\w+)\[([^\]]*)\]\s*(<=|>=|!=|<|>|=)\s*(\w+)\[([^\]]*)\]\s+per\s+([\w,]+)$")


@dataclass(frozen=True)
class Claim:
    """One thing a result sentence asserts, with the rows it rests on.

    Attributes
    ----------
    section : str
        The chapter the sentence is in (``"samenvatting"``, ``"bevindingen"``...).
    sentence : str
        The sentence's id (``"did.summary"``).
    kind : str
        One of :data:`KINDS` (what is asserted; see the module).
    table : str
        The results table (``"did"`` for ``results/tables/did.csv``).
    rows : str
        Which rows (``"indicator=alertheid;buurt=lombardijen"``).
    value : object
        The value the sentence states or rests on (a count, a sign, a word).
    asserts : str
        The condition or column (``"p<alpha"``, ``"d"``).
    """

    section: str
    sentence: str
    kind: str
    table: str
    rows: str
    value: object
    asserts: str

    def describe(self) -> str:
        """The claim in one line: ``count did[wave_to=nameting] p<alpha = 3``."""
        return f"{self.kind} {self.table}[{self.rows}] {self.asserts} = {self.value}"


def rows_key(**keys: object) -> str:
    """``rows`` from keywords: ``rows_key(indicator="a", buurt="b")`` -> ``"indicator=a;buurt=b"``.

    A list or tuple value allows several values (``|``).
    """
    parts = []
    for key, value in keys.items():
        if isinstance(value, (list, tuple, set, frozenset)):
            value = "|".join(str(v) for v in value)
        parts.append(f"{key}={'' if value is None else value}")
    return ";".join(parts)


def claims_frame(claims: Iterable[Claim]) -> pd.DataFrame:
    """The claims as ``results/report/claims.csv``: section, sentence, claim, table, rows, value."""
    columns = ["section", "sentence", "claim", "table", "rows", "value"]
    records = [
        {
            "section": c.section,
            "sentence": c.sentence,
            "claim": f"{c.kind}: {c.asserts}".rstrip(": "),
            "table": c.table,
            "rows": c.rows,
            "value": c.value,
        }
        for c in claims
    ]
    return pd.DataFrame(records, columns=columns)


# --- conventions ---------------------------------------------------------------------


def load_effect_sizes(path: str | Path = EFFECT_SIZES) -> list[tuple[float, str]]:
    """The size classes of ``effect_sizes.yaml``: (lower bound of |d|, word), ascending."""
    with open(path, encoding="utf-8") as handle:
        raw = load_yaml(handle)
    return sorted((float(c["from"]), str(c["word"])) for c in raw["classes"])


def size_word(d: float, classes: Sequence[tuple[float, str]] | None = None) -> str:
    """The size class of Cohen's d: ``size_word(0.35)`` -> ``"klein"`` (Cohen 1988)."""
    classes = load_effect_sizes() if classes is None else classes
    word = classes[0][1]
    for bound, name in classes:
        if abs(float(d)) >= bound:
            word = name
    return word


def load_directions(path: str | Path = _WORDS) -> dict[str, int]:
    """Indicator -> intended direction (+1/-1), ``better`` of ``words.yaml``."""
    with open(path, encoding="utf-8") as handle:
        raw = load_yaml(handle)
    return {k: int(v["better"]) for k, v in raw["indicators"].items()}


STUDY = "*"
"""The ``rows`` of a claim about every row of its table, in every buurt of the study."""


# --- the checker -----------------------------------------------------------------------


def _select(
    frame: pd.DataFrame, rows: str, texts: dict[str, pd.Series] | None = None
) -> pd.DataFrame:
    """The rows of ``frame`` that ``rows`` selects (text comparison, empty = missing).

    ``*`` selects every row of the study, and says so: a claim about the whole
    study that is never narrowed to the buurten a report shows. ``texts`` keeps the
    key columns of ``frame`` as text between calls (a report checks hundreds of
    claims on the same few tables).
    """
    if rows == STUDY:
        return frame
    keep = pd.Series(True, index=frame.index)
    for part in filter(None, rows.split(";")):
        key, _, wanted = part.partition("=")
        if key not in frame.columns:
            raise KeyError(f"no column {key!r}")
        if texts is None:
            text = frame[key].map(_as_text)
        else:
            if key not in texts:
                texts[key] = frame[key].map(_as_text)
            text = texts[key]
        keep &= text.isin(wanted.split("|"))
    return frame[keep]


def _as_text(value: object) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _number(value: object) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        return math.nan


def _sign(value: float) -> int:
    return 0 if math.isnan(value) or value == 0 else (1 if value > 0 else -1)


def _term(row: Mapping, term: str, alpha: float, directions: Mapping[str, int]) -> bool:
    """One condition term on one row (see the module)."""
    match = _TERM.match(term.strip())
    if not match:
        raise ValueError(f"unreadable condition {term!r}")
    func, column, op, right = match.groups()
    if column not in row:
        raise KeyError(f"no column {column!r}")
    cell = row[column]
    if func == "notna":
        return not math.isnan(_number(cell)) if op is None else False
    if op is None:
        raise ValueError(f"condition without comparison: {term!r}")
    if right in row and right != column:
        limit = _number(row[right])  # a column on the right: abs(d)<mde_d
        if op in ("=", "!=") and (math.isnan(limit) or math.isnan(_number(cell))):
            same = _as_text(cell) == _as_text(row[right])  # text columns: score!=computed_score
            return same if op == "=" else not same
    elif right == "alpha":
        limit = alpha
    elif math.isnan(_number(right)):
        same = _as_text(cell) == right
        return same if op == "=" else (not same if op == "!=" else False)
    else:
        limit = _number(right)
    left = _number(cell)
    if func == "intended":
        left = _sign(left) * int(directions[str(row["indicator"])])
    elif func == "abs":
        left = abs(left)
    if math.isnan(left) or math.isnan(limit):
        return op == ">=" and right == "alpha"  # a missing p is not significant
    return {
        "<": left < limit,
        ">": left > limit,
        "<=": left <= limit,
        ">=": left >= limit,
        "=": abs(left - limit) <= _TOLERANCE,
        "!=": abs(left - limit) > _TOLERANCE,
    }[op]


def _holds(row: Mapping, asserts: str, alpha: float, directions: Mapping[str, int]) -> bool:
    return all(_term(row, t, alpha, directions) for t in asserts.split(" & ") if t.strip())


def _one(frame: pd.DataFrame) -> dict:
    if len(frame) != 1:
        raise LookupError(f"{len(frame)} rows match, expected one")
    return frame.iloc[0].to_dict()


def _same(a: object, b: object) -> bool:
    x, y = _number(a), _number(b)
    if math.isnan(x) or math.isnan(y):
        return _as_text(a) == _as_text(b)
    return abs(x - y) <= max(_TOLERANCE, 1e-9 * abs(y))


def _superlative(frame: pd.DataFrame, claim: Claim) -> bool:
    how, _, column = claim.asserts.partition(" ")
    magnitude = column.startswith("abs(")
    column = column.removeprefix("abs(").removesuffix(")")
    values = frame[column].map(_number)
    values = values.abs() if magnitude else values
    best = values.max() if how == "max" else values.min()
    winner = _select(frame, str(claim.value))
    return len(winner) == 1 and _same(values.loc[winner.index[0]], best)


def _mean(frame: pd.DataFrame, asserts: str) -> float:
    """``pct``, ``mean weighted base``, ``messages per month`` (see the module)."""
    column, _, rest = asserts.partition(" ")
    how, _, other = rest.partition(" ")
    values = frame[column].map(_number)
    if how == "weighted":
        weights = frame[other].map(_number)
        return float((values * weights).sum() / weights.sum())
    if how == "per":
        sums: dict[str, float] = {}
        for key, value in zip(frame[other].map(_as_text), values, strict=True):
            sums[key] = sums.get(key, 0.0) + (0.0 if math.isnan(value) else value)
        return sum(sums.values()) / len(sums) if sums else math.nan
    if how:
        raise ValueError(f"unreadable mean {asserts!r}")
    return float(values.mean())


def _pairs(frame: pd.DataFrame, claim: Claim) -> bool:
    """``mean[groep=E]>mean[groep=C] per buurt,wave`` = ``"k/n"`` (see the module)."""
    match = _PAIRS.match(claim.asserts.strip())
    if not match:
        raise ValueError(f"unreadable pairs {claim.asserts!r}")
    left_col, left_rows, op, right_col, right_rows, keys = match.groups()
    keys = keys.split(",")

    def side(rows: str, column: str) -> dict[tuple, object]:
        part = _select(frame, rows)
        return {tuple(_as_text(r[k]) for k in keys): r[column] for r in part.to_dict("records")}

    left, right = side(left_rows, left_col), side(right_rows, right_col)
    both = [k for k in left if k in right]
    holding = sum(_term({"a": left[k], "b": right[k]}, f"a{op}b", ALPHA, {}) for k in both)
    return str(claim.value) == f"{holding}/{len(both)}"


@dataclass
class _Seen:
    """One table's key columns as text, and its rows per ``rows`` of a claim, kept
    while checking a report's claims (many claims read the same rows)."""

    texts: dict[str, pd.Series] = field(default_factory=dict)
    selections: dict[str, pd.DataFrame] = field(default_factory=dict)


def _check(
    claim: Claim,
    frame: pd.DataFrame,
    alpha: float,
    directions: Mapping[str, int],
    classes: Sequence[tuple[float, str]],
    seen: _Seen | None = None,
) -> bool:
    """Is ``claim`` true of ``frame`` (its table)? ``seen``: what earlier claims on
    the same table selected."""
    seen = _Seen() if seen is None else seen
    if claim.rows not in seen.selections:
        seen.selections[claim.rows] = _select(frame, claim.rows, seen.texts)
    rows = seen.selections[claim.rows]
    kind = claim.kind

    def holding(asserts: str) -> int:
        return sum(_holds(r, asserts, alpha, directions) for r in rows.to_dict("records"))

    def tests() -> int:
        return int(rows[claim.asserts].map(_number).notna().sum())

    if kind == "significant":
        return _number(_one(rows)[claim.asserts]) < alpha
    if kind == "not_significant":
        p = _number(_one(rows)[claim.asserts])
        return math.isnan(p) or p >= alpha
    if kind == "direction":
        return _sign(_number(_one(rows)[claim.asserts])) == int(claim.value)
    if kind == "count":
        return holding(claim.asserts) == int(claim.value)
    if kind == "all":
        return len(rows) > 0 and holding(claim.asserts) == len(rows) == int(claim.value)
    if kind == "none":
        return rows.empty if not claim.asserts else holding(claim.asserts) == 0
    if kind == "equals":
        return _holds(_one(rows), claim.asserts, alpha, directions)
    if kind == "verdict":
        return _as_text(_one(rows)["verdict"]) == str(claim.value)
    if kind == "superlative":
        return _superlative(rows, claim)
    if kind == "size":
        return size_word(_number(_one(rows)[claim.asserts]), classes) == str(claim.value)
    if kind == "chance":
        return _same(alpha * tests(), claim.value)
    if kind == "at_most_chance":
        return int(claim.value) <= alpha * tests()
    if kind == "above_chance":
        return int(claim.value) > alpha * tests()
    if kind in ("max", "min", "sum"):
        values = rows[claim.asserts].map(_number)
        found = {"max": values.max, "min": values.min, "sum": values.sum}[kind]()
        return _same(found, claim.value)
    if kind == "mean":
        return _same(_mean(rows, claim.asserts), claim.value)
    if kind == "pairs":
        return _pairs(rows, claim)
    raise ValueError(f"unknown kind {kind!r}")


def check_claims(
    claims: Iterable[Claim],
    tables: Mapping[str, pd.DataFrame],
    alpha: float = ALPHA,
    directions: Mapping[str, int] | None = None,
    effect_sizes: Sequence[tuple[float, str]] | None = None,
) -> list[str]:
    """Recompute every claim from the tables; one line per false (or uncheckable) claim.

    Parameters
    ----------
    claims : iterable of Claim
    tables : mapping of name -> DataFrame
        The results tables the claims name (``"did"``, ``"hypothesis"``...).
    alpha : float
        The significance level of ``p<alpha`` and of the ``significant`` kinds.
        A claim on ``hypothesis`` uses that table's own verdict.
    directions : mapping, optional
        Indicator -> intended direction; default ``better`` of ``words.yaml``.
    effect_sizes : sequence of (bound, word), optional
        The size classes; default ``effect_sizes.yaml``.

    Returns
    -------
    list of str
        ``"<section>/<sentence>: <claim> is false"``, or ``... cannot be
        checked: <why>`` when its table, column or row is missing. Empty: every
        claim holds.
    """
    directions = load_directions() if directions is None else directions
    classes = load_effect_sizes() if effect_sizes is None else effect_sizes
    problems = []
    seen: dict[str, _Seen] = {}
    for claim in claims:
        where = f"{claim.section}/{claim.sentence}: {claim.describe()}"
        if claim.table not in tables:
            problems.append(f"{where} cannot be checked: no table {claim.table!r}")
            continue
        try:
            table_seen = seen.setdefault(claim.table, _Seen())
            ok = _check(claim, tables[claim.table], alpha, directions, classes, table_seen)
        except (KeyError, LookupError, ValueError, TypeError) as why:
            problems.append(f"{where} cannot be checked: {why}")
            continue
        if not ok:
            problems.append(f"{where} is false")
    return problems
