# Stage 2b: reliability of the scales (report footnote 4).


rule reliability:
    input:
        respondents=expand(rules.ingest_wave.output.respondents, wave=WAVES),
        codebook=config["codebook"],
    output:
        reliability="results/tables/reliability.csv",
        item_statistics="results/tables/reliability_items.csv",
    log:
        "logs/scales/reliability.log",
    conda:
        "../../environment.yml"
    params:
        waves=WAVES,
        min_alpha=RELIABILITY["min_alpha"],
    script:
        "../../scripts/reliability.py"
