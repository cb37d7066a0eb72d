# Stage 3: comparisons. Baseline E vs C (table 4), before/after per group (table 6),
# demographic tests (tables 2-3), the panel, the difference-in-differences, and the
# verdict on the hypothesis drawn from it.


rule comparisons:
    input:
        code=package_code("scripts/comparisons.py"),
        respondents=expand(rules.ingest_wave.output.respondents, wave=WAVES),
        codebook=config["codebook"],
    output:
        baseline=report(
            "results/tables/baseline.csv",
            caption="../report/baseline.rst",
            category="3 Vergelijkingen",
        ),
        prepost=report(
            "results/tables/prepost.csv",
            caption="../report/prepost.rst",
            category="3 Vergelijkingen",
        ),
        demographic_tests=report(
            "results/tables/demographics_tests.csv",
            caption="../report/demographics_tests.rst",
            category="1 Respondenten",
        ),
        panel=report(
            "results/tables/panel.csv",
            caption="../report/panel.rst",
            category="3 Vergelijkingen",
        ),
        attrition=report(
            "results/tables/attrition.csv",
            caption="../report/attrition.rst",
            category="3 Vergelijkingen",
        ),
        provenance="results/provenance/comparisons.json",
    log:
        "logs/stats/comparisons.log",
    benchmark:
        "benchmarks/runs/comparisons.tsv"
    conda:
        "../../environment.yml"
    threads: 1
    resources:
        mem_mb=2000,
        runtime=15,
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
        did=report(
            "results/tables/did.csv",
            caption="../report/did.rst",
            category="3 Vergelijkingen",
        ),
        provenance="results/provenance/difference_in_differences.json",
    log:
        "logs/stats/difference_in_differences.log",
    benchmark:
        "benchmarks/runs/difference_in_differences.tsv"
    conda:
        "../../environment.yml"
    threads: 1
    resources:
        mem_mb=2000,
        runtime=15,
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
        hypothesis=report(
            "results/tables/hypothesis.csv",
            caption="../report/hypothesis.rst",
            category="3 Vergelijkingen",
        ),
        provenance="results/provenance/hypothesis.json",
    log:
        "logs/stats/hypothesis.log",
    benchmark:
        "benchmarks/runs/hypothesis.tsv"
    conda:
        "../../environment.yml"
    threads: 1
    resources:
        mem_mb=1000,
        runtime=5,
    script:
        "../../scripts/hypothesis.py"
