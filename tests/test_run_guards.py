"""Runs that go wrong: a locked folder, stale tables, refused configs, a killed run.

The unit tests are fast. The ones marked e2e run Snakemake in a temporary copy
of the workflow (helpers of test_workflow.py): dry-runs that must stop with one
line, a YAML alias bomb under a memory limit, and a run killed (SIGKILL on its
process group) during ingestion and during the report, then rerun with
``--rerun-incomplete``, whose tables and PDF must equal a clean run's byte for byte.
"""

from __future__ import annotations

import json
import os
import resource
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from test_config_checks import bomb
from test_workflow import KEY, SNAKEMAKE, _copy_workflow, _snakemake

from buurtpreventie import cli
from buurtpreventie.checks.run_guard import clear_run, lock_note, process_alive, record_run
from buurtpreventie.provenance import SCHEMA, file_entry, load_records, trace
from buurtpreventie.report.sources import provenance_sources

# --- Who holds the lock -----------------------------------------------------


def _dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def test_no_lock_no_note(tmp_path):
    assert lock_note(tmp_path / "locks", tmp_path / "run.json") is None
    (tmp_path / "locks").mkdir()
    assert lock_note(tmp_path / "locks", tmp_path / "run.json") is None


def test_a_live_run_is_named_by_its_pid(tmp_path):
    (tmp_path / "locks").mkdir()
    (tmp_path / "locks" / "0.output.lock").write_text("results/tables/flow.csv\n")
    record_run(tmp_path / "run.json")
    note = lock_note(tmp_path / "locks", tmp_path / "run.json")
    assert f"another Snakemake run (PID {os.getpid()} on " in note
    assert "is working in this folder" in note and "\n" not in note
    clear_run(tmp_path / "run.json")
    assert not (tmp_path / "run.json").exists()


def test_a_killed_run_is_named_and_the_way_out_given(tmp_path):
    (tmp_path / "locks").mkdir()
    (tmp_path / "locks" / "0.input.lock").write_text("resources/codebook.yaml\n")
    pid = _dead_pid()
    assert not process_alive(pid)
    record_run(tmp_path / "run.json", pid=pid)
    clear_run(tmp_path / "run.json")  # another run's record stays
    note = lock_note(tmp_path / "locks", tmp_path / "run.json")
    assert f"(PID {pid} on " in note and "no longer running" in note
    assert "--unlock" in note and "--rerun-incomplete" in note


# --- Stale tables -----------------------------------------------------------


def _record(rule: str, used: list[str], generated: list[str]) -> dict:
    return {
        "schema": SCHEMA,
        "rule": rule,
        "wildcards": {},
        "script": None,
        "package": {"sha256": "0" * 64},
        "git": {},
        "used": [file_entry(p) for p in used],
        "generated": [file_entry(p) for p in generated],
        "params": {},
        "runtime": {"started": "2026-01-01T00:00:00+00:00", "seconds": 0},
    }


@pytest.fixture
def made(tmp_path, monkeypatch):
    """raw export -> respondents -> baseline table, each with its provenance record."""
    monkeypatch.chdir(tmp_path)
    for folder in ("resources", "results/respondents", "results/tables", "results/provenance"):
        Path(folder).mkdir(parents=True)
    Path("resources/export.csv").write_text("a\n1\n")
    Path("results/respondents/w.parquet").write_text("respondents\n")
    Path("results/tables/baseline.csv").write_text("table\n")
    records = {
        "ingest": _record(
            "ingest_wave", ["resources/export.csv"], ["results/respondents/w.parquet"]
        ),
        "comparisons": _record(
            "comparisons", ["results/respondents/w.parquet"], ["results/tables/baseline.csv"]
        ),
    }
    for name, record in records.items():
        Path(f"results/provenance/{name}.json").write_text(json.dumps(record))
    return tmp_path


def test_a_table_made_from_the_current_files_is_not_stale(made):
    lineage = trace("results/tables/baseline.csv", load_records("results/provenance"))
    assert not lineage.stale and lineage.changed_inputs == []


def test_a_table_older_than_its_inputs_is_stale_in_trace_and_report(made, capsys):
    # A later run read a changed export and failed before it reached the table.
    Path("resources/export.csv").write_text("a\n2\n")
    records = load_records("results/provenance")
    lineage = trace("results/tables/baseline.csv", records)
    assert lineage.stale and lineage.changed_inputs == ["resources/export.csv"]
    assert not lineage.drifted  # the table itself is as it was made
    assert cli.main(["trace", "results/tables/baseline.csv"]) == 1
    out = capsys.readouterr().out
    assert "STALE: results/tables/baseline.csv is older than its inputs" in out
    assert "resources/export.csv changed" in out
    sources = provenance_sources(records)
    assert sources["tables"]["voormeting"]["stale"] is True


# --- Refused configs, in the real workflow (dry-runs) -----------------------


@pytest.fixture(scope="module")
def scratch(tmp_path_factory):
    return _copy_workflow(tmp_path_factory.mktemp("guards") / "study")


def _errors(result: subprocess.CompletedProcess) -> list[str]:
    """The output lines, without Snakemake's note that an overlay extends config.yaml."""
    lines = (result.stdout + result.stderr).splitlines()
    return [line for line in lines if line.strip() and "is extended by additional" not in line]


REFUSED = {
    "waves: [{id: nameting, label: Nameting, fieldwork: 2021-09, exports: "
    "[resources/survey/nameting.csv]}, {id: voormeting, label: Voormeting, "
    "fieldwork: 2020-06, exports: [resources/survey/voormeting.csv]}]\n": "waves[1].fieldwork",
    "scales: {min_answered: 7}\n": "scales.min_answered = 7",
    "experiment: {start: 2021-09-01, end: 2020-09-01}\n": "experiment.end = '2020-09-01'",
    "chats: {groups: [{id: zenobuurt, buurt: lombardijen, export: x.txt}], codings: [], "
    "roster: /etc/passwd}\n": "chats.roster = '/etc/passwd': not a YAML mapping",
    "codebook: /etc/passwd\n": "codebook = '/etc/passwd': not a YAML mapping",
    "report: {date: 2026-11-31-x}\n": "report.date",
}


@pytest.mark.e2e
@pytest.mark.parametrize("overlay", list(REFUSED))
def test_a_bad_config_stops_with_one_line(scratch, overlay):
    path = scratch / "bad.yaml"
    path.write_text(overlay, encoding="utf-8")
    result = _snakemake(scratch, "--dry-run", "--configfile", str(path))
    assert result.returncode == 1
    errors = _errors(result)
    assert len(errors) == 1, errors[:5]
    assert errors[0].startswith("config: ") and REFUSED[overlay] in errors[0]
    assert "root:" not in errors[0] and len(errors[0]) < 250


def _limited(workdir: Path, *args: str) -> subprocess.CompletedProcess:
    """Snakemake with at most 2 GiB of address space and one minute."""

    def limit():
        resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30))

    return subprocess.run(
        [SNAKEMAKE, "--cores", "1", *args],
        cwd=workdir,
        preexec_fn=limit,
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.e2e
@pytest.mark.parametrize("mappings", [True, False])
def test_a_yaml_alias_bomb_in_the_config_is_refused_unexpanded(tmp_path, mappings):
    workdir = _copy_workflow(tmp_path / "study")
    config = workdir / "config.yaml"
    original = config.read_text(encoding="utf-8")
    config.write_text(original + bomb(mappings=mappings), encoding="utf-8")
    started = time.perf_counter()
    result = _limited(workdir, "--dry-run")
    assert time.perf_counter() - started < 30
    assert result.returncode == 1
    errors = _errors(result)
    assert errors == [errors[0]] and "config file config.yaml: YAML aliases expand" in errors[0]
    # Given with --configfile, a bomb of lists is refused just as well.
    if not mappings:
        overlay = tmp_path / "overlay.yaml"
        overlay.write_text(bomb(), encoding="utf-8")
        config.write_text(original, encoding="utf-8")
        result = _limited(workdir, "--dry-run", "--configfile", str(overlay))
        assert result.returncode == 1 and len(result.stdout + result.stderr) < 1000
        assert "YAML aliases expand" in result.stderr


@pytest.mark.e2e
def test_another_run_holding_the_lock_is_named(scratch):
    locks = scratch / ".snakemake" / "locks"
    locks.mkdir(parents=True, exist_ok=True)
    (locks / "0.output.lock").write_text("results/tables/flow.csv\n")
    record_run(scratch / ".snakemake" / "buurtpreventie-run.json")  # this process: alive
    try:
        result = _snakemake(scratch, "--dry-run")
    finally:
        (locks / "0.output.lock").unlink()
        (scratch / ".snakemake" / "buurtpreventie-run.json").unlink()
    assert f"another Snakemake run (PID {os.getpid()} on " in result.stderr


# --- A clean run; a killed run --------------------------------------------


@pytest.fixture(scope="module")
def pristine(tmp_path_factory):
    """One copy of the workflow that the clean and the killed run both start from.

    (The repository may change while the tests run; both copies must be the same.)
    """
    return _copy_workflow(tmp_path_factory.mktemp("guards-pristine") / "study")


@pytest.fixture(scope="module")
def clean(pristine, tmp_path_factory):
    workdir = tmp_path_factory.mktemp("guards-clean") / "study"
    shutil.copytree(pristine, workdir)
    result = _snakemake(workdir)
    assert result.returncode == 0, result.stdout + result.stderr
    return workdir


def _start(workdir: Path, *args: str) -> subprocess.Popen:
    """Snakemake in its own process group, as a user starts it in a terminal."""
    env = {**os.environ, "BUURTPREVENTIE_PANEL_KEY": KEY}
    return subprocess.Popen(
        [SNAKEMAKE, "--cores", "2", *args],
        cwd=workdir,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )


def _kill_when(process: subprocess.Popen, ready, timeout: float = 300) -> bool:
    """SIGKILL the process group once ``ready()`` holds; False if the run ended first."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and process.poll() is None:
        if ready():
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
            return True
        time.sleep(0.02)
    process.wait()
    return False


def _recover(workdir: Path) -> None:
    """After a kill: the next run names the dead run; unlock."""
    again = _snakemake(workdir, "--dry-run")
    assert "is no longer running" in again.stderr and "--unlock" in again.stderr
    assert _snakemake(workdir, "--unlock").returncode == 0


@pytest.mark.e2e
def test_a_run_killed_during_ingestion_and_the_report_recovers_byte_for_byte(
    pristine, clean, tmp_path
):
    workdir = tmp_path / "study"
    shutil.copytree(pristine, workdir)
    ingest_logs = workdir / "logs" / "ingest" / "ingest_wave"
    run = _start(workdir)
    assert _kill_when(run, lambda: ingest_logs.is_dir() and any(ingest_logs.iterdir()))
    assert not (workdir / "results" / "report" / "rapport.pdf").exists()
    _recover(workdir)
    run = _start(workdir, "--rerun-incomplete")
    assert _kill_when(run, (workdir / "logs" / "report" / "report.log").exists)
    _recover(workdir)
    result = _snakemake(workdir, "--rerun-incomplete")
    assert result.returncode == 0, result.stdout + result.stderr
    tables = sorted((clean / "results" / "tables").glob("*.csv"))
    assert len(tables) > 15
    for table in tables:
        assert (workdir / "results" / "tables" / table.name).read_bytes() == table.read_bytes()
    pdf = "results/report/rapport.pdf"
    assert (workdir / pdf).read_bytes() == (clean / pdf).read_bytes()


@pytest.mark.e2e
def test_a_new_wave_order_reruns_the_flow_table(clean):
    overlay = clean / "reordered.yaml"
    overlay.write_text(
        "waves:\n"
        "  - {id: nameting, label: Nameting, fieldwork: 2020-06,"
        " exports: [resources/survey/nameting.csv]}\n"
        "  - {id: voormeting, label: Voormeting, fieldwork: 2021-09,"
        " exports: [resources/survey/voormeting.csv]}\n",
        encoding="utf-8",
    )
    result = _snakemake(clean, "--dry-run", "--configfile", str(overlay))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "rule flow_table:" in result.stdout + result.stderr


@pytest.mark.e2e
def test_unquoted_collector_ids_are_accepted(clean):
    config = clean / "config.yaml"
    original = config.read_text(encoding="utf-8")
    unquoted = original.replace('"100000001": app', "100000001: app")
    config.write_text(unquoted.replace('"100000002": door', "100000002: door"), encoding="utf-8")
    try:
        result = _snakemake(
            clean, "results/respondents/voormeting.parquet", "--forcerun", "ingest_wave"
        )
    finally:
        config.write_text(original, encoding="utf-8")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "is not in the config's collectors" not in result.stdout + result.stderr
