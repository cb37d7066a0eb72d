"""The workflow runs unchanged under a Snakemake executor plugin (cluster-generic).

Every job is submitted through ``profiles/local-cluster/submit.sh``, which
starts the job script as its own background process, as a cluster would. The
run must build every target, so no job relies on state that another job left
in memory or outside its declared outputs.
"""

import pandas as pd
import pytest
from test_workflow import _copy_workflow, _snakemake

pytestmark = pytest.mark.e2e


def test_workflow_runs_under_the_cluster_generic_executor(tmp_path):
    workdir = _copy_workflow(tmp_path / "cluster")
    result = _snakemake(workdir, "--profile", "profiles/local-cluster")
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    submitted = (workdir / ".snakemake" / "local-cluster-submissions.log").read_text().splitlines()
    # every job of the DAG (18, all but the local target `all`) went through the submit command
    jobs = {line.split()[1].split(".")[1] for line in submitted}
    assert len(submitted) >= 18
    assert {"ingest_wave", "comparisons", "parse_chat", "report"} <= jobs
    assert (workdir / "results" / "report" / "rapport.pdf").stat().st_size > 100_000
    comparison = pd.read_csv(workdir / "results" / "tables" / "published_vs_reproduced.csv")
    core = comparison[comparison["table"].str.match(r"tabel[146]|footnote")]
    assert core["match"].all()
