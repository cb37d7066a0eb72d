"""Dutch number formatting for the report, as the experiment report prints numbers.

- a decimal comma: ``2,91``; a point groups thousands: ``6.343``;
- SD, p and alpha drop the leading zero below one: ``,77`` (and ``1,14``);
- a p-value below .001 is ``<,001``; a p-value at or above alpha is ``n.s.``;
- a minus is the typographic minus sign (U+2212);
- a missing value is an en dash;
- rounding is half away from zero, as SPSS prints (:func:`~buurtpreventie.printed.round_half_away`),
  so a figure prints here as the published-vs-reproduced comparison judges it.

Every function takes a plain number (or ``None``/NaN) and returns text; they are
the Jinja filters of the report (see :mod:`buurtpreventie.report.render`).
"""

from __future__ import annotations

import datetime as dt
import math

from buurtpreventie.constants import NS_ALPHA
from buurtpreventie.printed import round_half_away

__all__ = [
    "MINUS",
    "MISSING",
    "MONTHS",
    "is_missing",
    "nl_date",
    "nl_int",
    "nl_month",
    "nl_no_zero",
    "nl_number",
    "nl_p",
    "nl_pct",
    "nl_share",
    "nl_signed",
]

MINUS = "\u2212"
MISSING = "\u2013"
MONTHS = (
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
)


def is_missing(value: object) -> bool:
    """True for ``None``, NaN and empty text."""
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    try:
        return math.isnan(float(value))
    except (TypeError, ValueError):
        return False


def _fixed(value: float, digits: int) -> str:
    """Round half away from zero, as SPSS and the published report print."""
    text = f"{round_half_away(float(value), digits):.{digits}f}"
    if text.startswith("-") and float(text) == 0:
        text = text[1:]  # no "-0,00"
    return text


def _dutch(text: str) -> str:
    """Point decimal -> comma decimal with point thousands, minus sign."""
    sign = MINUS if text.startswith("-") else ""
    text = text.lstrip("-")
    whole, _, fraction = text.partition(".")
    groups = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    return sign + ".".join(groups) + ("," + fraction if fraction else "")


def nl_number(value: object, digits: int = 2) -> str:
    """A number with a decimal comma: ``2.9146`` -> ``2,91``; a minus is U+2212.

    Parameters
    ----------
    value : float or None
        The number; missing gives an en dash.
    digits : int
        Decimals shown.

    Returns
    -------
    str
    """
    if is_missing(value):
        return MISSING
    return _dutch(_fixed(float(value), digits))


def nl_no_zero(value: object, digits: int = 2) -> str:
    """As :func:`nl_number`, without the leading zero below one: ``0.773`` -> ``,77``.

    The report prints SDs, p-values, correlations, alphas and Cohen's d this way;
    ``1.14`` stays ``1,14`` and ``-0.22`` becomes ``,22`` with a minus sign.
    """
    text = nl_number(value, digits)
    if text.startswith("0,"):
        return text[1:]
    if text.startswith(MINUS + "0,"):
        return MINUS + text[2:]
    return text


def nl_p(value: object, alpha: float | None = NS_ALPHA) -> str:
    """A p-value as the report prints it: ``<,001``, ``,026`` or ``n.s.``.

    Parameters
    ----------
    value : float or None
        The p-value.
    alpha : float or None
        At or above this value the p-value prints as ``n.s.``; ``None`` prints
        every p-value (for the added tables, where the exact value matters).

    Returns
    -------
    str
        Three decimals; four when three would round a significant p up to
        alpha (``,0496``, not ``,050``).
    """
    if is_missing(value):
        return MISSING
    p = float(value)
    if alpha is not None and p >= alpha:
        return "n.s."
    if p < 0.001:
        return "<,001"
    digits = 3
    if alpha is not None and round(p, 3) >= alpha:
        digits = 4
    return nl_no_zero(p, digits)


def nl_pct(value: object, digits: int = 1) -> str:
    """A percentage (given as 0-100) with a decimal comma: ``40.74`` -> ``40,7%``."""
    if is_missing(value):
        return MISSING
    return nl_number(value, digits) + "%"


def nl_share(value: object, digits: int = 1) -> str:
    """A fraction as a percentage: ``0.434`` -> ``43,4%``."""
    if is_missing(value):
        return MISSING
    return nl_pct(float(value) * 100, digits)


def nl_int(value: object) -> str:
    """A count with Dutch thousands: ``6343`` -> ``6.343``."""
    if is_missing(value):
        return MISSING
    return _dutch(str(round(float(value))))


def nl_signed(value: object, digits: int = 2, no_zero: bool = False) -> str:
    """A difference with its sign: ``0.44`` -> ``+0,44``; a minus is U+2212."""
    if is_missing(value):
        return MISSING
    text = nl_no_zero(value, digits) if no_zero else nl_number(value, digits)
    if text.startswith(MINUS) or float(_fixed(float(value), digits)) == 0:
        return text
    return "+" + text


def nl_month(value: object) -> str:
    """A month ``YYYY-MM`` (or a date) in words: ``2020-06`` -> ``juni 2020``."""
    if isinstance(value, dt.date):
        return f"{MONTHS[value.month - 1]} {value.year}"
    year, month = str(value)[:7].split("-")
    return f"{MONTHS[int(month) - 1]} {int(year)}"


def nl_date(value: object) -> str:
    """A date ``YYYY-MM-DD`` in words: ``2020-09-01`` -> ``1 september 2020``."""
    day = value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value)[:10])
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"
