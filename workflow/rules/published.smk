# Stage 5: the published report next to the reproduction (every published figure,
# checked against the tables), and the audit of the published tables themselves.


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
        comparison=registered("published_vs_reproduced"),
        provenance="results/provenance/published_vs_reproduced.json",
    log:
        "logs/published/published_vs_reproduced.log",
    benchmark:
        "benchmarks/published/published_vs_reproduced.tsv"
    conda:
        ENVIRONMENT
    params:
        published_dir=lambda wildcards, input: str(Path(input.published[0]).parent),
        app_groups=APP_GROUPS,
        synthetic=config["study"]["synthetic"],
    script:
        "../../scripts/published_vs_reproduced.py"


rule audit_published:
    input:
        code=package_code("scripts/audit_published.py"),
        published=published_tables(),
    output:
        audit=registered("audit"),
        provenance="results/provenance/audit_published.json",
    log:
        "logs/published/audit_published.log",
    benchmark:
        "benchmarks/published/audit_published.tsv"
    conda:
        ENVIRONMENT
    params:
        published_dir=lambda wildcards, input: str(Path(input.published[0]).parent),
    script:
        "../../scripts/audit_published.py"
