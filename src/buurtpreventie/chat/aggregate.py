"""The life of the groups per month: members, activity and codes.

Pure functions on parsed chats (:mod:`buurtpreventie.chat.whatsapp`) and linked
segments (:mod:`buurtpreventie.chat.coding`); they return the tables ``members.csv``,
``activity.csv`` and ``codes.csv`` (columns: resources/tables.yaml; identifiers:
docs/tables.md, section Identifiers).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence

import pandas as pd

__all__ = [
    "PERIODS",
    "POST_KINDS",
    "activity_table",
    "code_table",
    "members_table",
    "monthly_codes",
    "period_of",
]

PERIODS = ("before", "experiment", "after")
POST_KINDS = ("message", "media")
"""Kinds of chat line that count as a post; deleted messages, calls and system lines do not."""
JOIN_EVENTS = ("created", "joined", "added")
LEAVE_EVENTS = ("left", "removed")


def _month(timestamps: pd.Series) -> pd.Series:
    months = pd.to_datetime(timestamps).to_numpy().astype("datetime64[M]").astype(str)
    return pd.Series(months, index=timestamps.index)


def month_range(first: str, last: str) -> list[str]:
    """Every month from ``first`` to ``last`` (``YYYY-MM``), inclusive."""
    return [p.strftime("%Y-%m") for p in pd.period_range(first, last, freq="M")]


def period_of(timestamps: pd.Series, start: dt.date, end: dt.date) -> pd.Series:
    """``before`` the experiment start, ``experiment`` up to (not including) its end, ``after``."""
    stamps = pd.to_datetime(timestamps)
    start_ts, end_ts = pd.Timestamp(start), pd.Timestamp(end)
    period = pd.Series("experiment", index=stamps.index)
    period[stamps < start_ts] = "before"
    period[stamps >= end_ts] = "after"
    return period


def members_table(
    events: pd.DataFrame,
    messages: pd.DataFrame,
    buurt_of: Mapping[str, str],
    initial: Mapping[str, int] | None = None,
) -> pd.DataFrame:
    """Members who joined and left, and the group size at each month's end.

    ``joined`` counts the group's creator and members who joined via the
    invite link or were added;
    ``left`` counts members who left or were removed. The size starts from
    ``initial[group]`` (members before the export begins; default 0, when the
    export starts at the group's creation) and follows the events.

    Returns
    -------
    DataFrame
        ``group, buurt, month, joined, left, size``, every month from the
        group's first to its last line.
    """
    initial = initial or {}
    rows = []
    for group, chat in messages.groupby("group", sort=False):
        months = month_range(_month(chat["timestamp"]).min(), _month(chat["timestamp"]).max())
        own = events[events["group"] == group]
        month = _month(own["timestamp"])
        joined = own[own["event"].isin(JOIN_EVENTS)].groupby(month).size()
        left = own[own["event"].isin(LEAVE_EVENTS)].groupby(month).size()
        frame = pd.DataFrame({"month": months})
        frame["joined"] = frame["month"].map(joined).fillna(0).astype(int)
        frame["left"] = frame["month"].map(left).fillna(0).astype(int)
        frame["size"] = int(initial.get(group, 0)) + (frame["joined"] - frame["left"]).cumsum()
        frame.insert(0, "group", group)
        frame.insert(1, "buurt", buurt_of[group])
        rows.append(frame)
    return pd.concat(rows, ignore_index=True)


def size_at(events: pd.DataFrame, group: str, moment: dt.date, initial: int = 0) -> int:
    """Members of a group at a moment (events before it), from the system lines."""
    own = events[
        (events["group"] == group) & (pd.to_datetime(events["timestamp"]) < pd.Timestamp(moment))
    ]
    return initial + int(
        own["event"].isin(JOIN_EVENTS).sum() - own["event"].isin(LEAVE_EVENTS).sum()
    )


def activity_table(
    messages: pd.DataFrame, buurt_of: Mapping[str, str], roles: Sequence[str]
) -> pd.DataFrame:
    """Posts (text and media; not deleted messages, calls or system lines) and distinct senders
    per group x month x role.

    Every role appears in every month of the group's life, with 0 where
    nobody of that role posted, so series and shares are complete.

    Returns
    -------
    DataFrame
        ``group, buurt, month, role, messages, senders, share_professionals``;
        ``share_professionals`` is the month's share of messages posted by
        professionals (all roles but residents and the resident administrator).
    """
    posts = messages[messages["kind"].isin(POST_KINDS)].copy()
    posts["month"] = _month(posts["timestamp"])
    frames = []
    for group, chat in messages.groupby("group", sort=False):
        months = month_range(_month(chat["timestamp"]).min(), _month(chat["timestamp"]).max())
        grid = pd.MultiIndex.from_product([months, list(roles)], names=["month", "role"])
        own = posts[posts["group"] == group]
        counts = own.groupby(["month", "role"]).agg(
            messages=("sender", "size"), senders=("sender", "nunique")
        )
        frame = counts.reindex(grid, fill_value=0).reset_index()
        frame.insert(0, "group", group)
        frame.insert(1, "buurt", buurt_of[group])
        frames.append(frame)
    table = pd.concat(frames, ignore_index=True)
    professional = ~table["role"].isin(["bewoner", "beheerder_bewoner"])
    totals = table.groupby(["group", "month"])["messages"].transform("sum")
    by_professionals = (
        table["messages"]
        .where(professional, 0)
        .groupby([table["group"], table["month"]])
        .transform("sum")
    )
    table["share_professionals"] = (by_professionals / totals).where(totals > 0)
    return table


def code_table(
    linked: pd.DataFrame,
    buurt_of: Mapping[str, str],
    categories: Sequence[str],
    directions: Sequence[str],
    start: dt.date,
    end: dt.date,
) -> pd.DataFrame:
    """Coded segments per group x category x direction x period (with zeros).

    Returns
    -------
    DataFrame
        ``group, buurt, intervention, direction, period, count``.
    """
    frame = linked.copy()
    frame["period"] = period_of(frame["timestamp"], start, end) if len(frame) else []
    counts = frame.groupby(["group", "category", "direction", "period"]).size()
    grid = pd.MultiIndex.from_product(
        [list(buurt_of), list(categories), list(directions), list(PERIODS)],
        names=["group", "category", "direction", "period"],
    )
    table = counts.reindex(grid, fill_value=0).rename("count").reset_index()
    table.insert(1, "buurt", table["group"].map(buurt_of))
    return table.rename(columns={"category": "intervention"})


def monthly_codes(linked: pd.DataFrame, buurt_of: Mapping[str, str]) -> pd.DataFrame:
    """Coded segments per group x month x category x direction (months with codes only).

    Returns
    -------
    DataFrame
        ``group, buurt, month, intervention, direction, count``.
    """
    frame = linked.copy()
    frame["month"] = _month(frame["timestamp"]) if len(frame) else []
    table = (
        frame.groupby(["group", "month", "category", "direction"])
        .size()
        .rename("count")
        .reset_index()
    )
    table.insert(1, "buurt", table["group"].map(buurt_of))
    return table.rename(columns={"category": "intervention"})
