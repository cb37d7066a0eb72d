"""Snakemake adapter for rule run_provenance: the run's records -> W3C PROV and RO-Crate.

Reads only the provenance records the rule lists (every job of the run, the
report's last) and the workflow's own files; writes
results/provenance/run.prov.json, results/provenance/run.provn and
results/ro-crate-metadata.json (see buurtpreventie.standards).
"""

from buurtpreventie.adapter import logged
from buurtpreventie.registry import load_registry
from buurtpreventie.standards import write_run

sm = snakemake  # noqa: F821 (injected by Snakemake)

with logged(sm.log[0]) as log:
    records = write_run(
        record_files=sm.input.records,
        workflow_files=sm.input.workflow,
        config_files=sm.input.config,
        prov_json=sm.output.prov_json,
        provn=sm.output.provn,
        crate=sm.output.crate,
        registry=load_registry(sm.input.registry),
        config_sha256=sm.params.config_sha256,
    )
    log.info("%d provenance records: %s", len(records), ", ".join(r["_file"] for r in records))
    log.info("wrote %s, %s and %s", sm.output.prov_json, sm.output.provn, sm.output.crate)
