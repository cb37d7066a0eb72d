# Stage 4: the chat reconstruction. WhatsApp exports and MAXQDA codes -> members,
# activity, codes and table 5 (interventions); the figures of the groups' life are
# drawn in report.smk. Nothing here depends on the survey waves.


rule parse_chat:
    input:
        code=package_code("scripts/parse_chat.py"),
        exports=chat_exports,
        roster=CHATS["roster"],
        locales=CHAT_LOCALES,
    output:
        messages="results/chat/{batch}.messages.parquet",
        events="results/chat/{batch}.events.parquet",
        members="results/chat/{batch}.members.parquet",
        activity="results/chat/{batch}.activity.parquet",
        provenance="results/provenance/parse_chat/{batch}.json",
    log:
        "logs/chat/parse_chat/{batch}.log",
    benchmark:
        "benchmarks/chat/parse_chat/{batch}.tsv"
    priority: CRITICAL_PATH
    conda:
        ENVIRONMENT
    params:
        groups=lambda wildcards: chat_batch(wildcards.batch),
        max_unclassified=CHATS["max_unclassified"],
    script:
        "../../scripts/parse_chat.py"


rule chat_tables:
    input:
        code=package_code("scripts/chat_tables.py"),
        messages=expand(rules.parse_chat.output.messages, batch=CHAT_BATCHES),
        events=expand(rules.parse_chat.output.events, batch=CHAT_BATCHES),
        group_members=expand(rules.parse_chat.output.members, batch=CHAT_BATCHES),
        group_activity=expand(rules.parse_chat.output.activity, batch=CHAT_BATCHES),
        codings=CHATS["codings"],
        scheme=CHATS["scheme"],
        headings="resources/chat/maxqda_headings.yaml",
    output:
        members=registered("members"),
        activity=registered("activity"),
        codes=registered("codes"),
        codes_monthly=registered("codes_monthly"),
        provenance="results/provenance/chat_tables.json",
    log:
        "logs/chat/chat_tables.log",
    benchmark:
        "benchmarks/chat/chat_tables.tsv"
    priority: CRITICAL_PATH
    conda:
        ENVIRONMENT
    params:
        groups=CHATS["groups"],
        experiment=EXPERIMENT,
        app_groups=APP_GROUPS,
    script:
        "../../scripts/chat_tables.py"


rule score_interventions:
    input:
        code=package_code("scripts/score_interventions.py"),
        codes=rules.chat_tables.output.codes,
        members=rules.chat_tables.output.members,
        judgements=CHATS["judgements"],
        scheme=CHATS["scheme"],
    output:
        interventions=registered("interventions"),
        provenance="results/provenance/score_interventions.json",
    log:
        "logs/chat/score_interventions.log",
    benchmark:
        "benchmarks/chat/score_interventions.tsv"
    conda:
        ENVIRONMENT
    params:
        experiment=EXPERIMENT,
        scoring=CHATS["scoring"],
    script:
        "../../scripts/score_interventions.py"
