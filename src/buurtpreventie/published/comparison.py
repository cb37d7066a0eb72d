"""Published versus reproduced: every published figure next to the pipeline's own.

Reads the published tables (``resources/published``) and the pipeline's tables,
and writes one row per published figure: the printed text, its value, the
reproduced value, how the reproduction prints it, and whether the reproduced
value prints the same. Where it does not, the note says why, worked out from
the numbers themselves (for example a printed count that contradicts its own
printed percentage).

Each row also gets one of four kinds of agreement (:data:`AGREEMENTS`,
:func:`classify`), so that a figure that is equal only because the study was
built to give it is never counted as reproduced:

``identical``
    The reproduction prints exactly as published (a p-value: the same string).
``within_tolerance``
    A p-value in the published category within :data:`P_TOLERANCE` of the
    printed value, but printed otherwise (``,001`` published, ``<,001`` here).
``by_construction``
    Equal because an input was set to give it; ``construction`` names the
    input: a config key (the app-member counts of table 1 are
    ``app_groups[].members_at_start``) or, with ``study.synthetic: true``, the
    calibration of the synthetic data to the published tables.
``different``
    Not equal at the printed precision (or outside the p tolerance).
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping, Sequence
from pathlib import Path

import numpy as np
import pandas as pd
from scipy.special import stdtr

from buurtpreventie.dutch import is_missing, nl_no_zero, nl_number, nl_p
from buurtpreventie.printed import matches_printed, p_category_holds, parse_p, round_half_away
from buurtpreventie.published.attainable import moment_candidates

__all__ = [
    "AGREEMENTS",
    "COLUMNS",
    "P_TOLERANCE",
    "attainable_p",
    "classify",
    "compare_published",
    "construction_of",
    "construction_parts",
    "printed_as",
]

#: The four kinds of agreement, in the order the report lists them.
AGREEMENTS = ("identical", "within_tolerance", "by_construction", "different")
#: How far a reproduced p may lie from a printed p (",041") and still agree.
P_TOLERANCE = 0.001
#: The config key that sets the app-member counts of table 1.
MEMBERS_KEY = "app_groups[].members_at_start"
#: What the synthetic generator calibrated, per published source file.
SYNTHETIC = "synthetic calibration to resources/published/{source} (study.synthetic: true)"

INDICATOR_NAMES = {"onveilig_voelen": "onveiligheidsgevoel"}
COLUMNS = [
    "table",
    "cell",
    "statistic",
    "published",
    "published_value",
    "reproduced",
    "reproduced_printed",
    "match",
    "agreement",
    "construction",
    "note",
    "note_values",
]


def _denominator(item_type: str) -> int:
    """6 for a mean of six statements ("mean_of_6_likert_items"), else 1."""
    parts = str(item_type).split("_")
    return int(parts[2]) if item_type.startswith("mean_of_") else 1


def attainable_p(a, b) -> np.ndarray:
    """Every Student p that data printing as the two published cells can give.

    Lists every (sum, sum of squares) of integer answers on the cell's scale
    whose mean and SD print as published (GRIM/GRIMMER, via
    :func:`buurtpreventie.published.attainable.moment_candidates`), and the
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
    # scipy.stats.t.sf(x, df) is stdtr(df, -x): the same numbers without importing
    # scipy.stats (about 1 s for the report job, which needs only this)
    return 2 * stdtr(n1 + n2 - 2, -np.abs(t)).ravel()


def _comma(value: float, decimals: int) -> str:
    if not math.isfinite(value):
        return "-"
    text = f"{round_half_away(value, decimals):.{decimals}f}".replace(".", ",")
    return text[1:] if text.startswith("0,") else text


def printed_as(statistic: str, value: object) -> str:
    """How the report prints a reproduced value of ``statistic`` (empty when missing).

    Counts as integers, means at two decimals, SDs, alphas and Cohen's d at two
    decimals without the leading zero, percentages at one decimal with ``%``,
    p-values as ``<,001``, ``,026`` or ``n.s.``.
    """
    if is_missing(value):
        return ""
    if statistic in {"n", "count"}:
        return str(round(float(value)))
    if statistic == "p_category":
        return nl_p(value)
    if statistic in {"pct", "response_rate"}:
        return nl_number(value, 1) + "%"
    if statistic in {"sd", "cohens_d", "cronbach_alpha"}:
        return nl_no_zero(value)
    return nl_number(value)


def classify(
    statistic: str, published: str, reproduced_printed: str, holds: bool, construction: str = ""
) -> str:
    """The kind of agreement of one published figure with its reproduction.

    Parameters
    ----------
    statistic : str
        ``n``, ``mean``, ``p_category`` ...
    published : str
        The figure as printed in the published report.
    reproduced_printed : str
        The reproduced value as this report prints it (:func:`printed_as`).
    holds : bool
        Whether the reproduction agrees at the printed precision (for a p:
        in the published category and within :data:`P_TOLERANCE`).
    construction : str
        The input that was set to give this figure, or empty.

    Returns
    -------
    str
        One of :data:`AGREEMENTS`. A figure that does not hold is
        ``different`` even when it was constructed; one that holds and was
        constructed is ``by_construction``; otherwise a p-value that prints
        another string is ``within_tolerance`` and every other figure
        ``identical``.
    """
    if not holds:
        return "different"
    if construction:
        return "by_construction"
    if statistic == "p_category" and reproduced_printed != str(published).strip():
        return "within_tolerance"
    return "identical"


def construction_of(table: str, cell: str, statistic: str, synthetic: bool) -> str:
    """The input set to give a published figure, or empty when the data give it.

    The app-member counts of table 1 are config (:data:`MEMBERS_KEY`), whatever
    the data. With synthetic data every other figure of the published tables
    was a target of the generator (``python -m buurtpreventie.synthetic``); a
    response rate then combines both.
    """
    if table == "tabel1" and cell.endswith("appdeelnemers"):
        return f"config {MEMBERS_KEY}"
    if not synthetic:
        return ""
    if statistic == "response_rate":
        return f"config {MEMBERS_KEY} and " + SYNTHETIC.format(source="tabel1.csv")
    source = "footnotes.csv" if table.startswith(("footnote", "text")) else f"{table}.csv"
    return SYNTHETIC.format(source=source)


def construction_parts(construction: str) -> tuple[list[str], str]:
    """The config keys and the calibrated source file named in a ``construction`` text.

    ``"config app_groups[].members_at_start and synthetic calibration to
    resources/published/tabel1.csv (study.synthetic: true)"`` gives
    ``(["app_groups[].members_at_start"], "tabel1.csv")``.
    """
    keys = re.findall(r"config (\S+)", str(construction))
    calibrated = re.search(r"calibration to resources/published/(\S+)", str(construction))
    return keys, calibrated.group(1) if calibrated else ""


def _note_values(values: Mapping[str, object] | None) -> str:
    """The reason and numbers behind ``note`` as JSON (empty without a note).

    ``reason`` names the kind of note; the report words it in Dutch from these.
    """
    if not values:
        return ""
    return json.dumps(
        {k: round(v, 4) if isinstance(v, float) else v for k, v in values.items()},
        ensure_ascii=False,
    )


def _row(
    table, cell, statistic, published, published_value, reproduced, match, note="", values=None
):
    return {
        "table": table,
        "cell": cell,
        "statistic": statistic,
        "published": published,
        "published_value": published_value,
        "reproduced": reproduced,
        "reproduced_printed": printed_as(statistic, reproduced),
        "match": bool(match),
        "agreement": "",
        "construction": "",
        "note": note,
        "note_values": _note_values(values),
    }


def _with_agreement(rows: list[dict], synthetic: bool) -> pd.DataFrame:
    """The rows as a table, each with its construction and kind of agreement."""
    for row in rows:
        row["construction"] = construction_of(
            row["table"], row["cell"], row["statistic"], synthetic
        )
        row["agreement"] = classify(
            row["statistic"],
            row["published"],
            row["reproduced_printed"],
            row["match"],
            row["construction"],
        )
    return pd.DataFrame(rows, columns=COLUMNS)


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
            cell, note = f"{buurt} appdeelnemers", ""  # the construction column names the key
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
            rows.append(
                _row(
                    r.table,
                    cell,
                    "count",
                    "",
                    None,
                    None,
                    False,
                    "not reproduced",
                    {"reason": "missing"},
                )
            )
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
        note, values = "", None
        if count != int(r.count) and printed_share == count:
            values = {"reason": "count_not_pct", "pct": r.pct_printed, "base": base, "count": count}
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
                values,
            )
        )
        same_pct = matches_printed(pct, float(r.pct), decimals=1)
        note, values = "", None
        if not same_pct and count == int(r.count):
            values = {"reason": "pct_not_count", "count": count, "base": base, "share": pct}
            note = (
                f"printed {r.pct_printed} does not match its printed count: "
                f"{count} of {base} is {_comma(pct, 1)}%"
            )
        elif not same_pct and printed_share == count:
            note = "the printed percentage fits the reproduced count; the printed count is the slip"
            values = {"reason": "count_slip", "count": count, "base": base}
        rows.append(
            _row(r.table, cell, "pct", r.pct_printed, float(r.pct), pct, same_pct, note, values)
        )
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
        holds = p_category_holds(p, printed, tol=P_TOLERANCE)
        kind, value = parse_p(printed)
        note, values = "", None
        if holds and kind == "eq" and not matches_printed(p, value, decimals=3):
            first, second = pair.itertuples()
            possible = attainable_p(first, second)
            printable = [x for x in possible if matches_printed(x, value, decimals=3)]
            note = f"p = {_comma(p, 4)} prints as {_comma(p, 3)}, within ,001 of {printed}. "
            values = {"reason": "p_rounding", "p": float(p), "closest": None}
            if not printable:
                values["closest"] = float(min(possible, key=lambda x: abs(x - value)))
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
                values,
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
            values = None if same else {"reason": "rate_from_counts", "share": value}
            rows.append(
                _row(r.table, cell, r.statistic, r.printed, r.value, value, same, note, values)
            )
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
    synthetic: bool = False,
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
    synthetic : bool, default False
        ``config["study"]["synthetic"]``: the survey data were generated to
        reproduce the published tables, so every figure that agrees does so
        by construction.

    Returns
    -------
    DataFrame
        Columns :data:`COLUMNS`. ``match`` means the reproduced value prints
        as the published one (for p: falls in the published category, within
        :data:`P_TOLERANCE` of a printed value); ``agreement`` says which of
        :data:`AGREEMENTS` it is and ``construction`` what set it.
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
    return _with_agreement(rows, bool(synthetic))
