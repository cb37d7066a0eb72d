# Stage 6: the report. The report's own figures and the chat figures (matplotlib,
# buurtpreventie.report), then the templates in report/ rendered with the results
# to HTML (rule report), and the HTML by WeasyPrint to PDF (rule report_pdf). Two
# rules, so that an edit of the text gives the HTML in moments
# (`snakemake results/report/rapport.html`); the PDF's layout takes most of the time.

from buurtpreventie.report.colophon import config_sha256

REPORT_TEMPLATES = sorted(str(p) for p in Path("report/templates").glob("*.j2"))


rule report_figures:
    input:
        code=package_code("scripts/report_figures.py"),
        indicators=rules.describe_respondents.output.indicators,
        did=rules.difference_in_differences.output.did,
        baseline_table=rules.comparisons.output.baseline,
        codebook=config["codebook"],
        words="resources/report/words.yaml",
    output:
        timeline=registered("timeline"),
        baseline=registered("baseline_figure"),
        baseline_forest=registered("baseline_forest"),
        did_forest=registered("did_forest"),
        course=registered("course"),
        buurten=registered("buurten_figure"),
        provenance="results/provenance/report_figures.json",
    log:
        "logs/report/report_figures.log",
    benchmark:
        "benchmarks/report/report_figures.tsv"
    priority: CRITICAL_PATH
    conda:
        ENVIRONMENT
    params:
        waves=[{k: w[k] for k in ("id", "label", "fieldwork")} for w in config["waves"]],
        experiment=EXPERIMENT,
        # Optional, without a default: no interim evaluation in the timeline.
        interim=REPORT.get("interim_evaluation", ""),
        main=MAIN_BUURTEN,
    script:
        "../../scripts/report_figures.py"


rule chat_figures:
    input:
        code=package_code("scripts/chat_figures.py"),
        activity=rules.chat_tables.output.activity,
        members=rules.chat_tables.output.members,
        codes_monthly=rules.chat_tables.output.codes_monthly,
        codebook=config["codebook"],
        words="resources/report/words.yaml",
    output:
        activity_svg=registered("chat_activity"),
        activity_png=registered_png("chat_activity"),
        members_svg=registered("chat_members"),
        members_png=registered_png("chat_members"),
        provenance="results/provenance/chat_figures.json",
    log:
        "logs/chat/chat_figures.log",
    benchmark:
        "benchmarks/chat/chat_figures.tsv"
    priority: CRITICAL_PATH
    conda:
        ENVIRONMENT
    params:
        experiment=EXPERIMENT,
        main=MAIN_BUURTEN,
    script:
        "../../scripts/chat_figures.py"


# What the report reads: the registered tables and figures of this study that the
# report uses (`report_input`), by their registry names (the figures' names are
# the report's figure keys: timeline, baseline_figure, ...).
REPORT_ENTRIES = [entry for entry in STUDY if entry.report_input]
REPORT_INPUTS = {entry.name: entry.file for entry in REPORT_ENTRIES}


rule report:
    input:
        unpack(lambda wildcards: REPORT_INPUTS),
        code=package_code("scripts/report_render.py"),
        codebook=config["codebook"],
        scheme=CHATS["scheme"],
        words="resources/report/words.yaml",
        references="resources/report/references.yaml",
        css="report/style.css",
        templates=REPORT_TEMPLATES,
        provenance=provenance_records(),
    output:
        html="results/report/rapport.html",
        claims="results/report/claims.csv",
        provenance="results/provenance/report.json",
    log:
        "logs/report/report.log",
    benchmark:
        "benchmarks/report/report.tsv"
    priority: CRITICAL_PATH
    conda:
        ENVIRONMENT
    params:
        templates=lambda wildcards, input: str(Path(input.templates[0]).parent),
        tables=[entry.name for entry in REGISTRY.tables],
        figures=[entry.name for entry in REGISTRY.figures],
        date=REPORT["date"],
        # Read from the config by the report; a param so that a new reason reruns it.
        published_skipped=PUBLISHED_SKIPPED,
        # The colophon's config hash: a param so that any change of the config reruns the
        # report (the job computes it again from its config and checks that they agree).
        config_sha256=config_sha256(config),
        panel_key=lambda wildcards: panel_key_fingerprint() != "no-key",
        provenance_dir=lambda wildcards, input: str(
            Path(input.provenance[0]).parents[1]
        ),
    script:
        "../../scripts/report_render.py"


# The HTML to PDF: tagged PDF/A-3u with PDF/UA-1 identification (WeasyPrint). The
# figures are read through the HTML's relative links, so they are inputs here too.
rule report_pdf:
    input:
        code=package_code("scripts/report_pdf.py"),
        html=rules.report.output.html,
        figures=[entry.file for entry in REPORT_ENTRIES if entry.kind == "figure"],
    output:
        pdf="results/report/rapport.pdf",
        provenance="results/provenance/report_pdf.json",
    log:
        "logs/report/report_pdf.log",
    benchmark:
        "benchmarks/report/report_pdf.tsv"
    priority: CRITICAL_PATH
    conda:
        ENVIRONMENT
    params:
        date=REPORT["date"],
    script:
        "../../scripts/report_pdf.py"


# The run's provenance in the standards: W3C PROV (PROV-JSON, PROV-N) and a Workflow
# Run RO-Crate with results/ as its root (buurtpreventie.standards), from the records
# of every job of the run (run_records in common.smk). Runs last: it reads the
# report's own record. The workflow's definition: the Snakefile first (the crate's main
# workflow), then its rule files.
WORKFLOW_FILES = [
    "Snakefile",
    *sorted(str(p) for p in Path("workflow/rules").glob("*.smk")),
]


rule run_provenance:
    input:
        records=run_records,
        report=rules.report_pdf.output.pdf,
        workflow=WORKFLOW_FILES,
        config=config_files(),
        registry="resources/tables.yaml",
    output:
        prov_json="results/provenance/run.prov.json",
        provn="results/provenance/run.provn",
        crate="results/ro-crate-metadata.json",
    log:
        "logs/report/run_provenance.log",
    benchmark:
        "benchmarks/report/run_provenance.tsv"
    conda:
        ENVIRONMENT
    params:
        config_sha256=config_sha256(config),
    script:
        "../../scripts/run_provenance.py"
