#!/usr/bin/env bash
# sbatch failing half-way through a campaign: what was submitted is tracked, what was not is
# not recorded as submitted and is submitted by the next refresh.
source "$(dirname "$0")/lib.sh"
setup_fake_project
"$SEEDRUN_BIN" baseline --no-wait >/dev/null 2>&1 || fail "baseline submit"
touch "$FAKE_SLURM_STATE/sbatch_fail"
set +e
"$SEEDRUN_BIN" experiment --flag --noop --no-wait >out.txt 2>err.txt; rc=$?
set -e
[[ $rc -ne 0 ]] || fail "a failed sbatch must exit non-zero"
grep -q "Unable to contact slurm controller" err.txt || fail "sbatch's message not passed on: $(cat err.txt)"
expect_eq "$(db "SELECT count(*) FROM runs r JOIN campaigns c ON c.id=r.campaign_id WHERE c.name='noop' AND r.state='PLANNED' AND r.job_id IS NULL")" 3 "experiment runs left PLANNED"
expect_eq "$(db "SELECT count(*) FROM submissions WHERE state='SUBMITTED'")" 1 "submissions recorded"
set +e
"$SEEDRUN_BIN" refresh --quiet >/dev/null 2>&1
set -e
expect_eq "$(db "SELECT count(*) FROM runs r JOIN campaigns c ON c.id=r.campaign_id WHERE c.name='baseline' AND r.job_id IS NOT NULL")" 5 "baseline still tracked"
rm -f "$FAKE_SLURM_STATE/sbatch_fail"
refresh_until_done 80
expect_eq "$(submitted_tasks | grep -c .)" 2 "job names submitted"
expect_eq "$(submitted_tasks | grep baseline)" "seedrun-baseline_1K-baseline 5" "baseline tasks"
expect_eq "$(submitted_tasks | grep noop)" "seedrun-noop_1K-experiment 5" "experiment tasks (3 + 2 extension)"
pass "failed submissions were retried by refresh, nothing submitted twice"
