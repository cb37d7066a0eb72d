# WhatsApp-buurtpreventie: from survey exports to the report.
# This file only wires the workflow together. The stages are in workflow/rules/:
# survey, stats, chat, published and report, with common.smk shared by them; the
# tables and figures they make are registered in resources/tables.yaml.

from buurtpreventie.checks.config import check_config_files, refuse_on_error

# Before Snakemake reads the config files: refuse YAML aliases that would expand
# them to billions of values (an "alias bomb"); see buurtpreventie.checks.config.
with refuse_on_error():
    check_config_files(["config.yaml", *workflow.config_settings.configfiles])


configfile: "config.yaml"


report: "workflow/report/workflow.rst"


include: "workflow/rules/common.smk"


rule all:
    default_target: True
    input:
        all_targets(),


include: "workflow/rules/survey.smk"
include: "workflow/rules/stats.smk"
include: "workflow/rules/chat.smk"
include: "workflow/rules/published.smk"
include: "workflow/rules/report.smk"
