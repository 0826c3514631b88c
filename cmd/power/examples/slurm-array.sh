#!/bin/bash
# A study of 1,000,000 trials as a Slurm job array of 100 shards, then a
# merge job that waits for all of them.
#
#   sbatch --parsable examples/slurm-array.sh          # prints the array job id, e.g. 4242
#   sbatch --dependency=afterok:4242 --wrap "power merge -out results/result.json results/part-*.json"
#
# Every shard gets the same -design, -trials and -seed; the shard index comes
# from SLURM_ARRAY_TASK_ID (0-based, hence --array=0-99). The merged result is
# byte-identical to a single run of all trials on one machine.
#SBATCH --job-name=power-ketamine
#SBATCH --array=0-99
#SBATCH --cpus-per-task=4
#SBATCH --mem=1G
#SBATCH --time=00:30:00
#SBATCH --output=logs/power-%A_%a.out
set -euo pipefail
SHARDS=100
mkdir -p results
# Logs are not terminals: power draws no progress bar there.
power -design examples/ketamine-vs-ssri.yaml -trials 1000000 -seed 20261125 \
  -workers "${SLURM_CPUS_PER_TASK}" \
  -shard "${SLURM_ARRAY_TASK_ID}/${SHARDS}" \
  -out "results/part-${SLURM_ARRAY_TASK_ID}.json"
