"""SYNTHETIC result sets: the tables the report reads, for any study design, without a run.

The report (:mod:`buurtpreventie.report`) must be true on any data, not only
on the shipped study. This module writes whole result sets -- every table of
``results/tables/`` the report reads, with exactly the columns of
``resources/tables.yaml`` -- from a seed and a :class:`Scenario`: the effects
(all null, all significant, mixed directions, or every baseline p exactly .5),
2 to 5 waves with their own labels and fieldwork months, 1 to 4 buurten (the
codebook's own first, then others added to question 1), with or without a
panel key (``panel.csv`` empty), chats and published tables.

The values are mutually consistent: each table is computed from one set of
cells (N, mean, SD per indicator x buurt x groep x wave) with the pipeline's
own closed forms (:func:`~buurtpreventie.stats.cellstats.compare_summaries`,
:func:`~buurtpreventie.stats.cellstats.compare_proportions`,
:func:`~buurtpreventie.stats.compare.adjust_p`,
:func:`~buurtpreventie.stats.verdict.hypothesis_table`), so an N in
``indicators.csv`` is the N of ``baseline.csv``, p follows from t and df, d
from the means and SDs, the verdict from the difference in differences.
Nothing is calibrated to the published report: these are results of a study
that never happened.

Usage::

    study = generate(7, Scenario(effects="mixed", waves=3, buurten=2))
    paths = study.write(tmp_path)     # CSVs, codebook.yaml, config.yaml
"""

from __future__ import annotations

import copy
import functools
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import yaml
from scipy import stats

from buurtpreventie.constants import CONFIDENCE
from buurtpreventie.published.comparison import MEMBERS_KEY, classify, printed_as
from buurtpreventie.stats.cellstats import compare_proportions, compare_summaries
from buurtpreventie.stats.compare import adjust_p
from buurtpreventie.stats.verdict import hypothesis_table, verdict_rule
from buurtpreventie.survey.codebook import load_codebook

__all__ = [
    "EFFECTS",
    "ResultSet",
    "Scenario",
    "generate",
    "scenario_grid",
    "table_columns",
]

_ROOT = Path(__file__).resolve().parents[3]


@functools.cache
def _parsed(path: Path) -> Any:
    with open(path, encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def _load_yaml(path: Path) -> Any:
    """A resource file as parsed YAML; parsed once, a fresh copy each call."""
    return copy.deepcopy(_parsed(Path(path)))


RESOURCES = _ROOT / "resources"
EFFECTS = ("null", "significant", "mixed", "baseline_half")
GROEPEN = ("E", "C")
# Buurten added to the codebook beyond its own (id, label of question 1).
EXTRA_BUURTEN = (
    ("noordereiland", "Noordereiland"),
    ("bloemhof", "Bloemhof"),
    ("tarwewijk", "Tarwewijk"),
    ("carnisse", "Carnisse"),
)
FIRST_LABELS = ("Voormeting", "Nulmeting", "Beginmeting")
LAST_LABELS = ("Nameting", "Eindmeting", "Slotmeting")
ORDINALS = ("Tweede", "Derde", "Vierde", "Vijfde")
ROLES = ("bewoner", "beheerder_gemeente", "wijkagent", "handhaving")
SCORES = ("✓", "=", "~", "X")
RULES = {
    "✓": ("substantially more than before",),
    "=": ("common practice before, continued at a similar rate",),
    "~": (
        "carried out, but not substantially more than before",
        "opposite codes balance the codes carried out",
    ),
    "X": ("not carried out in the experiment year",),
}
RATIONALES = (
    "Professionals reageerden vaak direct op een melding.",
    "Er werden enkele bijeenkomsten georganiseerd, minder dan gepland.",
    "De beheerders deelden regelmatig tips over inbraakpreventie.",
    "Dit gebeurde al voor het experiment en ging in hetzelfde tempo door.",
)
AUDIT_CHECKS = (
    "GRIM+GRIMMER",
    "p recomputed",
    "count vs percentage",
    "percentages add to 100",
    "base within table 1",
    "bases per characteristic",
)
DEMOGRAPHIC_PAIRS = (
    ("geslacht", "Man", "Vrouw"),
    ("samenwonend", "Samenwonend", "Alleenstaand"),
    ("inwonende_kinderen", "Inwonende kinderen", "Geen inwonende kinderen"),
)
AGE_ROW = "gemiddelde_leeftijdscategorie"


# ----------------------------------------------------------------------------
# Scenario and result set
# ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Scenario:
    """The design of a generated result set.

    Attributes
    ----------
    effects : str
        ``null`` (no differences), ``significant`` (large baseline differences
        and large improvements of E), ``mixed`` (per indicator and buurt a
        random direction, or none), ``baseline_half`` (as mixed, but every
        baseline p is exactly .5).
    waves : int
        Measurement waves (2-5); the first is the baseline.
    buurten : int
        Buurten (1-4); the codebook's own come first.
    panel : bool
        A panel key: ``panel.csv`` has rows; otherwise it is empty.
    chats : bool
        The chat tables (members, activity, interventions) are there.
    published : bool
        The published tables are there (``published_vs_reproduced``, ``audit``).
    small_cells : bool
        Some cells have fewer respondents than ``small_cells.min_n`` (1-4).
    shown : int
        Buurten in the report's main chapters (config ``report.buurten``);
        0 for all of them.
    """

    effects: str = "mixed"
    waves: int = 2
    buurten: int = 2
    panel: bool = True
    chats: bool = True
    published: bool = True
    small_cells: bool = False
    shown: int = 0

    def __post_init__(self) -> None:
        if self.effects not in EFFECTS:
            raise ValueError(f"effects {self.effects!r} not one of {EFFECTS}")
        if not 2 <= self.waves <= 5 or not 1 <= self.buurten <= 4:
            raise ValueError("waves must be 2-5 and buurten 1-4")
        if not 0 <= self.shown < max(self.buurten, 1) and self.shown:
            raise ValueError("shown must be 0 or fewer than buurten")


@dataclass
class ResultSet:
    """A generated study: its config, codebook (parsed YAML) and results tables.

    Attributes
    ----------
    seed : int
    scenario : Scenario
    config : dict
        The workflow config (``waves``, ``experiment``, ``app_groups``, ``report``...).
    codebook : dict
        The shipped codebook with this study's buurten and app groups.
    tables : dict of str -> DataFrame
        ``results/tables/<name>.csv`` by name.
    """

    seed: int
    scenario: Scenario
    config: dict
    codebook: dict
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)

    def write(self, folder: str | Path) -> dict[str, Any]:
        """Write the tables as CSV (as the workflow does), the codebook and the config.

        Returns
        -------
        dict
            ``tables`` (name -> path), ``codebook`` and ``config`` (paths).
        """
        folder = Path(folder)
        (folder / "tables").mkdir(parents=True, exist_ok=True)
        paths = {}
        for name, frame in self.tables.items():
            paths[name] = folder / "tables" / f"{name}.csv"
            frame.to_csv(paths[name], index=False)
        codebook = folder / "codebook.yaml"
        codebook.write_text(yaml.safe_dump(self.codebook, allow_unicode=True), encoding="utf-8")
        config = folder / "config.yaml"
        config.write_text(yaml.safe_dump(self.config, allow_unicode=True), encoding="utf-8")
        return {"tables": paths, "codebook": codebook, "config": config}


@functools.cache
def table_columns(path: str | Path = RESOURCES / "tables.yaml") -> dict[str, list[str]]:
    """The columns of every table, in order, from the data dictionary (read once)."""
    raw = _load_yaml(Path(path))
    return {name: list(spec["columns"]) for name, spec in raw["tables"].items()}


def _frame(rows: Sequence[Mapping[str, Any]], name: str) -> pd.DataFrame:
    """Rows as a table with exactly the dictionary's columns of ``name``."""
    return pd.DataFrame(list(rows), columns=table_columns()[name])


# ----------------------------------------------------------------------------
# Design: waves, buurten, app groups, codebook, config
# ----------------------------------------------------------------------------


def _add_months(month: str, months: int) -> str:
    """``"2020-06"`` plus ``months`` months, as ``YYYY-MM``."""
    year, number = (int(x) for x in month.split("-"))
    total = year * 12 + number - 1 + months
    return f"{total // 12:04d}-{total % 12 + 1:02d}"


def wave_design(rng: np.random.Generator, waves: int) -> list[dict[str, Any]]:
    """Ids, labels and fieldwork months: a baseline, later waves 6-15 months apart.

    Labels are Dutch nouns that read in running text ("bij de tussenmeting").
    """
    first = FIRST_LABELS[rng.integers(len(FIRST_LABELS))]
    last = LAST_LABELS[rng.integers(len(LAST_LABELS))]
    middle = ["Tussenmeting"] if waves == 3 and rng.random() < 0.5 else []
    if waves - 2 > len(middle):
        middle = [f"{ORDINALS[k]} meting" for k in range(waves - 2)]
    labels = [first, *middle, last]
    month = f"{rng.integers(2012, 2025)}-{rng.integers(1, 13):02d}"
    out = []
    for label in labels:
        out.append(
            {
                "id": label.lower().replace(" ", "_"),
                "label": label,
                "fieldwork": month,
                "exports": [],
            }
        )
        month = _add_months(month, int(rng.integers(8, 16)))
    return out


def buurt_design(rng: np.random.Generator, n: int, own: Sequence[str]) -> list[str]:
    """``n`` buurten: a random choice of the codebook's own, then added ones."""
    take = min(n, len(own))
    chosen = [own[i] for i in sorted(rng.choice(len(own), size=take, replace=False))]
    return chosen + [b for b, _ in EXTRA_BUURTEN[: n - take]]


def app_group_design(
    rng: np.random.Generator, raw_codebook: Mapping[str, Any], buurten: Sequence[str]
) -> list[dict[str, Any]]:
    """The app groups: the shipped config's for the codebook's buurten, one per added buurt."""
    shipped = _load_yaml(_ROOT / "config.yaml")["app_groups"]
    groups = []
    for b in buurten:
        own = [g for g in shipped if g["buurt"] == b] or [{"id": f"app_{b}", "buurt": b}]
        for g in own:
            groups.append(
                {"id": g["id"], "buurt": b, "members_at_start": int(rng.integers(25, 160))}
            )
    return groups


def study_codebook(
    raw: Mapping[str, Any], buurten: Sequence[str], groups: Sequence[Mapping[str, Any]]
) -> dict[str, Any]:
    """The shipped codebook with ``buurten`` (question 1) and ``groups`` (question 14)."""
    out = copy.deepcopy(dict(raw))
    roles = out["roles"]
    by_id = {q["id"]: q for q in out["questions"]}
    q1, q14 = by_id[roles["buurt"]], by_id[roles["app_groups"]]
    labels = dict(EXTRA_BUURTEN)
    kept = [o for o in q1["options"] if o.get("derive", {}).get("buurt") in set(buurten)]
    other = [o for o in q1["options"] if o.get("derive", {}).get("buurt") not in raw["buurten"]]
    added = [
        {"label": labels[b], "derive": {"buurt": b}} for b in buurten if b not in raw["buurten"]
    ]
    q1["options"] = [{**o, "code": k + 1} for k, o in enumerate([*kept, *added, *other])]
    names = {o.get("name"): o for o in q14["options"]}
    q14["options"] = [
        {
            **names.get(g["id"], {"label": f"Buurtapp {labels.get(g['buurt'], g['buurt'])}"}),
            "name": g["id"],
            "code": k + 1,
        }
        for k, g in enumerate(groups)
    ]
    out["buurten"] = list(buurten)
    return out


def study_config(
    rng: np.random.Generator,
    scenario: Scenario,
    waves: Sequence[Mapping[str, Any]],
    buurten: Sequence[str],
    groups: Sequence[Mapping[str, Any]],
) -> dict[str, Any]:
    """The workflow config of the study: waves, experiment year, app groups, report."""
    start = _add_months(waves[0]["fieldwork"], int(rng.integers(2, 4)))
    end = max(waves[1]["fieldwork"], _add_months(start, 6))
    report_date = _add_months(waves[-1]["fieldwork"], int(rng.integers(2, 12)))
    report: dict[str, Any] = {
        "date": f"{report_date}-{int(rng.integers(1, 29)):02d}",
        "interim_evaluation": _add_months(start, 4),
    }
    if scenario.shown:
        order = sorted(rng.choice(len(buurten), size=scenario.shown, replace=False))
        report["buurten"] = [buurten[i] for i in order]
    config = {
        "study": {"title": "Experiment WhatsApp-buurtpreventie Rotterdam", "synthetic": True},
        "report": report,
        "waves": [dict(w) for w in waves],
        "app_groups": [dict(g) for g in groups],
        "experiment": {"start": f"{start}-01", "end": f"{end}-01"},
        "small_cells": {"min_n": 5},
        "reliability": {"min_alpha": 0.70},
        "panel": {"min_pairs": 5},
        "published": "resources/published" if scenario.published else "",
    }
    if scenario.chats:
        config["chats"] = {
            "groups": [
                {"id": g["id"], "buurt": g["buurt"], "export": f"chat/{g['id']}.txt"}
                for g in groups
            ]
        }
    return config


# ----------------------------------------------------------------------------
# Cells: N, mean, SD per indicator x buurt x groep x wave
# ----------------------------------------------------------------------------


@functools.cache
def _indicator_specs() -> list[dict[str, Any]]:
    """Id, range, scale (k statements or none) and whether 0/1, per indicator of the codebook."""
    codebook = load_codebook(RESOURCES / "codebook.yaml")
    return [
        {
            "id": i.id,
            "low": float(i.low),
            "high": float(i.high),
            "binary": i.low == 0 and i.high == 1,
            "scale": i.is_scale,
            "k": len(i.items) if i.is_scale else 0,
        }
        for i in codebook.indicators
    ]


def _directions() -> dict[str, int]:
    """The intended direction per indicator (``better`` of the report's words)."""
    words = _load_yaml(RESOURCES / "report" / "words.yaml")
    return {i: int(spec.get("better", 1)) for i, spec in words["indicators"].items()}


def respondent_counts(
    rng: np.random.Generator, scenario: Scenario, buurten: Sequence[str], waves: Sequence[str]
) -> dict[tuple[str, str, str], int]:
    """Included respondents per (buurt, groep, wave); a few small cells when asked."""
    low = 90 if scenario.effects == "significant" else 25
    counts = {
        (b, g, w): int(rng.integers(low, 130 if g == "E" else 260))
        for b in buurten
        for g in GROEPEN
        for w in waves
    }
    if scenario.small_cells:
        keys = list(counts)
        for k in rng.choice(len(keys), size=min(len(keys), int(rng.integers(1, 4))), replace=False):
            counts[keys[k]] = int(rng.integers(1, 5))
    return counts


def _effects(rng: np.random.Generator, effects: str, better: int) -> tuple[float, float, float]:
    """(baseline E - C, change of E, change of C) in SDs, for one indicator x buurt."""
    if effects == "null":
        return 0.0, 0.0, 0.0
    if effects == "significant":
        return 0.9 * better, 1.2 * better, 0.0
    pick = rng.choice([-1.0, 0.0, 1.0])
    return (
        float(pick) * 0.6,
        float(rng.choice([-1.0, 0.0, 0.0, 1.0])) * 1.1,
        float(rng.choice([-1.0, 0.0, 0.0, 1.0])) * 0.5,
    )


def _cell_row(rng, spec, n: int, mean: float, sd_unit: float) -> dict[str, float]:
    """N, mean, variance and the Levene deviations of one cell, inside the indicator's range."""
    low, high = spec["low"], spec["high"]
    span = high - low
    mean = float(np.clip(mean, low + 0.12 * span, high - 0.12 * span))
    if spec["binary"]:
        ones = round(mean * n)
        mean = ones / n
        share = mean * (1 - mean)
        var = share * n / (n - 1) if n > 1 else np.nan
        dev_mean = 2 * share
        dev_var = n / (n - 1) * share * (1 - 4 * share) if n > 1 else np.nan
        return {"n": n, "mean": mean, "var": var, "dev_mean": dev_mean, "dev_var": dev_var}
    sd = sd_unit * float(rng.uniform(0.85, 1.15))
    var = sd**2 if n > 1 else np.nan
    dev_mean = sd * float(rng.uniform(0.72, 0.84))
    dev_var = max(sd**2 - dev_mean**2, 0.05 * sd**2) if n > 1 else np.nan
    return {"n": n, "mean": mean, "var": var, "dev_mean": dev_mean, "dev_var": dev_var}


def cell_table(
    rng: np.random.Generator,
    scenario: Scenario,
    specs: Sequence[Mapping[str, Any]],
    buurten: Sequence[str],
    waves: Sequence[str],
    respondents: Mapping[tuple[str, str, str], int],
) -> pd.DataFrame:
    """The cells of the study: ``indicator, buurt, groep, wave, n, mean, var, dev_mean, dev_var``.

    Every table is computed from these. Item non-response takes up to 4% of a
    cell's respondents; each cell keeps at least one value.
    """
    directions = _directions()
    rows = []
    for spec in specs:
        span = spec["high"] - spec["low"]
        unit = 0.5 if spec["binary"] else 0.15 * span
        for b in buurten:
            centre = spec["low"] + span * float(rng.uniform(0.4, 0.6))
            base_diff, change_e, change_c = _effects(
                rng, scenario.effects, directions.get(spec["id"], 1)
            )
            if spec["binary"]:
                base_diff, change_e, change_c = (x * 0.3 for x in (base_diff, change_e, change_c))
            for w_index, w in enumerate(waves):
                for g in GROEPEN:
                    total = respondents[(b, g, w)]
                    n = max(1, total - int(rng.binomial(total, 0.04)))
                    shift = 0.0
                    if g == "E":
                        shift = base_diff / 2 + (change_e if w_index else 0.0)
                    else:
                        shift = -base_diff / 2 + (change_c if w_index else 0.0)
                    jitter = float(rng.normal(0, 0.03)) if scenario.effects != "significant" else 0
                    row = _cell_row(rng, spec, n, centre + (shift + jitter) * unit, unit)
                    rows.append({"indicator": spec["id"], "buurt": b, "groep": g, "wave": w, **row})
    cells = pd.DataFrame(rows)
    if scenario.effects == "baseline_half":
        cells = half_baseline(cells, waves[0], rng)
    return cells


def half_baseline(cells: pd.DataFrame, baseline: str, rng: np.random.Generator) -> pd.DataFrame:
    """Move each baseline E mean so that Student's t of E vs C has p = .5 exactly."""
    out = cells.copy()
    for _, part in out[out["wave"] == baseline].groupby(["indicator", "buurt"]):
        e = part[part["groep"] == "E"].iloc[0]
        c = part[part["groep"] == "C"].iloc[0]
        dof = e["n"] + c["n"] - 2
        if e["n"] < 2 or c["n"] < 2:
            continue
        pooled = ((e["n"] - 1) * e["var"] + (c["n"] - 1) * c["var"]) / dof
        t = stats.t.ppf(0.75, dof) * (1 if rng.random() < 0.5 else -1)
        mean = c["mean"] + t * np.sqrt(pooled * (1 / e["n"] + 1 / c["n"]))
        out.loc[e.name, "mean"] = mean
    return out


def _lookup(cells: pd.DataFrame) -> dict[tuple, dict[str, Any]]:
    """The cells by (indicator, buurt, groep, wave), as plain dicts (fast to look up)."""
    keys = ["indicator", "buurt", "groep", "wave"]
    return {tuple(r[k] for k in keys): r for r in cells.to_dict("records")}


def _arrays(cells: pd.DataFrame, keys: Sequence[tuple]) -> dict[str, np.ndarray]:
    """The columns of the cells of ``keys`` (indicator, buurt, groep, wave) as arrays."""
    lookup = _lookup(cells)
    picked = [lookup[k] for k in keys]
    return {
        c: np.array([r[c] for r in picked], dtype=float)
        for c in ("n", "mean", "var", "dev_mean", "dev_var")
    }


# ----------------------------------------------------------------------------
# Survey tables
# ----------------------------------------------------------------------------


def indicators_table(
    cells: pd.DataFrame, specs: Sequence[Mapping[str, Any]], min_n: int
) -> pd.DataFrame:
    """``indicators.csv``: N, mean, SD, min and max per cell; small cells flagged."""
    ranges = {s["id"]: s for s in specs}
    rows = []
    for r in cells.itertuples(index=False):
        spec = ranges[r.indicator]
        sd = float(np.sqrt(r.var)) if r.n > 1 else np.nan
        spread = 0.0 if np.isnan(sd) else 2 * sd
        rows.append(
            {
                "indicator": r.indicator,
                "buurt": r.buurt,
                "groep": r.groep,
                "wave": r.wave,
                "n": int(r.n),
                "mean": r.mean,
                "sd": sd,
                "min": float(max(spec["low"], np.floor(r.mean - spread))),
                "max": float(min(spec["high"], np.ceil(r.mean + spread))),
                "small_cell": bool(r.n < min_n),
            }
        )
    return _frame(rows, "indicators")


def _comparison(first: dict, second: dict, binary: np.ndarray, names: tuple[str, str]) -> dict:
    """:func:`compare_summaries` (and proportions for 0/1 rows) with the sides renamed."""
    out = compare_summaries(first, second)
    renamed = {}
    for key, value in out.items():
        for side, name in (("_1", names[0]), ("_2", names[1])):
            if key.endswith(side):
                key = key[: -len(side)] + f"_{name}"
        renamed[key] = value
    props = compare_proportions(first, second)
    for key, value in props.items():
        renamed[key] = np.where(binary, value, np.nan)
    return renamed


def baseline_table(
    rng: np.random.Generator,
    cells: pd.DataFrame,
    specs: Sequence[Mapping[str, Any]],
    buurten: Sequence[str],
    baseline: str,
) -> pd.DataFrame:
    """``baseline.csv``: E vs C at the baseline, with an ANCOVA close to the raw difference."""
    keys = [(s["id"], b) for s in specs for b in buurten]
    binary = np.array([s["binary"] for s in specs for _ in buurten])
    e = _arrays(cells, [(i, b, "E", baseline) for i, b in keys])
    c = _arrays(cells, [(i, b, "C", baseline) for i, b in keys])
    result = _comparison(e, c, binary, ("e", "c"))
    frame = pd.DataFrame({"indicator": [k[0] for k in keys], "buurt": [k[1] for k in keys]})
    for key, value in result.items():
        frame[key] = value
    lost = rng.integers(0, 6, size=len(frame))
    frame["n_adjusted"] = np.maximum(frame["n_e"] + frame["n_c"] - lost, 0)
    pooled = np.sqrt(
        ((e["n"] - 1) * e["var"] + (c["n"] - 1) * c["var"]) / np.maximum(e["n"] + c["n"] - 2, 1)
    )
    se = pooled * np.sqrt(1 / e["n"] + 1 / c["n"]) * rng.uniform(0.97, 1.0, size=len(frame))
    diff = (e["mean"] - c["mean"]) + rng.normal(0, 0.05, size=len(frame)) * se
    valid = np.isfinite(frame["t"].to_numpy(dtype=float))
    frame["diff_adjusted"] = np.where(valid, diff, np.nan)
    frame["se_adjusted"] = np.where(valid, se, np.nan)
    dof = np.maximum(frame["n_adjusted"].to_numpy(dtype=float) - 4, 1)
    frame["p_adjusted"] = np.where(valid, 2 * stats.t.sf(np.abs(diff / se), dof), np.nan)
    return frame.reindex(columns=table_columns()["baseline"])


def wave_pairs(waves: Sequence[str]) -> list[tuple[str, str, str]]:
    """Every later wave vs the baseline; from three waves on also consecutive waves."""
    pairs = [(waves[0], later, "baseline") for later in waves[1:]]
    return pairs + [(waves[i - 1], waves[i], "consecutive") for i in range(2, len(waves))]


def prepost_table(
    cells: pd.DataFrame,
    specs: Sequence[Mapping[str, Any]],
    buurten: Sequence[str],
    waves: Sequence[str],
) -> pd.DataFrame:
    """``prepost.csv``: each group, later vs earlier wave; Holm and BH per kind."""
    keys = [
        (s["id"], b, g, *pair)
        for pair in wave_pairs(waves)
        for s in specs
        for b in buurten
        for g in GROEPEN
    ]
    binary_ids = {s["id"] for s in specs if s["binary"]}
    binary = np.array([k[0] in binary_ids for k in keys])
    later = _arrays(cells, [(i, b, g, to) for i, b, g, _, to, _ in keys])
    earlier = _arrays(cells, [(i, b, g, fr) for i, b, g, fr, _, _ in keys])
    result = _comparison(later, earlier, binary, ("to", "from"))
    frame = pd.DataFrame(
        keys, columns=["indicator", "buurt", "groep", "wave_from", "wave_to", "kind"]
    )
    for key, value in result.items():
        frame[key] = value
    frame["p_holm"] = np.nan
    frame["p_bh"] = np.nan
    for _, part in frame.groupby("kind"):
        frame.loc[part.index, "p_holm"] = adjust_p(part["p"], "holm")
        frame.loc[part.index, "p_bh"] = adjust_p(part["p"], "fdr_bh")
    return frame.reindex(columns=table_columns()["prepost"])


def did_table(
    rng: np.random.Generator,
    cells: pd.DataFrame,
    specs: Sequence[Mapping[str, Any]],
    buurten: Sequence[str],
    waves: Sequence[str],
) -> pd.DataFrame:
    """``did.csv``: (E later - E base) - (C later - C base), a robust SE, Holm and BH."""
    indexed = cells.set_index(["indicator", "buurt", "groep", "wave"])
    rows = []
    for s in specs:
        for b in buurten:
            for later in waves[1:]:
                parts = [
                    indexed.loc[(s["id"], b, g, w)] for g in GROEPEN for w in (waves[0], later)
                ]
                e0, e1, c0, c1 = parts
                n = int(sum(p["n"] for p in parts))
                estimate = (e1["mean"] - e0["mean"]) - (c1["mean"] - c0["mean"])
                se = np.sqrt(sum(p["var"] / p["n"] for p in parts)) * rng.uniform(1.0, 1.04)
                if not np.isfinite(se) or se == 0:
                    estimate = se = np.nan
                rows.append(
                    {
                        "indicator": s["id"],
                        "buurt": b,
                        "wave_from": waves[0],
                        "wave_to": later,
                        "n": n,
                        "estimate": estimate,
                        "se": se,
                        "cov_type": "HC3",
                    }
                )
    frame = _frame(rows, "did")
    critical = stats.norm.ppf(1 - (1 - CONFIDENCE) / 2)
    frame["ci_low"] = frame["estimate"] - critical * frame["se"]
    frame["ci_high"] = frame["estimate"] + critical * frame["se"]
    frame["p"] = 2 * stats.norm.sf((frame["estimate"] / frame["se"]).abs())
    frame["p_holm"] = adjust_p(frame["p"], "holm")
    frame["p_bh"] = adjust_p(frame["p"], "fdr_bh")
    return frame


def hypothesis_frame(did: pd.DataFrame) -> pd.DataFrame:
    """``hypothesis.csv``: the verdict of the shipped rule on ``did``."""
    rule = verdict_rule(_load_yaml(RESOURCES / "stats" / "verdict.yaml"))
    return hypothesis_table(did, _directions(), rule).reindex(columns=table_columns()["hypothesis"])


def panel_table(
    rng: np.random.Generator,
    cells: pd.DataFrame,
    specs: Sequence[Mapping[str, Any]],
    buurten: Sequence[str],
    waves: Sequence[str],
    min_pairs: int,
) -> pd.DataFrame:
    """``panel.csv``: linked pairs per cell and wave pair; fewer than ``min_pairs``: too_small."""
    indexed = _lookup(cells)
    rows = []
    for wave_from, wave_to, _ in wave_pairs(waves):
        for s in specs:
            for b in buurten:
                for g in GROEPEN:
                    first = indexed[(s["id"], b, g, wave_from)]
                    second = indexed[(s["id"], b, g, wave_to)]
                    most = int(min(first["n"], second["n"], 40))
                    n = int(rng.integers(0, most + 1))
                    row = {
                        "indicator": s["id"],
                        "buurt": b,
                        "groep": g,
                        "wave_from": wave_from,
                        "wave_to": wave_to,
                        "n_pairs": n,
                        "status": "too_small",
                    }
                    if n >= max(min_pairs, 2):
                        sd = float(np.sqrt(np.nanmean([first["var"], second["var"]])) * 0.9)
                        mean_from = float(first["mean"] + rng.normal(0, 0.05) * sd)
                        diff = float(second["mean"] - first["mean"] + rng.normal(0, 0.1) * sd)
                        t = diff / (sd / np.sqrt(n))
                        row |= {
                            "mean_from": mean_from,
                            "mean_to": mean_from + diff,
                            "mean_diff": diff,
                            "sd_diff": sd,
                            "t": t,
                            "df": float(n - 1),
                            "p": float(2 * stats.t.sf(abs(t), n - 1)),
                            "status": "computed",
                        }
                    rows.append(row)
    return _frame(rows, "panel")


def respondents_table(
    counts: Mapping[tuple[str, str, str], int],
    groups: Sequence[Mapping[str, Any]],
    buurten: Sequence[str],
    waves: Sequence[str],
) -> pd.DataFrame:
    """``respondents.csv``: respondents per cell, app-group members and response rate of E."""
    members = {b: sum(g["members_at_start"] for g in groups if g["buurt"] == b) for b in buurten}
    rows = []
    for b in buurten:
        for g in GROEPEN:
            for w in waves:
                n = counts[(b, g, w)]
                rows.append(
                    {
                        "buurt": b,
                        "groep": g,
                        "wave": w,
                        "n": n,
                        "app_members": members[b] if g == "E" else None,
                        "response_rate": n / members[b] if g == "E" else None,
                    }
                )
    frame = _frame(rows, "respondents")
    frame["app_members"] = frame["app_members"].astype("Int64")
    return frame


def flow_table(
    rng: np.random.Generator,
    counts: Mapping[tuple[str, str, str], int],
    exclusions: Mapping[str, str],
    buurten: Sequence[str],
    waves: Sequence[str],
) -> pd.DataFrame:
    """``flow.csv``: per wave included per cell, a few excluded per reason, and the total."""
    rows = []
    for w in waves:
        included = [
            {"wave": w, "outcome": "included", "buurt": b, "groep": g, "n": counts[(b, g, w)]}
            for b in buurten
            for g in GROEPEN
        ]
        chosen = [r for r in exclusions if rng.random() < 0.7]
        excluded = [
            {
                "wave": w,
                "outcome": "excluded",
                "reason": r,
                "description": exclusions[r],
                "n": int(rng.integers(1, 9)),
            }
            for r in chosen
        ]
        total = sum(r["n"] for r in (*included, *excluded))
        rows += [*included, *excluded, {"wave": w, "outcome": "total", "n": total}]
    return _frame(rows, "flow")


def demographics_table(
    rng: np.random.Generator,
    counts: Mapping[tuple[str, str, str], int],
    buurten: Sequence[str],
    waves: Sequence[str],
) -> pd.DataFrame:
    """``demographics.csv``: the three yes/no characteristics and the mean age category."""
    rows = []
    for b in buurten:
        for g in GROEPEN:
            for w in waves:
                n = counts[(b, g, w)]
                for _, yes, no in DEMOGRAPHIC_PAIRS:
                    base = max(n - int(rng.integers(0, 3)), 1)
                    count = int(rng.binomial(base, rng.uniform(0.3, 0.7)))
                    for kenmerk, k in ((yes, count), (no, base - count)):
                        rows.append(
                            {
                                "buurt": b,
                                "groep": g,
                                "wave": w,
                                "kenmerk": kenmerk,
                                "count": k,
                                "base": base,
                                "pct": 100 * k / base,
                            }
                        )
                base = max(n - int(rng.integers(0, 3)), 1)
                rows.append(
                    {
                        "buurt": b,
                        "groep": g,
                        "wave": w,
                        "kenmerk": AGE_ROW,
                        "base": base,
                        "mean": float(rng.uniform(1.5, 4.0)),
                        "sd": float(rng.uniform(1.0, 1.8)) if base > 1 else np.nan,
                    }
                )
    frame = _frame(rows, "demographics")
    frame["count"] = frame["count"].astype("Int64")
    return frame


def _pearson(table: np.ndarray) -> tuple[float, float]:
    """Pearson's chi-square of a 2 x 2 table without continuity correction, and its p."""
    rows, columns = table.sum(axis=1), table.sum(axis=0)
    if (rows == 0).any() or (columns == 0).any():
        return np.nan, np.nan
    expected = np.outer(rows, columns) / table.sum()
    statistic = float(((table - expected) ** 2 / expected).sum())
    return statistic, float(stats.chi2.sf(statistic, 1))


def demographics_tests_table(demographics: pd.DataFrame, buurten, waves) -> pd.DataFrame:
    """``demographics_tests.csv``: Pearson chi-square per characteristic, Student t for age."""
    keys = ("wave", "buurt", "groep", "kenmerk")
    index = {tuple(r[k] for k in keys): r for r in demographics.to_dict("records")}
    rows = []
    for w in waves:
        for b in buurten:
            for kenmerk, yes, _ in DEMOGRAPHIC_PAIRS:
                e, c = index[(w, b, "E", yes)], index[(w, b, "C", yes)]
                table = np.array(
                    [[e["count"], e["base"] - e["count"]], [c["count"], c["base"] - c["count"]]],
                    dtype=float,
                )
                statistic, p = _pearson(table)
                rows.append(
                    {
                        "wave": w,
                        "buurt": b,
                        "kenmerk": kenmerk,
                        "test": "chi2",
                        "statistic": statistic,
                        "df": 1.0,
                        "p": p,
                        "n_e": int(e["base"]),
                        "n_c": int(c["base"]),
                    }
                )
            e, c = index[(w, b, "E", AGE_ROW)], index[(w, b, "C", AGE_ROW)]
            statistic = p = np.nan
            if e["base"] > 1 and c["base"] > 1:
                statistic, p = stats.ttest_ind_from_stats(
                    e["mean"], e["sd"], e["base"], c["mean"], c["sd"], c["base"]
                )
            rows.append(
                {
                    "wave": w,
                    "buurt": b,
                    "kenmerk": "leeftijdscategorie",
                    "test": "student_t",
                    "statistic": statistic,
                    "df": float(e["base"] + c["base"] - 2),
                    "p": p,
                    "n_e": int(e["base"]),
                    "n_c": int(c["base"]),
                }
            )
    return _frame(rows, "demographics_tests")


def reliability_table(
    rng: np.random.Generator,
    cells: pd.DataFrame,
    specs: Sequence[Mapping[str, Any]],
    waves: Sequence[str],
    min_alpha: float,
) -> pd.DataFrame:
    """``reliability.csv``: Cronbach's alpha with Feldt's 95% CI per scale and wave."""
    rows = []
    for s in (s for s in specs if s["scale"]):
        for w in waves:
            own = cells[(cells["indicator"] == s["id"]) & (cells["wave"] == w)]
            n = max(int(own["n"].sum()) - int(rng.integers(0, 10)), 3)
            k = s["k"] or 6
            alpha = float(rng.uniform(0.6, 0.92))
            df1, df2 = n - 1, (n - 1) * (k - 1)
            tail = (1 - CONFIDENCE) / 2  # Feldt, as stats.reliability.alpha_ci
            rows.append(
                {
                    "scale": s["id"],
                    "wave": w,
                    "n": n,
                    "k": k,
                    "alpha": alpha,
                    "ci_low": 1 - (1 - alpha) * stats.f.isf(tail, df1, df2),
                    "ci_high": 1 - (1 - alpha) * stats.f.isf(1 - tail, df1, df2),
                    "below_min_alpha": alpha < min_alpha,
                }
            )
    return _frame(rows, "reliability")


# ----------------------------------------------------------------------------
# Published tables and their audit
# ----------------------------------------------------------------------------


def _published_row(table, cell, statistic, published, reproduced, construction="", note=""):
    """One row of ``published_vs_reproduced.csv``, its agreement as the pipeline classifies it."""
    printed = printed_as(statistic, reproduced)
    holds = printed == published
    return {
        "table": table,
        "cell": cell,
        "statistic": statistic,
        "published": published,
        "published_value": float(published.replace(",", ".").lstrip("<") or "nan")
        if published not in ("n.s.", "")
        else np.nan,
        "reproduced": reproduced,
        "reproduced_printed": printed,
        "match": holds,
        "agreement": classify(statistic, published, printed, holds, construction),
        "construction": construction if holds else "",
        "note": note if not holds else "",
    }


def published_table(
    rng: np.random.Generator,
    baseline: pd.DataFrame,
    respondents: pd.DataFrame,
    names: Mapping[str, str],
    wave: str,
    synthetic: bool,
) -> pd.DataFrame:
    """``published_vs_reproduced.csv``: table 1 and the baseline's N, means and p as "printed".

    About one figure in twenty is printed otherwise (a slip of the published
    report); with ``synthetic`` the means are equal by construction.
    """
    calibrated = "synthetic calibration to resources/published/tabel4.csv (study.synthetic: true)"
    rows = []
    members = respondents.dropna(subset=["app_members"]).drop_duplicates("buurt")
    for r in members.itertuples(index=False):
        rows.append(
            _published_row(
                "tabel1",
                f"{r.buurt} appdeelnemers",
                "n",
                str(int(r.app_members)),
                float(r.app_members),
                f"config {MEMBERS_KEY}",
            )
        )
    for r in baseline.itertuples(index=False):
        for side in ("e", "c"):
            cell = f"{r.indicator} {names[r.buurt]} {side.upper()} {wave}"
            n, mean = getattr(r, f"n_{side}"), getattr(r, f"mean_{side}")
            rows.append(_published_row("tabel4", cell, "n", str(int(n)), float(n)))
            slip = rng.random() < 0.05
            printed = printed_as("mean", mean + (0.1 if slip else 0.0))
            note = "het gedrukte gemiddelde past bij geen enkele verdeling van hele antwoorden"
            construction = calibrated if synthetic else ""
            rows.append(_published_row("tabel4", cell, "mean", printed, mean, construction, note))
        cell = f"{r.indicator} {names[r.buurt]} E-C {wave}"
        rows.append(
            _published_row("tabel4", cell, "p_category", printed_as("p_category", r.p), r.p)
        )
    return _frame(rows, "published_vs_reproduced")


def audit_table(rng: np.random.Generator, published: pd.DataFrame) -> pd.DataFrame:
    """``audit.csv``: per published mean a GRIM check, and a few other checks."""
    rows = []
    for r in published[published["statistic"] == "mean"].itertuples(index=False):
        pairs = int(rng.integers(1, 7)) if r.match else 0
        rows.append(
            {
                "table": r.table,
                "cell": r.cell,
                "check": "GRIM+GRIMMER",
                "result": "ok" if r.match else "error",
                "detail": f"{pairs} integer (sum, sum of squares) pairs print as M={r.published}",
            }
        )
    for check in AUDIT_CHECKS[1:]:
        result = str(rng.choice(["ok", "ok", "ok", "note", "error"]))
        rows.append(
            {"table": "tabel1", "cell": "respons", "check": check, "result": result, "detail": ""}
        )
    return _frame(rows, "audit")


# ----------------------------------------------------------------------------
# Chat tables
# ----------------------------------------------------------------------------


def _months(first: str, last: str) -> list[str]:
    """Every month from ``first`` to ``last`` (``YYYY-MM``), both included."""
    out, month = [], first
    while month <= last:
        out.append(month)
        month = _add_months(month, 1)
    return out


def chat_months(experiment: Mapping[str, str]) -> list[str]:
    """The months of the chats: a year before the experiment to a year after it."""
    return _months(
        _add_months(experiment["start"][:7], -12), _add_months(experiment["end"][:7], 11)
    )


def members_table(rng, groups, months) -> pd.DataFrame:
    """``members.csv``: joined, left and the size at month end; the size follows from both."""
    rows = []
    for g in groups:
        size = 0
        for k, month in enumerate(months):
            joined = g["members_at_start"] if k == 0 else int(rng.poisson(2))
            left = 0 if k == 0 else min(int(rng.poisson(1.5)), size + joined)
            size += joined - left
            rows.append(
                {
                    "group": g["id"],
                    "buurt": g["buurt"],
                    "month": month,
                    "joined": joined,
                    "left": left,
                    "size": size,
                }
            )
    return _frame(rows, "members")


def activity_table(rng, groups, months) -> pd.DataFrame:
    """``activity.csv``: messages and senders per role; the month's share of professionals."""
    rows = []
    for g in groups:
        for month in months:
            counts = {
                role: int(rng.poisson(20 if role == "bewoner" else 3))
                for role in ROLES
                if role == "bewoner" or rng.random() < 0.6
            }
            total = sum(counts.values())
            if total == 0:
                continue
            share = sum(v for r, v in counts.items() if r != "bewoner") / total
            for role, messages in counts.items():
                if messages == 0:
                    continue
                rows.append(
                    {
                        "group": g["id"],
                        "buurt": g["buurt"],
                        "month": month,
                        "role": role,
                        "messages": messages,
                        "senders": int(rng.integers(1, min(messages, 12) + 1)),
                        "share_professionals": share,
                    }
                )
    return _frame(rows, "activity")


def _intervention_counts(rng, score: str) -> dict[str, int]:
    """Code counts that give ``score`` under the shipped rule (before, experiment, opposite)."""
    if score == "X":
        return {"before": int(rng.integers(0, 3)), "experiment": 0, "opposite": 0}
    if score == "✓":
        return {
            "before": int(rng.integers(0, 2)),
            "experiment": int(rng.integers(6, 15)),
            "opposite": 0,
        }
    if score == "=":
        before = int(rng.integers(6, 12))
        return {"before": before, "experiment": before, "opposite": 0}
    experiment = int(rng.integers(1, 4))
    return {
        "before": experiment,
        "experiment": experiment,
        "opposite": int(rng.integers(0, experiment + 1)),
    }


def interventions_table(
    rng: np.random.Generator, scheme: Sequence[Mapping[str, Any]], buurten: Sequence[str]
) -> pd.DataFrame:
    """``interventions.csv``: the rule's score per intervention and buurt, mostly judged so."""
    rows = []
    for item in scheme:
        for b in buurten:
            computed = str(rng.choice(SCORES))
            judged = rng.random() < 0.85
            score = computed if rng.random() < 0.85 else str(rng.choice(SCORES))
            counts = _intervention_counts(rng, computed)
            rows.append(
                {
                    "intervention": int(item["number"]),
                    "buurt": b,
                    "score": score if judged else "",
                    "computed_score": computed,
                    "agree": judged and score == computed,
                    "rule": str(rng.choice(RULES[computed])),
                    "rationale": str(rng.choice(RATIONALES)) if judged else "",
                    **counts,
                    "after": int(rng.integers(0, 5)),
                    "months_before": 12,
                    "months_experiment": 12,
                    "rate_before": counts["before"] / 12,
                    "rate_experiment": counts["experiment"] / 12,
                }
            )
    return _frame(rows, "interventions")


# ----------------------------------------------------------------------------
# The whole set
# ----------------------------------------------------------------------------


def generate(seed: int, scenario: Scenario) -> ResultSet:
    """A whole result set for ``scenario``, the same for the same seed.

    Parameters
    ----------
    seed : int
    scenario : Scenario

    Returns
    -------
    ResultSet
    """
    rng = np.random.default_rng(seed)
    raw = _load_yaml(RESOURCES / "codebook.yaml")
    scheme = _load_yaml(RESOURCES / "interventions.yaml")["interventions"]
    waves = wave_design(rng, scenario.waves)
    wave_ids = [w["id"] for w in waves]
    buurten = buurt_design(rng, scenario.buurten, raw["buurten"])
    groups = app_group_design(rng, raw, buurten)
    codebook = study_codebook(raw, buurten, groups)
    config = study_config(rng, scenario, waves, buurten, groups)
    specs = _indicator_specs()
    order = sorted(buurten, reverse=True)  # the tables' buurt order (cellstats.buurt_order)
    counts = respondent_counts(rng, scenario, order, wave_ids)
    cells = cell_table(rng, scenario, specs, order, wave_ids, counts)
    demographics = demographics_table(rng, counts, order, wave_ids)
    baseline = baseline_table(rng, cells, specs, order, wave_ids[0])
    did = did_table(rng, cells, specs, order, wave_ids)
    tables = {
        "flow": flow_table(rng, counts, raw["exclusions"], order, wave_ids),
        "respondents": respondents_table(counts, groups, order, wave_ids),
        "demographics": demographics,
        "demographics_tests": demographics_tests_table(demographics, order, wave_ids),
        "indicators": indicators_table(cells, specs, config["small_cells"]["min_n"]),
        "reliability": reliability_table(
            rng, cells, specs, wave_ids, config["reliability"]["min_alpha"]
        ),
        "baseline": baseline,
        "prepost": prepost_table(cells, specs, order, wave_ids),
        "did": did,
        "hypothesis": hypothesis_frame(did),
        "panel": panel_table(rng, cells, specs, order, wave_ids, config["panel"]["min_pairs"])
        if scenario.panel
        else _frame([], "panel"),
    }
    if scenario.published:
        labels = dict(EXTRA_BUURTEN) | {b: b.capitalize() for b in raw["buurten"]}
        published = published_table(rng, baseline, tables["respondents"], labels, wave_ids[0], True)
        tables["published_vs_reproduced"] = published
        tables["audit"] = audit_table(rng, published)
    if scenario.chats:
        months = chat_months(config["experiment"])
        tables["members"] = members_table(rng, groups, months)
        tables["activity"] = activity_table(rng, groups, months)
        tables["interventions"] = interventions_table(rng, scheme, order)
    return ResultSet(seed, scenario, config, codebook, tables)


#: The grid's cycles (coprime periods, so every combination comes round); small
#: designs come more often than large ones, to keep a run of hundreds short.
GRID_WAVES = (2, 3, 2, 4, 2, 5, 3)
GRID_BUURTEN = (1, 2, 3, 2, 4)


def scenario_grid() -> Iterator[Scenario]:
    """Scenarios that together cover every effect, 2-5 waves, 1-4 buurten and every option.

    Cycles through the effects (period 4), waves (7), buurten (5) and the
    options at other periods, so any 140 consecutive scenarios hold every
    value of each and most of their combinations.
    """
    k = 0
    while True:
        buurten = GRID_BUURTEN[k % len(GRID_BUURTEN)]
        yield Scenario(
            effects=EFFECTS[k % len(EFFECTS)],
            waves=GRID_WAVES[k % len(GRID_WAVES)],
            buurten=buurten,
            panel=k % 3 != 0,
            chats=k % 11 not in (1, 4, 8),
            published=k % 9 not in (2, 5),
            small_cells=k % 6 == 4,
            shown=1 + k % (buurten - 1) if buurten >= 3 and k % 13 in (3, 7) else 0,
        )
        k += 1
