#!/usr/bin/env bash
# emoeval as a Slurm job array: one array task per shard. Submit with
#   sbatch --array=0-3 deploy/slurm-array.sh emoeval.yaml
# then join the shards:
#   emoeval merge runs/dfew-fold5/shard-* -o runs/dfew-fold5/merged
# emoeval reads SLURM_ARRAY_TASK_ID (relative to SLURM_ARRAY_TASK_MIN) as the shard index.
#SBATCH --job-name=emoeval
#SBATCH --cpus-per-task=2
#SBATCH --mem=4G
#SBATCH --time=04:00:00
#SBATCH --output=logs/emoeval-%A_%a.out
#SBATCH --requeue
set -euo pipefail
config=${1:?usage: sbatch --array=0-N deploy/slurm-array.sh emoeval.yaml}
count=$(( SLURM_ARRAY_TASK_MAX - SLURM_ARRAY_TASK_MIN + 1 ))
name=$(awk '/^name:/ {print $2; exit}' "$config")
# VLLM_API_KEY (or the variable the config names) must be in the job's environment.
exec emoeval run -c "$config" --shard-count "$count" --out "runs/$name/shard-$SLURM_ARRAY_TASK_ID"
