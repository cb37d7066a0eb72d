# The published report next to the reproduction: every published figure, checked.


rule published_vs_reproduced:
    input:
        code=package_code("scripts/published_vs_reproduced.py"),
        published=published_tables(),
        respondents=rules.describe_respondents.output.respondents,
        indicators=rules.describe_respondents.output.indicators,
        demographics=rules.describe_respondents.output.demographics,
        reliability=rules.reliability.output.reliability,
        baseline=rules.comparisons.output.baseline,
        prepost=rules.comparisons.output.prepost,
    output:
        comparison=report(
            "results/tables/published_vs_reproduced.csv",
            caption="../report/published_vs_reproduced.rst",
            category="5 Verantwoording",
        ),
        provenance="results/provenance/published_vs_reproduced.json",
    log:
        "logs/published/published_vs_reproduced.log",
    benchmark:
        "benchmarks/runs/published_vs_reproduced.tsv"
    conda:
        "../../environment.yml"
    threads: 1
    resources:
        mem_mb=2000,
        runtime=15,
    params:
        published_dir=lambda wildcards, input: str(Path(input.published[0]).parent),
        app_groups=APP_GROUPS,
        synthetic=config.get("study", {}).get("synthetic", True),
    script:
        "../../scripts/published_vs_reproduced.py"


rule audit_published:
    input:
        code=package_code("scripts/audit_published.py"),
        published=published_tables(),
    output:
        audit=report(
            "results/tables/audit.csv",
            caption="../report/audit.rst",
            category="5 Verantwoording",
        ),
        provenance="results/provenance/audit_published.json",
    log:
        "logs/published/audit_published.log",
    benchmark:
        "benchmarks/runs/audit_published.tsv"
    conda:
        "../../environment.yml"
    threads: 1
    resources:
        mem_mb=2000,
        runtime=15,
    params:
        published_dir=lambda wildcards, input: str(Path(input.published[0]).parent),
    script:
        "../../scripts/audit_published.py"
