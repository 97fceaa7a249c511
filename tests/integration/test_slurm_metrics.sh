#!/usr/bin/env bash
# Issue 12 against the real local Slurm (scripts/slurm-local.sh): a campaign over three metrics
# from three sources (stdout, jsonl, TensorBoard) run as Slurm arrays, every number of the report
# recomputed from the trainer's files (metrics_campaign.sh holds the steps and the checks).
# Fails, never skips, when the cluster is not up.
source "$(dirname "$0")/lib.sh"
sinfo -h >/dev/null 2>&1 || fail "no Slurm cluster answers (scripts/slurm-local.sh start): $(sinfo 2>&1 | head -3)"
METRICS_EXECUTOR=slurm
source "$(dirname "$0")/metrics_campaign.sh"
