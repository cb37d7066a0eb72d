"""Provenance records and the trace command, on a small made-up chain of files."""

import hashlib
import json
from pathlib import Path

import pytest
from conftest import ROOT

from buurtpreventie import cli
from buurtpreventie.provenance import build_record, load_records, sha256_file, trace, write_record


@pytest.fixture
def chain(tmp_path, monkeypatch):
    """raw.csv -> (rule a) -> mid.parquet -> (rule b) -> results/tables/baseline.csv."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "resources").mkdir()
    (tmp_path / "results" / "tables").mkdir(parents=True)
    raw = tmp_path / "resources" / "raw.csv"
    raw.write_text("a,b\n1,2\n", encoding="utf-8")
    mid = tmp_path / "results" / "mid.parquet"
    mid.write_bytes(b"intermediate")
    table = tmp_path / "results" / "tables" / "baseline.csv"
    table.write_text("indicator,p\nalertheid,0.01\n", encoding="utf-8")
    first = build_record(
        "a", {"wave": "v"}, None, ["resources/raw.csv"], ["results/mid.parquet"], {"k": 4}, 0.0
    )
    second = build_record(
        "b", {}, None, ["results/mid.parquet"], ["results/tables/baseline.csv"], {}, 0.0
    )
    write_record(first, "results/provenance/a/v.json")
    write_record(second, "results/provenance/b.json")
    return tmp_path


def test_sha256_of_a_file_matches_hashlib(tmp_path):
    path = tmp_path / "x.bin"
    path.write_bytes(b"abc" * 1_000_000)
    # Second source: hashlib over the whole content at once.
    assert sha256_file(path, chunk=4096) == hashlib.sha256(b"abc" * 1_000_000).hexdigest()


def test_record_holds_what_an_auditor_needs(chain):
    record = json.loads((chain / "results/provenance/a/v.json").read_text(encoding="utf-8"))
    assert record["schema"] == "buurtpreventie-provenance/1"
    assert record["used"][0]["sha256"] == sha256_file(chain / "resources/raw.csv")
    assert record["params"] == {"k": 4} and record["wildcards"] == {"wave": "v"}
    assert {
        "python",
        "snakemake",
        "pandas",
        "scipy",
        "pingouin",
        "statsmodels",
        "matplotlib",
        "weasyprint",
    } <= set(record["software"])
    assert len(record["package"]["sha256"]) == 64
    assert set(record["git"]) == {"commit", "dirty"}
    assert "seconds" in record["runtime"]


def test_trace_goes_down_to_the_raw_file_and_sees_drift(chain):
    lineage = trace("results/tables/baseline.csv", load_records("results/provenance"))
    paths = [node.path for node in lineage.walk()]
    assert paths == ["results/tables/baseline.csv", "results/mid.parquet", "resources/raw.csv"]
    assert not any(node.drifted for node in lineage.walk())
    (chain / "resources" / "raw.csv").write_text("a,b\n1,3\n", encoding="utf-8")
    lineage = trace("results/tables/baseline.csv", load_records("results/provenance"))
    drifted = [node.path for node in lineage.walk() if node.drifted]
    assert drifted == ["resources/raw.csv"]


def test_cli_trace_by_report_label(chain, capsys):
    code = cli.main(["trace", "Tabel 4", "--tables", str(ROOT / "resources" / "tables.yaml")])
    out = capsys.readouterr().out
    assert code == 0
    assert "results/tables/baseline.csv" in out and "resources/raw.csv" in out
    assert "made by rule b" in out and "[raw input]" in out
    (chain / "results" / "mid.parquet").write_bytes(b"changed")
    assert cli.main(["trace", "results/tables/baseline.csv"]) == 1
    assert "DRIFT" in capsys.readouterr().out


def test_resolve_labels_to_tables():
    tables = ROOT / "resources" / "tables.yaml"
    results = ROOT / "results"
    assert cli.resolve_target("Tabel 4", tables, results) == [
        str(results / "tables" / "baseline.csv")
    ]
    assert cli.resolve_target("Tabel 6", tables, results) == [
        str(results / "tables" / "prepost.csv")
    ]
    # Through the registry: a name, a figure's file under results/, a label listing it.
    assert cli.resolve_target("did", tables, Path("results")) == ["results/tables/did.csv"]
    assert cli.resolve_target("course", tables, Path("results")) == [
        "results/report/figures/verloop.svg"
    ]
    assert cli.resolve_target("Tabel 3", tables, Path("results")) == [
        "results/tables/demographics.csv",
        "results/tables/demographics_tests.csv",
    ]
    assert cli.resolve_target("results/tables/x.csv", tables, results) == ["results/tables/x.csv"]
    assert cli.resolve_target("Tabel 99", tables, results) == []
