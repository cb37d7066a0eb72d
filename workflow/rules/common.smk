# Shared by the stage files: config validation, the registry of tables and figures
# (resources/tables.yaml) and what is derived from it (targets, provenance records,
# outputs and captions of Snakemake's report), wildcard constraints and input
# functions. Config defaults live only in workflow/schemas/config.schema.yaml.
import sys
from pathlib import Path

from snakemake.utils import min_version, validate

from buurtpreventie.chat.batches import chat_batches
from buurtpreventie.codepaths import package_sources
from buurtpreventie.checks.config import (
    ConfigError,
    chat_locale_files,
    chats_active,
    check_config,
    check_schema,
    normalise_config,
    published_mismatch,
    published_outline,
    refuse_on_error,
)
from buurtpreventie.checks.run_guard import clear_run, lock_note, record_run
from buurtpreventie.registry import load_registry
from buurtpreventie.report.selection import main_buurten
from buurtpreventie.yamlio import load_yaml

min_version("9.0")


def _load_yaml(path):
    """A YAML file of the workflow itself (the schema)."""
    with open(path, encoding="utf-8") as handle:
        return load_yaml(handle)


# Config problems stop the run with one line naming key, value and why
# (buurtpreventie.checks.config). YAML types unquoted dates and Collector IDs;
# they are made text first.
with refuse_on_error():
    config.update(normalise_config(config))
    check_schema(
        config, _load_yaml(workflow.source_path("../schemas/config.schema.yaml"))
    )
validate(config, schema="../schemas/config.schema.yaml", set_default=True)
with refuse_on_error():
    CODEBOOK_OUTLINE = check_config(config)

WAVES = [wave["id"] for wave in config["waves"]]
if len(set(WAVES)) != len(WAVES):
    with refuse_on_error():
        raise ConfigError(f"config: waves = {WAVES}: wave ids must be unique")

# The two long chains to the report (ingestion, comparisons, the report's figures;
# the chats, their tables and figures), then the HTML and the PDF, are started first
# when jobs wait for a core; the jobs nothing else waits for (the published
# comparison and audit, reliability, the SPSS files, the flow table) fill the cores
# beside them. Only the order changes, not what a job makes.
CRITICAL_PATH = 10

# validate() set every default of the schema, nested ones included (each object
# has `default: {}`), so the config is read without fallbacks from here on.
APP_GROUPS = config["app_groups"]
PANEL = config["panel"]
# Optional, without a default: a study may leave the experiment year out.
EXPERIMENT = config.get("experiment", {})


# Another run in this folder: say which (its PID, from the file written at its
# start), before Snakemake stops with a bare LockException.
if workflow.is_main_process and (note := lock_note()):
    print(f"buurtpreventie: {note}", file=sys.stderr)


# A cluster run takes the panel key from the key file only: a job's environment
# can end up in its log (buurtpreventie.survey.pseudonym.cluster_key_problem).
onstart:
    if workflow.non_local_exec and (problem := _cluster_key_problem()):
        print(problem, file=sys.stderr)
        raise SystemExit(1)
    record_run()


onsuccess:
    clear_run()


onerror:
    clear_run()


def _check_buurten(buurten):
    """Every buurt the config names must be one of the codebook's."""
    named = [("app_groups", g["buurt"]) for g in APP_GROUPS]
    named += [("chats.groups", g["buurt"]) for g in CHATS["groups"]]
    named += [("report.buurten", b) for b in config["report"]["buurten"]]
    for key, buurt in named:
        if buurt not in buurten:
            raise ConfigError(
                f"config: {key} names buurt {buurt!r}, which is not in the codebook's "
                f"buurten ({config['codebook']})"
            )


# The chat material; `chats.activate: false` (or no `chats`) is a study without it.
# Its chat rules stay defined (no job of them runs): they see no groups, codings or
# roster, and the schema's defaults for the rest (`chats` defaults to inactive).
CHATS = (
    config["chats"]
    if chats_active(config)
    else {**config["chats"], "groups": [], "codings": [], "roster": []}
)
BUURTEN = CODEBOOK_OUTLINE["buurten"]
with refuse_on_error():
    _check_buurten(BUURTEN)


def _published_skip():
    """Why the published comparison does not apply to this study ('' when it does)."""
    if not config["published"]:
        return ""
    outline = published_outline(config["published"])
    mismatch = published_mismatch(outline, WAVES, BUURTEN, APP_GROUPS)
    if mismatch is None:
        return ""
    line, sentence = mismatch
    if workflow.is_main_process:
        print(f"buurtpreventie: published comparison skipped: {line}", file=sys.stderr)
    return sentence


# The published tables are compared only for the study they are of. The reason
# of a skip reaches Bijlage B through the config (the report job reads it).
with refuse_on_error():
    PUBLISHED_SKIPPED = _published_skip()
config["published_skipped"] = PUBLISHED_SKIPPED
PUBLISHED = bool(config["published"]) and not PUBLISHED_SKIPPED
REPORT = config["report"]
MAIN_BUURTEN = main_buurten(BUURTEN, REPORT["buurten"], REPORT["max_main_buurten"])


CHAT_GROUPS = [group["id"] for group in CHATS["groups"]]
CHAT_BATCHES = chat_batches(CHATS["groups"], CHATS["batch_size"])
# The WhatsApp locale files: `chats.locales`; the older single `chats.locale` still works.
CHAT_LOCALES = chat_locale_files(CHATS)


wildcard_constraints:
    wave="|".join(WAVES),
    batch="|".join(CHAT_BATCHES) or "no_chat_batches",


# The conda environment of every rule, relative to the rule files (`conda` directive
# of each). Not the global directive of that name: that one injects an environment
# into the Snakemake process itself, and --lint still asks each rule for one.
# Default resources (mem_mb, runtime; one thread) are in the cluster profile's
# default-resources (profiles/slurm); a local run needs none.
ENVIRONMENT = "../../environment.yml"


# --- The registry of tables and figures (resources/tables.yaml) ----------------
REGISTRY = load_registry(workflow.source_path("../../resources/tables.yaml"))
# The tables and figures this study makes: chat parts only with chats, the
# published comparison only when it applies.
STUDY = REGISTRY.select(chats=bool(CHAT_GROUPS), published=PUBLISHED)

# Snakemake's report needs a caption *file* per output, read and rendered at
# --report time. The registry holds the caption's facts (sentence, file, rule,
# columns), so the files are written from it here, at parse time, into the
# git-ignored .snakemake/captions/ (only when their text changed; only by the
# main process, which is the one that renders the report).
CAPTIONS = Path(".snakemake/captions").resolve()


def _write_captions():
    CAPTIONS.mkdir(parents=True, exist_ok=True)
    for entry in REGISTRY:
        path = CAPTIONS / f"{entry.name}.rst"
        text = entry.caption_text()
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")


if workflow.is_main_process:
    _write_captions()


def _shown(entry, path):
    """``path`` marked for Snakemake's report, with the entry's caption, category, labels."""
    return report(
        path,
        caption=str(CAPTIONS / f"{entry.name}.rst"),
        category=entry.category,
        labels=entry.labels(),
    )


def registered(name):
    """The output of a registered table or figure: its file, marked for Snakemake's
    report when the report shows it (a figure with a png shows the png instead)."""
    entry = REGISTRY.get(name)
    return _shown(entry, entry.file) if entry.shown_file() == entry.file else entry.file


def registered_png(name):
    """The png copy of a registered figure, marked for Snakemake's report."""
    entry = REGISTRY.get(name)
    return _shown(entry, entry.png)


def package_code(script):
    """Source files of the package modules a rule's script runs, found from its imports.

    Listed as an input, so that editing the package reruns exactly the rules
    that use the edited module (Snakemake itself only watches the scripts); see
    :mod:`buurtpreventie.codepaths`.
    """
    return package_sources(script, "src")


def provenance_records():
    """The provenance records the report cites: every job upstream of its tables and figures.

    The records of the rules of the registered files the report reads, and of the
    per-wave and per-batch jobs upstream of them. The first is a per-wave record:
    rule report finds the records' folder from it.
    """
    records = [f"results/provenance/ingest_wave/{wave}.json" for wave in WAVES]
    records += [f"results/provenance/parse_chat/{batch}.json" for batch in CHAT_BATCHES]
    rules = dict.fromkeys(entry.rule for entry in STUDY if entry.report_input)
    return records + [f"results/provenance/{rule}.json" for rule in rules]


def run_records(wildcards=None):
    """Every provenance record this run makes: the report's and those it cites, and the
    record of any other job whose outputs are targets of `rule all` (the job checks
    that no job upstream is left out). An input function: it runs once every rule is
    defined."""
    import itertools
    import re

    records = [*provenance_records(), "results/provenance/report.json"]
    targets = set(all_targets())
    values = {"wave": WAVES, "batch": list(CHAT_BATCHES)}
    for rule_ in workflow.rules:
        outputs = dict(getattr(rules, rule_.name).output.items())
        pattern = outputs.pop("provenance", None)
        if not isinstance(pattern, str):
            continue
        names = sorted(set(re.findall(r"{(\w+)", pattern)))
        if not set(names) <= set(values):
            continue
        for combination in itertools.product(*(values[n] for n in names)):
            chosen = dict(zip(names, combination))
            files = [str(f).format(**chosen) for f in outputs.values()]
            if targets.intersection(files):
                records.append(pattern.format(**chosen))
    return list(dict.fromkeys(records))


def config_files():
    """The config files of this run: config.yaml and any --configfile."""
    files = ["config.yaml", *map(str, workflow.config_settings.configfiles)]
    return list(dict.fromkeys(f for f in files if Path(f).is_file()))


def chat_exports(wildcards):
    """The WhatsApp exports of the chats of one batch."""
    return [group["export"] for group in CHAT_BATCHES[wildcards.batch]]


def chat_batch(batch):
    """The config entries of the chats of one batch (the schema set their defaults)."""
    return CHAT_BATCHES[batch]


def wave_exports(wildcards):
    """The SurveyMonkey exports of one wave, as listed in the config."""
    return next(w["exports"] for w in config["waves"] if w["id"] == wildcards.wave)


def _cluster_key_problem():
    """Why the panel key may not go to cluster jobs ('' when it may)."""
    from buurtpreventie.survey.pseudonym import cluster_key_problem

    return cluster_key_problem(PANEL["key_env"], PANEL["key_file"])


def panel_key_fingerprint():
    """A non-reversible fingerprint of the panel key: a new key reruns ingestion."""
    from buurtpreventie.survey.pseudonym import key_fingerprint, load_key

    return key_fingerprint(load_key(PANEL["key_env"], PANEL["key_file"]))


def published_tables():
    """The published tables the reproduction is compared with."""
    names = [f"tabel{i}.csv" for i in (1, 2, 3, 4, 6)] + ["footnotes.csv"]
    return [str(Path(config["published"]) / name) for name in names]


def all_targets():
    """Everything `snakemake --cores 4` builds: every table and figure of the study, the
    data files (one per wave when the registry's file holds {wave}), the report."""
    return [
        path for entry in (*STUDY, *REGISTRY.data) for path in entry.files(WAVES)
    ] + [
        "results/report/rapport.html",
        "results/report/rapport.pdf",
        # The run's provenance as W3C PROV and RO-Crate (rule run_provenance, report.smk).
        "results/provenance/run.prov.json",
        "results/provenance/run.provn",
        "results/ro-crate-metadata.json",
    ]
