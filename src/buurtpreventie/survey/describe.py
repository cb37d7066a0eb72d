"""Respondent counts, indicator descriptives and the respondent flow.

Tables an auditor reads (docs/tables.md, section File format), computed from the per-wave
respondent tables. Pure functions: DataFrames in, tidy DataFrames out with
fixed column names, full precision (rounding happens only in the report).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pandas as pd

from buurtpreventie.survey.codebook import Codebook

__all__ = ["demographics_table", "flow_table", "indicator_table", "respondent_table"]

CELL = ["buurt", "groep", "wave"]


def _wave_order(frame: pd.DataFrame, waves: Sequence[str]) -> pd.DataFrame:
    frame = frame.copy()
    frame["_wave_order"] = frame["wave"].map({w: i for i, w in enumerate(waves)})
    frame = frame.sort_values(
        [c for c in ("indicator", "buurt", "groep") if c in frame] + ["_wave_order"],
        kind="stable",
    )
    return frame.drop(columns="_wave_order").reset_index(drop=True)


def respondent_table(
    respondents: pd.DataFrame,
    waves: Sequence[str],
    app_groups: Sequence[Mapping[str, object]] = (),
) -> pd.DataFrame:
    """Included respondents per buurt x groep x wave, and the app groups' response (table 1).

    Every buurt x groep x wave combination is listed, with ``n = 0`` where a
    wave has no respondents in a cell. For the experimental groups,
    ``app_members`` is the number of app-group members at the start of the
    experiment (config ``app_groups``, summed per buurt) and ``response_rate``
    is ``n / app_members``.

    Returns
    -------
    DataFrame
        Columns ``buurt, groep, wave, n, app_members, response_rate``.
    """
    buurten = sorted(respondents["buurt"].dropna().unique(), reverse=True)
    full = pd.MultiIndex.from_product([buurten, ["E", "C"], list(waves)], names=CELL)
    counts = respondents.groupby(CELL, observed=True).size().reindex(full, fill_value=0)
    table = counts.rename("n").reset_index()
    table["n"] = table["n"].astype(int)
    members: dict[str, int] = {}
    for group in app_groups:
        buurt = str(group["buurt"])
        members[buurt] = members.get(buurt, 0) + int(group["members_at_start"])
    experimental = table["groep"] == "E"
    table["app_members"] = table["buurt"].map(members).where(experimental).astype("Int64")
    table["response_rate"] = (table["n"] / table["app_members"].astype(float)).where(experimental)
    return _wave_order(table, waves)


def indicator_table(
    respondents: pd.DataFrame,
    codebook: Codebook,
    waves: Sequence[str],
    small_cell_n: int = 5,
) -> pd.DataFrame:
    """N, mean and sample SD (n - 1) per indicator x buurt x groep x wave.

    Respondents with a missing value on an indicator do not count in its N.
    With fewer than two values the SD is missing. ``small_cell`` marks cells
    with fewer than ``small_cell_n`` values: the report suppresses their means,
    this table keeps them.

    Returns
    -------
    DataFrame
        Columns ``indicator, buurt, groep, wave, n, mean, sd, min, max, small_cell``.
    """
    frames = []
    for indicator in codebook.indicators:
        values = respondents[[*CELL, indicator.id]].dropna(subset=[indicator.id])
        values = values.astype({indicator.id: float})
        stats = values.groupby(CELL, observed=True)[indicator.id].agg(
            n="count",
            mean="mean",
            sd="std",
            min="min",
            max="max",  # pandas' std is n - 1
        )
        stats.insert(0, "indicator", indicator.id)
        frames.append(stats.reset_index())
    table = pd.concat(frames, ignore_index=True)
    table["n"] = table["n"].astype(int)
    order = {ind.id: i for i, ind in enumerate(codebook.indicators)}
    table = table.sort_values("indicator", key=lambda s: s.map(order), kind="stable")
    table = _wave_order(table, waves)
    table = table.sort_values("indicator", key=lambda s: s.map(order), kind="stable")
    table["small_cell"] = table["n"] < small_cell_n
    columns = ["indicator", *CELL, "n", "mean", "sd", "min", "max", "small_cell"]
    return table[columns].reset_index(drop=True)


def flow_table(flows: Sequence[pd.DataFrame], codebook: Codebook) -> pd.DataFrame:
    """Where every raw row went, per wave: included as buurt x groep, or excluded.

    Parameters
    ----------
    flows : sequence of DataFrame
        Per wave, one row per raw row (``wave, outcome, reason, buurt, groep``).

    Returns
    -------
    DataFrame
        Columns ``wave, outcome, buurt, groep, reason, description, n``, plus a
        ``total`` row per wave whose ``n`` is the number of rows read.

    Raises
    ------
    AssertionError
        When included plus excluded differs from the rows read of a wave.
    """
    tables = [_wave_flow(flow, codebook) for flow in flows]
    return pd.concat(tables, ignore_index=True)


def _wave_flow(flow: pd.DataFrame, codebook: Codebook) -> pd.DataFrame:
    wave = str(flow["wave"].iloc[0])
    included = (
        flow[flow["outcome"] == "included"]
        .groupby(["buurt", "groep"])
        .size()
        .rename("n")
        .reset_index()
        .sort_values(["buurt", "groep"], ascending=False)
    )
    included.insert(0, "outcome", "included")
    included["reason"] = ""
    reasons = flow.loc[flow["outcome"] == "excluded", "reason"]
    unknown = set(reasons) - set(codebook.exclusions)
    if unknown:
        raise AssertionError(f"wave {wave}: undescribed exclusion reasons {sorted(unknown)}")
    excluded = pd.DataFrame(
        {
            "outcome": "excluded",
            "buurt": "",
            "groep": "",
            "reason": list(codebook.exclusions),
            "n": [int((reasons == r).sum()) for r in codebook.exclusions],
        }
    )
    table = pd.concat([included, excluded], ignore_index=True)
    if int(table["n"].sum()) != len(flow):
        raise AssertionError(
            f"wave {wave}: {len(flow)} rows read, {int(table['n'].sum())} accounted for"
        )
    total = pd.DataFrame(
        [{"outcome": "total", "buurt": "", "groep": "", "reason": "", "n": len(flow)}]
    )
    table = pd.concat([table, total], ignore_index=True)
    table.insert(0, "wave", wave)
    table["description"] = table["reason"].map(codebook.exclusions).fillna("")
    table["n"] = table["n"].astype(int)
    return table[["wave", "outcome", "buurt", "groep", "reason", "description", "n"]]


# Characteristics of tables 2 and 3: (label, variable, value).
CHARACTERISTICS = (
    ("Man", "geslacht", "man"),
    ("Vrouw", "geslacht", "vrouw"),
    ("Alleenstaand", "samenwonend", 0),
    ("Samenwonend", "samenwonend", 1),
    ("Geen inwonende kinderen", "inwonende_kinderen", 0),
    ("Inwonende kinderen", "inwonende_kinderen", 1),
)


def demographics_table(respondents: pd.DataFrame, waves: Sequence[str]) -> pd.DataFrame:
    """Counts and percentages per characteristic, and the mean age category (tables 2-3).

    The base of a percentage is the number of respondents of the cell who
    answered that question, so it can be below the cell's N (item
    non-response), as in the report. Age is coded 0 = 18-25 ... 6 = ouder dan 75.

    Returns
    -------
    DataFrame
        Columns ``buurt, groep, wave, kenmerk, count, base, pct, mean, sd``;
        ``count/base/pct`` for the six characteristics, ``base/mean/sd`` for
        ``gemiddelde_leeftijdscategorie``.
    """
    cells = respondents[CELL]
    frames = []
    for label, variable, value in CHARACTERISTICS:
        answered = respondents[variable].notna()
        chosen = respondents[variable].eq(value).fillna(False) & answered
        sums = (
            pd.concat([cells, chosen.rename("count"), answered.rename("base")], axis=1)
            .astype({"count": int, "base": int})
            .groupby(CELL, observed=True)[["count", "base"]]
            .sum()
        )
        sums["kenmerk"] = label
        sums["pct"] = (100 * sums["count"] / sums["base"]).where(sums["base"] > 0)
        frames.append(sums)
    ages = pd.concat([cells, respondents["leeftijdscategorie"].astype(float)], axis=1)
    age = ages.groupby(CELL, observed=True)["leeftijdscategorie"].agg(
        base="count", mean="mean", sd="std"
    )
    age["kenmerk"] = "gemiddelde_leeftijdscategorie"
    frames.append(age)
    columns = [*CELL, "kenmerk", "count", "base", "pct", "mean", "sd"]
    table = pd.concat(frames).reset_index().reindex(columns=columns)
    table["count"] = table["count"].astype("Int64")
    order = {label: i for i, (label, *_) in enumerate(CHARACTERISTICS)}
    table["_k"] = table["kenmerk"].map(order).fillna(len(order))
    table["_w"] = table["wave"].map({w: i for i, w in enumerate(waves)})
    table = table.sort_values(["_w", "buurt", "groep", "_k"], ascending=[True, False, False, True])
    return table.drop(columns=["_k", "_w"]).reset_index(drop=True)
