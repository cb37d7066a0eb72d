# Stage 6: the report. The report's own figures (matplotlib), then the templates
# in report/ rendered with the results to HTML and, by WeasyPrint, to PDF.

REPORT_TEMPLATES = sorted(str(p) for p in Path("report/templates").glob("*.j2"))
CHAT_FIGURES = ["chat_activity", "chat_members"]


rule report_figures:
    input:
        code=package_code("scripts/report_figures.py"),
        indicators="results/tables/indicators.csv",
        did="results/tables/did.csv",
        codebook=config["codebook"],
        words="resources/report/words.yaml",
    output:
        timeline="results/report/figures/tijdlijn.svg",
        baseline="results/report/figures/voormeting.svg",
        course="results/report/figures/verloop.svg",
        buurten=report(
            "results/report/figures/buurten.svg",
            caption="../report/buurten.rst",
            category="6 Rapport",
        ),
        provenance="results/provenance/report_figures.json",
    log:
        "logs/report/report_figures.log",
    benchmark:
        "benchmarks/runs/report_figures.tsv"
    conda:
        "../../environment.yml"
    threads: 1
    resources:
        mem_mb=2000,
        runtime=15,
    params:
        waves=[{k: w[k] for k in ("id", "label", "fieldwork")} for w in config["waves"]],
        experiment=config.get("experiment", {}),
        interim=REPORT.get("interim_evaluation", ""),
        main=MAIN_BUURTEN,
    script:
        "../../scripts/report_figures.py"


# The results tables, figures and resources the report reads; chat parts only with chats.
REPORT_TABLES = [
    "flow",
    "respondents",
    "demographics",
    "demographics_tests",
    "indicators",
    "reliability",
    "baseline",
    "prepost",
    "did",
    "panel",
    "hypothesis",
]
REPORT_TABLES += ["published_vs_reproduced", "audit"] if PUBLISHED else []
REPORT_TABLES += ["members", "activity", "interventions"] if CHAT_GROUPS else []
REPORT_INPUTS = {
    **{name: f"results/tables/{name}.csv" for name in REPORT_TABLES},
    "timeline": rules.report_figures.output.timeline,
    "baseline_figure": rules.report_figures.output.baseline,
    "course": rules.report_figures.output.course,
    "buurten_figure": rules.report_figures.output.buurten,
    **{name: f"results/figures/{name}.svg" for name in CHAT_FIGURES if CHAT_GROUPS},
}


rule report:
    input:
        unpack(lambda wildcards: REPORT_INPUTS),
        code=package_code("scripts/report_render.py"),
        codebook=config["codebook"],
        scheme=CHAT_FILES["scheme"],
        words="resources/report/words.yaml",
        references="resources/report/references.yaml",
        css="report/style.css",
        templates=REPORT_TEMPLATES,
        provenance=provenance_records(),
    output:
        html="results/report/rapport.html",
        pdf="results/report/rapport.pdf",
        claims="results/report/claims.csv",
        provenance="results/provenance/report.json",
    log:
        "logs/report/report.log",
    benchmark:
        "benchmarks/runs/report.tsv"
    conda:
        "../../environment.yml"
    threads: 1
    resources:
        mem_mb=2000,
        runtime=15,
    params:
        templates=lambda wildcards, input: str(Path(input.templates[0]).parent),
        figures=[
            "timeline",
            "baseline_figure",
            "course",
            "buurten_figure",
            *CHAT_FIGURES,
        ],
        date=REPORT.get("date", ""),
        # Read from the config by the report; a param so that a new reason reruns it.
        published_skipped=PUBLISHED_SKIPPED,
        panel_key=lambda wildcards: panel_key_fingerprint() != "no-key",
        provenance_dir=lambda wildcards, input: str(
            Path(input.provenance[0]).parents[1]
        ),
    script:
        "../../scripts/report_render.py"
