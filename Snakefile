# WhatsApp-buurtpreventie: from survey exports to the report.
# This file only wires the workflow together; see workflow/rules/ for the stages.


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
