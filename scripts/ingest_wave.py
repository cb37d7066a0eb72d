"""Snakemake adapter for rule ingest_wave: exports of one wave -> respondents."""

from buurtpreventie.adapter import job, write_csv
from buurtpreventie.survey.codebook import load_codebook
from buurtpreventie.survey.ingest import ingest_wave
from buurtpreventie.survey.pseudonym import load_key

sm = snakemake  # noqa: F821 (injected by Snakemake)

with job(sm, __file__) as log:
    key = load_key(sm.params.key_env, sm.params.key_file)
    if key is None:
        log.warning(
            "no panel key (%s or %s): no panel linkage", sm.params.key_env, sm.params.key_file
        )
    result = ingest_wave(
        wave=sm.wildcards.wave,
        exports=sm.input.exports,
        codebook=load_codebook(sm.input.codebook),
        collectors=dict(sm.params.collectors),
        min_answered=sm.params.min_answered,
        key=key,
        date_order=sm.params.date_order,
    )
    result.respondents.to_parquet(sm.output.respondents, index=False)
    write_csv(result.flow, sm.output.flow)
    log.info("%d rows read, %d included", result.rows_read, len(result.respondents))
