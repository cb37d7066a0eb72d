# Python shared by the workflow files: config validation, targets, input functions.
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
from buurtpreventie.report.selection import main_buurten

min_version("9.0")


def _load_yaml(path):
    """A YAML file of the workflow itself (the schema)."""
    import yaml

    with open(path, encoding="utf-8") as handle:
        return yaml.safe_load(handle)


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

SCALES = {"min_answered": 4, **config.get("scales", {})}
SMALL_CELLS = {"min_n": 5, **config.get("small_cells", {})}
APP_GROUPS = config.get("app_groups", [])
RELIABILITY = {"min_alpha": 0.70, **config.get("reliability", {})}
PANEL = {
    "key_env": "BUURTPREVENTIE_PANEL_KEY",
    "key_file": ".panel-key",
    **config.get("panel", {}),
}


# Another run in this folder: say which (its PID, from the file written at its
# start), before Snakemake stops with a bare LockException.
if workflow.is_main_process and (note := lock_note()):
    print(f"buurtpreventie: {note}", file=sys.stderr)


onstart:
    record_run()


onsuccess:
    clear_run()


onerror:
    clear_run()


def _check_buurten(buurten):
    """Every buurt the config names must be one of the codebook's."""
    named = [("app_groups", g["buurt"]) for g in APP_GROUPS]
    named += [("chats.groups", g["buurt"]) for g in CHATS.get("groups", [])]
    named += [
        ("report.buurten", b) for b in config.get("report", {}).get("buurten", [])
    ]
    for key, buurt in named:
        if buurt not in buurten:
            raise ConfigError(
                f"config: {key} names buurt {buurt!r}, which is not in the codebook's "
                f"buurten ({config['codebook']})"
            )


# The chat material; `chats.activate: false` (or no `chats`) is a study without it.
CHATS = config.get("chats", {}) if chats_active(config) else {}
BUURTEN = CODEBOOK_OUTLINE["buurten"]
with refuse_on_error():
    _check_buurten(BUURTEN)


def _published_skip():
    """Why the published comparison does not apply to this study ('' when it does)."""
    if not config.get("published"):
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
PUBLISHED = bool(config.get("published")) and not PUBLISHED_SKIPPED
REPORT = config.get("report", {})
MAIN_BUURTEN = main_buurten(
    BUURTEN, REPORT.get("buurten", []), REPORT.get("max_main_buurten", 4)
)


CHAT_GROUPS = [group["id"] for group in CHATS.get("groups", [])]
CHAT_BATCHES = chat_batches(CHATS.get("groups", []), CHATS.get("batch_size", 1))
CHAT_DEFAULTS = {
    "scheme": "resources/interventions.yaml",
    "judgements": "resources/chat/judgements.yaml",
}
CHAT_FILES = {key: CHATS.get(key, default) for key, default in CHAT_DEFAULTS.items()}
# The WhatsApp locale files: `chats.locales`; the older single `chats.locale` still works.
CHAT_LOCALES = chat_locale_files(CHATS)


def package_code(script):
    """Source files of the package modules a rule's script runs, found from its imports.

    Listed as an input, so that editing the package reruns exactly the rules
    that use the edited module (Snakemake itself only watches the scripts); see
    :mod:`buurtpreventie.codepaths`.
    """
    return package_sources(script, "src")


def provenance_records():
    """The provenance records the report cites: every job upstream of its tables and figures."""
    records = [f"results/provenance/ingest_wave/{wave}.json" for wave in WAVES]
    records += [
        f"results/provenance/{rule}.json"
        for rule in (
            "flow_table",
            "describe_respondents",
            "reliability",
            "comparisons",
            "difference_in_differences",
            "hypothesis",
            "report_figures",
        )
    ]
    if PUBLISHED:
        records += [
            f"results/provenance/{rule}.json"
            for rule in ("published_vs_reproduced", "audit_published")
        ]
    if CHAT_GROUPS:
        records += [
            f"results/provenance/parse_chat/{batch}.json" for batch in CHAT_BATCHES
        ]
        records += [
            f"results/provenance/{rule}.json"
            for rule in ("chat_tables", "score_interventions", "chat_figures")
        ]
    return records


def chat_exports(wildcards):
    """The WhatsApp exports of the chats of one batch."""
    return [group["export"] for group in CHAT_BATCHES[wildcards.batch]]


def chat_batch(batch):
    """The config entries of the chats of one batch, with their defaults."""
    return [{"members_before_export": 0, **group} for group in CHAT_BATCHES[batch]]


def wave_exports(wildcards):
    """The SurveyMonkey exports of one wave, as listed in the config."""
    return next(w["exports"] for w in config["waves"] if w["id"] == wildcards.wave)


def panel_key_fingerprint():
    """A non-reversible fingerprint of the panel key: a new key reruns ingestion."""
    from buurtpreventie.survey.pseudonym import key_fingerprint, load_key

    return key_fingerprint(load_key(PANEL["key_env"], PANEL["key_file"]))


def published_tables():
    """The published tables the reproduction is compared with."""
    names = [f"tabel{i}.csv" for i in (1, 2, 3, 4, 6)] + ["footnotes.csv"]
    return [str(Path(config["published"]) / name) for name in names]


def all_targets():
    """Everything `snakemake --cores 4` builds."""
    chat_targets = [
        "results/tables/members.csv",
        "results/tables/activity.csv",
        "results/tables/codes.csv",
        "results/tables/interventions.csv",
        "results/figures/chat_activity.svg",
        "results/figures/chat_members.svg",
    ]
    return (chat_targets if CHAT_GROUPS else []) + [
        "results/tables/flow.csv",
        "results/tables/respondents.csv",
        "results/tables/indicators.csv",
        "results/tables/demographics.csv",
        "results/tables/reliability.csv",
        "results/tables/baseline.csv",
        "results/tables/prepost.csv",
        "results/tables/did.csv",
        *(
            ["results/tables/published_vs_reproduced.csv", "results/tables/audit.csv"]
            if PUBLISHED
            else []
        ),
        "results/report/rapport.html",
        "results/report/rapport.pdf",
    ]
