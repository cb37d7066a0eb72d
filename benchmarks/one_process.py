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
order in this process: each rule's own script in ``scripts/`` (``runpy``), with a
``snakemake`` object holding the same inputs, params and outputs as the rule, so
the same code runs, writes the same log file and the same provenance record
(``results/provenance/...``) as the workflow's job. The
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

What is repeated here is the rules' wiring: each job's inputs, outputs and params,
as ``workflow/rules/*.smk`` declare them. ``tests/test_one_process.py`` checks that
every rule has its job; ``dag_overhead.py --check`` compares the outputs with the
workflow's.
"""

from __future__ import annotations

import argparse
import os
import runpy
import sys
import time
from collections.abc import Mapping
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
    *,
    input: Mapping[str, Any],
    output: Mapping[str, Any],
    log: str,
    params: Mapping[str, Any] | None = None,
    wildcards: Mapping[str, str] | None = None,
) -> str | None:
    """One job: the rule's own script (``scripts/<script>``), run in this process with
    a ``snakemake`` object as the rule would give it. The script opens the log and
    writes the provenance record itself (``buurtpreventie.adapter.job``)."""
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
    runpy.run_path(script_file, init_globals={"snakemake": sm}, run_name="__main__")
    return output.get("provenance")


def run(study: Study) -> list[str]:
    """Every job of the workflow, in dependency order; returns the provenance records."""
    from buurtpreventie.report.colophon import config_sha256
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
                study, "ingest_wave", "ingest_wave.py",
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
                study, "respondents_sav", "respondents_sav.py",
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
            study, "flow_table", "flow_table.py",
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
            study, "describe_respondents", "describe_respondents.py",
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
            study, "reliability", "reliability.py",
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
            study, "comparisons", "comparisons.py",
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
            input={"respondents": respondents, "codebook": codebook},
            output={"did": file("did"), "provenance": prov("difference_in_differences")},
            log="logs/stats/difference_in_differences.log",
            params={"waves": waves},
        )
    )  # fmt: skip
    records.append(
        _call(
            study, "hypothesis", "hypothesis.py",
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
                study, "parse_chat", "parse_chat.py",
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
                study, "chat_tables", "chat_tables.py",
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
                study, "score_interventions", "score_interventions.py",
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
                study, "audit_published", "audit_published.py",
                input={"published": published},
                output={"audit": file("audit"), "provenance": prov("audit_published")},
                log="logs/published/audit_published.log",
                params={"published_dir": published_dir},
            )
        )  # fmt: skip
    records.append(
        _call(
            study, "report_figures", "report_figures.py",
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
                study, "chat_figures", "chat_figures.py",
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
            study, "report", "report_render.py",
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
    figures = [e.file for e in study.selected if e.report_input and e.kind == "figure"]
    records.append(
        _call(
            study, "report_pdf", "report_pdf.py",
            input={"html": "results/report/rapport.html", "figures": figures},
            output={"pdf": "results/report/rapport.pdf", "provenance": prov("report_pdf")},
            log="logs/report/report_pdf.log",
            params={"date": study.report["date"]},
        )
    )  # fmt: skip
    # run_provenance: as common.smk's run_records, the report's cited records first.
    run_records = list(dict.fromkeys([*cited, prov("report"), *records]))
    workflow = ["Snakefile", *sorted(str(p) for p in Path("workflow/rules").glob("*.smk"))]
    config_files = [
        f for f in dict.fromkeys(["config.yaml", *study.configfiles]) if Path(f).is_file()
    ]
    _call(
        study, "run_provenance", "run_provenance.py",
        input={
            "records": run_records,
            "report": "results/report/rapport.pdf",
            "workflow": workflow,
            "config": config_files,
            "registry": "resources/tables.yaml",
        },
        output={
            "prov_json": "results/provenance/run.prov.json",
            "provn": "results/provenance/run.provn",
            "crate": "results/ro-crate-metadata.json",
        },
        log="logs/report/run_provenance.log",
        params={"config_sha256": sha},
    )  # fmt: skip
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
