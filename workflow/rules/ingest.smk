# Stage 1: SurveyMonkey exports -> validated, pseudonymised respondents per wave.


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
        "benchmarks/runs/ingest_wave/{wave}.tsv"
    conda:
        "../../environment.yml"
    threads: 1
    resources:
        mem_mb=2000,
        runtime=15,
    params:
        collectors=config["collectors"],
        min_answered=SCALES["min_answered"],
        date_order=config.get("survey", {}).get("date_order", "auto"),
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
        flow=report(
            "results/tables/flow.csv",
            caption="../report/flow.rst",
            category="1 Respondenten",
        ),
        provenance="results/provenance/flow_table.json",
    log:
        "logs/ingest/flow_table.log",
    benchmark:
        "benchmarks/runs/flow_table.tsv"
    conda:
        "../../environment.yml"
    threads: 1
    resources:
        mem_mb=2000,
        runtime=15,
    params:
        # The table follows the waves' order: a new order reruns it.
        waves=WAVES,
    script:
        "../../scripts/flow_table.py"
