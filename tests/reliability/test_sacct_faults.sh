#!/usr/bin/env bash
# sacct hanging past its timeout, printing garbage, or refusing (accounting down): refresh
# exits 3 with a clear message and the store is byte-for-byte unchanged; a truncated line is
# skipped; the first refresh after recovery catches up.
source "$(dirname "$0")/lib.sh"
setup_fake_project
"$SEEDRUN_BIN" baseline --no-wait >/dev/null 2>&1 || fail "submit"
sleep 1.5
dump() { db .dump | md5sum; }
for mode in hang garbage down; do
  echo "$mode" > "$FAKE_SLURM_STATE/sacct_mode"
  before=$(dump)
  start=$(date +%s)
  set +e
  "$SEEDRUN_BIN" refresh 2>err.txt; rc=$?
  set -e
  took=$(( $(date +%s) - start ))
  expect_eq "$rc" 3 "exit code with sacct $mode"
  [[ -s err.txt ]] || fail "no message with sacct $mode"
  grep -q "seedrun: error:" err.txt || fail "message with sacct $mode: $(cat err.txt)"
  expect_eq "$(dump)" "$before" "store after sacct $mode"
  [[ $took -le 10 ]] || fail "sacct $mode took ${took}s (timeout is 3 s)"
  pass "sacct $mode: exit 3 in ${took}s, store unchanged ($(head -c 120 err.txt))"
done
echo truncate > "$FAKE_SLURM_STATE/sacct_mode"
"$SEEDRUN_BIN" refresh --quiet 2>err.txt || fail "a truncated line must not fail the refresh: $(cat err.txt)"
rm -f "$FAKE_SLURM_STATE/sacct_mode"
refresh_until_done 60
expect_eq "$(db "SELECT count(*) FROM runs WHERE state='COMPLETED'")" 5 "completed seeds after recovery"
[[ -f docs/research/baseline_variance_1K.md ]] || fail "no report after recovery"
pass "the next refresh after recovery catches up"
