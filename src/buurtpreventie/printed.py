"""How the report prints numbers, and whether a computed value prints the same.

The published tables print means and SDs at two decimals, p-values at three
("<,001", ",026", "n.s."). These helpers decide whether an unrounded statistic
reproduces a printed one. Used by the calibration of the synthetic data and by
the published-versus-reproduced comparison.
"""

from __future__ import annotations

import math
import re

# A p of .05 or more is printed "n.s." (NS_ALPHA, the report's significance level).
from buurtpreventie.constants import NS_ALPHA

__all__ = ["NS_ALPHA", "matches_printed", "p_category_holds", "parse_p", "round_half_away"]

_ROUND_GUARD = 1e-9  # added to |value| * 10**decimals before rounding half away from zero
_P_ABS_GUARD = 1e-12  # float noise allowance on |p - printed| <= tol


def round_half_away(value: float, decimals: int = 2) -> float:
    """Round half away from zero, as SPSS prints (not Python's banker's rounding).

    Parameters
    ----------
    value : float
        The number to round.
    decimals : int, default 2
        Number of decimals.

    Returns
    -------
    float
        The rounded value. A guard of 1e-9 is added to ``|value| * 10**decimals``
        so that float noise (``0.285`` is stored as ``0.28499999...``) does not
        flip a half case downwards.
    """
    scale = 10.0**decimals
    scaled = abs(float(value)) * scale
    return math.copysign(math.floor(scaled + 0.5 + _ROUND_GUARD), value) / scale


def matches_printed(value: float, printed: float, decimals: int = 2) -> bool:
    """Tell whether ``value`` prints as ``printed`` at ``decimals`` decimals.

    Parameters
    ----------
    value : float
        Unrounded statistic.
    printed : float
        The published figure (e.g. ``2.91``).
    decimals : int, default 2
        Decimals of the published figure.

    Returns
    -------
    bool
        True when :func:`round_half_away` of ``value`` equals ``printed``.
    """
    value = float(value)
    if not math.isfinite(value):
        return False
    return abs(round_half_away(value, decimals) - float(printed)) < 0.5 * 10.0**-decimals


def parse_p(printed: str) -> tuple[str, float]:
    """Parse a printed p: ``("lt", .001)``, ``("ns", .05)`` or ``("eq", value)``."""
    text = str(printed).strip().lower().replace(" ", "").replace(",", ".")
    if text in {"n.s.", "n.s", "ns"}:
        return "ns", NS_ALPHA
    match = re.fullmatch(r"(<)?(0?\.\d+)", text)
    if not match:
        raise ValueError(f"printed p-value {printed!r} is not understood")
    value = float(match.group(2))
    if match.group(1):
        return "lt", value
    if value >= NS_ALPHA:
        raise ValueError(f"printed p-value {printed!r} is not below .05 but not 'n.s.'")
    return "eq", value


def p_category_holds(p: float, printed: str, tol: float = 0.001) -> bool:
    """Tell whether a p-value is consistent with its published form.

    Parameters
    ----------
    p : float
        The computed two-sided p-value.
    printed : str
        As published: ``"<,001"`` (p < .001), ``"n.s."`` (p >= .05) or a value
        such as ``",026"`` (decimal comma or point).
    tol : float, default 0.001
        For a printed value: ``p < .05`` and ``|p - value| <= tol`` (plus 1e-12
        against float noise). ``tol=0.001`` is needed because Lombardijen C
        meldingsbereidheid before/after is printed ,041 but the only attainable
        proportions give .0417.

    Returns
    -------
    bool
        Whether ``p`` falls in the published category.
    """
    p = float(p)
    if not math.isfinite(p):
        return False
    kind, value = parse_p(printed)
    if kind == "ns":
        return p >= value
    if kind == "lt":
        return p < value
    return p < NS_ALPHA and abs(p - value) <= tol + _P_ABS_GUARD
