# Stage 3: comparisons. Baseline E vs C (table 4), before/after per group (table 6),
# demographic tests (tables 2-3), the panel, and the difference-in-differences.


rule comparisons:
    input:
        respondents=expand(rules.ingest_wave.output.respondents, wave=WAVES),
        codebook=config["codebook"],
    output:
        baseline="results/tables/baseline.csv",
        prepost="results/tables/prepost.csv",
        demographic_tests="results/tables/demographics_tests.csv",
        panel="results/tables/panel.csv",
    log:
        "logs/stats/comparisons.log",
    benchmark:
        "benchmarks/runs/comparisons.tsv"
    conda:
        "../../environment.yml"
    params:
        waves=WAVES,
        min_pairs=PANEL["min_pairs"],
    script:
        "../../scripts/comparisons.py"


rule difference_in_differences:
    input:
        respondents=expand(rules.ingest_wave.output.respondents, wave=WAVES),
        codebook=config["codebook"],
    output:
        did="results/tables/did.csv",
    log:
        "logs/stats/difference_in_differences.log",
    benchmark:
        "benchmarks/runs/difference_in_differences.tsv"
    conda:
        "../../environment.yml"
    params:
        waves=WAVES,
    script:
        "../../scripts/difference_in_differences.py"
