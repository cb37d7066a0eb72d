"""The whole workflow on a real SLURM cluster, with the shipped SLURM profile.

``profiles/slurm/local-cluster.sh`` brings up a single-node SLURM cluster on this
machine (slurmctld, slurmd, munged; no accounting database). The workflow runs on
it in a temporary copy with ``--profile profiles/slurm --verbose``, the panel key
in a 0600 key file, while a local run of a second copy runs alongside as the
reference. The test checks that every job of the local run went through SLURM
(one SLURM job id, one SLURM log each), that the tables, figures and report are
byte-identical to the local run's, and that the key is in no file the run left
(``.snakemake/``, whose SLURM logs hold each job's whole environment under
``--verbose``, ``logs/``, ``results/``). When the cluster cannot start, the test
fails with the script's reason; it never skips.

The cluster-generic test (profiles/local-cluster) this replaced proved that jobs
share nothing but their declared files; every job here is a separate SLURM job
too, started by slurmd, so that is proved here as well, on a real scheduler.
"""

from __future__ import annotations

import os
import re
import subprocess
import time
from pathlib import Path

import pytest
from conftest import ROOT
from test_workflow import SNAKEMAKE, _copy_workflow

from buurtpreventie.survey.pseudonym import cluster_key_problem

SCRIPT = ROOT / "profiles" / "slurm" / "local-cluster.sh"
KEY = "slurm-e2e-panel-key-3f9c"
# what a local run and a SLURM run must write alike, byte for byte (provenance
# records differ: they hold runtimes and hosts)
COMPARED = (
    "tables/*",
    "figures/*",
    "chat/*",
    "respondents/*.parquet",
    "report/rapport.pdf",
    "report/rapport.html",
    "report/figures/*",
)
# status polls and file waits short: the shipped profile's are for real clusters
FAST = (
    "--jobs",
    "4",
    "--latency-wait",
    "3",
    "--slurm-init-seconds-before-status-checks",
    "1",
    "--slurm-keep-successful-logs",
)


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "BUURTPREVENTIE_PANEL_KEY"}
    env.pop("SLURM_CONF", None)  # the cluster's configuration is where SLURM looks first
    return {**env, **extra}


def _with_key_file(workdir: Path) -> Path:
    key_file = workdir / ".panel-key"
    key_file.unlink(missing_ok=True)
    key_file.touch(mode=0o600)
    key_file.chmod(0o600)
    key_file.write_text(KEY + "\n", encoding="utf-8")
    return workdir


@pytest.fixture(scope="module")
def cluster():
    """The single-node cluster; stopped afterwards unless it ran already."""
    before = subprocess.run([SCRIPT, "status"], capture_output=True, text=True)
    started = subprocess.run([SCRIPT, "start"], capture_output=True, text=True, timeout=120)
    if started.returncode != 0:
        pytest.fail(
            f"the SLURM cluster did not start: {started.stderr.strip() or started.stdout.strip()}"
        )
    yield
    if before.returncode != 0:
        stopped = subprocess.run([SCRIPT, "stop"], capture_output=True, text=True, timeout=60)
        assert stopped.returncode == 0, stopped.stderr


@pytest.mark.e2e
def test_the_whole_workflow_runs_through_slurm_like_a_local_run(cluster, tmp_path):
    slurm = _with_key_file(_copy_workflow(tmp_path / "slurm"))
    local = _with_key_file(_copy_workflow(tmp_path / "local"))
    # the reference run alongside: the SLURM run mostly waits for its status polls
    reference = subprocess.Popen(
        [SNAKEMAKE, "--cores", "1"],
        cwd=local,
        env=_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    start = time.monotonic()
    run = subprocess.run(
        [SNAKEMAKE, "--profile", "profiles/slurm", "--verbose", *FAST],
        cwd=slurm,
        env=_env(),
        capture_output=True,
        text=True,
        timeout=1200,
    )
    seconds = time.monotonic() - start
    local_log, _ = reference.communicate(timeout=1200)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    assert reference.returncode == 0, local_log[-3000:]
    print(f"SLURM run: {seconds:.0f} s")

    # every job of the local run (but the local target `all`) was a SLURM job
    jobs = int(re.search(r"^total\s+(\d+)$", local_log, re.MULTILINE)[1]) - 1
    submitted = re.findall(r"has been submitted with SLURM jobid (\d+)", run.stderr)
    assert len(submitted) == len(set(submitted)) == jobs
    slurm_logs = sorted((slurm / ".snakemake" / "slurm_logs").rglob("*.log"))
    assert sorted(p.stem for p in slurm_logs) == sorted(submitted)
    assert all("environment: environ(" in p.read_text("utf-8") for p in slurm_logs)

    compared = sorted(
        path.relative_to(local / "results")
        for pattern in COMPARED
        for path in (local / "results").glob(pattern)
        if path.is_file()
    )
    assert len([p for p in compared if p.parts[0] == "tables"]) >= 15
    differing = [
        str(p)
        for p in compared
        if (slurm / "results" / p).read_bytes() != (local / "results" / p).read_bytes()
    ]
    assert not differing, f"differ from the local run: {differing}"

    leaks = [
        str(path.relative_to(slurm))
        for folder in (".snakemake", "logs", "results")
        for path in (slurm / folder).rglob("*")
        if path.is_file() and KEY.encode() in path.read_bytes()
    ]
    assert not leaks, f"the panel key is in {leaks}"
    assert KEY not in run.stdout + run.stderr


@pytest.mark.e2e
def test_a_cluster_run_refuses_the_key_in_the_environment(cluster, tmp_path):
    workdir = _copy_workflow(tmp_path / "env-key")
    (workdir / ".panel-key").unlink(missing_ok=True)
    run = subprocess.run(
        [SNAKEMAKE, "--profile", "profiles/slurm", "--verbose", *FAST],
        cwd=workdir,
        env=_env(BUURTPREVENTIE_PANEL_KEY=KEY),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 1
    assert "panel key: BUURTPREVENTIE_PANEL_KEY is set" in run.stderr
    assert "has been submitted with SLURM jobid" not in run.stderr  # refused before any job
    assert not (workdir / ".snakemake" / "slurm_logs").exists()
    assert not (workdir / "results").exists()


def test_the_key_goes_to_cluster_jobs_only_in_a_private_key_file(tmp_path, monkeypatch):
    key_file = tmp_path / ".panel-key"
    monkeypatch.delenv("TEST_PANEL_KEY", raising=False)
    assert cluster_key_problem("TEST_PANEL_KEY", key_file) == ""  # no key at all
    key_file.write_text("geheim\n", encoding="utf-8")
    key_file.chmod(0o644)
    problem = cluster_key_problem("TEST_PANEL_KEY", key_file)
    assert "can be read by others (mode 644); chmod 600" in problem
    key_file.chmod(0o600)
    assert cluster_key_problem("TEST_PANEL_KEY", key_file) == ""
    monkeypatch.setenv("TEST_PANEL_KEY", "geheim")
    problem = cluster_key_problem("TEST_PANEL_KEY", key_file)
    assert problem.startswith("panel key: TEST_PANEL_KEY is set")
    assert "geheim" not in problem
    assert "\n" not in problem


def test_the_slurm_profile_asks_squeue_and_names_no_placeholder_account():
    import yaml

    profile = yaml.safe_load((ROOT / "profiles" / "slurm" / "config.yaml").read_text("utf-8"))
    assert profile["executor"] == "slurm"
    assert profile["slurm-status-command"] == "squeue"  # sacct hangs without slurmdbd
    assert profile["default-resources"] == {"mem_mb": 2000, "runtime": 15}
