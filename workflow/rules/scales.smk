# Stage 2b: reliability of the scales (report footnote 4).


rule reliability:
    input:
        code=package_code("scripts/reliability.py"),
        respondents=expand(rules.ingest_wave.output.respondents, wave=WAVES),
        codebook=config["codebook"],
    output:
        reliability=report(
            "results/tables/reliability.csv",
            caption="../report/reliability.rst",
            category="2 Indicatoren en schalen",
        ),
        item_statistics=report(
            "results/tables/reliability_items.csv",
            caption="../report/reliability_items.rst",
            category="2 Indicatoren en schalen",
        ),
        provenance="results/provenance/reliability.json",
    log:
        "logs/scales/reliability.log",
    benchmark:
        "benchmarks/runs/reliability.tsv"
    conda:
        "../../environment.yml"
    threads: 1
    resources:
        mem_mb=2000,
        runtime=15,
    params:
        waves=WAVES,
        min_alpha=RELIABILITY["min_alpha"],
    script:
        "../../scripts/reliability.py"
