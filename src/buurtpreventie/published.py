"""Published versus reproduced: every published figure next to the pipeline's own.

Reads the published tables (``resources/published``) and the pipeline's tables,
and writes one row per published figure: the printed text, its value, the
reproduced value, and whether the reproduced value prints the same. Where it
does not, the note says why, worked out from the numbers themselves (for
example a printed count that contradicts its own printed percentage).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import stats

from buurtpreventie.attainable import moment_candidates
from buurtpreventie.printed import matches_printed, p_category_holds, parse_p, round_half_away

__all__ = ["attainable_p", "compare_published"]

INDICATOR_NAMES = {"onveilig_voelen": "onveiligheidsgevoel"}
COLUMNS = [
    "table",
    "cell",
    "statistic",
    "published",
    "published_value",
    "reproduced",
    "match",
    "note",
]


def _denominator(item_type: str) -> int:
    """6 for a mean of six statements ("mean_of_6_likert_items"), else 1."""
    parts = str(item_type).split("_")
    return int(parts[2]) if item_type.startswith("mean_of_") else 1


def attainable_p(a, b) -> np.ndarray:
    """Every Student p that data printing as the two published cells can give.

    Lists every (sum, sum of squares) of integer answers on the cell's scale
    whose mean and SD print as published (GRIM/GRIMMER, via
    :func:`buurtpreventie.attainable.moment_candidates`), and the
    p-value of every combination of the two cells.
    """
    moments = []
    for cell in (a, b):
        den = _denominator(cell.item_type)
        cands = moment_candidates(cell.n, cell.mean, cell.sd, cell.scale_min, cell.scale_max, den)
        total, sumsq = cands[:, 0].astype(float), cands[:, 1].astype(float)
        mean = total / (cell.n * den)
        var = (cell.n * sumsq - total**2) / (cell.n * (cell.n - 1) * den**2)
        moments.append((cell.n, mean, var))
    (n1, m1, v1), (n2, m2, v2) = moments
    pooled = ((n1 - 1) * v1[:, None] + (n2 - 1) * v2[None, :]) / (n1 + n2 - 2)
    t = (m1[:, None] - m2[None, :]) / np.sqrt(pooled * (1 / n1 + 1 / n2))
    return 2 * stats.t.sf(np.abs(t), n1 + n2 - 2).ravel()


def _comma(value: float, decimals: int) -> str:
    if not math.isfinite(value):
        return "-"
    text = f"{round_half_away(value, decimals):.{decimals}f}".replace(".", ",")
    return text[1:] if text.startswith("0,") else text


def _row(table, cell, statistic, published, published_value, reproduced, match, note=""):
    return dict(
        zip(
            COLUMNS,
            (table, cell, statistic, published, published_value, reproduced, bool(match), note),
            strict=True,
        )
    )


def _table1(published: pd.DataFrame, respondents: pd.DataFrame, app_groups) -> list[dict]:
    counts = respondents.set_index(["buurt", "groep", "wave"])["n"]
    members: dict[str, int] = {}
    for group in app_groups:
        members[group["buurt"]] = members.get(group["buurt"], 0) + int(group["members_at_start"])
    rows = []
    for r in published.itertuples():
        buurt = r.buurt.lower()
        if r.measure == "appdeelnemers":
            value = members.get(buurt, float("nan"))
            cell, note = f"{buurt} appdeelnemers", "from config app_groups (members at start)"
        else:
            value = counts.get((buurt, r.groep, r.wave), float("nan"))
            cell, note = f"{buurt} {r.groep} {r.wave}", ""
        rows.append(_row("tabel1", cell, "n", str(r.n), r.n, value, value == r.n, note))
    return rows


def _demographics(published: pd.DataFrame, demographics: pd.DataFrame) -> list[dict]:
    ours = demographics.set_index(["buurt", "groep", "wave", "kenmerk"])
    rows = []
    for r in published.itertuples():
        key = (r.buurt.lower(), r.groep, r.wave, r.kenmerk)
        cell = " ".join(key)
        if key not in ours.index:
            rows.append(_row(r.table, cell, "count", "", None, None, False, "not reproduced"))
            continue
        mine = ours.loc[key]
        if r.kenmerk == "gemiddelde_leeftijdscategorie":
            same = matches_printed(mine["mean"], r.value)
            rows.append(
                _row(r.table, cell, "mean", _comma(r.value, 2), r.value, mine["mean"], same)
            )
            continue
        count, base, pct = int(mine["count"]), int(mine["base"]), float(mine["pct"])
        printed_share = round_half_away(float(r.pct) / 100 * base, decimals=0)
        note = ""
        if count != int(r.count) and printed_share == count:
            note = (
                f"printed count {int(r.count)} contradicts its printed {r.pct_printed} of base "
                f"{base} (= {count}); the consistent reading is reproduced"
            )
        rows.append(
            _row(
                r.table,
                cell,
                "count",
                str(int(r.count)),
                int(r.count),
                count,
                count == int(r.count),
                note,
            )
        )
        same_pct = matches_printed(pct, float(r.pct), decimals=1)
        note = ""
        if not same_pct and count == int(r.count):
            note = (
                f"printed {r.pct_printed} does not match its printed count: "
                f"{count} of {base} is {_comma(pct, 1)}%"
            )
        elif not same_pct and printed_share == count:
            note = "the printed percentage fits the reproduced count; the printed count is the slip"
        rows.append(_row(r.table, cell, "pct", r.pct_printed, float(r.pct), pct, same_pct, note))
    return rows


def _cell_key(r) -> tuple[str, str, str, str]:
    return INDICATOR_NAMES.get(r.indicator, r.indicator), r.buurt.lower(), r.groep, r.wave


def _reproduced_p(pair: pd.DataFrame, baseline: pd.DataFrame, prepost: pd.DataFrame) -> float:
    """The pipeline's Student p of a published comparison (table 4: E vs C; 6: before/after)."""
    first, second = (_cell_key(r) for r in pair.itertuples())
    indicator, buurt = first[0], first[1]
    if first[2] != second[2]:  # E vs C
        row = baseline[(baseline["indicator"] == indicator) & (baseline["buurt"] == buurt)]
    else:
        waves = sorted({first[3], second[3]})
        row = prepost[
            (prepost["indicator"] == indicator)
            & (prepost["buurt"] == buurt)
            & (prepost["groep"] == first[2])
            & (prepost[["wave_from", "wave_to"]].apply(sorted, axis=1).map(tuple) == tuple(waves))
        ]
    return float(row["p"].iloc[0]) if len(row) == 1 else float("nan")


def _tables_4_6(
    published: pd.DataFrame, indicators: pd.DataFrame, baseline: pd.DataFrame, prepost: pd.DataFrame
) -> list[dict]:
    ours = indicators.set_index(["indicator", "buurt", "groep", "wave"])
    rows = []
    for r in published.itertuples():
        key = _cell_key(r)
        cell = " ".join(key)
        mine = ours.loc[key] if key in ours.index else None
        for statistic, value, printed in (
            ("n", r.n, str(r.n)),
            ("mean", r.mean, r.mean_printed),
            ("sd", r.sd, r.sd_printed),
        ):
            reproduced = None if mine is None else float(mine[statistic])
            if statistic == "n":
                same = reproduced == value
            else:
                same = reproduced is not None and matches_printed(reproduced, value)
            rows.append(_row(r.table, cell, statistic, printed, value, reproduced, same))
    for (table, comparison), pair in published.groupby(["table", "comparison_id"], sort=False):
        p = _reproduced_p(pair, baseline, prepost)
        printed = pair["p_published"].iloc[0]
        holds = p_category_holds(p, printed)
        kind, value = parse_p(printed)
        note = ""
        if holds and kind == "eq" and not matches_printed(p, value, decimals=3):
            first, second = pair.itertuples()
            possible = attainable_p(first, second)
            printable = [x for x in possible if matches_printed(x, value, decimals=3)]
            note = f"p = {_comma(p, 4)} prints as {_comma(p, 3)}, within ,001 of {printed}. "
            if not printable:
                note += (
                    f"No data with the published N, M and SD prints {printed}: the attainable "
                    f"p closest to it is {_comma(min(possible, key=lambda x: abs(x - value)), 4)}"
                )
        rows.append(
            _row(
                table,
                comparison,
                "p_category",
                printed,
                value if kind == "eq" else None,
                p,
                holds,
                note,
            )
        )
    return rows


def _footnotes(
    footnotes: pd.DataFrame,
    prepost: pd.DataFrame,
    reliability: pd.DataFrame,
    respondents: pd.DataFrame,
) -> list[dict]:
    effects = prepost.set_index(["indicator", "buurt", "groep", "wave_from", "wave_to"])["d"]
    alphas = reliability.set_index(["scale", "wave"])["alpha"]
    rates = respondents.set_index(["buurt", "groep", "wave"])["response_rate"]
    rows = []
    for r in footnotes.itertuples():
        if r.statistic == "response_rate":
            buurt = r.buurt.lower()
            value = 100 * float(rates.get((buurt, r.groep, r.wave_from), float("nan")))
            cell = f"{buurt} {r.groep} {r.wave_from}"
            same = matches_printed(value, r.value, decimals=1)
            note = "" if same else f"{_comma(value, 1)}% from table 1's counts; printed {r.printed}"
            rows.append(_row(r.table, cell, r.statistic, r.printed, r.value, value, same, note))
            continue
        if r.statistic == "cohens_d":
            buurt = r.buurt.lower()
            value = abs(
                float(
                    effects.get((r.indicator, buurt, r.groep, r.wave_from, r.wave_to), float("nan"))
                )
            )
            cell = f"{r.indicator} {buurt} {r.groep} {r.wave_from}-{r.wave_to}"
        else:
            value = float(alphas.get((r.indicator, r.wave_from), float("nan")))
            cell = f"{r.indicator} {r.wave_from}"
        rows.append(
            _row(
                f"footnote {r.footnote}",
                cell,
                r.statistic,
                r.printed,
                r.value,
                value,
                matches_printed(value, r.value),
            )
        )
    return rows


def compare_published(
    published_dir: str | Path,
    respondents: pd.DataFrame,
    indicators: pd.DataFrame,
    demographics: pd.DataFrame,
    reliability: pd.DataFrame,
    baseline: pd.DataFrame,
    prepost: pd.DataFrame,
    app_groups: Sequence[Mapping[str, object]],
) -> pd.DataFrame:
    """One row per published figure of tables 1-4, 6 and the footnotes.

    Parameters
    ----------
    published_dir : path
        Folder with ``tabel1.csv`` ... ``tabel6.csv`` and ``footnotes.csv``.
    respondents, indicators, demographics, reliability, baseline, prepost : DataFrame
        The pipeline's tables of the same names (p-values and Cohen's d are
        read from ``baseline`` and ``prepost``, not recomputed).
    app_groups : sequence of mapping
        ``config["app_groups"]``: ``buurt`` and ``members_at_start`` per group.

    Returns
    -------
    DataFrame
        Columns ``table, cell, statistic, published, published_value,
        reproduced, match, note``. ``match`` means the reproduced value prints
        as the published one (for p: falls in the published category).
    """
    folder = Path(published_dir)

    def read(name: str) -> pd.DataFrame:
        return pd.read_csv(
            folder / name, dtype={"pct_printed": str, "p_published": str, "printed": str}
        )

    rows = _table1(read("tabel1.csv"), respondents, app_groups)
    for name in ("tabel2.csv", "tabel3.csv"):
        rows += _demographics(read(name), demographics)
    for name in ("tabel4.csv", "tabel6.csv"):
        rows += _tables_4_6(read(name), indicators, baseline, prepost)
    rows += _footnotes(read("footnotes.csv"), prepost, reliability, respondents)
    return pd.DataFrame(rows, columns=COLUMNS)
