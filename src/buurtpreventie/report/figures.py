"""The report's own figures: the timeline, the baseline means, the course over the waves.

Drawn with matplotlib (Agg) as SVG, for the PDF (vector graphics). Colours are
the Okabe-Ito palette, which stays distinguishable with colour-blindness; the
buurten also differ by marker and line style, so the figures read in grey too.
Output is deterministic: a fixed SVG hash salt and no date in the metadata.
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
import textwrap
from collections.abc import Mapping, Sequence
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.dates as mdates
import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.lines import Line2D
from matplotlib.text import Text
from matplotlib.ticker import FuncFormatter
from scipy.special import stdtrit

from buurtpreventie.dutch import nl_no_zero
from buurtpreventie.report.styles import buurt_styles
from buurtpreventie.report.text import ALPHA, CI_LEVEL

__all__ = [
    "OKABE_ITO",
    "STYLE",
    "baseline_figure",
    "baseline_forest",
    "buurten_figure",
    "confidence_interval",
    "course_figure",
    "did_forest",
    "did_pair",
    "experiment_label",
    "fit_ticklabels",
    "overlapping",
    "save_svg",
    "short_month",
    "spread",
    "spread_widths",
    "timeline_events",
    "timeline_figure",
]

#: The Okabe-Ito colour-blind-safe palette.
OKABE_ITO = {
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "purple": "#CC79A7",
    "black": "#000000",
}
GROUP_COLOURS = {"E": OKABE_ITO["vermillion"], "C": OKABE_ITO["blue"]}
STYLE = {
    "svg.hashsalt": "buurtpreventie-report",
    "svg.fonttype": "none",  # text as text: smaller, faster to render, searchable in the PDF
    "font.family": "DejaVu Sans",
    "font.size": 8,
    "axes.titlesize": 8,
    "axes.labelsize": 8,
    "xtick.labelsize": 7,
    "ytick.labelsize": 7,
    "legend.fontsize": 7,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.linewidth": 0.6,
    "xtick.major.width": 0.6,
    "ytick.major.width": 0.6,
}
#: Tick labels with a decimal comma (``2,5``), as the text prints numbers.
DUTCH_TICKS = FuncFormatter(lambda value, _: f"{value:g}".replace(".", ",").replace("-", "\u2212"))
WIDTH = 6.3  # inches: the text width of an A4 page with the report's margins


def confidence_interval(
    mean: float, sd: float, n: int, level: float = CI_LEVEL
) -> tuple[float, float]:
    """The t-based confidence interval of a mean (``n - 1`` degrees of freedom)."""
    if n is None or n < 2 or sd is None or math.isnan(sd):
        return (mean, mean)
    # scipy.stats.t.ppf(q, df) is stdtrit(df, q), without importing scipy.stats (1 s)
    half = stdtrit(n - 1, 0.5 + level / 2) * sd / math.sqrt(n)
    return (mean - half, mean + half)


#: The usual Dutch abbreviations of the months (``mrt``, not ``maa``).
SHORT_MONTHS = ("jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec")


def short_month(month: dt.date) -> str:
    """A month in the figures' short Dutch form: ``sep 2020``, ``mrt 2023``."""
    return f"{SHORT_MONTHS[month.month - 1]} {month.year}"


def experiment_label(start: str, end: str) -> str:
    """The experiment period as the figures name it: ``experiment sep 2020 - aug 2021``.

    Parameters
    ----------
    start, end : str
        ``experiment.start`` and ``experiment.end`` of the config (YYYY-MM-DD;
        the end is exclusive, so the last month is that of the day before).
    """
    first = dt.date.fromisoformat(str(start)[:10])
    last = dt.date.fromisoformat(str(end)[:10]) - dt.timedelta(days=1)
    return f"experiment {short_month(first)} \u2013 {short_month(last)}"


def timeline_events(
    waves: Sequence[Mapping[str, str]],
    experiment: Mapping[str, str],
    interim: str | None = None,
) -> list[tuple[pd.Timestamp, str, str]]:
    """What the timeline shows, in time order: ``(moment, kind, label)``.

    Kinds are ``wave`` (the first day of the fieldwork month, labelled with the
    wave), ``experiment_start``, ``experiment_end`` (the last day of the
    experiment), and ``interim`` (the middle of its month). Every moment comes
    from the config; none is fixed here. Ties keep the order just named.
    """
    start = pd.Timestamp(experiment["start"])
    end = pd.Timestamp(experiment["end"]) - pd.Timedelta(days=1)
    events = [(pd.Timestamp(f"{w['fieldwork']}-01"), "wave", str(w["label"])) for w in waves]
    events += [(start, "experiment_start", "start experiment"), (end, "experiment_end", "einde")]
    if interim:
        events.append((pd.Timestamp(f"{interim}-15"), "interim", "tussentijdse evaluatie"))
    return sorted(events, key=lambda e: e[0])


def _month_step(first: pd.Timestamp, last: pd.Timestamp, inches: float) -> int:
    """Months between two labelled ticks so that the labels (``mrt 2023``) fit side by side."""
    months = (last.year - first.year) * 12 + last.month - first.month + 1
    for step in (1, 2, 3, 4, 6):
        if months / step * 0.62 <= inches:  # a label takes about 0.45 inch, plus a gap
            return step
    return 12


def spread_widths(
    centres: Sequence[float], widths: Sequence[float], pad: float, low: float, high: float
) -> list[float]:
    """Centres of labels of these widths near ``centres``, apart, within ``low``-``high``.

    Like :func:`spread`, but every label has its own width: two neighbours
    keep half of both widths plus ``pad`` apart. The order stays that of the
    centres. Returns the centres in the order given.
    """
    order = sorted(range(len(centres)), key=lambda i: centres[i])
    placed = [float(centres[i]) for i in order]
    size = [float(widths[i]) for i in order]
    if placed:
        placed[0] = max(placed[0], low + size[0] / 2)
    for i in range(1, len(placed)):  # push right
        placed[i] = max(placed[i], placed[i - 1] + (size[i - 1] + size[i]) / 2 + pad)
    if placed and placed[-1] + size[-1] / 2 > high:  # then back from the right edge
        placed[-1] = high - size[-1] / 2
        for i in range(len(placed) - 2, -1, -1):
            placed[i] = min(placed[i], placed[i + 1] - (size[i] + size[i + 1]) / 2 - pad)
    out = [0.0] * len(centres)
    for i, p in zip(order, placed, strict=True):
        out[i] = p
    return out


def _unclutter(figure, axis, rows: Sequence[Sequence]) -> None:
    """Move the labels of each row sideways (in points) until no two overlap.

    ``rows`` holds lists of annotations that share a height; each keeps its
    anchor (and its connecting line), only its text moves.
    """
    figure.canvas.draw()
    renderer = figure.canvas.get_renderer()
    box = axis.get_window_extent(renderer)
    scale = 72 / figure.dpi
    for row in rows:
        if len(row) < 2:
            continue
        extents = [Text.get_window_extent(a, renderer) for a in row]  # without the arrow
        anchors = [axis.transData.transform((mdates.date2num(a.xy[0]), 0))[0] for a in row]
        centres = [(e.x0 + e.x1) / 2 for e in extents]
        moved = spread_widths(centres, [e.width for e in extents], 6 / scale, box.x0, box.x1)
        for annotation, anchor, centre in zip(row, anchors, moved, strict=True):
            dy = annotation.xyann[1]
            annotation.xyann = ((centre - anchor) * scale, dy)


def timeline_figure(
    waves: Sequence[Mapping[str, str]],
    experiment: Mapping[str, str],
    interim: str | None = None,
):
    """Figure 1: fieldwork of each wave, the experiment period and the interim evaluation.

    Every date comes from the arguments (:func:`timeline_events`); the axis
    runs from three months before the earliest to three after the latest.
    Labels above and below the line alternate for close waves and move
    sideways until none overlap; the axis labels every month, every second,
    third, ... month as the span allows.

    Parameters
    ----------
    waves : list of dict
        ``id``, ``label`` and ``fieldwork`` (YYYY-MM) of each wave, in time order.
    experiment : dict
        ``start`` and ``end`` (YYYY-MM-DD; end exclusive).
    interim : str, optional
        Month of the interim evaluation (YYYY-MM).
    """
    with plt.rc_context(STYLE):
        figure, axis = plt.subplots(figsize=(WIDTH, 2.1))
        start = pd.Timestamp(experiment["start"])
        end = pd.Timestamp(experiment["end"])
        months = [pd.Timestamp(f"{w['fieldwork']}-01") for w in waves]
        moments = [e[0] for e in timeline_events(waves, experiment, interim)]
        first = min(moments) - pd.DateOffset(months=3)
        last = max(moments) + pd.DateOffset(months=3)
        axis.axhline(0, color="#555555", lw=0.8, zorder=1)
        axis.axvspan(start, end, ymin=0.4, ymax=0.6, color=OKABE_ITO["sky_blue"], alpha=0.35, lw=0)
        above = [
            axis.annotate(
                experiment_label(experiment["start"], experiment["end"]),
                (start + (end - start) / 2, 0.39),
                xytext=(0, 16),
                textcoords="offset points",
                ha="center",
                va="bottom",
                fontsize=7.5,
                color="#1a4f6e",
            )
        ]
        below = []
        up = False
        for i, (wave, month) in enumerate(zip(waves, months, strict=True)):
            # the fieldwork month, with a gap on both sides so that waves a month apart stay apart
            axis.axvspan(
                month + pd.Timedelta(days=3),
                month + pd.DateOffset(months=1) - pd.Timedelta(days=3),
                ymin=0.35,
                ymax=0.65,
                color=OKABE_ITO["vermillion"],
                lw=0,
                zorder=2,
            )
            close = i > 0 and (month - months[i - 1]).days < 150
            up = not up if close else True
            label = axis.annotate(
                f"{wave['label']}\n{short_month(month.date())}",
                (month + pd.Timedelta(days=15), 0.39 if up else -0.39),
                xytext=(0, 16 if up else -12),
                textcoords="offset points",
                ha="center",
                va="bottom" if up else "top",
                fontsize=7.5,
                arrowprops={"arrowstyle": "-", "color": "#777777", "lw": 0.6},
            )
            (above if up else below).append(label)
        if interim:
            moment = pd.Timestamp(f"{interim}-15")
            axis.plot([moment], [0], marker="D", color=OKABE_ITO["black"], ms=5, zorder=3)
            below.append(
                axis.annotate(
                    f"tussentijdse evaluatie\n{short_month(moment.date())}",
                    (moment, -0.12),
                    xytext=(0, -22),
                    textcoords="offset points",
                    ha="center",
                    va="top",
                    fontsize=7.5,
                    arrowprops={"arrowstyle": "-", "color": "#777777", "lw": 0.6},
                )
            )
        axis.set_xlim(first, last)
        axis.set_ylim(-1.3, 1.3)
        axis.yaxis.set_visible(False)
        for side in ("left", "right", "top"):
            axis.spines[side].set_visible(False)
        step = _month_step(first, last, WIDTH - 0.6)
        axis.xaxis.set_major_locator(mdates.MonthLocator(bymonth=range(1, 13, step)))
        axis.xaxis.set_minor_locator(mdates.MonthLocator())
        axis.xaxis.set_major_formatter(
            FuncFormatter(lambda value, _: short_month(mdates.num2date(value).date()))
        )
        figure.tight_layout()
        _unclutter(figure, axis, [above, below])
    return figure


def _panels(n: int):
    """A grid of ``n`` panels, three wide, plus a free slot for the legend when there is one."""
    columns = min(3, n)
    rows = math.ceil((n + 1) / columns)
    figure, axes = plt.subplots(rows, columns, figsize=(WIDTH, 1.75 * rows), squeeze=False)
    flat = list(axes.flat)
    for axis in flat[n:]:
        axis.set_axis_off()
    return figure, flat[:n], (flat[n] if len(flat) > n else None)


def _title(axis, label: str) -> None:
    axis.set_title(textwrap.fill(label, 26), loc="left")
    axis.yaxis.set_major_formatter(DUTCH_TICKS)


def _legend(
    figure,
    labels: Mapping[str, str],
    buurten: Sequence[str],
    groups: Mapping[str, str],
    slot=None,
    lines: bool = False,
):
    styles = buurt_styles(buurten)
    if len(buurten) > 2:
        handles = _compact_handles(labels, buurten, groups, styles, lines)
        if slot is not None:
            slot.legend(handles=handles, loc="center", frameon=False, fontsize=7, labelspacing=0.6)
        else:
            figure.legend(handles=handles, loc="lower center", ncol=4, frameon=False)
        return
    handles = []
    for buurt in buurten:
        for groep, name in groups.items():
            style = dict(styles[buurt])
            if not lines:
                style["linestyle"] = "none"
            handles.append(
                Line2D(
                    [],
                    [],
                    color=GROUP_COLOURS[groep],
                    ms=4.5,
                    lw=1,
                    label=f"{labels[buurt]},\n{name}",
                    **style,
                )
            )
    if slot is not None:
        slot.legend(handles=handles, loc="center", frameon=False, fontsize=7.5, labelspacing=1.1)
    else:
        figure.legend(handles=handles, loc="lower center", ncol=len(handles), frameon=False)


def _compact_handles(labels, buurten, groups, styles, lines: bool) -> list:
    """Legend of more than two buurten: the groups by colour, then each buurt by its style."""
    handles = [
        Line2D([], [], color=GROUP_COLOURS[groep], marker="o", ms=4.5, lw=1, label=name)
        for groep, name in groups.items()
    ]
    for buurt in buurten:
        style = dict(styles[buurt])
        if not lines:
            style["linestyle"] = "none"
        handles.append(Line2D([], [], color="#444444", ms=4.5, lw=1, label=labels[buurt], **style))
    return handles


def _buurt_ticks(axis, names: Sequence[str]) -> None:
    """The buurten under a panel; more than two are wrapped and set smaller so they fit."""
    axis.set_xticks(range(len(names)))
    if len(names) <= 2:
        axis.set_xticklabels(names)
        return
    axis.set_xticklabels([textwrap.fill(n, 6) for n in names], fontsize=6)


def baseline_figure(
    indicators: pd.DataFrame,
    meta: Sequence[Mapping[str, object]],
    wave: str,
    buurten: Mapping[str, str],
    groups: Mapping[str, str],
):
    """Means with their 95% CI at the baseline: E vs C, per indicator and buurt.

    Parameters
    ----------
    indicators : DataFrame
        ``results/tables/indicators.csv``.
    meta : list of dict
        ``id``, ``label``, ``low`` and ``high`` of each indicator (codebook order).
    wave : str
        The baseline wave id.
    buurten : mapping
        Buurt id -> name, in order: the buurten to draw (markers by
        :func:`~buurtpreventie.report.styles.buurt_styles`).
    groups : mapping
        Groep -> name (``{"E": "experimenteel", "C": "controle"}``).
    """
    styles = buurt_styles(list(buurten))
    with plt.rc_context(STYLE):
        figure, axes, slot = _panels(len(meta))
        part = indicators[indicators["wave"] == wave]
        for axis, ind in zip(axes, meta, strict=True):
            own = part[part["indicator"] == ind["id"]]
            for x, buurt in enumerate(buurten):
                for offset, groep in ((-0.12, "E"), (0.12, "C")):
                    hit = own[(own["buurt"] == buurt) & (own["groep"] == groep)]
                    if hit.empty or str(hit["small_cell"].iloc[0]).lower() == "true":
                        continue
                    row = hit.iloc[0]
                    low, high = confidence_interval(row["mean"], row["sd"], int(row["n"]))
                    axis.errorbar(
                        [x + offset],
                        [row["mean"]],
                        yerr=[[row["mean"] - low], [high - row["mean"]]],
                        color=GROUP_COLOURS[groep],
                        marker=styles[buurt]["marker"],
                        ms=4,
                        capsize=2,
                        lw=1,
                    )
            _buurt_ticks(axis, [buurten[b] for b in buurten])
            axis.set_xlim(-0.6, len(buurten) - 0.4)
            axis.set_ylim(float(ind["low"]), float(ind["high"]))
            _title(axis, str(ind["label"]))
            axis.grid(axis="y", lw=0.3, color="#dddddd")
        _legend(figure, buurten, list(buurten), groups, slot)
        figure.tight_layout(h_pad=1.2, w_pad=1.5)
    return figure


def course_figure(
    indicators: pd.DataFrame,
    meta: Sequence[Mapping[str, object]],
    waves: Sequence[Mapping[str, str]],
    buurten: Mapping[str, str],
    groups: Mapping[str, str],
):
    """Each group's mean per wave (one point per wave, 95% CI), per indicator.

    Small cells are left out. The vertical axes differ per indicator. Only the
    buurten of ``buurten`` (id -> name) are drawn, each with its own marker and
    line style (:func:`~buurtpreventie.report.styles.buurt_styles`).
    """
    styles = buurt_styles(list(buurten))
    with plt.rc_context(STYLE):
        figure, axes, slot = _panels(len(meta))
        order = [w["id"] for w in waves]
        offsets = {}
        cells = [(b, g) for b in buurten for g in groups]
        for i, cell in enumerate(cells):
            offsets[cell] = (i - (len(cells) - 1) / 2) * 0.06
        for axis, ind in zip(axes, meta, strict=True):
            own = indicators[indicators["indicator"] == ind["id"]]
            for buurt, groep in cells:
                rows = own[(own["buurt"] == buurt) & (own["groep"] == groep)].copy()
                rows = rows[rows["small_cell"].astype(str).str.lower() != "true"]
                rows["x"] = rows["wave"].map({w: i for i, w in enumerate(order)})
                rows = rows.dropna(subset=["x"]).sort_values("x")
                if rows.empty:
                    continue
                x = rows["x"].to_numpy() + offsets[(buurt, groep)]
                cis = [
                    confidence_interval(r["mean"], r["sd"], int(r["n"])) for _, r in rows.iterrows()
                ]
                style = styles[buurt]
                axis.errorbar(
                    x,
                    rows["mean"].to_numpy(),
                    yerr=[
                        rows["mean"].to_numpy() - [c[0] for c in cis],
                        [c[1] for c in cis] - rows["mean"].to_numpy(),
                    ],
                    color=GROUP_COLOURS[groep],
                    marker=style["marker"],
                    linestyle=style["linestyle"],
                    ms=3.5,
                    lw=1,
                    capsize=1.5,
                    elinewidth=0.6,
                )
            axis.set_xticks(range(len(order)))
            axis.set_xticklabels([w["label"] for w in waves])
            axis.set_xlim(-0.4, len(order) - 0.6)
            _title(axis, str(ind["label"]))
            axis.grid(axis="y", lw=0.3, color="#dddddd")
        _legend(figure, buurten, list(buurten), groups, slot, lines=True)
        figure.tight_layout(h_pad=1.2, w_pad=1.5)
        if fit_ticklabels(figure, axes):
            figure.tight_layout(h_pad=1.2, w_pad=1.5)
    return figure


def overlapping(texts: Sequence, renderer, pad: float = 1.0) -> list[tuple[str, str]]:
    """The pairs of visible, non-empty texts whose drawn boxes overlap (``pad`` pixels apart).

    An annotation counts with its text only, not with its connecting line.
    """
    boxes = [
        (t.get_text(), Text.get_window_extent(t, renderer).padded(pad / 2))
        for t in texts
        if t.get_visible() and t.get_text().strip()
    ]
    return [
        (a, b)
        for i, (a, box_a) in enumerate(boxes)
        for b, box_b in boxes[i + 1 :]
        if box_a.overlaps(box_b)
    ]


def fit_ticklabels(figure, axes: Sequence) -> bool:
    """Wrap, then turn the x tick labels of ``axes`` until neighbours no longer touch.

    Labels of several words are first broken over two lines; labels that still
    run into each other are set at 30 degrees when the ticks stand far enough
    apart for slanted labels to pass each other (half the tick distance more
    than the height of a line), else upright. Returns whether anything changed
    (the caller lays the figure out again).
    """
    figure.canvas.draw()
    renderer = figure.canvas.get_renderer()
    if not any(overlapping(a.get_xticklabels(), renderer, pad=3) for a in axes):
        return False
    labels = {id(a): [t.get_text() for t in a.get_xticklabels()] for a in axes}
    for axis in axes:
        axis.set_xticklabels([t.replace(" ", "\n", 1) for t in labels[id(axis)]])
    figure.canvas.draw()
    if not any(overlapping(a.get_xticklabels(), renderer, pad=3) for a in axes):
        return True
    for axis in axes:
        axis.set_xticklabels(labels[id(axis)])
    figure.canvas.draw()
    for axis in axes:
        ticks = axis.get_xticklabels()
        if not ticks:
            continue
        x = sorted(axis.transData.transform((t, 0))[0] for t in axis.get_xticks())
        distance = min((b - a for a, b in itertools.pairwise(x)), default=float("inf"))
        height = max(t.get_window_extent(renderer).height for t in ticks)
        if distance * 0.5 > 1.4 * height:
            axis.set_xticklabels(labels[id(axis)], rotation=30, ha="right", rotation_mode="anchor")
        else:
            axis.set_xticklabels(labels[id(axis)], rotation=90, ha="center")
    return True


#: Colours of the summary figure: the main chapters' buurten stand out from the others.
MAIN_COLOUR = OKABE_ITO["vermillion"]
OTHER_COLOUR = OKABE_ITO["blue"]
#: Most inches a panel of the summary figure gets, and the least points between two names.
PANEL_HEIGHT = 1.95
LABEL_PITCH = 6.5


def did_pair(did: pd.DataFrame, wave_from: str, wave_to: str) -> pd.DataFrame:
    """The rows of ``did.csv`` of one pair of waves with an estimate."""
    part = did[(did["wave_from"] == wave_from) & (did["wave_to"] == wave_to)]
    return part[part["estimate"].notna()]


def spread(positions: Sequence[float], gap: float, low: float, high: float) -> list[float]:
    """Label positions near ``positions`` but at least ``gap`` apart, within ``low``-``high``.

    The order of the labels stays that of the positions; a label moves as
    little as the others allow. Returns the positions in the order given.
    """
    order = sorted(range(len(positions)), key=lambda i: positions[i])
    placed = [float(positions[i]) for i in order]
    for i in range(1, len(placed)):  # push up
        placed[i] = max(placed[i], placed[i - 1] + gap)
    if placed and placed[-1] > high:  # then down from the top
        placed[-1] = high
        for i in range(len(placed) - 2, -1, -1):
            placed[i] = min(placed[i], placed[i + 1] - gap)
    placed = [max(p, low) for p in placed]
    out = [0.0] * len(positions)
    for i, p in zip(order, placed, strict=True):
        out[i] = p
    return out


def _caterpillar(axis, part: pd.DataFrame, main: Sequence[str], alpha: float, small: bool):
    """One indicator: every buurt's estimate and CI, sorted, main buurten in front."""
    part = part.sort_values(["estimate", "buurt"], kind="stable").reset_index(drop=True)
    for main_row in (False, True):
        rows = part[part["buurt"].isin(main) == main_row]
        dot = MAIN_COLOUR if main_row else OTHER_COLOUR
        axis.hlines(
            rows.index,
            rows["ci_low"],
            rows["ci_high"],
            color=MAIN_COLOUR if main_row else OKABE_ITO["sky_blue"],
            lw=1.4 if main_row else (0.45 if small else 0.9),
            zorder=3 if main_row else 2,
        )
        significant = rows["p"] < alpha
        for filled in (True, False):
            hit = rows[significant == filled]
            axis.plot(
                hit["estimate"],
                hit.index,
                linestyle="none",
                marker="o",
                ms=(4 if main_row else 1.6 if small else 3),
                mew=0.7 if main_row or not small else 0.4,
                color=dot,
                markerfacecolor=dot if filled else "white",
                zorder=4 if main_row else 3,
            )
    axis.axvline(0, color=OKABE_ITO["black"], lw=0.7, zorder=2.5)
    axis.set_ylim(-0.8, len(part) - 0.2)
    axis.xaxis.set_major_formatter(DUTCH_TICKS)
    axis.grid(axis="x", lw=0.3, color="#dddddd")
    axis.spines["left"].set_visible(False)
    return part


def _buurt_labels(axis, part, main, names, label_all: bool, pitch: float) -> None:
    """Name every buurt on the vertical axis, or only the main ones, spread so none overlap."""
    if label_all:
        axis.set_yticks(range(len(part)))
        labels = axis.set_yticklabels([names.get(b, b) for b in part["buurt"]], fontsize=6)
        for label, buurt in zip(labels, part["buurt"], strict=True):
            if buurt in main:
                label.set_color(MAIN_COLOUR)
                label.set_fontweight("bold")
        axis.tick_params(axis="y", length=0, pad=2)
        return
    axis.set_yticks([])
    rows = part[part["buurt"].isin(main)]
    where = spread(list(rows.index), LABEL_PITCH / pitch, 0, len(part) - 1)
    limits = axis.get_xlim()
    for (index, row), y in zip(rows.iterrows(), where, strict=True):
        axis.plot(
            [limits[0], row["ci_low"]], [index, index], color=MAIN_COLOUR, lw=0.5, ls=":", zorder=3
        )
        axis.annotate(
            names.get(row["buurt"], row["buurt"]),
            xy=(0, index),
            xycoords=("axes fraction", "data"),
            xytext=(-0.03, y),
            textcoords=("axes fraction", "data"),
            ha="right",
            va="center",
            fontsize=6,
            fontweight="bold",
            color=MAIN_COLOUR,
            arrowprops={"arrowstyle": "-", "color": MAIN_COLOUR, "lw": 0.5},
        )
    axis.set_xlim(limits)


def buurten_figure(
    did: pd.DataFrame,
    meta: Sequence[Mapping[str, object]],
    main: Sequence[str],
    names: Mapping[str, str],
    wave_from: str,
    wave_to: str,
    alpha: float = ALPHA,
):
    """Every buurt's difference in differences per indicator: the summary across all buurten.

    One small panel per indicator: per buurt the estimate of ``did.csv``
    (``wave_from`` to ``wave_to``) with its confidence interval, buurten sorted
    by the estimate, a line at zero. The main chapters' buurten are drawn in
    vermillion and named; the others in blue, named only while the names fit.
    A filled dot is significant (p < ``alpha``), an open one is not.

    Parameters
    ----------
    did : DataFrame
        ``results/tables/did.csv``.
    meta : list of dict
        ``id`` and ``label`` of each indicator (codebook order).
    main : sequence of str
        The buurten of the main chapters.
    names : mapping
        Buurt id -> name, for every buurt.
    wave_from, wave_to : str
        The wave ids of the estimates (the baseline and the last wave).
    alpha : float
        Significance level of the filled dots.
    """
    pair = did_pair(did, wave_from, wave_to)
    n = max(int(pair["buurt"].nunique()), 1)
    columns = 2 if len(meta) > 1 else 1
    rows = math.ceil(len(meta) / columns)
    height = min(PANEL_HEIGHT, 0.55 + 0.1 * n)
    pitch = (height - 0.5) * 72 / n  # points per buurt
    label_all = pitch >= LABEL_PITCH
    with plt.rc_context(STYLE):
        figure, axes = plt.subplots(
            rows, columns, figsize=(WIDTH, height * rows + 0.45), squeeze=False
        )
        flat = list(axes.flat)
        for axis in flat[len(meta) :]:
            axis.set_axis_off()
        for axis, ind in zip(flat, meta, strict=False):
            part = pair[pair["indicator"] == ind["id"]]
            _title(axis, str(ind["label"]))
            axis.xaxis.set_major_formatter(DUTCH_TICKS)
            if part.empty:
                axis.set_yticks([])
                continue
            part = _caterpillar(axis, part, main, alpha, small=n > 40)
            _buurt_labels(axis, part, main, names, label_all, pitch)
        handles = [
            Line2D(
                [],
                [],
                color=MAIN_COLOUR,
                lw=1.3,
                marker="o",
                ms=4,
                label="buurt in de hoofdstukken",
            ),
            Line2D(
                [],
                [],
                color=OKABE_ITO["sky_blue"],
                lw=0.9,
                marker="o",
                ms=3,
                markerfacecolor=OTHER_COLOUR,
                markeredgecolor=OTHER_COLOUR,
                label="overige buurt",
            ),
            Line2D(
                [],
                [],
                color="#444444",
                lw=0,
                marker="o",
                ms=3.5,
                label=f"significant (p < {nl_no_zero(alpha)})",
            ),
            Line2D(
                [],
                [],
                color="#444444",
                lw=0,
                marker="o",
                ms=3.5,
                markerfacecolor="white",
                label="niet significant",
            ),
        ]
        figure.legend(handles=handles, loc="lower center", ncol=4, frameon=False)
        figure.tight_layout(rect=(0, 0.45 / (height * rows + 0.45), 1, 1), h_pad=1.0, w_pad=2.0)
    return figure


#: Colour of the estimates and intervals of the forest plots.
FOREST_COLOUR = OKABE_ITO["black"]
#: The line at zero: grey and dashed, apart from the intervals.
ZERO_COLOUR = "#777777"


def _forest_rows(
    axis, rows: pd.DataFrame, value: str, low: str, high: str, styles, filled: pd.Series
) -> None:
    """Draw each row's estimate (marker of its buurt) and interval at its ``y``."""
    axis.hlines(rows["y"], rows[low], rows[high], color=FOREST_COLOUR, lw=1.0, zorder=3)
    for buurt, part in rows.groupby("buurt", sort=False):
        for full in (True, False):
            hit = part[filled.loc[part.index] == full]
            if hit.empty:
                continue
            axis.plot(
                hit[value],
                hit["y"],
                linestyle="none",
                marker=styles[buurt]["marker"],
                ms=4,
                mew=0.8,
                color=FOREST_COLOUR,
                markerfacecolor=FOREST_COLOUR if full else "white",
                zorder=4,
            )
    axis.axvline(0, color=ZERO_COLOUR, lw=0.9, ls="--", zorder=2, label="nullijn")
    axis.xaxis.set_major_formatter(DUTCH_TICKS)
    axis.grid(axis="x", lw=0.3, color="#dddddd")


def _buurt_handles(buurten: Mapping[str, str], styles, alpha: float | None) -> list:
    handles = [
        Line2D([], [], color=FOREST_COLOUR, lw=1.0, marker=styles[b]["marker"], ms=4, label=name)
        for b, name in buurten.items()
    ]
    if alpha is not None:
        handles += [
            Line2D(
                [],
                [],
                color=FOREST_COLOUR,
                lw=0,
                marker="o",
                ms=4,
                label=f"significant (p < {nl_no_zero(alpha)})",
            ),
            Line2D(
                [],
                [],
                color=FOREST_COLOUR,
                lw=0,
                marker="o",
                ms=4,
                markerfacecolor="white",
                label="niet significant",
            ),
        ]
    handles.append(Line2D([], [], color=ZERO_COLOUR, lw=0.9, ls="--", label="geen verschil (0)"))
    return handles


def baseline_forest(
    baseline: pd.DataFrame,
    meta: Sequence[Mapping[str, object]],
    buurten: Mapping[str, str],
    alpha: float = ALPHA,
):
    """Forest plot of the baseline differences: Cohen's d with its 95% CI, per indicator and buurt.

    One row per indicator (codebook order) and buurt (``buurten`` order), the
    indicator named once beside its rows; the buurten differ by marker
    (:func:`~buurtpreventie.report.styles.buurt_styles`). A filled marker is a
    difference with p < ``alpha`` (Student's t-test, column ``p``), an open one
    is not. A line at zero: no difference between the groups.

    Parameters
    ----------
    baseline : DataFrame
        ``results/tables/baseline.csv`` (``indicator``, ``buurt``, ``d``,
        ``d_ci_low``, ``d_ci_high``, ``p``).
    meta : list of dict
        ``id`` and ``label`` of each indicator (codebook order).
    buurten : mapping
        Buurt id -> name, in order: the buurten to draw.
    alpha : float
        Significance level of the filled markers.
    """
    styles = buurt_styles(list(buurten))
    rows = _forest_table(baseline, meta, buurten, ["d", "d_ci_low", "d_ci_high"])
    height = 0.75 + 0.16 * len(rows) + 0.1 * len(meta)
    with plt.rc_context(STYLE):
        figure, axis = plt.subplots(figsize=(WIDTH, height))
        if rows.empty:
            axis.set_axis_off()
            return figure
        _forest_rows(axis, rows, "d", "d_ci_low", "d_ci_high", styles, rows["p"] < alpha)
        _forest_labels(axis, rows, meta)
        axis.set_xlabel(
            "Cohen\u2019s d: verschil experimentele min controlegroep, in standaarddeviaties"
        )
        figure.legend(
            handles=_buurt_handles(buurten, styles, alpha),
            loc="lower center",
            ncol=5,
            frameon=False,
        )
        figure.tight_layout(rect=(0, 0.32 / height, 1, 1))
    return figure


def _forest_table(
    table: pd.DataFrame,
    meta: Sequence[Mapping[str, object]],
    buurten: Mapping[str, str],
    columns: Sequence[str],
    waves: Sequence[str] = (),
) -> pd.DataFrame:
    """The rows to draw, top to bottom, with their ``y`` (0 at the top; a gap between indicators).

    Rows whose estimate or interval is missing are left out.
    """
    order = {ind["id"]: i for i, ind in enumerate(meta)}
    rank = {b: i for i, b in enumerate(buurten)}
    part = table[table["indicator"].isin(order) & table["buurt"].isin(rank)].copy()
    part = part.dropna(subset=list(columns))
    part["_i"] = part["indicator"].map(order)
    part["_b"] = part["buurt"].map(rank)
    keys = ["_i", "_b"]
    if waves:
        part["_w"] = part["wave_to"].map({w: i for i, w in enumerate(waves)})
        part = part.dropna(subset=["_w"])
        keys.append("_w")
    part = part.sort_values(keys).reset_index(drop=True)
    gaps = part["_i"].rank(method="dense").astype(int) - 1
    part["y"] = -(part.index + 0.6 * gaps)
    return part


def _forest_labels(axis, rows: pd.DataFrame, meta, extra: Mapping[int, str] | None = None) -> None:
    """The indicator beside its first row, the row's own label (buurt, wave) beside each row."""
    labels = {ind["id"]: str(ind["label"]) for ind in meta}
    axis.set_yticks(rows["y"])
    axis.set_yticklabels(
        [extra[i] if extra else "" for i in rows.index] if extra else [""] * len(rows),
        fontsize=6.5,
    )
    axis.tick_params(axis="y", length=0)
    axis.spines["left"].set_visible(False)
    for indicator, part in rows.groupby("indicator", sort=False):
        axis.annotate(
            textwrap.fill(labels[indicator], 24),
            xy=(0, part["y"].max()),
            xycoords=("axes fraction", "data"),
            xytext=(-6 if not extra else -92, 0),
            textcoords="offset points",
            ha="right",
            va="top",
            fontsize=7,
            fontweight="bold",
        )
    low, high = rows["y"].min(), rows["y"].max()
    axis.set_ylim(low - 0.7, high + 0.7)


def did_forest(
    did: pd.DataFrame,
    meta: Sequence[Mapping[str, object]],
    waves: Sequence[Mapping[str, str]],
    buurten: Mapping[str, str],
    alpha: float = ALPHA,
):
    """Forest plot of the difference in differences: estimate with its 95% CI per indicator.

    One panel per indicator, each with its own horizontal axis in the
    indicator's unit; in a panel a row per buurt and later wave (the change
    from the first wave to that wave). A filled marker is significant
    (p < ``alpha``), an open one is not; the buurten differ by marker. A line
    at zero: the experimental group changed as much as the control group.

    Parameters
    ----------
    did : DataFrame
        ``results/tables/did.csv``.
    meta : list of dict
        ``id`` and ``label`` of each indicator (codebook order).
    waves : list of dict
        ``id`` and ``label`` of each wave, in time order; the first is the baseline.
    buurten : mapping
        Buurt id -> name, in order.
    alpha : float
        Significance level of the filled markers.
    """
    styles = buurt_styles(list(buurten))
    later = [w["id"] for w in waves[1:]]
    wave_label = {w["id"]: str(w["label"]) for w in waves}
    pair = did[(did["wave_from"] == waves[0]["id"]) & did["wave_to"].isin(later)]
    rows = _forest_table(pair, meta, buurten, ["estimate", "ci_low", "ci_high"], later)
    shown = [ind for ind in meta if ind["id"] in set(rows["indicator"])]
    per_panel = max(len(buurten) * len(later), 1)
    columns = 2 if len(shown) > 1 else 1
    panel_rows = max(math.ceil(len(shown) / columns), 1)
    panel = 0.55 + 0.15 * per_panel
    height = panel * panel_rows + 0.45
    with plt.rc_context(STYLE):
        figure, axes = plt.subplots(panel_rows, columns, figsize=(WIDTH, height), squeeze=False)
        flat = list(axes.flat)
        for axis in flat[len(shown) :]:
            axis.set_axis_off()
        for i, (axis, ind) in enumerate(zip(flat, shown, strict=False)):
            own = rows[rows["indicator"] == ind["id"]].copy()
            own["y"] = -pd.RangeIndex(len(own))
            own = own.set_index(pd.RangeIndex(len(own)))
            _forest_rows(axis, own, "estimate", "ci_low", "ci_high", styles, own["p"] < alpha)
            _title(axis, str(ind["label"]))
            axis.set_yticks(own["y"])
            if i % columns == 0:
                axis.set_yticklabels(
                    [
                        buurten[b] + (f", {wave_label[w].lower()}" if len(later) > 1 else "")
                        for b, w in zip(own["buurt"], own["wave_to"], strict=True)
                    ],
                    fontsize=6.5,
                )
            else:
                axis.set_yticklabels([])
            axis.tick_params(axis="y", length=0)
            axis.spines["left"].set_visible(False)
            axis.set_ylim(own["y"].min() - 0.7, 0.7)
            axis.xaxis.set_major_formatter(DUTCH_TICKS)
            extent = max(abs(own["ci_low"]).max(), abs(own["ci_high"]).max()) * 1.1
            axis.set_xlim(-extent, extent)
        figure.legend(
            handles=_buurt_handles(buurten, styles, alpha),
            loc="lower center",
            ncol=5,
            frameon=False,
        )
        figure.tight_layout(rect=(0, 0.3 / height, 1, 1), h_pad=0.8, w_pad=2.0)
    return figure


def save_svg(figure, path: str | Path) -> None:
    """Write the figure as SVG without a date (deterministic), then close it."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with plt.rc_context({"svg.hashsalt": STYLE["svg.hashsalt"], "svg.fonttype": "none"}):
        figure.savefig(path, format="svg", metadata={"Date": None, "Creator": None})
    plt.close(figure)
