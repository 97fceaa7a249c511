#!/usr/bin/env bash
# When sacct says accounting is disabled, refresh falls back to one squeue call and the job
# output files, says so once, and still completes the campaign.
source "$(dirname "$0")/lib.sh"
setup_fake_project
echo disabled > "$FAKE_SLURM_STATE/sacct_mode"
"$SEEDRUN_BIN" baseline --no-wait >/dev/null 2>&1 || fail "submit"
sleep 2
"$SEEDRUN_BIN" refresh 2>err.txt || fail "refresh: $(cat err.txt)"
grep -q "accounting storage is disabled" err.txt || fail "no notice: $(cat err.txt)"
expect_eq "$(grep -c 'accounting storage is disabled' err.txt)" 1 "notices per refresh"
refresh_until_done 60
expect_eq "$(db "SELECT count(*) FROM runs WHERE state='COMPLETED'")" 5 "completed from squeue + output files"
[[ "$(grep -c '^squeue ' "$FAKE_SLURM_STATE/calls.log")" -ge 1 ]] || fail "squeue was not asked"
pass "accounting disabled: squeue fallback completes the campaign"
