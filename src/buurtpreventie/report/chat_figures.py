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

from buurtpreventie.report.figures import experiment_label, short_month

__all__ = ["activity_figure", "members_figure", "of_buurten", "save"]

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


def _months(series: pd.Series) -> pd.Series:
    return pd.to_datetime(series + "-01")


def _month_tick(value: float, _position=None) -> str:
    """A tick of the time axis in Dutch: ``jan 2021``."""
    return short_month(mdates.num2date(value).date())


def _shade(axis, start: dt.date, end: dt.date) -> None:
    """The experiment period shaded and named with its months (from the config)."""
    axis.axvspan(
        pd.Timestamp(start),
        pd.Timestamp(end),
        color=EXPERIMENT_COLOUR,
        zorder=0,
        label=experiment_label(start.isoformat(), end.isoformat()),
    )
    axis.xaxis.set_major_locator(mdates.MonthLocator(bymonth=(1, 7)))
    axis.xaxis.set_major_formatter(FuncFormatter(_month_tick))


def activity_figure(
    activity: pd.DataFrame,
    codes: pd.DataFrame,
    start: dt.date,
    end: dt.date,
    names: Mapping[str, str] | None = None,
):
    """Messages per month per group; the experiment period shaded; months with
    intervention codes ("uitgevoerd") marked with the intervention numbers.

    ``names`` maps a buurt to its name in the panel titles (default: the id).
    Every group of ``activity`` gets a panel: pass only the groups to show
    (:func:`of_buurten`).
    """
    names = names or {}
    groups = list(dict.fromkeys(activity["group"]))
    if not groups:
        figure, axis = plt.subplots(figsize=(7.2, 1.2))
        axis.set_axis_off()
        axis.text(0.5, 0.5, "geen appgroepen met een chatgeschiedenis", ha="center", va="center")
        return figure
    figure, axes = plt.subplots(len(groups), 1, figsize=(7.2, 1.9 * len(groups)), sharex=True)
    axes = [axes] if len(groups) == 1 else list(axes)
    for axis, group in zip(axes, groups, strict=True):
        own = activity[activity["group"] == group]
        per_month = own.groupby("month")["messages"].sum()
        professionals = (
            own[~own["role"].isin(["bewoner", "beheerder_bewoner"])]
            .groupby("month")["messages"]
            .sum()
        )
        x = _months(pd.Series(per_month.index))
        _shade(axis, start, end)
        axis.plot(x, per_month.to_numpy(), color=PALETTE[0], lw=1.5, label="alle berichten")
        axis.plot(
            x,
            professionals.reindex(per_month.index, fill_value=0).to_numpy(),
            color=PALETTE[4],
            lw=1.0,
            ls="--",
            label="door professionals",
        )
        coded = codes[(codes["group"] == group) & (codes["direction"] == "uitgevoerd")]
        marks = coded.groupby("month")["intervention"].apply(
            lambda s: ",".join(sorted({str(v) for v in s}, key=int))
        )
        top = max(per_month.max(), 1)
        for month, numbers in marks.items():
            axis.annotate(
                numbers,
                (pd.Timestamp(f"{month}-01"), top * 1.02),
                fontsize=5.5,
                rotation=90,
                ha="center",
                va="bottom",
                color="#555555",
            )
        axis.set_ylim(0, top * 1.35)
        axis.set_ylabel("berichten")
        axis.set_title(
            f"{group} ({names.get(own['buurt'].iloc[0], own['buurt'].iloc[0])})",
            loc="left",
            fontsize=9,
        )
    handles, labels = axes[0].get_legend_handles_labels()
    figure.legend(handles, labels, loc="lower center", fontsize=7, frameon=False, ncol=3)
    axes[-1].set_xlabel("maand (cijfers boven de lijn: interventies met codes in die maand)")
    figure.tight_layout(rect=(0, 0.04, 1, 1))
    return figure


def members_figure(members: pd.DataFrame, start: dt.date, end: dt.date):
    """Group size at each month's end, per group; the experiment period shaded."""
    figure, axis = plt.subplots(figsize=(7.2, 3.0))
    _shade(axis, start, end)
    for i, (group, own) in enumerate(members.groupby("group", sort=False)):
        axis.step(
            _months(own["month"]),
            own["size"],
            where="post",
            lw=1.5,
            label=group,
            color=PALETTE[i % len(PALETTE)],
            linestyle=LINE_STYLES[(i // len(PALETTE)) % len(LINE_STYLES)],
        )
    axis.set_ylabel("deelnemers (einde maand)")
    axis.set_ylim(bottom=0)
    # below the axes, so that no line runs through the names
    axis.legend(fontsize=7, frameon=False, ncol=5, loc="upper center", bbox_to_anchor=(0.5, -0.14))
    figure.tight_layout()
    return figure


def save(figure, stem: str | Path) -> None:
    """Write ``<stem>.svg`` and ``<stem>.png`` without timestamps, then close the figure."""
    stem = Path(stem)
    stem.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(stem.with_suffix(".svg"), metadata={"Date": None, "Creator": None})
    figure.savefig(stem.with_suffix(".png"), dpi=150, metadata={"Software": None})
    plt.close(figure)
