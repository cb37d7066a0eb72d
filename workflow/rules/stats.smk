# Stages 2-3: the statistics. Reliability of the scales (footnote 4), baseline E vs C
# (table 4), before/after per group (table 6), demographic tests (tables 2-3), the
# panel, the difference-in-differences, and the verdict on the hypothesis from it.


rule reliability:
    input:
        code=package_code("scripts/reliability.py"),
        respondents=expand(rules.ingest_wave.output.respondents, wave=WAVES),
        codebook=config["codebook"],
    output:
        reliability=registered("reliability"),
        item_statistics=registered("reliability_items"),
        provenance="results/provenance/reliability.json",
    log:
        "logs/scales/reliability.log",
    benchmark:
        "benchmarks/scales/reliability.tsv"
    conda:
        ENVIRONMENT
    params:
        waves=WAVES,
        min_alpha=config["reliability"]["min_alpha"],
    script:
        "../../scripts/reliability.py"


rule comparisons:
    input:
        code=package_code("scripts/comparisons.py"),
        respondents=expand(rules.ingest_wave.output.respondents, wave=WAVES),
        codebook=config["codebook"],
    output:
        baseline=registered("baseline"),
        prepost=registered("prepost"),
        demographic_tests=registered("demographics_tests"),
        panel=registered("panel"),
        attrition=registered("attrition"),
        provenance="results/provenance/comparisons.json",
    log:
        "logs/stats/comparisons.log",
    benchmark:
        "benchmarks/stats/comparisons.tsv"
    priority: CRITICAL_PATH
    conda:
        ENVIRONMENT
    params:
        waves=WAVES,
        min_pairs=PANEL["min_pairs"],
    script:
        "../../scripts/comparisons.py"


rule difference_in_differences:
    input:
        code=package_code("scripts/difference_in_differences.py"),
        respondents=expand(rules.ingest_wave.output.respondents, wave=WAVES),
        codebook=config["codebook"],
    output:
        did=registered("did"),
        provenance="results/provenance/difference_in_differences.json",
    log:
        "logs/stats/difference_in_differences.log",
    benchmark:
        "benchmarks/stats/difference_in_differences.tsv"
    priority: CRITICAL_PATH
    conda:
        ENVIRONMENT
    params:
        waves=WAVES,
    script:
        "../../scripts/difference_in_differences.py"


rule hypothesis:
    input:
        code=package_code("scripts/hypothesis.py"),
        did=rules.difference_in_differences.output.did,
        words="resources/report/words.yaml",
        rule="resources/stats/verdict.yaml",
    output:
        hypothesis=registered("hypothesis"),
        provenance="results/provenance/hypothesis.json",
    log:
        "logs/stats/hypothesis.log",
    benchmark:
        "benchmarks/stats/hypothesis.tsv"
    conda:
        ENVIRONMENT
    # A small job: less than the default resources of the cluster profiles.
    resources:
        mem_mb=1000,
        runtime=5,
    script:
        "../../scripts/hypothesis.py"
