"""Exact calibration of synthetic survey vectors to published (n, mean, sd) cells.

The published report prints, per indicator x buurt x groep x wave, the number of
respondents, the mean and the sample SD (ddof=1) at two decimals, plus the p-value
of Student's pooled-variance t-test between pairs of cells, two Cohen's d values
and three Cronbach's alphas. This module builds integer answer vectors that
reproduce all of these at printed precision.

How it works
------------
A vector of ``n`` integers is summarised, for every statistic used here, by its
total ``T = sum(x)`` and sum of squares ``Q = sum(x**2)``: mean ``T / n`` and
sample variance ``(n*Q - T**2) / (n*(n-1))``. So:

1. :func:`buurtpreventie.published.attainable.moment_candidates` lists every ``(T, Q)``
   whose mean and SD round to the printed values (``Q`` must have the parity of
   ``T``, and lie between the smallest and largest sum of squares an integer
   vector with total ``T`` on the scale can have).
2. p-values and Cohen's d of a pair of cells depend only on the two ``(T, Q)``
   pairs, so :func:`solve_chain` tabulates, for each constraint, which candidate
   pairs satisfy it (exactly, on the t statistic, without sampling), prunes the
   candidate sets by arc consistency and picks a random consistent combination.
3. :func:`vector_with_moments` turns a chosen ``(T, Q)`` into a random integer
   vector: a draw from the maximum-entropy distribution on the scale with that
   mean and variance (a discretised, possibly skewed normal), then single +-1
   steps to hit ``T`` and +1/-1 pair moves (which keep ``T``) to walk ``Q`` to its
   target.
4. :func:`fit_alpha` splits item sums of the 6-item scales into item scores,
   tuning how unevenly each sum is split (bisection on a spread parameter) until
   the pooled Cronbach's alpha rounds to the target.

The solver is written by hand for this project: no library constructs integer
vectors with a prescribed sum and sum of squares under p-value and effect-size
constraints. Only numpy and scipy are used; everything is deterministic given a
:class:`numpy.random.Generator`.

Units: functions that take ``denominator`` work on integers ``k`` in
``[low*denominator, high*denominator]`` that stand for the value
``k / denominator`` (``denominator=6`` for the mean of six 1-5 items: ``k`` is the
item sum). ``min_count_at_least`` thresholds are in the same integer units.
"""

from __future__ import annotations

import math
import re
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from scipy import stats

from buurtpreventie.printed import (
    NS_ALPHA as _NS_ALPHA,
)
from buurtpreventie.printed import (
    matches_printed,
    p_category_holds,
    round_half_away,
)
from buurtpreventie.printed import (
    parse_p as _parse_p,
)
from buurtpreventie.published.attainable import describe_cell as _describe
from buurtpreventie.published.attainable import moment_candidates
from buurtpreventie.published.attainable import position_lower_bounds as _position_lower_bounds
from buurtpreventie.published.attainable import sumsq_bounds as _sumsq_bounds

__all__ = [
    "GATED_BY",
    "INDICATOR_NAMES",
    "PUBLISHED_ALPHA",
    "PUBLISHED_COHENS_D",
    "Calibration",
    "CellSpec",
    "PConstraint",
    "calibrate_published",
    "cohens_d",
    "cronbach_alpha",
    "fit_alpha",
    "matches_printed",
    "moment_candidates",
    "p_category_holds",
    "round_half_away",
    "sample_cell",
    "solve_chain",
    "split_into_items",
    "vector_with_moments",
]

CellKey = tuple[str, str, str, str]
"""(indicator, buurt, groep, wave), e.g. ``("alertheid", "lombardijen", "E", "voormeting")``."""

#: Indicator names of the published CSVs that differ from the project's names.
INDICATOR_NAMES: dict[str, str] = {"onveilig_voelen": "onveiligheidsgevoel"}

#: Cronbach's alpha at baseline (report footnote 4), keyed by indicator.
PUBLISHED_ALPHA: dict[str, float] = {
    "sociale_cohesie": 0.77,
    "nabijheid_gemeente": 0.85,
    "nabijheid_politie": 0.84,
}

#: Cohen's d (pooled SD, absolute value) of voormeting vs nameting in the report
#: footnotes, keyed by (indicator, buurt, groep).
PUBLISHED_COHENS_D: dict[tuple[str, str, str], float] = {
    ("meldingsbereidheid", "lombardijen", "C"): 0.22,
    ("sociale_cohesie", "essenburgbuurt", "C"): 0.38,
}

#: Skip logic that ties two cells together: meldingsbereidheid is only asked when
#: alertheid is 2 or more, so a group needs at least n(meldingsbereidheid)
#: alertheid answers >= 2. ``{gated: (gate, threshold)}``.
GATED_BY: dict[str, tuple[str, int]] = {"meldingsbereidheid": ("alertheid", 2)}

_P_MARGIN = 1e-9  # the solver keeps p and d this far inside their allowed intervals


# --------------------------------------------------------------------------- p-values


def _p_bounds(printed: str, tol: float, exact: bool) -> tuple[float, float]:
    """Closed p interval the solver aims for, shrunk by a safety margin.

    ``exact`` asks that p rounds (half away from zero, 3 decimals) to the printed
    value rather than lying within ``tol`` of it.
    """
    kind, value = _parse_p(printed)
    if kind == "ns":
        return value + _P_MARGIN, 1.0
    if kind == "lt":
        return 0.0, value - _P_MARGIN
    half = 0.0005 if exact else tol
    return max(value - half, 0.0) + _P_MARGIN, min(value + half, _NS_ALPHA) - _P_MARGIN


# --------------------------------------------------------------------------- effect sizes


def cohens_d(x: np.ndarray, y: np.ndarray) -> float:
    """Cohen's d with the pooled SD: ``(mean(x) - mean(y)) / s_pooled``.

    Parameters
    ----------
    x, y : array_like
        The two samples (unrounded).

    Returns
    -------
    float
        ``s_pooled = sqrt(((nx-1) var(x) + (ny-1) var(y)) / (nx + ny - 2))`` with
        sample variances (ddof=1). Signed; the report prints the absolute value.
    """
    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=float)
    nx, ny = x.size, y.size
    if nx < 2 or ny < 2:
        raise ValueError("cohens_d needs at least two values in each sample")
    pooled = ((nx - 1) * x.var(ddof=1) + (ny - 1) * y.var(ddof=1)) / (nx + ny - 2)
    return float((x.mean() - y.mean()) / math.sqrt(pooled))


def cronbach_alpha(items: np.ndarray) -> float:
    """Cronbach's alpha of an (respondents x items) matrix, computed by hand.

    Parameters
    ----------
    items : array_like, shape (n, k)
        Item scores, complete rows only.

    Returns
    -------
    float
        ``k/(k-1) * (1 - sum(var(item_j)) / var(sum of items))``, variances with
        ddof=1.
    """
    items = np.asarray(items, dtype=float)
    if items.ndim != 2 or items.shape[1] < 2 or items.shape[0] < 2:
        raise ValueError("cronbach_alpha needs a matrix with >= 2 rows and >= 2 items")
    k = items.shape[1]
    item_var = items.var(axis=0, ddof=1).sum()
    total_var = items.sum(axis=1).var(ddof=1)
    return float(k / (k - 1) * (1.0 - item_var / total_var))


# --------------------------------------------------------------------------- one cell


def _maxent_probabilities(values: np.ndarray, mean: float, var: float) -> np.ndarray:
    """Maximum-entropy distribution on ``values`` with the given mean and variance.

    ``p(v) ~ exp(a v + b v^2)``: a discretised normal, skewed by truncation at the
    scale ends, U-shaped when the variance exceeds the uniform's. Found by damped
    Newton steps on the convex dual. Only a starting point, so precision is loose.
    """
    values = np.asarray(values, dtype=float)
    if values.size == 1:
        return np.ones(1)
    lo, hi = values[0], values[-1]
    mean = min(max(mean, lo), hi)
    vmax = (mean - lo) * (hi - mean)
    if vmax <= 1e-12:
        p = np.zeros(values.size)
        p[int(np.argmin(np.abs(values - mean)))] = 1.0
        return p
    half = (hi - lo) / 2.0
    z = (values - mean) / half
    var = min(max(var, 1e-4 * vmax), (1.0 - 1e-3) * vmax) / (half * half)
    feats = z[:, None] if values.size == 2 else np.column_stack([z, z * z])
    target = np.array([0.0, var])[: feats.shape[1]]
    lam = np.zeros(feats.shape[1])

    def dual(lam_: np.ndarray) -> tuple[float, np.ndarray]:
        a = feats @ lam_
        top = a.max()
        w = np.exp(a - top)
        return float(top + math.log(w.sum()) - lam_ @ target), w / w.sum()

    f0, p = dual(lam)
    for _ in range(100):
        m = p @ feats
        grad = m - target
        if np.abs(grad).max() < 1e-10:
            break
        centred = feats - m
        hess = centred.T @ (centred * p[:, None]) + 1e-10 * np.eye(feats.shape[1])
        step = np.linalg.solve(hess, grad)
        t = 1.0
        while t > 1e-8:
            f1, p1 = dual(lam - t * step)
            if f1 <= f0:
                break
            t /= 2.0
        else:
            break
        lam, f0, p = lam - t * step, f1, p1
    return p


def _initial_counts(
    n: int, probs: np.ndarray, values: np.ndarray, total: int, sumsq: int, rng: np.random.Generator
) -> np.ndarray:
    """Best of 16 multinomial draws (closest to the target total and sum of squares)."""
    draws = rng.multinomial(n, probs, size=16)
    sums = draws @ values
    sqs = draws @ (values * values)
    var = max(sumsq / n - (total / n) ** 2, 0.25)
    cost = np.abs(sums - total) / math.sqrt(n * var) + np.abs(sqs - sumsq) / (
        var * math.sqrt(2 * n) + 1.0
    )
    return draws[int(np.argmin(cost))].astype(np.int64)


def _repair_minimum_counts(
    counts: np.ndarray, thresholds: Sequence[tuple[int, int]], rng: np.random.Generator
) -> np.ndarray:
    """Raise values below each threshold to it until the minimum counts hold."""
    for idx, need in thresholds:
        deficit = need - int(counts[idx:].sum())
        if deficit > 0:
            moved = rng.multivariate_hypergeometric(counts[:idx], deficit)
            counts[:idx] -= moved
            counts[idx] += deficit
    return counts


def _fix_total(
    counts: np.ndarray,
    values: np.ndarray,
    total: int,
    thresholds: Sequence[tuple[int, int]],
    rng: np.random.Generator,
) -> np.ndarray | None:
    """Move random respondents one scale point up or down until the total is met."""
    for _ in range(4 * int(counts.sum()) + 10):
        diff = total - int(counts @ values)
        if diff == 0:
            return counts
        eligible = counts.copy()
        if diff > 0:
            eligible[-1] = 0
        else:
            eligible[0] = 0
            for idx, need in thresholds:  # a value at a threshold may drop only if slack
                eligible[idx] = min(eligible[idx], max(int(counts[idx:].sum()) - need, 0))
        k = min(abs(diff), int(eligible.sum()))
        if k == 0:
            return None
        moved = rng.multivariate_hypergeometric(eligible, k)
        counts -= moved
        if diff > 0:
            counts[1:] += moved[:-1]
        else:
            counts[:-1] += moved[1:]
    return None


def _walk_sumsq(
    counts: np.ndarray,
    values: np.ndarray,
    sumsq: int,
    thresholds: Sequence[tuple[int, int]],
    rng: np.random.Generator,
) -> np.ndarray | None:
    """Pair moves (one respondent +1, another -1) until the sum of squares is met.

    Moving ``a -> a+1`` and ``b -> b-1`` keeps the total and changes the sum of
    squares by ``2 (a - b + 1)``. Each step picks a random pair of respondents
    among the moves that go towards the target without overshooting it.
    """
    size = values.size
    idx = np.arange(size)
    delta = idx[:, None] - idx[None, :] + 1
    base_ok = (idx[:, None] < size - 1) & (idx[None, :] > 0)
    eye = np.eye(size, dtype=np.int64)
    threshold_change = [
        (i_t, need, (idx[:, None] == i_t - 1).astype(int) - (idx[None, :] == i_t))
        for i_t, need in thresholds
    ]
    q = int(counts @ (values * values))
    for _ in range(20 * int(counts.sum()) + 2000):
        rest = sumsq - q
        if rest == 0:
            return counts
        weight = counts[:, None] * (counts[None, :] - eye)
        ok = base_ok & (weight > 0)
        if rest > 0:
            ok &= (delta > 0) & (2 * delta <= rest)
        else:
            ok &= (delta < 0) & (-2 * delta <= -rest)
        for i_t, need, change in threshold_change:
            ok &= int(counts[i_t:].sum()) + change >= need
        cum = np.cumsum(np.where(ok, weight, 0).ravel())
        if cum[-1] == 0:
            return None
        pick = int(np.searchsorted(cum, rng.random() * cum[-1], side="right"))
        i, j = divmod(pick, size)
        counts[i] -= 1
        counts[i + 1] += 1
        counts[j] -= 1
        counts[j - 1] += 1
        q += 2 * int(delta[i, j])
    return None


def vector_with_moments(
    n: int,
    total: int,
    sumsq: int,
    low: int,
    high: int,
    rng: np.random.Generator,
    *,
    min_count_at_least: Mapping[int, int] | None = None,
    label: str | None = None,
    attempts: int = 8,
) -> np.ndarray:
    """A random integer vector with an exact total and sum of squares.

    Parameters
    ----------
    n : int
        Length.
    total, sumsq : int
        Required ``sum(x)`` and ``sum(x**2)``.
    low, high : int
        Integer bounds of the values.
    rng : numpy.random.Generator
        Source of randomness.
    min_count_at_least : mapping, optional
        ``{t: m}``: at least ``m`` values ``>= t``.
    label : str, optional
        Name of the cell for error messages.
    attempts : int, default 8
        Fresh random starts before giving up.

    Returns
    -------
    numpy.ndarray of int64, shape (n,)
        In random order. Starts from a draw of the maximum-entropy distribution
        with the target mean and variance, so the shape is plausible.

    Raises
    ------
    ValueError
        Naming the target when it is out of range or no vector was found.
    """
    name = f"{label + ': ' if label else ''}target n={n}, total={total}, sumsq={sumsq}"
    name += f" on [{low}, {high}]"
    lb = _position_lower_bounds(n, low, high, min_count_at_least, name)
    bounds = _sumsq_bounds(total, lb, high)
    if bounds is None or not bounds[0] <= sumsq <= bounds[1] or (sumsq - total) % 2:
        raise ValueError(f"{name}: not attainable (range {bounds}, parity of total)")
    values = np.arange(low, high + 1, dtype=np.int64)
    thresholds = [(int(t) - low, int(m)) for t, m in (min_count_at_least or {}).items()]
    probs = _maxent_probabilities(values, total / n, sumsq / n - (total / n) ** 2)
    for _ in range(attempts):
        counts = _initial_counts(n, probs, values, total, sumsq, rng)
        counts = _repair_minimum_counts(counts, thresholds, rng)
        counts = _fix_total(counts, values, total, thresholds, rng)
        if counts is None:
            continue
        counts = _walk_sumsq(counts, values, sumsq, thresholds, rng)
        if counts is None:
            continue
        out = np.repeat(values, counts)
        rng.shuffle(out)
        return out
    raise ValueError(f"{name}: no vector found in {attempts} attempts")


def sample_cell(
    n: int,
    mean: float,
    sd: float,
    low: float,
    high: float,
    rng: np.random.Generator,
    denominator: int = 1,
    *,
    min_count_at_least: Mapping[int, int] | None = None,
    label: str | None = None,
) -> np.ndarray:
    """A random integer vector whose mean and SD print as the published cell.

    Parameters
    ----------
    n : int
        Number of respondents.
    mean, sd : float
        Printed mean and sample SD (ddof=1) in value units.
    low, high : float
        Scale bounds in value units.
    rng : numpy.random.Generator
        Source of randomness.
    denominator : int, default 1
        Integers ``k`` in ``[low*denominator, high*denominator]`` stand for
        ``k / denominator`` (6 for the mean of six items: ``k`` is the item sum).
    min_count_at_least : mapping, optional
        ``{t: m}``: at least ``m`` integers ``>= t`` (integer units).
    label : str, optional
        Name of the cell for error messages.

    Returns
    -------
    numpy.ndarray of int64, shape (n,)
        ``x / denominator`` has mean and SD matching the printed ones at 2
        decimals; the (total, sum of squares) pair is drawn at random among all
        that do.

    Raises
    ------
    ValueError
        Naming the target when it is unattainable.
    """
    den = int(denominator)
    cands = moment_candidates(
        n, mean, sd, low, high, den, min_count_at_least=min_count_at_least, label=label
    )
    for row in rng.permutation(cands)[:20]:
        try:
            return vector_with_moments(
                n,
                int(row[0]),
                int(row[1]),
                round(low * den),
                round(high * den),
                rng,
                min_count_at_least=min_count_at_least,
                label=label,
            )
        except ValueError:
            continue
    raise ValueError(f"{_describe(label, n, mean, sd, low, high, den)}: no vector could be built")


# --------------------------------------------------------------------------- chains of cells


@dataclass(frozen=True)
class CellSpec:
    """One published cell: n, mean and sd of an indicator on its scale.

    Attributes
    ----------
    n : int
    mean, sd : float
        Printed values (value units).
    low, high : float
        Scale bounds (value units).
    denominator : int
        See :func:`sample_cell`.
    min_count_at_least : mapping or None
        See :func:`sample_cell`.
    label : str
        Name used in error messages.
    """

    n: int
    mean: float
    sd: float
    low: float
    high: float
    denominator: int = 1
    min_count_at_least: Mapping[int, int] | None = None
    label: str = ""

    @property
    def int_bounds(self) -> tuple[int, int]:
        """Bounds of the integers that represent the values."""
        return round(self.low * self.denominator), round(self.high * self.denominator)

    def candidates(self) -> np.ndarray:
        """:func:`moment_candidates` of this cell."""
        return moment_candidates(
            self.n,
            self.mean,
            self.sd,
            self.low,
            self.high,
            self.denominator,
            min_count_at_least=self.min_count_at_least,
            label=self.label or None,
        )


@dataclass(frozen=True)
class PConstraint:
    """A published test between two cells (and optionally a Cohen's d).

    Attributes
    ----------
    a, b : hashable
        Keys of the two cells in the ``cells`` mapping of :func:`solve_chain`.
    printed_p : str
        Published p: ``"<,001"``, ``"n.s."`` or e.g. ``",026"``.
    d_target : float or None
        Published ``|d|`` (pooled SD) at 2 decimals, if any.
    label : str
        Name used in error messages.
    """

    a: Hashable
    b: Hashable
    printed_p: str
    d_target: float | None = None
    label: str = ""


def _value_moments(cands: np.ndarray, spec: CellSpec) -> tuple[np.ndarray, np.ndarray]:
    """Means and sample variances (value units) of candidate (T, Q) rows."""
    n, den = spec.n, spec.denominator
    total = cands[:, 0].astype(float)
    sumsq = cands[:, 1].astype(float)
    mean = total / (n * den)
    var = (n * sumsq - total * total) / (n * (n - 1) * den * den)
    return mean, var


def _compatibility(
    con: PConstraint,
    spec_a: CellSpec,
    cand_a: np.ndarray,
    spec_b: CellSpec,
    cand_b: np.ndarray,
    tol: float,
    exact: bool,
) -> np.ndarray:
    """Boolean matrix: candidate i of a and j of b satisfy the constraint."""
    ma, va = _value_moments(cand_a, spec_a)
    mb, vb = _value_moments(cand_b, spec_b)
    na, nb = spec_a.n, spec_b.n
    df = na + nb - 2
    pooled = ((na - 1) * va[:, None] + (nb - 1) * vb[None, :]) / df
    diff = np.abs(ma[:, None] - mb[None, :])
    with np.errstate(divide="ignore", invalid="ignore"):
        tstat = diff / np.sqrt(pooled * (1.0 / na + 1.0 / nb))
        d = diff / np.sqrt(pooled)
    p_lo, p_hi = _p_bounds(con.printed_p, tol, exact)
    t_lo = float(stats.t.isf(p_hi / 2.0, df)) if p_hi < 1.0 else 0.0
    t_hi = float(stats.t.isf(p_lo / 2.0, df)) if p_lo > 0.0 else np.inf
    ok = np.isfinite(tstat) & (tstat >= t_lo) & (tstat <= t_hi)
    if con.d_target is not None:
        ok &= (d >= con.d_target - 0.005 + _P_MARGIN) & (d < con.d_target + 0.005 - _P_MARGIN)
    return ok


def _propagate(
    domains: dict[Hashable, np.ndarray], arcs: Sequence[tuple[Hashable, Hashable, np.ndarray]]
) -> bool:
    """Arc consistency: drop candidates that have no partner in a constraint."""
    changed = True
    while changed:
        changed = False
        for a, b, mat in arcs:
            new_a = domains[a] & mat[:, domains[b]].any(axis=1)
            if not new_a.any():
                return False
            if new_a.sum() != domains[a].sum():
                domains[a], changed = new_a, True
            new_b = domains[b] & mat[domains[a], :].any(axis=0)
            if not new_b.any():
                return False
            if new_b.sum() != domains[b].sum():
                domains[b], changed = new_b, True
    return True


def _assign(
    domains: dict[Hashable, np.ndarray],
    arcs: Sequence[tuple[Hashable, Hashable, np.ndarray]],
    order: Sequence[Hashable],
    rng: np.random.Generator,
    tries_per_cell: int = 30,
) -> dict[Hashable, int] | None:
    """Random consistent choice of one candidate per cell (backtracking search)."""
    domains = {k: v.copy() for k, v in domains.items()}
    if not _propagate(domains, arcs):
        return None
    if not order:
        return {}
    name, rest = order[0], order[1:]
    for choice in rng.permutation(np.flatnonzero(domains[name]))[:tries_per_cell]:
        trial = {k: v.copy() for k, v in domains.items()}
        trial[name][:] = False
        trial[name][choice] = True
        found = _assign(trial, arcs, rest, rng, tries_per_cell)
        if found is not None:
            found[name] = int(choice)
            return found
    return None


def _constraint_name(con: PConstraint) -> str:
    d = f", |d| {con.d_target:.2f}" if con.d_target is not None else ""
    return con.label or f"{con.a} vs {con.b} (p {con.printed_p}{d})"


def solve_chain(
    cells: Mapping[Hashable, CellSpec],
    constraints: Sequence[PConstraint],
    rng: np.random.Generator,
    *,
    tol: float = 0.001,
    prefer_exact_p: bool = True,
    max_rounds: int = 40,
) -> dict[Hashable, np.ndarray]:
    """Vectors for linked cells that meet every cell and every p / d constraint.

    Parameters
    ----------
    cells : mapping of key -> CellSpec
        E.g. E_voormeting, C_voormeting, E_nameting, C_nameting of one indicator
        and buurt. Cells are fixed in this order (voormeting first).
    constraints : sequence of PConstraint
        Student's pooled t-test p categories (and optional ``|d|``) between cells.
    rng : numpy.random.Generator
        Source of randomness.
    tol : float, default 0.001
        Allowed ``|p - printed|`` for printed p-values (see
        :func:`p_category_holds`).
    prefer_exact_p : bool, default True
        First look for a solution where each printed p-value rounds exactly (3
        decimals) to the printed one where that is possible; fall back to ``tol``.
    max_rounds : int, default 40
        How often a chosen (total, sum of squares) may turn out to have no vector
        before giving up.

    Returns
    -------
    dict of key -> numpy.ndarray of int64
        One vector per cell (integer units, see :func:`sample_cell`).

    Raises
    ------
    ValueError
        Naming the cell or constraint that cannot be met.
    """
    for con in constraints:
        for key in (con.a, con.b):
            if key not in cells:
                raise ValueError(f"{_constraint_name(con)}: unknown cell {key!r}")
    cands = {key: spec.candidates() for key, spec in cells.items()}
    loose = [
        _compatibility(con, cells[con.a], cands[con.a], cells[con.b], cands[con.b], tol, False)
        for con in constraints
    ]
    for con, mat in zip(constraints, loose, strict=True):
        if not mat.any():
            raise ValueError(
                f"{_constraint_name(con)}: no pair of vectors matching the two cells "
                f"gives p {con.printed_p}"
                + (f" with |d| {con.d_target:.2f}" if con.d_target is not None else "")
            )
    modes = []
    if prefer_exact_p:
        exact = [
            _compatibility(con, cells[con.a], cands[con.a], cells[con.b], cands[con.b], tol, True)
            for con in constraints
        ]
        modes.append([e if e.any() else m for e, m in zip(exact, loose, strict=True)])
    modes.append(loose)
    banned = {key: np.zeros(len(c), dtype=bool) for key, c in cands.items()}
    order = list(cells)
    for mats in modes:
        arcs = [(con.a, con.b, mat) for con, mat in zip(constraints, mats, strict=True)]
        for _ in range(max_rounds):
            choice = _assign({k: ~banned[k] for k in order}, arcs, order, rng)
            if choice is None:
                break
            vectors: dict[Hashable, np.ndarray] = {}
            for key in order:
                spec = cells[key]
                total, sumsq = (int(v) for v in cands[key][choice[key]])
                try:
                    vectors[key] = vector_with_moments(
                        spec.n,
                        total,
                        sumsq,
                        *spec.int_bounds,
                        rng,
                        min_count_at_least=spec.min_count_at_least,
                        label=spec.label or None,
                    )
                except ValueError:
                    banned[key][choice[key]] = True
                    break
            else:
                _verify_chain(cells, constraints, vectors, tol)
                return vectors
    names = "; ".join(_constraint_name(c) for c in constraints)
    raise ValueError(f"cells {list(cells)} cannot meet all constraints together: {names}")


def _verify_chain(
    cells: Mapping[Hashable, CellSpec],
    constraints: Sequence[PConstraint],
    vectors: Mapping[Hashable, np.ndarray],
    tol: float,
) -> None:
    """Recompute every statistic from the vectors; raise if one is off."""
    for key, spec in cells.items():
        x = vectors[key] / spec.denominator
        if not (
            x.size == spec.n
            and matches_printed(x.mean(), spec.mean)
            and matches_printed(x.std(ddof=1), spec.sd)
        ):
            raise RuntimeError(f"internal error: {key!r} does not reproduce its cell")
    for con in constraints:
        x = vectors[con.a] / cells[con.a].denominator
        y = vectors[con.b] / cells[con.b].denominator
        p = float(stats.ttest_ind(x, y, equal_var=True).pvalue)
        if not p_category_holds(p, con.printed_p, tol):
            raise RuntimeError(f"internal error: {_constraint_name(con)} gives p={p}")
        if con.d_target is not None and not matches_printed(abs(cohens_d(x, y)), con.d_target):
            raise RuntimeError(f"internal error: {_constraint_name(con)} misses d")


# --------------------------------------------------------------------------- scale items


def _split_with_noise(
    sums: np.ndarray,
    k: int,
    low: int,
    high: int,
    noise: np.ndarray,
    offsets: np.ndarray,
    spread: float,
) -> np.ndarray:
    """Integer items adding up to ``sums``, close to ``sum/k + offset + spread*noise``.

    Rounds the targets, clips them to the scale, then adds (or removes) one point
    at a time to the item whose target is furthest above (below) its score.
    """
    target = sums[:, None] / k + offsets[None, :] + spread * noise
    x = np.clip(np.rint(target), low, high).astype(np.int64)
    rows = np.arange(sums.size)
    for _ in range(k * (high - low) + 1):
        diff = sums - x.sum(axis=1)
        if not diff.any():
            break
        up = diff > 0
        if up.any():
            room = np.where(x[up] < high, target[up] - x[up], -np.inf)
            x[rows[up], room.argmax(axis=1)] += 1
        down = diff < 0
        if down.any():
            room = np.where(x[down] > low, target[down] - x[down], np.inf)
            x[rows[down], room.argmin(axis=1)] -= 1
    return x


def _item_noise(
    n: int, k: int, rng: np.random.Generator, item_sd: float = 0.2
) -> tuple[np.ndarray, np.ndarray]:
    """Row-centred standard normal deviations and centred item offsets."""
    noise = rng.standard_normal((n, k))
    noise -= noise.mean(axis=1, keepdims=True)
    offsets = rng.normal(0.0, item_sd, k)
    return noise, offsets - offsets.mean()


def split_into_items(
    sums: np.ndarray,
    k: int,
    low: int,
    high: int,
    rng: np.random.Generator,
    spread: float = 0.5,
) -> np.ndarray:
    """Split each respondent's item sum into ``k`` integer item scores.

    Parameters
    ----------
    sums : array_like of int, shape (n,)
        Item sums, each in ``[k*low, k*high]``.
    k : int
        Number of items.
    low, high : int
        Item scale bounds.
    rng : numpy.random.Generator
        Source of randomness.
    spread : float, default 0.5
        SD (in scale points) of each item's deviation from ``sum/k``. 0 splits
        as evenly as possible (alpha near 1); larger values lower alpha. Items
        also get small fixed offsets, so their means differ a little.

    Returns
    -------
    numpy.ndarray of int64, shape (n, k)
        Rows add up to ``sums``; all scores in ``[low, high]``.
    """
    sums = np.asarray(sums, dtype=np.int64)
    if sums.ndim != 1:
        raise ValueError("split_into_items: sums must be one-dimensional")
    if sums.size and (sums.min() < k * low or sums.max() > k * high):
        raise ValueError(f"split_into_items: item sums must lie in [{k * low}, {k * high}]")
    noise, offsets = _item_noise(sums.size, k, rng)
    return _split_with_noise(sums, k, low, high, noise, offsets, float(spread))


def fit_alpha(
    sum_vectors: Sequence[np.ndarray],
    k: int,
    low: int,
    high: int,
    target_alpha: float,
    rng: np.random.Generator,
    *,
    max_tries: int = 8,
) -> list[np.ndarray]:
    """Item matrices for several groups whose pooled Cronbach's alpha is a target.

    Parameters
    ----------
    sum_vectors : sequence of array_like of int
        Item sums per group (e.g. the four groups of one wave).
    k : int
        Number of items.
    low, high : int
        Item scale bounds.
    target_alpha : float
        Published alpha (2 decimals) of all rows of all groups together.
    rng : numpy.random.Generator
        Source of randomness.
    max_tries : int, default 8
        Fresh noise draws before giving up.

    Returns
    -------
    list of numpy.ndarray, shape (n_g, k)
        One item matrix per group, rows adding up to the given sums.

    Raises
    ------
    ValueError
        Naming the target alpha when it cannot be reached.

    Notes
    -----
    With the sums fixed, the variance of the total is fixed, so alpha only
    depends on the item variances, i.e. on how unevenly each sum is split. The
    spread of :func:`split_into_items` is found by bisection (alpha falls as the
    spread grows), reusing one noise draw so the search is monotone in practice.
    """
    parts = [np.asarray(s, dtype=np.int64) for s in sum_vectors]
    sums = np.concatenate(parts)
    if sums.size < 3:
        raise ValueError(f"alpha {target_alpha:.2f}: needs at least 3 respondents")
    if sums.min() < k * low or sums.max() > k * high:
        raise ValueError(f"alpha {target_alpha:.2f}: item sums outside [{k * low}, {k * high}]")
    cuts = np.cumsum([p.size for p in parts])[:-1]
    for _ in range(max_tries):
        noise, offsets = _item_noise(sums.size, k, rng)

        def alpha_at(spread: float, noise=noise, offsets=offsets) -> tuple[float, np.ndarray]:
            items = _split_with_noise(sums, k, low, high, noise, offsets, spread)
            return cronbach_alpha(items), items

        lo, hi = 0.0, 1.0
        a_lo, items = alpha_at(lo)
        if matches_printed(a_lo, target_alpha):
            return np.split(items, cuts)
        if a_lo < target_alpha:
            raise ValueError(
                f"alpha {target_alpha:.2f} cannot be reached: even an even split gives {a_lo:.3f}"
            )
        while alpha_at(hi)[0] > target_alpha and hi < 64:
            hi *= 2.0
        for _ in range(60):
            mid = (lo + hi) / 2.0
            a_mid, items = alpha_at(mid)
            if matches_printed(a_mid, target_alpha):
                return np.split(items, cuts)
            if a_mid > target_alpha:
                lo = mid
            else:
                hi = mid
    raise ValueError(f"alpha {target_alpha:.2f} not reached in {max_tries} tries")


# --------------------------------------------------------------------------- the report


@dataclass(frozen=True)
class Calibration:
    """Everything :func:`calibrate_published` builds.

    Attributes
    ----------
    cells : dict of CellKey -> CellSpec
        The published targets, keyed ``(indicator, buurt, groep, wave)`` with the
        project's indicator names and lower-case buurt.
    values : dict of CellKey -> numpy.ndarray of int64
        Answers per cell. For the 6-item scales these are item sums (the score
        is ``value / denominators[indicator]``).
    items : dict of CellKey -> numpy.ndarray of int64, shape (n, k)
        Item scores of the scale cells, row ``i`` adding up to ``values[key][i]``.
    denominators : dict of str -> int
        1, or the number of items of a scale, per indicator.
    p_values : dict of str -> float
        Student's p per published comparison (``comparison_id``).
    p_printed : dict of str -> str
        The published p per comparison.
    p_rounds_to_printed : dict of str -> bool
        False where a printed p-value is only met within the tolerance.
    cohens_d : dict of str -> float
        ``|d|`` for the comparisons with a published d.
    alphas : dict of (str, str) -> float
        Pooled Cronbach's alpha per (indicator, wave).
    """

    cells: dict[CellKey, CellSpec]
    values: dict[CellKey, np.ndarray]
    items: dict[CellKey, np.ndarray]
    denominators: dict[str, int]
    p_values: dict[str, float] = field(default_factory=dict)
    p_printed: dict[str, str] = field(default_factory=dict)
    p_rounds_to_printed: dict[str, bool] = field(default_factory=dict)
    cohens_d: dict[str, float] = field(default_factory=dict)
    alphas: dict[tuple[str, str], float] = field(default_factory=dict)


def _row_key(row: Mapping[str, Any]) -> CellKey:
    indicator = INDICATOR_NAMES.get(row["indicator"], row["indicator"])
    return indicator, row["buurt"].strip().lower(), row["groep"].strip(), row["wave"].strip()


def _row_denominator(row: Mapping[str, Any]) -> int:
    match = re.fullmatch(r"mean_of_(\d+)_\w+", str(row.get("item_type", "")).strip())
    return int(match.group(1)) if match else 1


def calibrate_published(
    tabel4_rows: Sequence[Mapping[str, Any]],
    tabel6_rows: Sequence[Mapping[str, Any]],
    rng: np.random.Generator,
    *,
    alpha_targets: Mapping[str, float] | None = None,
    d_targets: Mapping[tuple[str, str, str], float] | None = None,
    tol: float = 0.001,
) -> Calibration:
    """Build answer vectors that reproduce published tables 4 and 6.

    Parameters
    ----------
    tabel4_rows, tabel6_rows : sequence of mapping
        Rows of ``tabel4.csv`` and ``tabel6.csv`` as read by
        :class:`csv.DictReader` (columns ``comparison_id``, ``indicator``,
        ``scale_min``, ``scale_max``, ``item_type``, ``buurt``, ``groep``,
        ``wave``, ``n``, ``mean``, ``sd``, ``p_published``).
    rng : numpy.random.Generator
        Source of randomness.
    alpha_targets : mapping, optional
        Cronbach's alpha per scale indicator; default :data:`PUBLISHED_ALPHA`.
        Used for the voormeting and, for lack of a published value, the nameting.
    d_targets : mapping, optional
        ``|d|`` per (indicator, buurt, groep) for voormeting vs nameting; default
        :data:`PUBLISHED_COHENS_D`.
    tol : float, default 0.001
        Allowed ``|p - printed|`` for printed p-values.

    Returns
    -------
    Calibration
        Vectors for every cell, items of the scales, and the recomputed
        statistics.

    Raises
    ------
    ValueError
        Naming the cell, comparison or alpha that cannot be met, or rows of the
        two tables that disagree about a shared cell.
    """
    alpha_targets = PUBLISHED_ALPHA if alpha_targets is None else alpha_targets
    d_targets = PUBLISHED_COHENS_D if d_targets is None else d_targets

    raw: dict[CellKey, dict[str, Any]] = {}
    comparisons: dict[str, list[tuple[CellKey, str]]] = {}
    for row in [*tabel6_rows, *tabel4_rows]:
        key = _row_key(row)
        info = {
            "n": int(row["n"]),
            "mean": float(row["mean"]),
            "sd": float(row["sd"]),
            "low": float(row["scale_min"]),
            "high": float(row["scale_max"]),
            "denominator": _row_denominator(row),
        }
        if key in raw and raw[key] != info:
            raise ValueError(f"cell {key}: tabel4 and tabel6 disagree ({raw[key]} vs {info})")
        raw[key] = info
        comparisons.setdefault(row["comparison_id"], []).append((key, row["p_published"]))

    cells: dict[CellKey, CellSpec] = {}
    for key, info in raw.items():
        indicator, buurt, groep, wave = key
        min_count = None
        for gated, (gate, threshold) in GATED_BY.items():
            gated_key = (gated, buurt, groep, wave)
            if indicator == gate and gated_key in raw:
                min_count = {threshold * info["denominator"]: raw[gated_key]["n"]}
        cells[key] = CellSpec(**info, min_count_at_least=min_count, label="/".join(key))

    chains: dict[tuple[str, str], list[PConstraint]] = {}
    for cid, members in comparisons.items():
        if len(members) != 2 or members[0][1] != members[1][1]:
            raise ValueError(f"comparison {cid}: needs two rows with the same printed p")
        (a, printed), (b, _) = members
        d_target = None
        if a[:3] == b[:3] and a[3] != b[3]:
            d_target = d_targets.get(a[:3])
        con = PConstraint(a, b, printed, d_target, label=f"{cid} (p {printed})")
        chains.setdefault(a[:2], []).append(con)

    def order(key: CellKey) -> tuple[bool, bool, str, str]:
        return key[3] != "voormeting", key[2] != "E", key[3], key[2]

    values: dict[CellKey, np.ndarray] = {}
    for ind_buurt in sorted({key[:2] for key in cells}):
        members = sorted((k for k in cells if k[:2] == ind_buurt), key=order)
        solved = solve_chain(
            {k: cells[k] for k in members}, chains.get(ind_buurt, []), rng, tol=tol
        )
        values.update({k: solved[k] for k in members})  # type: ignore[misc]

    denominators = {key[0]: spec.denominator for key, spec in cells.items()}
    items: dict[CellKey, np.ndarray] = {}
    alphas: dict[tuple[str, str], float] = {}
    for indicator, den in sorted(denominators.items()):
        if den == 1:
            continue
        if indicator not in alpha_targets:
            raise ValueError(f"scale {indicator}: no Cronbach's alpha target given")
        for wave in sorted({k[3] for k in cells if k[0] == indicator}):
            keys = sorted((k for k in cells if k[0] == indicator and k[3] == wave), key=order)
            spec = cells[keys[0]]
            mats = fit_alpha(
                [values[k] for k in keys],
                den,
                round(spec.low),
                round(spec.high),
                alpha_targets[indicator],
                rng,
            )
            items.update(zip(keys, mats, strict=True))
            alphas[(indicator, wave)] = cronbach_alpha(np.concatenate(mats))

    p_values, p_printed, p_exact, d_values = {}, {}, {}, {}
    for cid, ((a, printed), (b, _)) in comparisons.items():
        x = values[a] / cells[a].denominator
        y = values[b] / cells[b].denominator
        p = float(stats.ttest_ind(x, y, equal_var=True).pvalue)
        p_values[cid], p_printed[cid] = p, printed
        kind, value = _parse_p(printed)
        p_exact[cid] = kind != "eq" or matches_printed(p, value, decimals=3)
        if a[:3] == b[:3] and a[3] != b[3] and a[:3] in d_targets:
            d_values[cid] = abs(cohens_d(x, y))
    return Calibration(
        cells=cells,
        values=values,
        items=items,
        denominators=denominators,
        p_values=p_values,
        p_printed=p_printed,
        p_rounds_to_printed=p_exact,
        cohens_d=d_values,
        alphas=alphas,
    )
