"""The template context: ``results/`` and the resources, ready for the templates.

:func:`load_tables` reads the results tables; :func:`build_context` turns them,
with the config, the codebook, the interventions and the report's words, into
plain rows and generated sentences. Values stay numbers here: the templates
format them with the filters of :mod:`buurtpreventie.dutch`. Means of
small cells (``indicators.small_cell``) are suppressed here, so no template can
print them.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from buurtpreventie.dutch import MISSING, is_missing, nl_date, nl_month, nl_p
from buurtpreventie.published.comparison import (
    AGREEMENTS,
    P_TOLERANCE,
    construction_parts,
    printed_as,
)
from buurtpreventie.registry import load_registry
from buurtpreventie.report import text
from buurtpreventie.report.claims import STUDY, Claim, rows_key
from buurtpreventie.report.colophon import colophon, reference_entries
from buurtpreventie.report.selection import main_buurten
from buurtpreventie.report.sources import APPENDIX_TABLES, provenance_sources
from buurtpreventie.report.styles import buurt_styles, line_legend
from buurtpreventie.report.text import Words
from buurtpreventie.report.text.appendix import (
    NO_CELL_WORDS,
    CellWords,
    audit_note,
    cell_label,
    cell_words,
    comparison_note,
    skipped_sentence,
)
from buurtpreventie.survey.codebook import Codebook, Question
from buurtpreventie.yamlio import load_yaml

__all__ = [
    "CHAT_TABLES",
    "SURVEY_TABLES",
    "build_context",
    "load_tables",
    "main_tables",
    "report_buurten",
    "small_cells",
]

_REPORT_TABLES = tuple(e for e in load_registry().tables if e.report_input)
#: The results tables the report reads from the survey side (published ones included),
#: in the registry's order (``resources/tables.yaml``, ``report_input: true``).
SURVEY_TABLES = tuple(e.name for e in _REPORT_TABLES if "chats" not in e.needs)
#: The results tables the report reads from the chats (``needs: [chats]``).
CHAT_TABLES = tuple(e.name for e in _REPORT_TABLES if "chats" in e.needs)
# Text columns where an empty cell is empty text, not a missing number.
_TEXT_COLUMNS = {"reason", "description", "buurt", "groep", "note", "rationale", "rule", "detail"}
# Rows of tables 2-3, in the report's order (values of demographics.kenmerk).
DEMOGRAPHIC_ROWS = (
    "Man",
    "Vrouw",
    "Alleenstaand",
    "Samenwonend",
    "Geen inwonende kinderen",
    "Inwonende kinderen",
)
AGE_ROW = "gemiddelde_leeftijdscategorie"
#: The derived variable of the age question: no codebook role names that question, so
#: :func:`age_question` finds it by the ``derive`` of its options (the demographics).
AGE_VARIABLE = "leeftijdscategorie"


def load_tables(paths: Mapping[str, str | Path]) -> dict[str, pd.DataFrame]:
    """Read results tables by name (``{"baseline": "results/tables/baseline.csv", ...}``)."""
    tables = {}
    for name, path in paths.items():
        frame = pd.read_csv(path, dtype={"month": str, "wave": str})
        for column in _TEXT_COLUMNS & set(frame.columns):
            frame[column] = frame[column].fillna("").astype(str)
        tables[name] = frame
    return tables


def age_question(codebook: Codebook) -> Question:
    """The age question: the one whose options derive :data:`AGE_VARIABLE`."""
    for question in codebook.questions:
        if any(AGE_VARIABLE in option.derive for option in question.options):
            return question
    raise KeyError(f"{codebook.path}: no question derives {AGE_VARIABLE!r}")


def small_cells(indicators: pd.DataFrame) -> frozenset[tuple[str, str, str, str]]:
    """The (indicator, buurt, groep, wave) cells flagged ``small_cell``."""
    flagged = indicators[indicators["small_cell"].astype(str).str.lower() == "true"]
    return frozenset(
        zip(flagged["indicator"], flagged["buurt"], flagged["groep"], flagged["wave"], strict=True)
    )


def report_buurten(config: Mapping[str, Any], codebook: Codebook) -> list[str]:
    """The buurten of the main chapters: the config's choice, else the codebook's first ones."""
    report = config.get("report", {}) or {}
    return main_buurten(
        codebook.buurten, report.get("buurten", []) or [], report.get("max_main_buurten", 4)
    )


def main_tables(
    tables: Mapping[str, pd.DataFrame], buurten: Sequence[str]
) -> dict[str, pd.DataFrame]:
    """The results tables of the main chapters: only the rows of ``buurten``.

    Every table with a ``buurt`` column is restricted, except ``flow``: its
    exclusions have no buurt, and its included rows of other buurten are added
    up into one row (:func:`_flow`), so the flow still adds up.
    """
    keep = set(buurten)
    out = {}
    for name, frame in tables.items():
        if name != "flow" and "buurt" in frame.columns:
            frame = frame[frame["buurt"].isin(keep)].reset_index(drop=True)
        out[name] = frame
    return out


def _cell(row: Any, prefix: str, small: bool) -> dict[str, Any]:
    """N, M and SD of one side of a comparison; M and SD suppressed for a small cell."""
    return {
        "n": getattr(row, f"n_{prefix}"),
        "mean": None if small else getattr(row, f"mean_{prefix}"),
        "sd": None if small else getattr(row, f"sd_{prefix}"),
        "small": small,
    }


def _waves(config: Mapping[str, Any]) -> list[dict[str, str]]:
    return [
        {
            "id": w["id"],
            "label": w["label"],
            "fieldwork": w["fieldwork"],
            "month": nl_month(w["fieldwork"]),
        }
        for w in config["waves"]
    ]


def _study(
    config: Mapping[str, Any],
    words: Words,
    codebook: Codebook,
    main: Sequence[str],
    described: bool,
) -> dict[str, Any]:
    study = config.get("study", {})
    report = config.get("report", {})
    experiment = config.get("experiment", {})
    waves = _waves(config)
    group_names = {o.name: o.label for o in codebook.question(codebook.roles["app_groups"]).options}
    app_groups = [
        {**g, "name": group_names.get(g["id"], g["id"])} for g in config.get("app_groups", [])
    ]
    date = str(report.get("date", ""))
    return {
        "title": study.get("title", ""),
        "synthetic": bool(study.get("synthetic", True)),
        "date": date,
        "date_text": nl_month(date) if date else "",
        "waves": waves,
        "baseline": waves[0],
        "later": waves[1:],
        "wave_labels": text.join_nl(w["label"].lower() for w in waves),
        "n_waves": len(waves),
        "n_waves_word": text.number_word(len(waves)),
        "experiment": {
            "start": nl_date(experiment["start"]) if experiment else "",
            "end": nl_date(experiment["end"]) if experiment else "",
            "start_month": nl_month(experiment["start"]) if experiment else "",
            "last_month": nl_month(
                (dt.date.fromisoformat(experiment["end"]) - dt.timedelta(days=1)).isoformat()
            )
            if experiment
            else "",
        },
        "interim": nl_month(report["interim_evaluation"])
        if report.get("interim_evaluation")
        else "",
        "buurten": [{"id": b, **words.buurten[b]} for b in main],
        "all_buurten": [{"id": b, **words.buurten[b]} for b in codebook.buurten],
        "hidden": len(main) < len(codebook.buurten),
        "described": described,
        "places": text.places(codebook.buurten, words, main),
        "app_groups": app_groups,
        "group_names": group_names,
        "min_n": config.get("small_cells", {}).get("min_n", 5),
        "min_alpha": config.get("reliability", {}).get("min_alpha", 0.70),
        "alpha": text.ALPHA,
        "power": text.MDE_POWER,
        "ci": text.CI_LEVEL,
    }


def _indicators(codebook: Codebook, words: Words) -> list[dict[str, Any]]:
    out = []
    for ind in codebook.indicators:
        items = []
        for item in ind.items or codebook.questions_for(ind):
            question = codebook.question(item)
            statement = next((s for s in question.statements if s.id == item), None)
            items.append(
                {
                    "id": item,
                    "number": question.number,
                    "text": statement.text if statement else question.text,
                    "reversed": item in ind.reversed_items,
                }
            )
        out.append(
            {
                "id": ind.id,
                "label": ind.label,
                "noun": words.noun(ind.id),
                "low": ind.low,
                "high": ind.high,
                "is_scale": ind.is_scale,
                "unit": ind.high <= 1,
                "items": items,
            }
        )
    return out


def _table1(respondents: pd.DataFrame, buurten: Sequence[str], waves) -> dict[str, Any]:
    index = respondents.set_index(["buurt", "groep", "wave"])
    members = {}
    for b in buurten:
        rows = respondents[(respondents["buurt"] == b) & respondents["app_members"].notna()]
        members[b] = rows["app_members"].iloc[0] if len(rows) else None
    rows = []
    for groep in ("E", "C"):
        for wave in waves:
            rows.append(
                {
                    "groep": groep,
                    "wave": wave,
                    "n": [index["n"].get((b, groep, wave["id"])) for b in buurten],
                    "rate": [index["response_rate"].get((b, groep, wave["id"])) for b in buurten],
                }
            )
    return {"members": [members[b] for b in buurten], "rows": rows}


#: Buurten side by side in one demographic table (four columns each); more go to the next table.
DEMOGRAPHIC_BUURTEN = 2


def _demographics(
    demographics: pd.DataFrame, buurten, waves, words: Words | None = None
) -> list[dict[str, Any]]:
    """Tables 2-3: per wave, and per :data:`DEMOGRAPHIC_BUURTEN` buurten, the characteristics."""
    parts = [
        list(buurten[i : i + DEMOGRAPHIC_BUURTEN])
        for i in range(0, len(buurten), DEMOGRAPHIC_BUURTEN)
    ] or [[]]
    tables = []
    for number, part in enumerate(parts, start=1):
        for table in _demographic_tables(demographics, part, waves):
            if len(parts) > 1:
                table["key"] = f"{table['key']}-{number}"
                names = [words.buurten[b]["name"] if words else b for b in part]
                table["suffix"] = f" ({text.join_nl(names)})"
            tables.append(table)
    return sorted(tables, key=lambda t: [w["id"] for w in waves].index(t["wave"]["id"]))


def _demographic_tables(demographics: pd.DataFrame, buurten, waves) -> list[dict[str, Any]]:
    tables = []
    columns = [(b, g) for b in buurten for g in ("E", "C")]
    index = demographics.set_index(["wave", "buurt", "groep", "kenmerk"])
    for wave in waves:
        rows = []
        for kenmerk in DEMOGRAPHIC_ROWS:
            cells = []
            for b, g in columns:
                key = (wave["id"], b, g, kenmerk)
                if key in index.index:
                    row = index.loc[key]
                    cells.append({"count": row["count"], "pct": row["pct"], "base": row["base"]})
                else:
                    cells.append({"count": None, "pct": None, "base": None})
            rows.append({"kenmerk": kenmerk, "cells": cells})
        ages = []
        for b, g in columns:
            key = (wave["id"], b, g, AGE_ROW)
            ages.append(index.loc[key]["mean"] if key in index.index else None)
        tables.append(
            {
                "wave": wave,
                "buurten": list(buurten),
                "columns": columns,
                "rows": rows,
                "age": ages,
                "key": wave["id"],
                "suffix": "",
            }
        )
    return tables


def _table4(baseline: pd.DataFrame, indicators, buurten, small, wave: str) -> list[dict]:
    groups = []
    for ind in indicators:
        rows = []
        for b in buurten:
            part = baseline[(baseline["indicator"] == ind["id"]) & (baseline["buurt"] == b)]
            if part.empty:
                continue
            r = next(part.itertuples(index=False))
            rows.append(
                {
                    "buurt": b,
                    "e": _cell(r, "e", (ind["id"], b, "E", wave) in small),
                    "c": _cell(r, "c", (ind["id"], b, "C", wave) in small),
                    "p": r.p,
                    "d": r.d,
                    "d_low": r.d_ci_low,
                    "d_high": r.d_ci_high,
                    "p_welch": r.p_welch,
                    "levene_p": r.levene_p,
                    "mde": r.mde_d,
                    "diff_adjusted": r.diff_adjusted,
                    "p_adjusted": r.p_adjusted,
                    "n_adjusted": r.n_adjusted,
                }
            )
        groups.append({"indicator": ind, "rows": rows})
    return groups


def _table6(prepost: pd.DataFrame, indicators, buurten, small, waves) -> list[dict]:
    base = waves[0]["id"]
    part = prepost[prepost["kind"] == "baseline"]
    # each cell's rows once, in table order (a mask per cell and wave cost 1 s a report)
    cells = dict(tuple(part.groupby(["indicator", "buurt", "groep"], sort=False)))
    groups = []
    for ind in indicators:
        rows = []
        for b in buurten:
            for g in ("E", "C"):
                own = cells.get((ind["id"], b, g))
                if own is None:
                    continue
                records = list(own.itertuples(index=False))
                first = records[0]
                by_wave: dict[Any, Any] = {}
                for r in records:
                    by_wave.setdefault(r.wave_to, r)
                later = []
                for wave in waves[1:]:
                    r = by_wave.get(wave["id"])
                    if r is None:
                        later.append(None)
                        continue
                    is_small = (ind["id"], b, g, wave["id"]) in small
                    later.append(
                        {
                            "n": r.n_to,
                            "mean": None if is_small else r.mean_to,
                            "sd": None if is_small else r.sd_to,
                            "small": is_small,
                            "p": r.p,
                            "d": r.d,
                            "p_holm": r.p_holm,
                            "p_bh": r.p_bh,
                        }
                    )
                is_small = (ind["id"], b, g, base) in small
                rows.append(
                    {
                        "buurt": b,
                        "groep": g,
                        "first": {
                            "n": first.n_from,
                            "mean": None if is_small else first.mean_from,
                            "sd": None if is_small else first.sd_from,
                            "small": is_small,
                        },
                        "later": later,
                    }
                )
        groups.append({"indicator": ind, "rows": rows})
    return groups


def _did(did: pd.DataFrame, indicators, buurten, waves) -> list[dict]:
    labels = {w["id"]: w["label"] for w in waves}
    order = {b: i for i, b in enumerate(buurten)}
    groups = []
    for ind in indicators:
        rows = []
        part = did[did["indicator"] == ind["id"]]
        part = part.sort_values("buurt", key=lambda s: s.map(order), kind="stable")
        for r in part.itertuples(index=False):
            rows.append(
                {
                    "buurt": r.buurt,
                    "wave_to": labels.get(r.wave_to, r.wave_to),
                    "n": r.n,
                    "estimate": r.estimate,
                    "low": r.ci_low,
                    "high": r.ci_high,
                    "p": r.p,
                }
            )
        if rows:
            groups.append({"indicator": ind, "rows": rows})
    return groups


def _adjusted(prepost: pd.DataFrame, indicators, words: Words, waves, alpha) -> list[dict]:
    labels = {w["id"]: w["label"] for w in waves}
    nouns = {i["id"]: i["label"] for i in indicators}
    part = prepost[prepost["p"] < alpha]
    return [
        {
            "indicator": nouns.get(r.indicator, r.indicator),
            "cell": words.cell(r.buurt, r.groep),
            "waves": "\u2013".join(labels.get(w, w) for w in (r.wave_from, r.wave_to)),
            "d": r.d,
            "p": r.p,
            "p_holm": r.p_holm,
            "p_bh": r.p_bh,
        }
        for r in part.itertuples(index=False)
    ]


def _flow(flow: pd.DataFrame, waves, words: Words, buurten, others=()) -> dict[str, Any]:
    """The respondent flow per wave: the buurten of ``buurten`` one by one, ``others`` together."""
    columns = [w for w in waves if w["id"] in set(flow["wave"])]

    def value(wave, **where):
        part = flow[flow["wave"] == wave]
        for key, wanted in where.items():
            part = part[part[key] == wanted]
        return int(part["n"].sum()) if len(part) else 0

    rows = [
        {
            "label": text.FLOW_TOTAL,
            "values": [value(w["id"], outcome="total") for w in columns],
            "kind": "total",
        }
    ]
    reasons = flow[flow["outcome"] == "excluded"].drop_duplicates("reason")
    for r in reasons.itertuples(index=False):
        rows.append(
            {
                "label": r.description,
                "values": [value(w["id"], outcome="excluded", reason=r.reason) for w in columns],
                "kind": "excluded",
            }
        )
    for b in buurten:
        for g in ("E", "C"):
            rows.append(
                {
                    "label": text.flow_cell_label(words, b, g),
                    "values": [
                        value(w["id"], outcome="included", buurt=b, groep=g) for w in columns
                    ],
                    "kind": "included",
                }
            )
    if others:
        rest = flow[flow["buurt"].isin(set(others))]
        rows.append(
            {
                "label": text.flow_others_label(len(others)),
                "values": [
                    int(
                        rest.loc[
                            (rest["wave"] == w["id"]) & (rest["outcome"] == "included"), "n"
                        ].sum()
                    )
                    for w in columns
                ],
                "kind": "included",
            }
        )
    included = [value(w["id"], outcome="included") for w in columns]
    excluded = [value(w["id"], outcome="excluded") for w in columns]
    return {"columns": columns, "rows": rows, "included": included, "excluded": excluded}


def _published(
    comparison: pd.DataFrame | None, config: Mapping[str, Any], cells: CellWords | None = None
) -> dict[str, Any]:
    """Bijlage B.3: per source the published figures by kind of agreement.

    The kinds are those of :data:`buurtpreventie.published.comparison.AGREEMENTS`; a
    comparison without an ``agreement`` column counts a match as identical.
    Without published tables (config ``published`` empty) only ``available``
    (false) and the sentence that says so. ``cells`` names the cells in Dutch.
    """
    cells = cells or NO_CELL_WORDS
    if comparison is None:
        # published_skipped: the workflow's reason when the tables are of another study.
        skipped = config.get("published_skipped") or ""
        if skipped:
            skipped = skipped_sentence(skipped, cells.waves, cells.buurten)
        note = [skipped] if skipped else text.no_published_findings(config.get("published"))
        return {"available": False, "skipped": bool(skipped), "note": note}
    match = comparison["match"].astype(str).str.lower() == "true"
    if "agreement" not in comparison:
        comparison = comparison.assign(
            agreement=match.map({True: "identical", False: "different"}), construction=""
        )
    kinds = comparison["agreement"]
    summary = []
    for table, part in comparison.groupby("table", sort=False):
        counts = kinds[part.index].value_counts()
        summary.append(
            {"table": text.source_name(table), "figures": len(part)}
            | {k: int(counts.get(k, 0)) for k in AGREEMENTS}
        )
    mismatches = [
        {
            "table": text.source_name(r.table),
            "cell": cell_label(r.cell, cells),
            "statistic": text.STATISTIC_NAMES.get(r.statistic, r.statistic),
            "kind": r.statistic,
            "published": MISSING if is_missing(r.published) else r.published,
            "reproduced": printed_as(r.statistic, r.reproduced) or MISSING,
            "note": comparison_note(
                getattr(r, "note_values", None), r.published, printed_as(r.statistic, r.reproduced)
            ),
        }
        for r in comparison[kinds == "different"].itertuples(index=False)
    ]
    constructed = comparison[kinds == "by_construction"]
    constructions = [
        {"count": len(part), "keys": construction_parts(c)[0], "source": construction_parts(c)[1]}
        for c, part in constructed.groupby("construction", sort=False)
    ]
    p_rows = comparison[comparison["statistic"] == "p_category"]
    printed = p_rows.get("reproduced_printed", p_rows["reproduced"].map(nl_p))
    p_differ = [
        {
            "table": text.source_name(r.table),
            "cell": cell_label(r.cell, cells),
            "published": r.published,
            "here": here,
            "agreement": r.agreement,
        }
        for r, here in zip(p_rows.itertuples(index=False), printed, strict=True)
        if str(here) != str(r.published).strip()
    ]
    return {
        "available": True,
        "summary": summary,
        "mismatches": mismatches,
        "figures": len(comparison),
        "matching": int((kinds == "identical").sum()),
        "kinds": {k: int((kinds == k).sum()) for k in AGREEMENTS},
        "constructions": constructions,
        "p_printed_otherwise": p_differ,
        "p_tolerance": P_TOLERANCE,
    }


def _reliability(
    reliability: pd.DataFrame, indicators, waves, min_alpha: float = 0.70
) -> dict[str, Any]:
    """The alphas of table/footnote, ``all_above`` and the claims behind the note.

    The claims recompute "below" as ``alpha < min_alpha`` (the report's rule of
    thumb), not from the table's own ``below_min_alpha``.
    """
    labels = {i["id"]: i["label"] for i in indicators}
    rows = []
    for r in reliability.itertuples(index=False):
        rows.append(
            {
                "scale": labels.get(r.scale, r.scale),
                "wave": next((w["label"] for w in waves if w["id"] == r.wave), r.wave),
                "wave_id": r.wave,
                "n": r.n,
                "k": r.k,
                "alpha": r.alpha,
                "low": r.ci_low,
                "high": r.ci_high,
                "below": str(r.below_min_alpha).lower() == "true",
            }
        )
    base = [r for r in rows if r["wave_id"] == waves[0]["id"]]
    below = [r for r in rows if r["below"]]
    claims = [
        Claim("opzet", "reliability", "count", "reliability", "", len(below),
              f"alpha<{min_alpha!r}"),
        *(Claim("opzet", "reliability", "equals", "reliability",
                rows_key(scale=r.scale, wave=r.wave), float(r.alpha),
                f"alpha={float(r.alpha)!r}")
          for r in reliability.itertuples(index=False)
          if float(r.alpha) == float(r.alpha)),  # not NaN
    ]  # fmt: skip
    return {
        "rows": rows,
        "baseline": base,
        "all_above": not below,
        "claims": claims,
    }


def _table5(interventions: pd.DataFrame, scheme, buurten) -> list[dict[str, Any]]:
    interventions = text.judged_scores(interventions)
    rows = []
    for item in scheme:
        number = int(item["number"])
        cells = []
        for b in buurten:
            part = interventions[
                (interventions["intervention"] == number) & (interventions["buurt"] == b)
            ]
            if part.empty:
                cells.append(None)
                continue
            r = next(part.itertuples(index=False))
            cells.append(
                {
                    "score": r.score,
                    "computed": r.computed_score,
                    "agree": str(r.agree).lower() == "true" or not r.judged,
                    "judged": bool(r.judged),
                    "rationale": r.rationale,
                    "before": r.before,
                    "experiment": r.experiment,
                    "opposite": r.opposite,
                }
            )
        rows.append({"number": number, "name": item["name"], "cells": cells})
    return rows


def _audit(audit: pd.DataFrame | None, cells: CellWords | None = None) -> dict[str, Any]:
    """Summary of the audit of the published tables: per check how many ok, errors, notes."""
    cells = cells or NO_CELL_WORDS
    if audit is None or audit.empty:
        return {"available": False}
    summary = []
    for check, label in text.AUDIT_CHECKS.items():
        part = audit[audit["check"] == check]
        if part.empty:
            continue
        counts = part["result"].value_counts()
        summary.append(
            {
                "check": label,
                "ok": int(counts.get("ok", 0)),
                "error": int(counts.get("error", 0)),
                "note": int(counts.get("note", 0)),
            }
        )
    errors = audit[audit["result"] == "error"]
    return {
        "available": True,
        "summary": summary,
        "checks": len(audit),
        "errors": [
            {
                "table": text.source_name(r.table),
                "cell": cell_label(r.cell, cells),
                "check": text.AUDIT_CHECKS.get(r.check, r.check),
                "detail": audit_note(r.check, getattr(r, "detail_values", None)),
            }
            for r in errors.itertuples()
        ],
        "cells": int((audit["check"] == "GRIM+GRIMMER").sum()),
        "cells_ok": int(((audit["check"] == "GRIM+GRIMMER") & (audit["result"] == "ok")).sum()),
        "p_checks": int((audit["check"] == "p recomputed").sum()),
        "p_ok": int(((audit["check"] == "p recomputed") & (audit["result"] == "ok")).sum()),
    }


def build_context(
    tables: Mapping[str, pd.DataFrame],
    config: Mapping[str, Any],
    codebook: Codebook,
    scheme: Sequence[Mapping[str, Any]],
    words: Words,
    figures: Mapping[str, str],
    references: Sequence[Mapping[str, Any]] | Mapping[str, Any] | None = None,
    codebook_version: str = "",
    pdf_date: str = "",
    provenance: Sequence[Mapping[str, Any]] = (),
    panel_key: bool | None = None,
) -> dict[str, Any]:
    """Everything the templates need, from the results and the resources.

    Parameters
    ----------
    tables : mapping of name -> DataFrame
        The results tables (:data:`SURVEY_TABLES`, and :data:`CHAT_TABLES` when
        the chats are part of the study).
    config : mapping
        The workflow config.
    codebook : Codebook
    scheme : list of dict
        ``interventions`` of ``resources/interventions.yaml``.
    words : Words
    figures : mapping of name -> path
        Figure files, relative to the HTML file.
    references : list of dict, optional
        ``resources/report/references.yaml`` (:func:`.colophon.reference_entries`).
    codebook_version : str
        The codebook's ``version``, shown in Bijlage A.
    pdf_date : str
        The document date for the PDF metadata (:func:`~.render.pdf_date`).
    provenance : sequence of dict
        The provenance records of the workflow (captions and Bijlage B cite them).
    panel_key : bool or None
        Whether a panel key was set (``None``: not known); see :func:`text.panel_findings`.

    Returns
    -------
    dict
        ``claims`` holds every claim behind the generated sentences
        (:mod:`buurtpreventie.report.claims`); ``flags`` the claim-backed
        switches the templates may use for fixed prose that presumes a result.
    """
    # The fixed description of the groups fits the original design only: exactly
    # the buurten words.yaml describes (a study of other or fewer buurten gets
    # the generated description).
    described = set(codebook.buurten) == set(words.buurten)
    words = text.study_words(words, codebook)
    buurten = report_buurten(config, codebook)
    study = _study(config, words, codebook, buurten, described)
    others = [b for b in codebook.buurten if b not in set(buurten)]
    scope = text.SHOWN if others else ""
    everything, tables = tables, main_tables(tables, buurten)
    waves = study["waves"]
    wave_labels = {w["id"]: w["label"] for w in waves}
    indicators = _indicators(codebook, words)
    cells = cell_words(indicators, words.buurten, waves, words.groepen)
    small = small_cells(everything["indicators"])
    alpha = text.ALPHA

    baseline = text.baseline_findings(
        tables["baseline"], words, waves[0]["label"], small, waves[0]["id"], alpha, scope, buurten
    )
    changes = [
        text.change_findings(tables["prepost"], words, wave_labels, w["id"], small, alpha, buurten)
        for w in waves[1:]
    ]
    did = text.did_findings(tables["did"], words, wave_labels, alpha)
    chance = text.chance_findings(tables["prepost"], alpha)
    if others and chance["paragraphs"]:
        chance["paragraphs"].append(text.chance_scope_note(len(buurten), len(codebook.buurten)))
    power = text.power_findings(tables["prepost"], words, small, alpha)
    panel = text.panel_findings(tables["panel"], words, wave_labels, alpha, panel_key)
    age_options = age_question(codebook).options
    age_labels = [o.label for o in age_options]

    opzet_claims: list = []  # respondents, demographics, the chats' members and activity
    respondent_text = text.respondent_findings(
        tables["respondents"], words, wave_labels, buurten, opzet_claims
    )
    demographic_text = text.demographic_findings(
        tables["demographics"], tables["demographics_tests"], words, wave_labels, age_labels,
        alpha, opzet_claims,
    )  # fmt: skip
    chats = all(name in tables for name in CHAT_TABLES)
    interventions = None
    chat: dict[str, Any] = {"available": chats}
    if chats:
        interventions = text.intervention_findings(tables["interventions"], words, scheme, buurten)
        experiment = config["experiment"]
        chat.update(
            {
                "table5": _table5(tables["interventions"], scheme, buurten),
                "judged": bool(text.judged_scores(tables["interventions"])["judged"].any()),
                "findings": interventions,
                "members": text.member_findings(
                    tables["members"],
                    study["group_names"],
                    experiment["start"],
                    experiment["end"],
                    opzet_claims,
                ),
                "activity": text.activity_findings(
                    tables["activity"],
                    study["group_names"],
                    experiment["start"],
                    experiment["end"],
                    opzet_claims,
                ),
                "groups": list(dict.fromkeys(tables["members"]["group"])),
            }
        )
    hypothesis = text.hypothesis_findings(
        interventions, changes, did, chance, words, buurten, len(scheme),
        everything.get("hypothesis"),
    )  # fmt: skip
    verdict = hypothesis.get("code", "")
    summary = (
        text.summary_findings(baseline, verdict, words, waves[0]["label"])
        if verdict
        else {"baseline": baseline.conclusion[:1], "lessons": [], "claims": []}
    )
    plain = text.plain_summary(changes, did, everything.get("hypothesis"), words, wave_labels)
    summary = {
        **summary,
        "plain": plain["paragraphs"],
        "claims": [*summary["claims"], *plain["claims"]],
    }
    answers = text.subquestion_answers(
        words.subquestions,
        {
            "baseline": baseline.conclusion[:1],
            "interventions": hypothesis["paragraphs"][:1] if chats else [],
            "after": [p for c in changes for p in c.conclusion] + did["paragraphs"][:1],
        },
    )
    claims = [
        *baseline.claims,
        *(c for change in changes for c in change.claims),
        *did.get("claims", []),
        *chance.get("claims", []),
        *power.get("claims", []),
        *panel.get("claims", []),
        *hypothesis.get("claims", []),
        *summary["claims"],
        *opzet_claims,
    ]
    reliability = _reliability(tables["reliability"], indicators, waves, study["min_alpha"])
    claims += reliability["claims"]
    if others:
        claims = _scoped(claims, buurten, everything)
    styles = buurt_styles(buurten)
    return {
        "sources": provenance_sources(provenance, _unshown(bool(others))),
        "questionnaire": _questionnaire(codebook, codebook_version),
        "age_scale": text.age_scale(age_options),
        "scales_min_answered": config.get("scales", {}).get("min_answered", 4),
        "discussion": text.discussion_findings(
            baseline, words, text.in_every_buurt(buurten, words, scope)
        ),
        "references": (cited := reference_entries(references or [])),
        "colophon": colophon(config, provenance, cited),
        "pdf_date": pdf_date,
        "study": study,
        "indicators": indicators,
        "interventions": [
            {**i, "short": str(i.get("short", "")), "factor": str(i.get("factor", ""))}
            for i in scheme
        ],
        "n_interventions": len(scheme),
        "n_interventions_word": text.number_word(len(scheme)),
        "scores": words.scores,
        "words": {"buurten": words.buurten, "groepen": words.groepen},
        "line_legend": line_legend({b: words.buurt_name(b) for b in buurten}, styles),
        "groups_text": text.groups_findings(study["app_groups"], codebook.buurten, words),
        "table1": _table1(tables["respondents"], buurten, waves),
        "respondent_text": respondent_text,
        "demographics": _demographics(tables["demographics"], buurten, waves, words),
        "demographic_text": demographic_text,
        "table4": _table4(tables["baseline"], indicators, buurten, small, waves[0]["id"]),
        "baseline": baseline,
        "table6": _table6(tables["prepost"], indicators, buurten, small, waves),
        "changes": changes,
        "did_rows": _did(tables["did"], indicators, buurten, waves),
        "did_cov_type": text.join_nl(dict.fromkeys(tables["did"]["cov_type"].astype(str))),
        "did": did,
        "chance": chance,
        "adjusted_rows": _adjusted(tables["prepost"], indicators, words, waves, alpha),
        "power": power,
        "panel": panel,
        "hypothesis": hypothesis,
        "summary": summary,
        "subquestions": answers,
        "panel_design": text.panel_design(panel),
        "claims": claims,
        "flags": _flags(baseline, verdict, changes, bool(panel.get("linked"))),
        "chat": chat,
        "reliability": reliability,
        "reliability_note": text.reliability_note(reliability, study),
        "flow": _flow(everything["flow"], waves, words, buurten, others),
        "published": _published(everything.get("published_vs_reproduced"), config, cells),
        "audit": _audit(everything.get("audit"), cells),
        "selection": _selection(everything, config, codebook, words, indicators, buurten, waves),
        "figures": dict(figures),
        "small_cells": bool(small),
    }


def _scoped(claims, buurten: Sequence[str], tables: Mapping[str, pd.DataFrame]) -> list:
    """Claims on the main chapters' tables, restricted to their buurten (a study of many)."""
    out = []
    for claim in claims:
        frame = tables.get(claim.table)
        scoped = claim.table != "hypothesis" and claim.rows != STUDY and "buurt=" not in claim.rows
        if scoped and frame is not None and "buurt" in frame.columns:
            rows = "buurt=" + "|".join(buurten) + (f";{claim.rows}" if claim.rows else "")
            claim = dataclasses.replace(claim, rows=rows)
        out.append(claim)
    return out


def _flags(baseline, verdict: str, changes, linked: bool) -> dict[str, bool]:
    """The switches the templates may condition result-presuming prose on.

    Each rests on findings whose claims are checked: the baseline differences
    (``baseline.claims``), the verdict of ``hypothesis.csv`` (a ``verdict``
    claim), the changes' patterns and the panel (``panel.claims``).
    """
    return {
        "baseline_differs": bool(baseline.significant),
        "supported": verdict == "supported",
        "mixed": verdict == "mixed",
        "not_supported": verdict == "not_supported",
        "not_testable": verdict == "not_testable",
        "desired_changes": any(c.desired for c in changes),
        "panel_linked": linked,
    }


def _unshown(hidden: bool) -> set[str]:
    """Caption keys of the parts of a study of many buurten, left out when every buurt is shown."""
    return set() if hidden else {*APPENDIX_TABLES, "buurten"}


def _selection(
    tables: Mapping[str, pd.DataFrame],
    config: Mapping[str, Any],
    codebook: Codebook,
    words: Words,
    indicators: Sequence[Mapping[str, Any]],
    main: Sequence[str],
    waves: Sequence[Mapping[str, str]],
) -> dict[str, Any]:
    """The main chapters' selection of buurten, the summary across all, and Bijlage C.

    ``hidden`` is false when the chapters show every buurt; then nothing else
    is filled in and the report has neither the summary figure nor Bijlage C.
    """
    buurten = list(codebook.buurten)
    if len(main) >= len(buurten):
        return {"hidden": False}
    first, last = waves[0], waves[-1]
    did = tables["did"]
    pair = did[(did["wave_from"] == first["id"]) & (did["wave_to"] == last["id"])]
    chosen = bool((config.get("report", {}) or {}).get("buurten"))
    return {
        "hidden": True,
        "n_all": len(buurten),
        "n_main": len(main),
        "text": text.selection_findings(buurten, main, words, chosen),
        "figure_text": text.all_buurten_findings(
            pair, words, [i["id"] for i in indicators], first["label"], last["label"]
        ),
        "wave_from": first,
        "wave_to": last,
        "respondents": _appendix_respondents(tables["respondents"], buurten, main, words, waves),
        "baseline": _appendix_values(tables["baseline"], "d", buurten, main, words, indicators),
        "did": _appendix_values(pair, "estimate", buurten, main, words, indicators),
    }


def _appendix_respondents(respondents, buurten, main, words: Words, waves) -> list[dict]:
    """Bijlage C: per buurt the respondents of each group in each wave."""
    n = respondents.set_index(["buurt", "groep", "wave"])["n"]
    return [
        {
            "name": words.buurten[b]["name"],
            "main": b in main,
            "groups": [[n.get((b, g, w["id"])) for w in waves] for g in ("E", "C")],
        }
        for b in buurten
    ]


def _appendix_values(table, column, buurten, main, words: Words, indicators) -> list[dict]:
    """Bijlage C: per buurt one value per indicator (``d`` or the DiD) and whether p < alpha."""
    index = {(r.indicator, r.buurt): r for r in table.itertuples(index=False)}
    rows = []
    for b in buurten:
        cells = []
        for ind in indicators:
            r = index.get((ind["id"], b))
            value = None if r is None else getattr(r, column)
            cells.append(
                None
                if value is None or value != value
                else {"value": value, "significant": bool(r.p < text.ALPHA)}
            )
        rows.append({"name": words.buurten[b]["name"], "main": b in main, "cells": cells})
    return rows


def _questionnaire(codebook: Codebook, version: str) -> dict[str, Any]:
    """Bijlage A: every question with its options and routing, from the codebook."""
    numbers = {q.id: q.number for q in codebook.questions}
    questions = []
    for q in codebook.questions:
        skip = text.skip_phrase(q.skip_to, numbers)
        options = [
            {"label": o.label, "skip": skip if o.label in q.skip_answers else ""} for o in q.options
        ]
        questions.append(
            {
                "number": q.number,
                "text": q.text,
                "type": q.type,
                "options": options,
                "statements": [s.text for s in q.statements],
                "personal": q.personal,
            }
        )
    return {"version": version, "questions": questions}


def load_scheme(path: str | Path) -> list[dict[str, Any]]:
    """The interventions of ``resources/interventions.yaml``."""
    with open(path, encoding="utf-8") as handle:
        return list(load_yaml(handle)["interventions"])
