#!/usr/bin/env bash
# Issue 12 on the local executor: a campaign over three metrics from three sources (stdout, jsonl,
# TensorBoard), every number of the report recomputed from the trainer's files
# (metrics_campaign.sh holds the steps and the checks).
source "$(dirname "$0")/lib.sh"
METRICS_EXECUTOR=local
source "$(dirname "$0")/metrics_campaign.sh"
