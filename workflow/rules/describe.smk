# Stage 2a: respondent counts (table 1) and indicator descriptives (tables 4 and 6).


rule describe_respondents:
    input:
        respondents=expand(rules.ingest_wave.output.respondents, wave=WAVES),
        codebook=config["codebook"],
    output:
        respondents="results/tables/respondents.csv",
        indicators="results/tables/indicators.csv",
    log:
        "logs/describe/describe_respondents.log",
    conda:
        "../../environment.yml"
    params:
        waves=WAVES,
    script:
        "../../scripts/describe_respondents.py"
