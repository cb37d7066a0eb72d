# Stage 2a: respondent counts (table 1), demographics (tables 2-3) and indicator
# descriptives (behind tables 4 and 6).


rule describe_respondents:
    input:
        respondents=expand(rules.ingest_wave.output.respondents, wave=WAVES),
        codebook=config["codebook"],
    output:
        respondents="results/tables/respondents.csv",
        indicators="results/tables/indicators.csv",
        demographics="results/tables/demographics.csv",
    log:
        "logs/describe/describe_respondents.log",
    conda:
        "../../environment.yml"
    params:
        waves=WAVES,
        app_groups=APP_GROUPS,
        small_cell_n=SMALL_CELLS["min_n"],
    script:
        "../../scripts/describe_respondents.py"
