"""The checks an auditor runs on the published tables, from the printed numbers alone.

- **GRIM** (Brown & Heathers, 2017): can a mean printed at two decimals come
  from N integer answers (or item sums, for a scale of k items)?
- **GRIMMER** (Anaya, 2016; Allard, 2018): can the printed SD come from such
  answers together with that mean?
- **Recomputed p** (in the spirit of statcheck, Nuijten et al., 2016): the
  range of Student's p over every mean and SD that rounds to the printed
  values; the printed p (or its category) must fall in it, allowing ±.001 for
  a printed value.
- **Counts and percentages** (tables 1-3): does a printed percentage match its
  count and base, do the two categories of a characteristic add up to 100%,
  does a base stay within table 1's N, and do the bases of the characteristics
  of one question agree?

The checks are written by hand: GRIM and GRIMMER have maintained implementations
in R (the scrutiny package) but not in Python. They use
:func:`buurtpreventie.published.attainable.moment_candidates`,
which lists every integer (sum, sum of squares) that prints as a published
cell. The slips of the report are found by these checks, not from a list.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterable

import pandas as pd
from scipy import stats

from buurtpreventie.printed import parse_p, round_half_away
from buurtpreventie.published.attainable import moment_candidates

__all__ = ["audit_published", "count_checks", "grim_grimmer", "p_checks", "p_interval"]

COLUMNS = ["table", "cell", "check", "result", "detail", "detail_values"]
ROUNDING = 0.005  # half a unit of the second decimal


def _values(values: dict) -> str:
    """The numbers behind ``detail`` as JSON (floats at four decimals; printed figures as text).

    The report words each check in Dutch from these, never from the English ``detail``.
    """
    return json.dumps(
        {k: round(v, 4) if isinstance(v, float) else v for k, v in values.items()},
        ensure_ascii=False,
    )


def _row(table, cell, check, result, detail, values=None):
    return dict(
        zip(COLUMNS, (table, cell, check, result, detail, _values(values or {})), strict=True)
    )


def _denominator(item_type: str) -> int:
    return int(item_type.split("_")[2]) if str(item_type).startswith("mean_of_") else 1


def _cell_name(r) -> str:
    return f"{r.indicator} {r.buurt} {r.groep} {r.wave}"


def grim_grimmer(table: pd.DataFrame) -> list[dict]:
    """GRIM and GRIMMER for every (N, M, SD) cell of a published table (4 or 6)."""
    rows = []
    for r in table.drop_duplicates(["indicator", "buurt", "groep", "wave"]).itertuples():
        den = _denominator(r.item_type)
        try:
            candidates = moment_candidates(r.n, r.mean, r.sd, r.scale_min, r.scale_max, den)
        except ValueError as error:
            check = "GRIMMER" if "GRIMMER" in str(error) else "GRIM"
            values = {"n": int(r.n), "mean": r.mean_printed, "sd": r.sd_printed, "fails": check}
            rows.append(_row(r.table, _cell_name(r), check, "error", str(error), values))
            continue
        rows.append(
            _row(
                r.table,
                _cell_name(r),
                "GRIM+GRIMMER",
                "ok",
                f"{len(candidates)} integer (sum, sum of squares) pairs print as N={r.n}, "
                f"M={r.mean_printed}, SD={r.sd_printed}",
                {
                    "pairs": len(candidates),
                    "n": int(r.n),
                    "mean": r.mean_printed,
                    "sd": r.sd_printed,
                },
            )
        )
    return rows


def p_interval(a, b) -> tuple[float, float]:
    """Smallest and largest Student p over all means and SDs that round to the printed ones.

    |t| grows with the distance between the means and shrinks with the SDs, so
    the extremes lie at corners of the rounding box (and at equal means for
    the largest p when the boxes overlap).
    """
    values = []
    for ma, mb, sa, sb in itertools.product(
        (a.mean - ROUNDING, a.mean + ROUNDING),
        (b.mean - ROUNDING, b.mean + ROUNDING),
        (max(a.sd - ROUNDING, 1e-9), a.sd + ROUNDING),
        (max(b.sd - ROUNDING, 1e-9), b.sd + ROUNDING),
    ):
        values.append(stats.ttest_ind_from_stats(ma, sa, a.n, mb, sb, b.n, equal_var=True).pvalue)
    high = max(values)
    if abs(a.mean - b.mean) <= 2 * ROUNDING:
        high = 1.0
    return float(min(values)), float(high)


def p_checks(table: pd.DataFrame) -> list[dict]:
    """Is each printed p reachable from the printed N, M and SD?"""
    rows = []
    for comparison, pair in table.groupby("comparison_id", sort=False):
        a, b = pair.itertuples()
        low, high = p_interval(a, b)
        printed = a.p_published
        kind, value = parse_p(printed)
        if kind == "lt":
            ok = low < value
        elif kind == "ns":
            ok = high >= value
        else:
            ok = low <= value + 0.001 and high >= value - 0.001
        detail = f"printed {printed}; p from the printed N, M, SD lies in [{low:.4f}, {high:.4f}]"
        values = {"printed": printed, "low": low, "high": high}
        result = "ok" if ok else "error"
        rows.append(_row(a.table, comparison, "p recomputed", result, detail, values))
    return rows


def _pct(value: float) -> str:
    return f"{round_half_away(value, 1):.1f}".replace(".", ",") + "%"


PAIRS = (
    ("Man", "Vrouw"),
    ("Alleenstaand", "Samenwonend"),
    ("Geen inwonende kinderen", "Inwonende kinderen"),
)


def count_checks(table1: pd.DataFrame, demographics: Iterable[pd.DataFrame]) -> list[dict]:
    """Counts and percentages of tables 2 and 3 against each other and table 1."""
    n = {
        (r.buurt, r.groep, r.wave): r.n
        for r in table1[table1["measure"] == "respondenten"].itertuples()
    }
    rows = []
    for table in demographics:
        for (wave, buurt, groep), cell in table.groupby(["wave", "buurt", "groep"], sort=False):
            by = cell.set_index("kenmerk")
            name = f"{buurt}-{groep} {wave}"
            bases = {}
            for first, second in PAIRS:
                count_a, count_b = int(by.loc[first, "count"]), int(by.loc[second, "count"])
                base = count_a + count_b
                bases[first] = base
                tab = by.loc[first, "table"]
                for kenmerk, count in ((first, count_a), (second, count_b)):
                    share = 100 * count / base
                    printed = float(by.loc[kenmerk, "pct"])
                    if abs(share - printed) >= 0.05 + 1e-9:
                        implied = count / printed * 100
                        shown = by.loc[kenmerk, "pct_printed"]
                        detail = (
                            f"{count} of {base} is {_pct(share)}, printed {shown} "
                            f"(which implies a base of about {implied:.1f})"
                        )
                        values = {
                            "count": count,
                            "base": base,
                            "share": share,
                            "printed": shown,
                            "implied": implied,
                        }
                        cell_name = f"{name} {kenmerk}"
                        rows.append(
                            _row(tab, cell_name, "count vs percentage", "error", detail, values)
                        )
                total = float(by.loc[first, "pct"]) + float(by.loc[second, "pct"])
                if abs(total - 100) > 0.15:
                    shown = f"{by.loc[first, 'pct_printed']} + {by.loc[second, 'pct_printed']}"
                    detail = f"{shown} = {total:.1f}%"
                    rows.append(
                        _row(
                            tab,
                            f"{name} {first}/{second}",
                            "percentages add to 100",
                            "error",
                            detail,
                            {
                                "printed": [
                                    by.loc[first, "pct_printed"],
                                    by.loc[second, "pct_printed"],
                                ],
                                "total": total,
                            },
                        )
                    )
                limit = n.get((buurt, groep, wave))
                if limit is not None and base > limit:
                    detail = f"counts add to {base}, more than table 1's N = {limit}"
                    rows.append(
                        _row(
                            tab,
                            f"{name} {first}/{second}",
                            "base within table 1",
                            "error",
                            detail,
                            {"base": int(base), "limit": int(limit)},
                        )
                    )
            if len(set(bases.values())) > 1 or any(
                b < n.get((buurt, groep, wave), b) for b in bases.values()
            ):
                detail = ", ".join(f"{k}: {v}" for k, v in bases.items())
                detail = f"bases {detail}; table 1 N = {n.get((buurt, groep, wave))}"
                limit = n.get((buurt, groep, wave))
                values = {
                    "bases": {k: int(v) for k, v in bases.items()},
                    "limit": None if limit is None else int(limit),
                }
                rows.append(_row(tab, name, "bases per characteristic", "note", detail, values))
    return rows


def response_rate_checks(table1: pd.DataFrame, footnotes: pd.DataFrame) -> list[dict]:
    """Response rates printed in the text against table 1 (respondents / app members)."""
    members = {r.buurt: r.n for r in table1[table1["measure"] == "appdeelnemers"].itertuples()}
    respondents = {
        (r.buurt, r.groep, r.wave): r.n
        for r in table1[table1["measure"] == "respondenten"].itertuples()
    }
    rows = []
    for r in footnotes[footnotes["statistic"] == "response_rate"].itertuples():
        count, base = respondents[(r.buurt, r.groep, r.wave_from)], members[r.buurt]
        share = 100 * count / base
        ok = abs(round_half_away(share, 1) - float(r.value)) < 0.05
        detail = f"{count} of {base} app members is {_pct(share)}, printed {r.printed}"
        rows.append(
            _row(
                "text",
                f"{r.buurt} response rate",
                "count vs percentage",
                "ok" if ok else "error",
                detail,
                {"count": int(count), "base": int(base), "share": share, "printed": r.printed},
            )
        )
    return rows


def audit_published(
    table1: pd.DataFrame,
    table2: pd.DataFrame,
    table3: pd.DataFrame,
    table4: pd.DataFrame,
    table6: pd.DataFrame,
    footnotes: pd.DataFrame,
) -> pd.DataFrame:
    """All checks on the published tables and the figures printed in the text.

    Returns
    -------
    DataFrame
        ``table, cell, check, result, detail, detail_values``; ``result`` is ok,
        error or note; ``detail`` says it in English, ``detail_values`` holds
        its numbers as JSON.
    """
    rows = grim_grimmer(pd.concat([table4, table6], ignore_index=True))
    rows += p_checks(table4) + p_checks(table6)
    rows += count_checks(table1, [table2, table3])
    rows += response_rate_checks(table1, footnotes)
    return pd.DataFrame(rows, columns=COLUMNS)
