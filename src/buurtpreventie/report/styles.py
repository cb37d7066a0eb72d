"""How the report's figures tell buurten apart, and how the captions say so.

A buurt gets a marker and a line style by its place among the buurten a figure
shows: the first is drawn with dots and a solid line, the second with squares
and a dashed line, and so on, cycling. The captions name the same styles in
Dutch (:func:`line_legend`). This module is pure and imports no matplotlib, so
the render rule can write the captions without drawing anything.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

__all__ = ["LINE_STYLES", "MARKERS", "buurt_styles", "line_legend"]

#: Line styles (matplotlib) with their name in a Dutch caption, in the order they are handed out.
LINE_STYLES = {
    "-": "doorgetrokken",
    "--": "gestippeld",
    ":": "fijn gestippeld",
    "-.": "streep-stip",
}
#: Markers (matplotlib) with their name in a Dutch caption, in the order they are handed out.
MARKERS = {
    "o": "rondjes",
    "s": "vierkantjes",
    "^": "driehoekjes",
    "D": "ruitjes",
    "v": "omgekeerde driehoekjes",
}


def buurt_styles(buurten: Sequence[str]) -> dict[str, dict[str, str]]:
    """Marker and line style of each buurt, by its place in ``buurten`` (cycled).

    Parameters
    ----------
    buurten : sequence of str
        The buurten a figure shows, in the report's order.

    Returns
    -------
    dict
        Buurt -> ``{"marker": ..., "linestyle": ...}``.
    """
    markers, lines = list(MARKERS), list(LINE_STYLES)
    return {
        buurt: {"marker": markers[i % len(markers)], "linestyle": lines[i % len(lines)]}
        for i, buurt in enumerate(buurten)
    }


def line_legend(names: Mapping[str, str], styles: Mapping[str, Mapping[str, str]]) -> str:
    """The caption's key to the line styles (``"Lombardijen doorgetrokken, de ... gestippeld"``).

    Parameters
    ----------
    names : mapping
        Buurt -> its name in running text, with the article where it has one
        (``"de Essenburgbuurt"``), in the figure's order.
    styles : mapping
        Buurt -> style, as :func:`buurt_styles` gives it.

    Returns
    -------
    str
        One phrase per buurt, joined with commas. The markers are named too
        when two buurten share a line style.
    """
    lines = [styles[b]["linestyle"] for b in names]
    with_markers = len(set(lines)) < len(lines)
    parts = []
    for buurt, name in names.items():
        style = styles[buurt]
        phrase = f"{name} {LINE_STYLES[style['linestyle']]}"
        if with_markers:
            phrase += f" met {MARKERS[style['marker']]}"
        parts.append(phrase)
    return ", ".join(parts)
