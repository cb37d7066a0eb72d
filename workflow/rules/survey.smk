# Stage 1: the survey. SurveyMonkey exports -> validated, pseudonymised respondents
# per wave (ingest_wave), the respondent flow (Bijlage B), respondent counts
# (table 1), demographics (tables 2-3) and indicator descriptives (tables 4, 6).


rule ingest_wave:
    input:
        code=package_code("scripts/ingest_wave.py"),
        exports=wave_exports,
        codebook=config["codebook"],
    output:
        respondents="results/respondents/{wave}.parquet",
        flow="results/respondents/{wave}.flow.csv",
        provenance="results/provenance/ingest_wave/{wave}.json",
    log:
        "logs/ingest/ingest_wave/{wave}.log",
    benchmark:
        "benchmarks/ingest/ingest_wave/{wave}.tsv"
    priority: CRITICAL_PATH
    conda:
        ENVIRONMENT
    params:
        collectors=config["collectors"],
        min_answered=config["scales"]["min_answered"],
        date_order=config["survey"]["date_order"],
        key_env=PANEL["key_env"],
        key_file=PANEL["key_file"],
        key_fingerprint=panel_key_fingerprint(),
    script:
        "../../scripts/ingest_wave.py"


rule flow_table:
    input:
        code=package_code("scripts/flow_table.py"),
        flows=expand(rules.ingest_wave.output.flow, wave=WAVES),
        codebook=config["codebook"],
    output:
        flow=registered("flow"),
        provenance="results/provenance/flow_table.json",
    log:
        "logs/ingest/flow_table.log",
    benchmark:
        "benchmarks/ingest/flow_table.tsv"
    conda:
        ENVIRONMENT
    params:
        # The table follows the waves' order: a new order reruns it.
        waves=WAVES,
    script:
        "../../scripts/flow_table.py"


rule describe_respondents:
    input:
        code=package_code("scripts/describe_respondents.py"),
        respondents=expand(rules.ingest_wave.output.respondents, wave=WAVES),
        codebook=config["codebook"],
    output:
        respondents=registered("respondents"),
        indicators=registered("indicators"),
        demographics=registered("demographics"),
        provenance="results/provenance/describe_respondents.json",
    log:
        "logs/describe/describe_respondents.log",
    benchmark:
        "benchmarks/describe/describe_respondents.tsv"
    priority: CRITICAL_PATH
    conda:
        ENVIRONMENT
    params:
        waves=WAVES,
        app_groups=APP_GROUPS,
        small_cell_n=config["small_cells"]["min_n"],
    script:
        "../../scripts/describe_respondents.py"


# The respondents of a wave as an SPSS file (buurtpreventie.survey.spss): labels,
# value labels and user-missing codes from the codebook; the parquet's columns only.
rule respondents_sav:
    input:
        code=package_code("scripts/respondents_sav.py"),
        respondents=rules.ingest_wave.output.respondents,
        codebook=config["codebook"],
    output:
        sav=registered("respondents_sav"),
        provenance="results/provenance/respondents_sav/{wave}.json",
    log:
        "logs/ingest/respondents_sav/{wave}.log",
    benchmark:
        "benchmarks/ingest/respondents_sav/{wave}.tsv"
    conda:
        ENVIRONMENT
    script:
        "../../scripts/respondents_sav.py"
