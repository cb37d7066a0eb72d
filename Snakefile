# WhatsApp-buurtpreventie: from survey exports to the report.
# This file only wires the workflow together; see workflow/rules/ for the stages.

from buurtpreventie.checks.config import check_config_files, refuse_on_error

# Before Snakemake reads the config files: refuse YAML aliases that would expand
# them to billions of values (an "alias bomb"); see buurtpreventie.checks.config.
with refuse_on_error():
    check_config_files(["config.yaml", *workflow.config_settings.configfiles])


configfile: "config.yaml"


include: "workflow/rules/common.smk"


wildcard_constraints:
    wave="|".join(WAVES),
    batch="|".join(CHAT_BATCHES) or "no_chat_batches",


rule all:
    default_target: True
    input:
        all_targets(),


include: "workflow/rules/ingest.smk"
include: "workflow/rules/describe.smk"
include: "workflow/rules/scales.smk"
include: "workflow/rules/stats.smk"
include: "workflow/rules/chat.smk"
include: "workflow/rules/published.smk"
include: "workflow/rules/report.smk"
