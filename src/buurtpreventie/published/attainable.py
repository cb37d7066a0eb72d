"""What integer data a printed (n, mean, sd) allows: GRIM and GRIMMER, exactly.

A vector of ``n`` integers on a scale is summarised, for its mean and sample SD
(ddof=1), by its total ``T = sum(x)`` and sum of squares ``Q = sum(x**2)``:
mean ``T / n``, variance ``(n*Q - T**2) / (n*(n-1))``. :func:`moment_candidates`
lists every ``(T, Q)`` whose mean and SD round to the printed values, with the
parity of ``Q`` matching ``T`` and ``Q`` between the smallest and largest sum
of squares an integer vector with total ``T`` on the scale can have. An empty
list means the printed cell is impossible (GRIM for the mean, GRIMMER for the SD).

Three parts of the project use it: the audit of the published tables
(:mod:`buurtpreventie.published.audit`), the reachable p-values behind them
(:mod:`buurtpreventie.published.comparison`) and the calibration of the synthetic data
(:mod:`buurtpreventie.synthetic.calibrate`). It is written by hand: no library
enumerates integer moments under printed rounding. Units: functions that take
``denominator`` work on integers ``k`` in ``[low*denominator, high*denominator]``
standing for ``k / denominator``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import numpy as np

from buurtpreventie.printed import matches_printed

__all__ = ["moment_candidates", "position_lower_bounds", "robust_match", "sumsq_bounds"]


def robust_match(value: float, printed: float) -> bool:
    """`matches_printed`, and still so after a relative nudge of 1e-12 either way."""
    return all(matches_printed(value * f, printed) for f in (1.0, 1.0 + 1e-12, 1.0 - 1e-12))


def describe_cell(
    label: str | None, n: int, mean: float, sd: float, low: float, high: float, den: int
) -> str:
    """A readable name for a target cell, used in error messages."""
    prefix = f"{label}: " if label else ""
    scale = f"[{low:g}, {high:g}]" + (f" (item sums / {den})" if den != 1 else "")
    return f"{prefix}target n={n}, mean={mean:.2f}, sd={sd:.2f} on {scale}"


def position_lower_bounds(
    n: int, low: int, high: int, min_count_at_least: Mapping[int, int] | None, name: str
) -> np.ndarray:
    """Per-position lower bounds of the sorted (descending) vector.

    "At least ``m`` values >= ``t``" means the ``m`` largest values are >= ``t``.
    """
    lb = np.full(n, low, dtype=np.int64)
    for threshold, count in (min_count_at_least or {}).items():
        threshold, count = int(threshold), int(count)
        if not low <= threshold <= high:
            raise ValueError(f"{name}: threshold {threshold} outside [{low}, {high}]")
        if not 0 <= count <= n:
            raise ValueError(f"{name}: cannot have {count} of {n} values >= {threshold}")
        lb[:count] = np.maximum(lb[:count], threshold)
    return lb


def sumsq_bounds(total: int, lb: np.ndarray, high: int) -> tuple[int, int] | None:
    """Smallest and largest sum of squares of integer vectors with the given total.

    Vectors satisfy ``lb[i] <= x[i] <= high`` (``lb`` non-increasing). The minimum
    is reached by water-filling (values as equal as the bounds allow), the maximum
    (a convex function on a box slice) at a vertex: positions with the highest
    lower bound raised to ``high`` first. Returns None if ``total`` is infeasible.
    """
    n = lb.size
    if total < lb.sum() or total > n * high:
        return None
    lo_level, hi_level = int(lb.min()), high
    # largest level L with sum(max(lb, L)) <= total
    while lo_level < hi_level:
        mid = (lo_level + hi_level + 1) // 2
        if np.maximum(lb, mid).sum() <= total:
            lo_level = mid
        else:
            hi_level = mid - 1
    level = lo_level
    filled = np.maximum(lb, level)
    rest = total - int(filled.sum())
    qmin = int((filled * filled).sum()) + rest * (2 * level + 1)
    room = high - lb
    budget = total - int(lb.sum())
    before = np.concatenate(([0], np.cumsum(room)[:-1]))
    add = np.clip(budget - before, 0, room)
    top = lb + add
    qmax = int((top * top).sum())
    return qmin, qmax


def moment_candidates(
    n: int,
    mean: float,
    sd: float,
    low: float,
    high: float,
    denominator: int = 1,
    *,
    min_count_at_least: Mapping[int, int] | None = None,
    label: str | None = None,
) -> np.ndarray:
    """List every (total, sum of squares) that prints as the target mean and sd.

    Parameters
    ----------
    n : int
        Number of values (>= 2).
    mean, sd : float
        Printed mean and sample SD (ddof=1), two decimals, in value units.
    low, high : float
        Scale bounds in value units; integers run over
        ``[low*denominator, high*denominator]``.
    denominator : int, default 1
        Integers ``k`` stand for ``k / denominator``.
    min_count_at_least : mapping, optional
        ``{t: m}``: at least ``m`` integers must be ``>= t`` (integer units).
    label : str, optional
        Name of the cell for error messages.

    Returns
    -------
    numpy.ndarray, shape (m, 2), int64
        Rows ``(T, Q)`` with ``T`` the integer total and ``Q`` the integer sum of
        squares, parity-consistent and within the attainable range.

    Raises
    ------
    ValueError
        Naming the target when the mean (GRIM) or the SD (GRIMMER) cannot be met.
    """
    den = int(denominator)
    name = describe_cell(label, n, mean, sd, low, high, den)
    if n < 2:
        raise ValueError(f"{name}: a sample SD needs n >= 2")
    if den < 1:
        raise ValueError(f"{name}: denominator must be a positive integer")
    lo_i, hi_i = round(low * den), round(high * den)
    if lo_i >= hi_i or not (math.isclose(lo_i, low * den) and math.isclose(hi_i, high * den)):
        raise ValueError(f"{name}: scale bounds must be integers in 1/{den} units, low < high")
    lb = position_lower_bounds(n, lo_i, hi_i, min_count_at_least, name)
    nd = n * den
    t_from = max(math.floor((mean - 0.006) * nd), int(lb.sum()))
    t_to = min(math.ceil((mean + 0.006) * nd), n * hi_i)
    totals = [t for t in range(t_from, t_to + 1) if robust_match(t / nd, mean)]
    if not totals:
        extra = " and the minimum-count constraints" if min_count_at_least else ""
        raise ValueError(
            f"{name}: mean {mean:.2f} cannot be met: no integer total T with T/{nd} "
            f"rounding to {mean:.2f} within the scale{extra}"
        )
    scale = n * (n - 1) * den * den
    s_lo, s_hi = max(sd - 0.006, 0.0), sd + 0.006
    rows: list[np.ndarray] = []
    for total in totals:
        bounds = sumsq_bounds(total, lb, hi_i)
        if bounds is None:
            continue
        q_from = max(math.floor((s_lo * s_lo * scale + total * total) / n), bounds[0])
        q_to = min(math.ceil((s_hi * s_hi * scale + total * total) / n), bounds[1])
        q_from += (q_from - total) % 2
        qs = np.arange(q_from, q_to + 1, 2, dtype=np.int64)
        if qs.size == 0:
            continue
        sds = np.sqrt(np.maximum(n * qs - total * total, 0) / scale)
        keep = np.fromiter((robust_match(s, sd) for s in sds), bool, count=qs.size)
        rows.extend(np.column_stack([np.full(keep.sum(), total), qs[keep]]))
    if not rows:
        raise ValueError(
            f"{name}: sd {sd:.2f} cannot be met together with mean {mean:.2f}: no integer "
            f"vector on the scale has both (GRIMMER)"
        )
    return np.asarray(rows, dtype=np.int64).reshape(-1, 2)
