# Stage 4: the chat reconstruction. WhatsApp exports and MAXQDA codes -> members,
# activity, codes, table 5 (interventions) and the figures of the groups' life.
# Nothing here depends on the survey waves.


rule parse_chat:
    input:
        code=package_code("scripts/parse_chat.py"),
        exports=chat_exports,
        roster=CHATS.get("roster", []),
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
        "benchmarks/runs/parse_chat/{batch}.tsv"
    conda:
        "../../environment.yml"
    threads: 1
    resources:
        mem_mb=2000,
        runtime=15,
    params:
        groups=lambda wildcards: chat_batch(wildcards.batch),
        max_unclassified=CHATS.get("max_unclassified", 0),
    script:
        "../../scripts/parse_chat.py"


rule chat_tables:
    input:
        code=package_code("scripts/chat_tables.py"),
        messages=expand(rules.parse_chat.output.messages, batch=CHAT_BATCHES),
        events=expand(rules.parse_chat.output.events, batch=CHAT_BATCHES),
        group_members=expand(rules.parse_chat.output.members, batch=CHAT_BATCHES),
        group_activity=expand(rules.parse_chat.output.activity, batch=CHAT_BATCHES),
        codings=CHATS.get("codings", []),
        scheme=CHAT_FILES["scheme"],
        headings="resources/chat/maxqda_headings.yaml",
    output:
        members=report(
            "results/tables/members.csv",
            caption="../report/members.rst",
            category="4 Chatreconstructie",
        ),
        activity=report(
            "results/tables/activity.csv",
            caption="../report/activity.rst",
            category="4 Chatreconstructie",
        ),
        codes=report(
            "results/tables/codes.csv",
            caption="../report/codes.rst",
            category="4 Chatreconstructie",
        ),
        codes_monthly=report(
            "results/tables/codes_monthly.csv",
            caption="../report/codes_monthly.rst",
            category="4 Chatreconstructie",
        ),
        provenance="results/provenance/chat_tables.json",
    log:
        "logs/chat/chat_tables.log",
    benchmark:
        "benchmarks/runs/chat_tables.tsv"
    conda:
        "../../environment.yml"
    threads: 1
    resources:
        mem_mb=2000,
        runtime=15,
    params:
        groups=CHATS.get("groups", []),
        experiment=config.get("experiment", {}),
        app_groups=APP_GROUPS,
    script:
        "../../scripts/chat_tables.py"


rule score_interventions:
    input:
        code=package_code("scripts/score_interventions.py"),
        codes=rules.chat_tables.output.codes,
        members=rules.chat_tables.output.members,
        judgements=CHAT_FILES["judgements"],
        scheme=CHAT_FILES["scheme"],
    output:
        interventions=report(
            "results/tables/interventions.csv",
            caption="../report/interventions.rst",
            category="4 Chatreconstructie",
        ),
        provenance="results/provenance/score_interventions.json",
    log:
        "logs/chat/score_interventions.log",
    benchmark:
        "benchmarks/runs/score_interventions.tsv"
    conda:
        "../../environment.yml"
    threads: 1
    resources:
        mem_mb=2000,
        runtime=15,
    params:
        experiment=config.get("experiment", {}),
        scoring=CHATS.get("scoring", {}),
    script:
        "../../scripts/score_interventions.py"


rule chat_figures:
    input:
        code=package_code("scripts/chat_figures.py"),
        activity=rules.chat_tables.output.activity,
        members=rules.chat_tables.output.members,
        codes_monthly=rules.chat_tables.output.codes_monthly,
        codebook=config["codebook"],
        words="resources/report/words.yaml",
    output:
        activity_svg="results/figures/chat_activity.svg",
        activity_png=report(
            "results/figures/chat_activity.png",
            caption="../report/chat_activity.rst",
            category="4 Chatreconstructie",
        ),
        members_svg="results/figures/chat_members.svg",
        members_png=report(
            "results/figures/chat_members.png",
            caption="../report/chat_members.rst",
            category="4 Chatreconstructie",
        ),
        provenance="results/provenance/chat_figures.json",
    log:
        "logs/chat/chat_figures.log",
    benchmark:
        "benchmarks/runs/chat_figures.tsv"
    conda:
        "../../environment.yml"
    threads: 1
    resources:
        mem_mb=2000,
        runtime=15,
    params:
        experiment=config.get("experiment", {}),
        main=MAIN_BUURTEN,
    script:
        "../../scripts/chat_figures.py"
