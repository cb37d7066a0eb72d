# Python shared by the workflow files: config validation, targets, input functions.
from pathlib import Path

from snakemake.utils import min_version, validate

min_version("9.0")


validate(config, schema="../schemas/config.schema.yaml", set_default=True)

WAVES = [wave["id"] for wave in config["waves"]]
if len(set(WAVES)) != len(WAVES):
    raise ValueError(f"config.yaml: wave ids must be unique, got {WAVES}")

SCALES = {"min_answered": 4, **config.get("scales", {})}
SMALL_CELLS = {"min_n": 5, **config.get("small_cells", {})}
APP_GROUPS = config.get("app_groups", [])
RELIABILITY = {"min_alpha": 0.70, **config.get("reliability", {})}
PANEL = {
    "key_env": "BUURTPREVENTIE_PANEL_KEY",
    "key_file": ".panel-key",
    **config.get("panel", {}),
}


def wave_exports(wildcards):
    """The SurveyMonkey exports of one wave, as listed in the config."""
    return next(w["exports"] for w in config["waves"] if w["id"] == wildcards.wave)


def panel_key_fingerprint():
    """A non-reversible fingerprint of the panel key: a new key reruns ingestion."""
    from buurtpreventie.pseudonym import key_fingerprint, load_key

    return key_fingerprint(load_key(PANEL["key_env"], PANEL["key_file"]))


def published_tables():
    """The published tables the reproduction is compared with."""
    names = [f"tabel{i}.csv" for i in (1, 2, 3, 4, 6)] + ["footnotes.csv"]
    return [str(Path(config["published"]) / name) for name in names]


def all_targets():
    """Everything `snakemake --cores 4` builds."""
    return [
        "results/tables/flow.csv",
        "results/tables/respondents.csv",
        "results/tables/indicators.csv",
        "results/tables/demographics.csv",
        "results/tables/reliability.csv",
        "results/tables/baseline.csv",
        "results/tables/prepost.csv",
        "results/tables/did.csv",
        "results/tables/published_vs_reproduced.csv",
    ]
