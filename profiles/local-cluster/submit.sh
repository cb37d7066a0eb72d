#!/usr/bin/env bash
# A stand-in for a cluster's submit command (sbatch, qsub): runs the job script
# as its own process in the background and prints a job id. Used by the test
# that runs the workflow under the cluster-generic executor plugin.
set -euo pipefail
jobscript="${@: -1}"
nohup bash "$jobscript" > "${jobscript}.out" 2>&1 &
mkdir -p .snakemake
echo "local-$! $(basename "$jobscript")" >> .snakemake/local-cluster-submissions.log
echo "local-$!"
