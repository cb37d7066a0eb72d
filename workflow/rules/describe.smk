# Stage 2a: respondent counts (table 1), demographics (tables 2-3) and indicator
# descriptives (behind tables 4 and 6).


rule describe_respondents:
    input:
        code=package_code("scripts/describe_respondents.py"),
        respondents=expand(rules.ingest_wave.output.respondents, wave=WAVES),
        codebook=config["codebook"],
    output:
        respondents=report(
            "results/tables/respondents.csv",
            caption="../report/respondents.rst",
            category="1 Respondenten",
        ),
        indicators=report(
            "results/tables/indicators.csv",
            caption="../report/indicators.rst",
            category="2 Indicatoren en schalen",
        ),
        demographics=report(
            "results/tables/demographics.csv",
            caption="../report/demographics.rst",
            category="1 Respondenten",
        ),
        provenance="results/provenance/describe_respondents.json",
    log:
        "logs/describe/describe_respondents.log",
    benchmark:
        "benchmarks/runs/describe_respondents.tsv"
    conda:
        "../../environment.yml"
    threads: 1
    resources:
        mem_mb=2000,
        runtime=15,
    params:
        waves=WAVES,
        app_groups=APP_GROUPS,
        small_cell_n=SMALL_CELLS["min_n"],
    script:
        "../../scripts/describe_respondents.py"
