"""Comparator: the workflow's work in ONE Python process (issue 19).

Usage (in a copy of the project; paths in the config are relative to it)::

    python benchmarks/one_process.py --directory /tmp/copy
    python benchmarks/one_process.py --directory /tmp/copy \\
        --configfile config/examples/derde-meting.yaml

It reads ``config.yaml`` and the ``--configfile`` overlays as Snakemake does
(later files override keys, lists as a whole; Snakemake's own loader and
``update_config``), runs the workflow's start-up checks and sets the schema's
defaults (``normalise_config``, ``check_schema``, Snakemake's ``validate(...,
set_default=True)``, ``check_config``), derives what ``workflow/rules/common.smk``
derives (waves, chat batches, whether the published comparison applies, the
registry's selection) and then runs every job of the workflow in dependency
order in this process: the same package functions the scripts in ``scripts/``
call, with the same inputs, params and outputs as the rules, each job inside
:func:`buurtpreventie.adapter.job` so that it writes the same log file and the
same provenance record (``results/provenance/...``) as the workflow's job. The
jobs still hand their results to each other through the files (CSV, parquet),
as the workflow's jobs do: the comparison measures the process and DAG
overhead, not the file I/O.

What it does NOT do, being Snakemake's own bookkeeping: the ``.snakemake/``
metadata and lock (``record_run``/``clear_run``), the caption files of
Snakemake's report (``.snakemake/captions``), the ``benchmark:`` TSV files of
each job, and checking which outputs are up to date (it always builds
everything, as a clean run does). It does everything else the workflow does,
including the SPSS files, the provenance records and the W3C PROV / RO-Crate
of the run.

The glue the scripts hold between package calls (the merges of
``scripts/comparisons.py``, the claims check and config-hash check of
``scripts/report_render.py``, the reading of the published CSVs in
``scripts/audit_published.py``, ...) is repeated here: see the ``_job_*``
functions; ``dag_overhead.py --check`` compares the outputs with the workflow's.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

__all__ = ["Named", "Study", "load_study", "run"]


class Named(list):
    """Snakemake's named file and param lists, in small: a flat list plus names.

    Iterating gives every file (lists flattened, in declaration order, as
    Snakemake's ``InputFiles``); ``.name`` and ``.items()`` give the named values.
    """

    def __init__(self, **named: Any) -> None:
        flat: list[Any] = []
        for value in named.values():
            flat.extend(value if isinstance(value, list | tuple) else [value])
        super().__init__(flat)
        self._named = named

    def items(self):
        return self._named.items()

    def __getattr__(self, name: str) -> Any:
        named = self.__dict__.get("_named", {})
        if name in named:
            return named[name]
        raise AttributeError(name)


class Job:
    """What a script sees as ``snakemake``: rule, input, output, params, wildcards, log."""

    def __init__(self, rule, input, output, params, wildcards, log, config, scriptdir):
        self.rule, self.input, self.output, self.params = rule, input, output, params
        self.wildcards, self.log, self.config, self.scriptdir = wildcards, log, config, scriptdir


# --- The config and what common.smk derives from it ------------------------


class Study:
    """The config as the workflow holds it, and the values common.smk derives."""

    def __init__(self, config: dict[str, Any], configfiles: list[str]) -> None:
        from buurtpreventie.chat.batches import chat_batches
        from buurtpreventie.checks.config import (
            ConfigError,
            chat_locale_files,
            chats_active,
            check_config,
            published_mismatch,
            published_outline,
        )
        from buurtpreventie.registry import load_registry
        from buurtpreventie.report.selection import main_buurten

        self.config = config
        self.configfiles = configfiles
        outline = check_config(config)
        self.waves = [wave["id"] for wave in config["waves"]]
        if len(set(self.waves)) != len(self.waves):
            raise ConfigError(f"config: waves = {self.waves}: wave ids must be unique")
        self.app_groups = config["app_groups"]
        self.panel = config["panel"]
        self.experiment = config.get("experiment", {})
        self.chats = (
            config["chats"]
            if chats_active(config)
            else {**config["chats"], "groups": [], "codings": [], "roster": []}
        )
        self.buurten = outline["buurten"]
        named = [("app_groups", g["buurt"]) for g in self.app_groups]
        named += [("chats.groups", g["buurt"]) for g in self.chats["groups"]]
        named += [("report.buurten", b) for b in config["report"]["buurten"]]
        for key, buurt in named:
            if buurt not in self.buurten:
                raise ConfigError(f"config: {key} names buurt {buurt!r}, not in the codebook")
        skipped = ""
        if config["published"]:
            found = published_outline(config["published"])
            mismatch = published_mismatch(found, self.waves, self.buurten, self.app_groups)
            if mismatch is not None:
                skipped = mismatch[1]
        config["published_skipped"] = self.published_skipped = skipped
        self.published = bool(config["published"]) and not skipped
        self.report = config["report"]
        self.main = main_buurten(
            self.buurten, self.report["buurten"], self.report["max_main_buurten"]
        )
        self.batches = chat_batches(self.chats["groups"], self.chats["batch_size"])
        self.locales = chat_locale_files(self.chats)
        self.registry = load_registry("resources/tables.yaml")
        self.selected = self.registry.select(
            chats=bool(self.chats["groups"]), published=self.published
        )

    def published_tables(self) -> list[str]:
        names = [f"tabel{i}.csv" for i in (1, 2, 3, 4, 6)] + ["footnotes.csv"]
        return [str(Path(self.config["published"]) / name) for name in names]

    def provenance_records(self) -> list[str]:
        """As common.smk's ``provenance_records``: what the report cites."""
        records = [f"results/provenance/ingest_wave/{wave}.json" for wave in self.waves]
        records += [f"results/provenance/parse_chat/{batch}.json" for batch in self.batches]
        rules = dict.fromkeys(entry.rule for entry in self.selected if entry.report_input)
        return records + [f"results/provenance/{rule}.json" for rule in rules]


def load_study(configfiles: list[str]) -> Study:
    """config.yaml and the overlays, merged, normalised, checked, with the schema's defaults."""
    import yaml
    from snakemake.common.configfile import load_configfile
    from snakemake.utils import update_config, validate

    from buurtpreventie.checks.config import check_config_files, check_schema, normalise_config

    files = ["config.yaml", *configfiles]
    check_config_files(files)
    config: dict[str, Any] = {}
    for path in files:
        update_config(config, load_configfile(path))
    config.update(normalise_config(config))
    schema_path = "workflow/schemas/config.schema.yaml"
    with open(schema_path, encoding="utf-8") as handle:
        check_schema(config, yaml.safe_load(handle))
    validate(config, schema=schema_path, set_default=True)
    return Study(config, configfiles)


# --- The jobs ----------------------------------------------------------------


def _call(
    study: Study,
    rule: str,
    script: str,
    body: Callable[[Job, Any], None],
    *,
    input: Mapping[str, Any],
    output: Mapping[str, Any],
    log: str,
    params: Mapping[str, Any] | None = None,
    wildcards: Mapping[str, str] | None = None,
) -> str | None:
    """One job: its outputs' folders, its log and provenance record (adapter.job), its work."""
    from buurtpreventie.adapter import job
    from buurtpreventie.codepaths import package_sources

    script_file = f"scripts/{script}"
    sm = Job(
        rule=rule,
        # The package sources are the rule's input ``code`` (first, but after an unpack).
        input=Named(**({"code": package_sources(script_file, "src")} | dict(input)))
        if "code" not in input
        else Named(**{**input, "code": package_sources(script_file, "src")}),
        output=Named(**output),
        params=Named(**(params or {})),
        wildcards=Named(**(wildcards or {})),
        log=[log],
        config=study.config,
        scriptdir="scripts",
    )
    for path in sm.output:
        Path(path).parent.mkdir(parents=True, exist_ok=True)
    with job(sm, script_file) as logger:
        body(sm, logger)
    return output.get("provenance")


def _job_ingest_wave(sm, log):
    from buurtpreventie.adapter import write_csv
    from buurtpreventie.survey.codebook import load_codebook
    from buurtpreventie.survey.ingest import ingest_wave
    from buurtpreventie.survey.pseudonym import load_key

    key = load_key(sm.params.key_env, sm.params.key_file)
    if key is None:
        log.warning(
            "no panel key (%s or %s): no panel linkage", sm.params.key_env, sm.params.key_file
        )
    result = ingest_wave(
        wave=sm.wildcards.wave,
        exports=sm.input.exports,
        codebook=load_codebook(sm.input.codebook),
        collectors=dict(sm.params.collectors),
        min_answered=sm.params.min_answered,
        key=key,
        date_order=sm.params.date_order,
    )
    result.respondents.to_parquet(sm.output.respondents, index=False)
    write_csv(result.flow, sm.output.flow)
    log.info("%d rows read, %d included", result.rows_read, len(result.respondents))


def _job_respondents_sav(sm, log):
    import pandas as pd

    from buurtpreventie.survey.codebook import load_codebook
    from buurtpreventie.survey.spss import write_respondents_sav

    respondents = pd.read_parquet(sm.input.respondents)
    layout = write_respondents_sav(
        respondents, load_codebook(sm.input.codebook), sm.wildcards.wave, sm.output.sav
    )
    log.info("%d respondents, %d variables", len(layout.frame), len(layout.frame.columns))


def _job_flow_table(sm, log):
    import pandas as pd

    from buurtpreventie.adapter import write_csv
    from buurtpreventie.survey.codebook import load_codebook
    from buurtpreventie.survey.describe import flow_table

    flows = [pd.read_csv(path, dtype=str, keep_default_na=False) for path in sm.input.flows]
    flows = [f.replace("", None) for f in flows]
    write_csv(flow_table(flows, load_codebook(sm.input.codebook)), sm.output.flow)


def _job_describe_respondents(sm, log):
    from buurtpreventie.adapter import read_respondents, write_csv
    from buurtpreventie.survey.codebook import load_codebook
    from buurtpreventie.survey.describe import demographics_table, indicator_table, respondent_table

    codebook = load_codebook(sm.input.codebook)
    respondents = read_respondents(sm.input.respondents, codebook.analysis_columns())
    waves = sm.params.waves
    write_csv(respondent_table(respondents, waves, sm.params.app_groups), sm.output.respondents)
    indicators = indicator_table(respondents, codebook, waves, sm.params.small_cell_n)
    write_csv(indicators, sm.output.indicators)
    write_csv(demographics_table(respondents, waves), sm.output.demographics)


def _job_reliability(sm, log):
    from buurtpreventie.adapter import read_respondents, write_csv
    from buurtpreventie.stats.reliability import item_table, reliability_table
    from buurtpreventie.survey.codebook import load_codebook

    codebook = load_codebook(sm.input.codebook)
    respondents = read_respondents(sm.input.respondents, codebook.analysis_columns(items=True))
    table = reliability_table(respondents, codebook, sm.params.waves, sm.params.min_alpha)
    write_csv(table, sm.output.reliability)
    write_csv(item_table(respondents, codebook, sm.params.waves), sm.output.item_statistics)


def _job_comparisons(sm, log):
    from buurtpreventie.adapter import read_respondents, write_csv
    from buurtpreventie.stats.compare import (
        baseline_comparisons,
        baseline_proportions,
        binary_indicators,
        demographic_tests,
        prepost_comparisons,
        prepost_proportions,
    )
    from buurtpreventie.stats.models import adjusted_baseline
    from buurtpreventie.stats.panel import attrition_table, paired_comparisons
    from buurtpreventie.survey.codebook import load_codebook

    # The merges below are scripts/comparisons.py's own (no package function holds them).
    codebook = load_codebook(sm.input.codebook)
    respondents = read_respondents(sm.input.respondents, codebook.analysis_columns())
    indicators = [i.id for i in codebook.indicators]
    binary = binary_indicators(codebook.indicators)
    waves = sm.params.waves
    baseline = baseline_comparisons(respondents, indicators, waves[0]).merge(
        adjusted_baseline(respondents, indicators, waves[0]), on=["indicator", "buurt"]
    )
    baseline = baseline.merge(
        baseline_proportions(respondents, binary, waves[0]), on=["indicator", "buurt"], how="left"
    )
    write_csv(baseline, sm.output.baseline)
    prepost = prepost_comparisons(respondents, indicators, waves).merge(
        prepost_proportions(respondents, binary, waves),
        on=["indicator", "buurt", "groep", "wave_from", "wave_to", "kind"],
        how="left",
    )
    write_csv(prepost, sm.output.prepost)
    write_csv(demographic_tests(respondents, waves), sm.output.demographic_tests)
    panel = paired_comparisons(respondents, indicators, waves, sm.params.min_pairs)
    write_csv(panel, sm.output.panel)
    write_csv(attrition_table(respondents, waves), sm.output.attrition)


def _job_difference_in_differences(sm, log):
    from buurtpreventie.adapter import read_respondents, write_csv
    from buurtpreventie.stats.models import difference_in_differences
    from buurtpreventie.survey.codebook import load_codebook

    codebook = load_codebook(sm.input.codebook)
    respondents = read_respondents(sm.input.respondents, codebook.analysis_columns())
    indicators = [i.id for i in codebook.indicators]
    write_csv(difference_in_differences(respondents, indicators, sm.params.waves), sm.output.did)


def _yaml(path):
    import yaml

    with open(path, encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def _job_hypothesis(sm, log):
    import pandas as pd

    from buurtpreventie.adapter import write_csv
    from buurtpreventie.stats.verdict import hypothesis_table, intended_directions, verdict_rule

    did = pd.read_csv(sm.input.did, dtype={"indicator": str, "buurt": str, "wave_to": str})
    directions = intended_directions(_yaml(sm.input.words))
    rule = verdict_rule(_yaml(sm.input.rule))
    write_csv(hypothesis_table(did, directions, rule), sm.output.hypothesis)


def _job_parse_chat(sm, log):
    from buurtpreventie.chat import tables
    from buurtpreventie.chat.whatsapp import load_locales

    roster = (_yaml(sm.input.roster) or {}) if sm.input.roster else {}
    batch = tables.parse_batch(
        sm.params.groups,
        load_locales(list(sm.input.locales)),
        roster,
        max_unclassified=sm.params.max_unclassified,
    )
    for line in batch.summaries:
        log.info("%s", line)
    for line in batch.warnings:
        log.warning("%s", line)
    for name, frame in batch.frames.items():
        frame.to_parquet(getattr(sm.output, name), index=False)


def _job_chat_tables(sm, log):
    import datetime as dt

    import pandas as pd

    from buurtpreventie.adapter import write_csv
    from buurtpreventie.chat.coding import load_headings, load_scheme, read_segments
    from buurtpreventie.chat.tables import (
        MESSAGE_COLUMNS,
        chat_tables,
        read_parquets,
        size_mismatches,
    )

    start = dt.date.fromisoformat(sm.params.experiment["start"])
    end = dt.date.fromisoformat(sm.params.experiment["end"])
    scheme = load_scheme(sm.input.scheme)
    headings = load_headings(sm.input.headings)
    segments = pd.concat(
        [read_segments(p, scheme, headings) for p in sm.input.codings], ignore_index=True
    )
    events = read_parquets(sm.input.events)
    for line in size_mismatches(events, sm.params.groups, sm.params.app_groups, start):
        log.warning("%s", line)
    result = chat_tables(
        messages=read_parquets(sm.input.messages, columns=MESSAGE_COLUMNS),
        members=read_parquets(sm.input.group_members),
        activity=read_parquets(sm.input.group_activity),
        segments=segments,
        groups=sm.params.groups,
        scheme=scheme,
        start=start,
        end=end,
    )
    write_csv(result.members, sm.output.members)
    write_csv(result.activity, sm.output.activity)
    write_csv(result.codes, sm.output.codes)
    write_csv(result.codes_monthly, sm.output.codes_monthly)


def _job_score_interventions(sm, log):
    import pandas as pd

    from buurtpreventie.adapter import write_csv
    from buurtpreventie.chat.scoring import intervention_scores

    table = intervention_scores(
        pd.read_csv(sm.input.codes),
        pd.read_csv(sm.input.members, dtype={"month": str}),
        _yaml(sm.input.judgements),
        _yaml(sm.input.scheme)["interventions"],
        sm.params.experiment["start"][:7],
        sm.params.experiment["end"][:7],
        sm.params.scoring,
    )
    write_csv(table, sm.output.interventions)
    log.info("rule and judgement agree on %d of %d", table["agree"].sum(), len(table))


def _job_published_vs_reproduced(sm, log):
    import pandas as pd

    from buurtpreventie.adapter import write_csv
    from buurtpreventie.published.comparison import compare_published

    names = ("respondents", "indicators", "demographics", "reliability", "baseline", "prepost")
    comparison = compare_published(
        sm.params.published_dir,
        **{name: pd.read_csv(getattr(sm.input, name)) for name in names},
        app_groups=sm.params.app_groups,
        synthetic=bool(sm.params.synthetic),
    )
    write_csv(comparison, sm.output.comparison)


def _job_audit_published(sm, log):
    import pandas as pd

    from buurtpreventie.adapter import write_csv
    from buurtpreventie.published.audit import audit_published

    # The dtypes of the published CSVs are scripts/audit_published.py's own.
    folder = Path(sm.params.published_dir)
    text = {"pct_printed": str, "p_published": str, "mean_printed": str, "sd_printed": str}

    def read(name):
        return pd.read_csv(folder / name, dtype=text)

    audit = audit_published(
        *(read(f"tabel{i}.csv") for i in (1, 2, 3, 4, 6)),
        read("footnotes.csv").astype({"printed": str}),
    )
    write_csv(audit, sm.output.audit)


def _job_report_figures(sm, log):
    import pandas as pd

    from buurtpreventie.report.figures import (
        baseline_figure,
        baseline_forest,
        buurten_figure,
        course_figure,
        did_forest,
        save_svg,
        timeline_figure,
    )
    from buurtpreventie.report.text import load_words, study_words
    from buurtpreventie.survey.codebook import load_codebook

    codebook = load_codebook(sm.input.codebook)
    meta = [
        {"id": i.id, "label": i.label, "low": i.low, "high": i.high} for i in codebook.indicators
    ]
    indicators = pd.read_csv(sm.input.indicators, dtype={"wave": str})
    did = pd.read_csv(sm.input.did, dtype={"wave_from": str, "wave_to": str})
    waves = sm.params.waves
    words = study_words(load_words(sm.input.words), codebook)
    names = {b: w["name"] for b, w in words.buurten.items()}
    main = {b: names[b] for b in sm.params.main}
    groups = {g: w["name"] for g, w in words.groepen.items()}
    out = sm.output
    save_svg(timeline_figure(waves, sm.params.experiment, sm.params.interim), out.timeline)
    save_svg(baseline_figure(indicators, meta, waves[0]["id"], main, groups), out.baseline)
    baseline = pd.read_csv(sm.input.baseline_table)
    save_svg(baseline_forest(baseline, meta, main), out.baseline_forest)
    save_svg(course_figure(indicators, meta, waves, main, groups), out.course)
    save_svg(did_forest(did, meta, waves, main), out.did_forest)
    first, last = waves[0]["id"], waves[-1]["id"]
    save_svg(buurten_figure(did, meta, list(main), names, first, last), out.buurten)


def _job_chat_figures(sm, log):
    import datetime as dt

    import pandas as pd

    from buurtpreventie.report.chat_figures import (
        activity_figure,
        group_names,
        members_figure,
        of_buurten,
        save,
    )
    from buurtpreventie.report.text import load_words, study_words
    from buurtpreventie.survey.codebook import load_codebook

    start = dt.date.fromisoformat(sm.params.experiment["start"])
    end = dt.date.fromisoformat(sm.params.experiment["end"])
    codebook = load_codebook(sm.input.codebook)
    words = study_words(load_words(sm.input.words), codebook)
    names = {b: words.buurten[b]["name"] for b in sm.params.main}
    groups = group_names(codebook)

    def read(path):
        return of_buurten(pd.read_csv(path, dtype={"month": str}), names)

    activity, codes, members = map(
        read, (sm.input.activity, sm.input.codes_monthly, sm.input.members)
    )
    save(
        activity_figure(activity, codes, start, end, names, groups),
        Path(sm.output.activity_svg).with_suffix(""),
    )
    save(
        members_figure(members, start, end, names, groups),
        Path(sm.output.members_svg).with_suffix(""),
    )


def _job_report(sm, log):
    from buurtpreventie.adapter import write_csv
    from buurtpreventie.provenance import load_records
    from buurtpreventie.report.build import render_context, report_context
    from buurtpreventie.report.claims import check_claims, claims_frame, load_directions
    from buurtpreventie.report.context import load_tables
    from buurtpreventie.report.render import pdf_date, source_epoch, write_pdf

    # The claims check and the config-hash check are scripts/report_render.py's own.
    inputs = dict(sm.input.items())
    tables = {name: inputs[name] for name in sm.params.tables if name in inputs}
    html_path = Path(sm.output.html)
    figures = {
        name.removesuffix("_figure"): os.path.relpath(inputs[name], html_path.parent)
        for name in sm.params.figures
        if name in inputs
    }
    resources = {
        "codebook": sm.input.codebook,
        "scheme": sm.input.scheme,
        "words": sm.input.words,
        "references": sm.input.references,
        "templates": sm.params.templates,
        "css": sm.input.css,
    }
    records = load_records(sm.params.provenance_dir)
    context = report_context(
        tables, sm.config, resources, figures, pdf_date(sm.params.date), records,
        sm.params.panel_key,
    )  # fmt: skip
    if context["colophon"]["config_sha256"] != sm.params.config_sha256:
        raise ValueError("config hash of the report differs from the rule's")
    claims = context["claims"]
    write_csv(claims_frame(claims), sm.output.claims)
    false = check_claims(claims, load_tables(tables), directions=load_directions(sm.input.words))
    if false:
        raise ValueError(f"{len(false)} of {len(claims)} report claims do not hold: {false[:3]}")
    html = render_context(context, resources)
    html_path.write_text(html, encoding="utf-8")
    write_pdf(html, html_path, sm.output.pdf, source_epoch(sm.params.date))


def run(study: Study) -> list[str]:
    """Every job of the workflow, in dependency order; returns the provenance records."""
    from buurtpreventie.adapter import logged
    from buurtpreventie.registry import load_registry
    from buurtpreventie.report.colophon import config_sha256
    from buurtpreventie.standards import write_run
    from buurtpreventie.survey.pseudonym import key_fingerprint, load_key

    config, waves, panel = study.config, study.waves, study.panel
    codebook, words = config["codebook"], "resources/report/words.yaml"
    reg = study.registry
    records: list[str] = []

    def file(name):
        return reg.get(name).file

    def prov(name):
        return f"results/provenance/{name}.json"

    fingerprint = key_fingerprint(load_key(panel["key_env"], panel["key_file"]))
    respondents = [f"results/respondents/{wave}.parquet" for wave in waves]
    for wave in waves:
        exports = next(w["exports"] for w in config["waves"] if w["id"] == wave)
        records.append(
            _call(
                study, "ingest_wave", "ingest_wave.py", _job_ingest_wave,
                input={"exports": exports, "codebook": codebook},
                output={
                    "respondents": f"results/respondents/{wave}.parquet",
                    "flow": f"results/respondents/{wave}.flow.csv",
                    "provenance": prov(f"ingest_wave/{wave}"),
                },
                log=f"logs/ingest/ingest_wave/{wave}.log",
                params={
                    "collectors": config["collectors"],
                    "min_answered": config["scales"]["min_answered"],
                    "date_order": config["survey"]["date_order"],
                    "key_env": panel["key_env"],
                    "key_file": panel["key_file"],
                    "key_fingerprint": fingerprint,
                },
                wildcards={"wave": wave},
            )
        )  # fmt: skip
    sav = reg.get("respondents_sav").file
    for wave in waves:
        records.append(
            _call(
                study, "respondents_sav", "respondents_sav.py", _job_respondents_sav,
                input={"respondents": f"results/respondents/{wave}.parquet", "codebook": codebook},
                output={
                    "sav": sav.format(wave=wave),
                    "provenance": prov(f"respondents_sav/{wave}"),
                },
                log=f"logs/ingest/respondents_sav/{wave}.log",
                wildcards={"wave": wave},
            )
        )  # fmt: skip
    records.append(
        _call(
            study, "flow_table", "flow_table.py", _job_flow_table,
            input={
                "flows": [f"results/respondents/{w}.flow.csv" for w in waves],
                "codebook": codebook,
            },
            output={"flow": file("flow"), "provenance": prov("flow_table")},
            log="logs/ingest/flow_table.log",
            params={"waves": waves},
        )
    )  # fmt: skip
    records.append(
        _call(
            study, "describe_respondents", "describe_respondents.py", _job_describe_respondents,
            input={"respondents": respondents, "codebook": codebook},
            output={
                "respondents": file("respondents"),
                "indicators": file("indicators"),
                "demographics": file("demographics"),
                "provenance": prov("describe_respondents"),
            },
            log="logs/describe/describe_respondents.log",
            params={
                "waves": waves,
                "app_groups": study.app_groups,
                "small_cell_n": config["small_cells"]["min_n"],
            },
        )
    )  # fmt: skip
    records.append(
        _call(
            study, "reliability", "reliability.py", _job_reliability,
            input={"respondents": respondents, "codebook": codebook},
            output={
                "reliability": file("reliability"),
                "item_statistics": file("reliability_items"),
                "provenance": prov("reliability"),
            },
            log="logs/scales/reliability.log",
            params={"waves": waves, "min_alpha": config["reliability"]["min_alpha"]},
        )
    )  # fmt: skip
    records.append(
        _call(
            study, "comparisons", "comparisons.py", _job_comparisons,
            input={"respondents": respondents, "codebook": codebook},
            output={
                "baseline": file("baseline"),
                "prepost": file("prepost"),
                "demographic_tests": file("demographics_tests"),
                "panel": file("panel"),
                "attrition": file("attrition"),
                "provenance": prov("comparisons"),
            },
            log="logs/stats/comparisons.log",
            params={"waves": waves, "min_pairs": panel["min_pairs"]},
        )
    )  # fmt: skip
    records.append(
        _call(
            study, "difference_in_differences", "difference_in_differences.py",
            _job_difference_in_differences,
            input={"respondents": respondents, "codebook": codebook},
            output={"did": file("did"), "provenance": prov("difference_in_differences")},
            log="logs/stats/difference_in_differences.log",
            params={"waves": waves},
        )
    )  # fmt: skip
    records.append(
        _call(
            study, "hypothesis", "hypothesis.py", _job_hypothesis,
            input={"did": file("did"), "words": words, "rule": "resources/stats/verdict.yaml"},
            output={"hypothesis": file("hypothesis"), "provenance": prov("hypothesis")},
            log="logs/stats/hypothesis.log",
        )
    )  # fmt: skip
    chats = study.chats
    parsed = {name: [] for name in ("messages", "events", "members", "activity")}
    for batch, groups in study.batches.items():
        outputs = {name: f"results/chat/{batch}.{name}.parquet" for name in parsed}
        for name, path in outputs.items():
            parsed[name].append(path)
        records.append(
            _call(
                study, "parse_chat", "parse_chat.py", _job_parse_chat,
                input={
                    "exports": [group["export"] for group in groups],
                    "roster": chats["roster"],
                    "locales": study.locales,
                },
                output={**outputs, "provenance": prov(f"parse_chat/{batch}")},
                log=f"logs/chat/parse_chat/{batch}.log",
                params={"groups": groups, "max_unclassified": chats["max_unclassified"]},
                wildcards={"batch": batch},
            )
        )  # fmt: skip
    if chats["groups"]:
        records.append(
            _call(
                study, "chat_tables", "chat_tables.py", _job_chat_tables,
                input={
                    "messages": parsed["messages"],
                    "events": parsed["events"],
                    "group_members": parsed["members"],
                    "group_activity": parsed["activity"],
                    "codings": chats["codings"],
                    "scheme": chats["scheme"],
                    "headings": "resources/chat/maxqda_headings.yaml",
                },
                output={
                    "members": file("members"),
                    "activity": file("activity"),
                    "codes": file("codes"),
                    "codes_monthly": file("codes_monthly"),
                    "provenance": prov("chat_tables"),
                },
                log="logs/chat/chat_tables.log",
                params={
                    "groups": chats["groups"],
                    "experiment": study.experiment,
                    "app_groups": study.app_groups,
                },
            )
        )  # fmt: skip
        records.append(
            _call(
                study, "score_interventions", "score_interventions.py", _job_score_interventions,
                input={
                    "codes": file("codes"),
                    "members": file("members"),
                    "judgements": chats["judgements"],
                    "scheme": chats["scheme"],
                },
                output={
                    "interventions": file("interventions"),
                    "provenance": prov("score_interventions"),
                },
                log="logs/chat/score_interventions.log",
                params={"experiment": study.experiment, "scoring": chats["scoring"]},
            )
        )  # fmt: skip
    if study.published:
        published = study.published_tables()
        published_dir = str(Path(published[0]).parent)
        records.append(
            _call(
                study, "published_vs_reproduced", "published_vs_reproduced.py",
                _job_published_vs_reproduced,
                input={
                    "published": published,
                    "respondents": file("respondents"),
                    "indicators": file("indicators"),
                    "demographics": file("demographics"),
                    "reliability": file("reliability"),
                    "baseline": file("baseline"),
                    "prepost": file("prepost"),
                },
                output={
                    "comparison": file("published_vs_reproduced"),
                    "provenance": prov("published_vs_reproduced"),
                },
                log="logs/published/published_vs_reproduced.log",
                params={
                    "published_dir": published_dir,
                    "app_groups": study.app_groups,
                    "synthetic": config["study"]["synthetic"],
                },
            )
        )  # fmt: skip
        records.append(
            _call(
                study, "audit_published", "audit_published.py", _job_audit_published,
                input={"published": published},
                output={"audit": file("audit"), "provenance": prov("audit_published")},
                log="logs/published/audit_published.log",
                params={"published_dir": published_dir},
            )
        )  # fmt: skip
    records.append(
        _call(
            study, "report_figures", "report_figures.py", _job_report_figures,
            input={
                "indicators": file("indicators"),
                "did": file("did"),
                "baseline_table": file("baseline"),
                "codebook": codebook,
                "words": words,
            },
            output={
                "timeline": file("timeline"),
                "baseline": file("baseline_figure"),
                "baseline_forest": file("baseline_forest"),
                "did_forest": file("did_forest"),
                "course": file("course"),
                "buurten": file("buurten_figure"),
                "provenance": prov("report_figures"),
            },
            log="logs/report/report_figures.log",
            params={
                "waves": [{k: w[k] for k in ("id", "label", "fieldwork")} for w in config["waves"]],
                "experiment": study.experiment,
                "interim": study.report.get("interim_evaluation", ""),
                "main": study.main,
            },
        )
    )  # fmt: skip
    if chats["groups"]:
        records.append(
            _call(
                study, "chat_figures", "chat_figures.py", _job_chat_figures,
                input={
                    "activity": file("activity"),
                    "members": file("members"),
                    "codes_monthly": file("codes_monthly"),
                    "codebook": codebook,
                    "words": words,
                },
                output={
                    "activity_svg": file("chat_activity"),
                    "activity_png": reg.get("chat_activity").png,
                    "members_svg": file("chat_members"),
                    "members_png": reg.get("chat_members").png,
                    "provenance": prov("chat_figures"),
                },
                log="logs/chat/chat_figures.log",
                params={"experiment": study.experiment, "main": study.main},
            )
        )  # fmt: skip
    cited = study.provenance_records()
    templates = sorted(str(p) for p in Path("report/templates").glob("*.j2"))
    sha = config_sha256(config)
    records.append(
        _call(
            study, "report", "report_render.py", _job_report,
            input={
                **{entry.name: entry.file for entry in study.selected if entry.report_input},
                "code": None,
                "codebook": codebook,
                "scheme": chats["scheme"],
                "words": words,
                "references": "resources/report/references.yaml",
                "css": "report/style.css",
                "templates": templates,
                "provenance": cited,
            },
            output={
                "html": "results/report/rapport.html",
                "pdf": "results/report/rapport.pdf",
                "claims": "results/report/claims.csv",
                "provenance": prov("report"),
            },
            log="logs/report/report.log",
            params={
                "templates": str(Path(templates[0]).parent),
                "tables": [entry.name for entry in reg.tables],
                "figures": [entry.name for entry in reg.figures],
                "date": study.report["date"],
                "published_skipped": study.published_skipped,
                "config_sha256": sha,
                "panel_key": fingerprint != "no-key",
                "provenance_dir": str(Path(cited[0]).parents[1]),
            },
        )
    )  # fmt: skip
    # run_provenance: as common.smk's run_records, the report's cited records first.
    run_records = list(dict.fromkeys([*cited, prov("report"), *records]))
    workflow = ["Snakefile", *sorted(str(p) for p in Path("workflow/rules").glob("*.smk"))]
    config_files = [
        f for f in dict.fromkeys(["config.yaml", *study.configfiles]) if Path(f).is_file()
    ]
    with logged("logs/report/run_provenance.log"):
        write_run(
            record_files=run_records,
            workflow_files=workflow,
            config_files=config_files,
            prov_json="results/provenance/run.prov.json",
            provn="results/provenance/run.provn",
            crate="results/ro-crate-metadata.json",
            registry=load_registry("resources/tables.yaml"),
            config_sha256=sha,
        )
    return run_records


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--directory", "-d", type=Path, default=Path.cwd(), help="the project copy to work in"
    )
    parser.add_argument("--configfile", action="append", default=[], help="config overlay(s)")
    args = parser.parse_args(argv)
    os.chdir(args.directory)
    start = time.perf_counter()
    study = load_study(args.configfile)
    records = run(study)
    print(
        f"one process: {len(records)} jobs in {time.perf_counter() - start:.1f} s",
        file=sys.stderr,
    )


if __name__ == "__main__":
    main()
