"""The run's provenance as W3C PROV and as a Workflow Run RO-Crate (buurtpreventie.standards).

On a small made-up run (records written by ``provenance.build_record`` in a
temporary folder): raw exports -> one job per wave -> a job per rule of the
registry that makes every registered table -> the report. The files are made
by :func:`~buurtpreventie.standards.write_run`, what rule run_provenance runs;
they are read back with the ``prov`` and ``rocrate`` packages themselves.
"""

from __future__ import annotations

import json
from pathlib import Path

import prov
import pytest
from prov.model import ProvActivity, ProvDocument, ProvEntity, ProvGeneration, ProvUsage
from rocrate.rocrate import ROCrate

from buurtpreventie import cli
from buurtpreventie.errors import InputError
from buurtpreventie.provenance import build_record, load_records, sha256_file, trace, write_record
from buurtpreventie.registry import load_registry
from buurtpreventie.standards import PROFILES, prov_lineage, write_run

REGISTRY = load_registry()
WAVES = ("voormeting", "nameting")
RAW = "resources/chat/Chat met Zeno-buurt.txt"  # a space in a path: quoted in PROV ids


def _write(path: str, text: str) -> str:
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    Path(path).write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def run(tmp_path, monkeypatch):
    """Records of a made-up run in tmp_path, and the paths of the standard files."""
    monkeypatch.chdir(tmp_path)
    _write("Snakefile", "include: 'workflow/rules/a.smk'\n")
    _write("workflow/rules/a.smk", "rule a:\n    output: 'x'\n")
    _write("config.yaml", "waves: []\n")
    _write("scripts/ingest_wave.py", "print('ingest')\n")
    _write("src/buurtpreventie/fake.py", "X = 1\n")
    codebook = _write("resources/codebook.yaml", "questions: []\n")
    chat = _write(RAW, "1-1-2020 10:00 - Bram: hallo\n")
    waves = []
    for wave in WAVES:
        raw = _write(f"resources/survey/{wave}.csv", f"id,wave\n1,{wave}\n")
        out = _write(f"results/respondents/{wave}.parquet", f"rows of {wave}")
        waves.append(out)
        record = build_record(
            "ingest_wave",
            {"wave": wave},
            "scripts/ingest_wave.py",
            [raw, codebook, "src/buurtpreventie/fake.py"],
            [out],
            {"min_answered": 4},
            1_700_000_000.0,
        )
        write_record(record, f"results/provenance/ingest_wave/{wave}.json")
    tables_by_rule: dict[str, list[str]] = {}
    for entry in REGISTRY:
        tables_by_rule.setdefault(entry.rule, []).append(entry.file)
    made = []
    for rule, files in tables_by_rule.items():
        for file in files:
            _write(file, f"{rule},{file}\n")
        made += files
        record = build_record(rule, {}, None, [*waves, chat], files, {}, 1_700_000_100.0)
        write_record(record, f"results/provenance/{rule}.json")
    report = _write("results/report/rapport.pdf", "%PDF-1.7 made-up")
    record = build_record(
        "report",
        {},
        None,
        [*made, *(f"results/provenance/{r}.json" for r in tables_by_rule)],
        [report],
        {},
        1_700_000_200.0,
    )
    write_record(record, "results/provenance/report.json")
    record_files = sorted(str(p.relative_to(tmp_path)) for p in tmp_path.rglob("*.json"))
    files = {
        "prov_json": "results/provenance/run.prov.json",
        "provn": "results/provenance/run.provn",
        "crate": "results/ro-crate-metadata.json",
    }
    write_run(
        record_files,
        ["Snakefile", "workflow/rules/a.smk"],
        ["config.yaml"],
        registry=REGISTRY,
        config_sha256="0" * 64,
        **files,
    )
    return tmp_path, load_records("results/provenance"), files


def _entities(doc: ProvDocument) -> dict[str, ProvEntity]:
    def path(record):
        return next(str(v) for k, v in record.attributes if k.localpart == "path")

    return {path(r): r for r in doc.get_records(ProvEntity)}


def _attr(record, name):
    return next(v for k, v in record.attributes if k.localpart == name)


def test_prov_document_loads_and_serialises_again(run):
    _, _, files = run
    doc = prov.read(files["prov_json"], format="json")
    again = ProvDocument.deserialize(content=doc.serialize(format="json"), format="json")
    assert again == doc
    provn = doc.serialize(format="provn")
    assert provn.startswith("document") and "wasGeneratedBy(" in provn
    # The PROV-N file says what the PROV-JSON says (prov reads no PROV-N; the order differs).
    written = Path(files["provn"]).read_text(encoding="utf-8")
    assert sorted(written.strip()) == sorted(provn.strip())


def test_every_file_is_an_entity_with_its_sha256_and_every_job_an_activity(run):
    _, records, files = run
    doc = prov.read(files["prov_json"], format="json")
    entities = _entities(doc)
    for record in records:
        for entry in [*record["generated"], *record["used"]]:
            assert str(_attr(entities[entry["path"]], "sha256")) == entry["sha256"]
            assert int(_attr(entities[entry["path"]], "bytes")) == entry["bytes"]
    activities = {str(r.get_attribute("prov:label").pop()) for r in doc.get_records(ProvActivity)}
    jobs = {"/".join([r["rule"], *r["wildcards"].values()]) for r in records}
    assert activities == jobs
    generations = list(doc.get_records(ProvGeneration))
    usages = list(doc.get_records(ProvUsage))
    # One generation per output and per record itself; one usage per input.
    assert len(generations) == sum(len(r["generated"]) + 1 for r in records)
    assert len(usages) == sum(len(r["used"]) for r in records)


def test_the_pipeline_is_the_software_agent_without_personal_data(run):
    tmp_path, records, files = run
    doc = prov.read(files["prov_json"], format="json")
    agents = list(doc.get_records(prov.model.ProvAgent))
    assert len(agents) == 1
    assert str(_attr(agents[0], "version")) == records[0]["package"]["version"]
    assert str(_attr(agents[0], "package_sha256")) == records[0]["package"]["sha256"]
    for name in files.values():
        text = Path(name).read_text(encoding="utf-8")
        assert str(tmp_path) not in text  # no absolute path, so no home folder or login name


def test_trace_walks_the_prov_document_to_the_raw_inputs(run, capsys):
    _, records, files = run
    doc = prov.read(files["prov_json"], format="json")
    table = REGISTRY.get("baseline").file
    from_prov = prov_lineage(doc, table)
    from_records = trace(table, records)
    assert {(n.path, n.recorded) for n in from_prov.walk()} == {
        (n.path, n.recorded) for n in from_records.walk()
    }
    raws = {n.path for n in from_prov.walk() if n.record is None}
    assert {RAW, "resources/survey/voormeting.csv", "resources/codebook.yaml"} <= raws
    assert cli.main(["trace", "--prov", "Tabel 4"]) == 0
    out = capsys.readouterr().out
    assert "made by rule ingest_wave [wave=voormeting]" in out and f"{RAW}  sha256:" in out
    # A raw export that changed since the run: the PROV walk reports the drift too.
    Path("resources/survey/nameting.csv").write_text("id,wave\n2,x\n", encoding="utf-8")
    assert cli.main(["trace", "--prov", table]) == 1
    assert "DRIFT" in capsys.readouterr().out


def test_trace_falls_back_to_the_prov_document_and_cross_checks_it(run, capsys):
    _, _, files = run
    document = json.loads(Path(files["prov_json"]).read_text(encoding="utf-8"))
    table = REGISTRY.get("did").file
    # A PROV document that disagrees with the records is reported.
    for entity in document["entity"].values():
        if entity["bp:path"] == "resources/survey/voormeting.csv":
            entity["bp:sha256"] = "f" * 64
    Path(files["prov_json"]).write_text(json.dumps(document), encoding="utf-8")
    assert cli.main(["trace", "--prov", table]) == 1
    assert "disagree" in capsys.readouterr().err
    # Without records, trace reads the PROV document alone.
    for path in Path("results/provenance").rglob("*.json"):
        if path.name != "run.prov.json":
            path.unlink()
    assert cli.main(["trace", table]) == 1  # the changed hash is drift now
    assert "made by rule difference_in_differences" in capsys.readouterr().out


def test_crate_loads_and_names_every_registered_table_with_its_sha256(run):
    tmp_path, _, _ = run
    crate = ROCrate(tmp_path / "results")
    for entry in REGISTRY.tables:
        entity = crate.dereference(str(Path(entry.file).relative_to("results")))
        assert entity is not None, entry.file
        assert entity["sha256"] == sha256_file(entry.file)
        assert entity["alternateName"] == entry.name and entry.title in entity["name"]
    conforms = {e.id for e in crate.root_dataset["conformsTo"]}
    assert conforms == set(PROFILES)


def test_crate_describes_workflow_config_inputs_software_and_the_run(run):
    tmp_path, records, _ = run
    crate = ROCrate(tmp_path / "results")
    workflow = crate.mainEntity
    assert "ComputationalWorkflow" in workflow.type
    assert workflow["sha256"] == sha256_file("Snakefile")
    assert workflow["programmingLanguage"]["name"] == "Snakemake"
    software = {e["name"]: e["version"] for e in crate.get_by_type("SoftwareApplication")}
    assert software["python"] == records[0]["software"]["python"]
    assert "buurtpreventie" in software
    (action,) = crate.get_by_type("CreateAction")
    assert action["instrument"] is workflow
    objects = {e["name"]: e["sha256"] for e in action["object"] if "sha256" in e.properties()}
    assert objects["config.yaml"] == sha256_file("config.yaml")
    assert objects[RAW] == sha256_file(RAW)
    results = {e.id for e in action["result"]}
    every_output = {
        str(Path(e["path"]).relative_to("results")) for r in records for e in r["generated"]
    }
    assert every_output | {"provenance/run.prov.json", "provenance/run.provn"} <= results
    assert action["startTime"] <= action["endTime"]


def test_a_job_left_out_of_the_records_stops_the_rule(run):
    _, _, files = run
    Path("results/provenance/ingest_wave/nameting.json").unlink()
    record_files = [
        str(p) for p in Path("results/provenance").rglob("*.json") if p.name != "run.prov.json"
    ]
    with pytest.raises(InputError, match=r"nameting\.parquet"):
        write_run(record_files, ["Snakefile"], ["config.yaml"], **files)
