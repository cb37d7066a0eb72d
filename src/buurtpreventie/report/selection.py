"""Which buurten the report's main chapters show.

A study of two buurten shows both everywhere. A city-wide study of, say, a
hundred buurten cannot print a hundred columns: its main chapters show a
selection (config ``report.buurten``), a summary figure shows all buurten, and
the per-buurt tables move to an appendix. This module holds only that choice,
so the workflow and the report make it the same way; it imports nothing heavy.
"""

from __future__ import annotations

from collections.abc import Sequence

__all__ = ["main_buurten"]


def main_buurten(buurten: Sequence[str], chosen: Sequence[str], max_main: int) -> list[str]:
    """The buurten of the main chapters, in the codebook's order.

    Parameters
    ----------
    buurten : sequence of str
        All buurten of the study (the codebook's ``buurten``).
    chosen : sequence of str
        The config's ``report.buurten``; empty for the default.
    max_main : int
        The config's ``report.max_main_buurten``.

    Returns
    -------
    list of str
        ``chosen`` when given (each must be one of ``buurten``); otherwise all
        buurten when there are at most ``max_main``, else the first ``max_main``.

    Raises
    ------
    ValueError
        A chosen buurt is not a buurt of the study.
    """
    unknown = [b for b in chosen if b not in buurten]
    if unknown:
        raise ValueError(f"report.buurten: {unknown} not among the study's buurten {list(buurten)}")
    if chosen:
        return [b for b in buurten if b in set(chosen)]
    return list(buurten[:max_main])
