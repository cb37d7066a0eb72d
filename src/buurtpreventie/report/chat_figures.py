"""Figures of the life of the groups: messages per month and group size over time.

Drawn with matplotlib (Agg backend), written as SVG (for the PDF report) and
PNG (for people and the Snakemake report). Output is deterministic: no dates in
the metadata and a fixed hash salt for SVG element ids.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.dates as mdates
import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.ticker import FuncFormatter

from buurtpreventie.report.figures import STYLE, WIDTH, experiment_label, short_month

__all__ = ["activity_figure", "group_names", "members_figure", "of_buurten", "save"]

plt.rcParams.update(
    {
        "svg.hashsalt": "buurtpreventie",
        "font.family": "DejaVu Sans",
        "font.size": 9,
        "axes.spines.top": False,
        "axes.spines.right": False,
    }
)
EXPERIMENT_COLOUR = "#f2e6c9"
# Okabe & Ito (2008): distinguishable with the common colour-vision deficiencies.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#D55E00", "#56B4E9", "#F0E442")
#: Line styles of the group-size lines: after the palette's colours, the next style.
LINE_STYLES = ("-", "--", ":", "-.")


def of_buurten(table: pd.DataFrame, buurten: Mapping[str, str] | Sequence[str]) -> pd.DataFrame:
    """The rows of a chat table (``members``, ``activity``, ``codes_monthly``) of these buurten."""
    return table[table["buurt"].isin(list(buurten))].reset_index(drop=True)


def group_names(codebook) -> dict[str, str]:
    """App group id -> its name, from the options of the codebook's app-group question.

    ``{"zenobuurt": "Buurtapp Zenobuurt", ...}``; empty when the codebook has
    no such question (the figures then fall back on the ids).
    """
    role = getattr(codebook, "roles", {}).get("app_groups")
    if not role:
        return {}
    return {o.name: o.label for o in codebook.question(role).options}


def _months(series: pd.Series) -> pd.Series:
    return pd.to_datetime(series + "-01")


def _month_tick(value: float, _position=None) -> str:
    """A tick of the time axis in Dutch: ``jan 2021``."""
    return short_month(mdates.num2date(value).date())


def _shade(axis, start: dt.date, end: dt.date, named: bool = True) -> None:
    """The experiment period shaded and (``named``: in the legend) named with its months."""
    axis.axvspan(
        pd.Timestamp(start),
        pd.Timestamp(end),
        color=EXPERIMENT_COLOUR,
        zorder=0,
        label=experiment_label(start.isoformat(), end.isoformat()) if named else None,
    )
    axis.xaxis.set_major_locator(mdates.MonthLocator(bymonth=(1, 7)))
    axis.xaxis.set_major_formatter(FuncFormatter(_month_tick))


def _label(group: str, buurt: str, groups: Mapping[str, str], names: Mapping[str, str]) -> str:
    """A panel's title: the group's name and its buurt (``Buurtapp Zenobuurt (Lombardijen)``)."""
    return f"{groups.get(group, group)} ({names.get(buurt, buurt)})"


def _interventions(codes: pd.DataFrame) -> list[int]:
    """Every number from the lowest to the highest intervention carried out (``uitgevoerd``)."""
    done = codes[codes["direction"] == "uitgevoerd"]["intervention"]
    if done.empty:
        return []
    return list(range(int(done.min()), int(done.max()) + 1))


def activity_figure(
    activity: pd.DataFrame,
    codes: pd.DataFrame,
    start: dt.date,
    end: dt.date,
    names: Mapping[str, str] | None = None,
    groups: Mapping[str, str] | None = None,
):
    """Messages per month per group, with the interventions carried out each month beneath.

    One panel per group: all messages and those of professionals per month,
    the experiment period shaded. Under each panel a strip with a row per
    intervention number: a square in a month in which that intervention was
    coded as carried out ("uitgevoerd"). Rows and squares never share space
    with the lines or the titles, however many interventions a month has.

    ``names`` maps a buurt to its name, ``groups`` a group id to its name
    (default: the ids). Every group of ``activity`` gets a panel: pass only
    the groups to show (:func:`of_buurten`).
    """
    names = names or {}
    groups = groups or {}
    order = list(dict.fromkeys(activity["group"]))
    with plt.rc_context(STYLE):
        if not order:
            figure, axis = plt.subplots(figsize=(WIDTH, 1.0))
            axis.set_axis_off()
            axis.text(
                0.5, 0.5, "geen appgroepen met een chatgeschiedenis", ha="center", va="center"
            )
            return figure
        numbers = _interventions(codes) or [1]
        strip = 0.3 + 0.085 * len(numbers)  # inches: a row per intervention
        columns = 2 if len(order) > 1 else 1
        rows = -(-len(order) // columns)
        figure = plt.figure(figsize=(WIDTH, rows * (1.35 + strip + 0.5) + 0.45))
        outer = figure.add_gridspec(rows, columns, hspace=0.3, wspace=0.3)
        first_month = _months(activity["month"]).min()
        last_month = _months(activity["month"]).max() + pd.DateOffset(months=1)
        top = max(float(activity.groupby(["group", "month"])["messages"].sum().max()), 1.0)
        for i, group in enumerate(order):
            cell = outer[i // columns, i % columns].subgridspec(
                2, 1, height_ratios=[1.35, strip], hspace=0.12
            )
            axis = figure.add_subplot(cell[0])
            marks = figure.add_subplot(cell[1], sharex=axis)
            own = activity[activity["group"] == group]
            per_month = own.groupby("month")["messages"].sum()
            professionals = (
                own[~own["role"].isin(["bewoner", "beheerder_bewoner"])]
                .groupby("month")["messages"]
                .sum()
            )
            x = _months(pd.Series(per_month.index)) + pd.Timedelta(days=14)
            _shade(axis, start, end)
            _shade(marks, start, end, named=False)
            axis.plot(x, per_month.to_numpy(), color=PALETTE[0], lw=1.3, label="alle berichten")
            axis.plot(
                x,
                professionals.reindex(per_month.index, fill_value=0).to_numpy(),
                color=PALETTE[4],
                lw=1.0,
                ls="--",
                label="door professionals",
            )
            axis.set_ylim(0, top * 1.08)
            axis.set_ylabel("berichten")
            axis.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:g}"))
            axis.set_title(_label(group, own["buurt"].iloc[0], groups, names), loc="left")
            axis.tick_params(axis="x", labelbottom=False)
            coded = codes[(codes["group"] == group) & (codes["direction"] == "uitgevoerd")]
            done = coded.drop_duplicates(["month", "intervention"])
            marks.plot(
                _months(done["month"]) + pd.Timedelta(days=14),
                done["intervention"].astype(int),
                linestyle="none",
                marker="s",
                ms=2.6,
                color="#333333",
                label="interventie met codes in die maand",
            )
            marks.set_ylim(max(numbers) + 0.7, min(numbers) - 0.7)
            marks.set_yticks(numbers)
            marks.set_yticklabels([str(n) for n in numbers], fontsize=5)
            marks.tick_params(axis="y", length=0, pad=1.5)
            marks.set_ylabel("interventie", fontsize=6)
            marks.grid(axis="y", lw=0.3, color="#dddddd")
            marks.spines["left"].set_visible(False)
            marks.set_xlim(first_month - pd.Timedelta(days=10), last_month + pd.Timedelta(days=10))
            if i == 0:
                handles = axis.get_legend_handles_labels()[0] + marks.get_legend_handles_labels()[0]
        figure.legend(
            handles=handles, loc="lower center", ncol=2, frameon=False, bbox_to_anchor=(0.5, 0)
        )
        height = figure.get_figheight()
        figure.subplots_adjust(left=0.08, right=0.96, top=1 - 0.25 / height, bottom=0.75 / height)
    return figure


def members_figure(
    members: pd.DataFrame,
    start: dt.date,
    end: dt.date,
    names: Mapping[str, str] | None = None,
    groups: Mapping[str, str] | None = None,
):
    """Group size at each month's end, per group; the experiment period shaded.

    ``groups`` maps a group id to its name and ``names`` a buurt to its name,
    for the legend (``Buurtapp Zenobuurt (Lombardijen)``; default: the ids).
    """
    names = names or {}
    groups = groups or {}
    with plt.rc_context(STYLE):
        entries = members["group"].nunique() + 1
        below = 0.2 + 0.16 * -(-entries // 2)  # inches for the legend, two columns
        figure, axis = plt.subplots(figsize=(WIDTH, 2.4 + below))
        _shade(axis, start, end)
        for i, (group, own) in enumerate(members.groupby("group", sort=False)):
            axis.step(
                _months(own["month"]),
                own["size"],
                where="post",
                lw=1.5,
                label=_label(group, own["buurt"].iloc[0], groups, names)
                if "buurt" in own
                else groups.get(group, group),
                color=PALETTE[i % len(PALETTE)],
                linestyle=LINE_STYLES[(i // len(PALETTE)) % len(LINE_STYLES)],
            )
        axis.set_ylabel("deelnemers (einde maand)")
        axis.set_ylim(bottom=0)
        # below the axes, so that no line runs through the names
        figure.legend(*axis.get_legend_handles_labels(), frameon=False, ncol=2, loc="lower center")
        figure.tight_layout(rect=(0, below / figure.get_figheight(), 1, 1))
    return figure


def save(figure, stem: str | Path) -> None:
    """Write ``<stem>.svg`` and ``<stem>.png`` without timestamps, then close the figure."""
    stem = Path(stem)
    stem.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(stem.with_suffix(".svg"), metadata={"Date": None, "Creator": None})
    figure.savefig(stem.with_suffix(".png"), dpi=150, metadata={"Software": None})
    plt.close(figure)
