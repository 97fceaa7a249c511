#!/usr/bin/env bash
# The long versions of the reliability tests: 200 kill -9 at random points across a campaign
# (three seeds of randomness), 20 overlapping refreshes (five rounds), and each fault once
# more; prints a table of faults injected and what survived (docs/reliability.md holds one).
# Needs a built binary: SEEDRUN_BIN (default build/asan/seedrun, else build/dev/seedrun).
set -uo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
export SEEDRUN_SOURCE_DIR="$root"
if [[ -z "${SEEDRUN_BIN:-}" ]]; then
  for b in "$root/build/asan/seedrun" "$root/build/dev/seedrun" "$root/build/release/seedrun"; do
    [[ -x $b ]] && export SEEDRUN_BIN=$b && break
  done
fi
[[ -x "${SEEDRUN_BIN:-}" ]] || { echo "soak: build seedrun first (scripts/test.sh)" >&2; exit 1; }
rows=()
run() { # name, what survived, command...
  local name="$1" check="$2"; shift 2
  local start=$SECONDS out rc
  out=$("$@" 2>&1); rc=$?
  local verdict="PASS"; [[ $rc -eq 0 ]] || verdict="FAIL"
  local detail; detail=$(echo "$out" | grep -E '^(ok|kill9|FAIL):' | tail -1 | cut -c1-90)
  rows+=("| $name | $check | $verdict | $((SECONDS - start)) s | $detail |")
  [[ $rc -eq 0 ]] || echo "$out" | tail -20 >&2
}
rel="$root/tests/reliability"
for s in 11 23 37; do
  KILLS=67 KILL_SEED=$s KILL_MAX_MS="${KILL_MAX_MS:-50}" run "kill -9 x67 (seed $s)" "integrity_check ok, every job tracked, no seed submitted twice, reports right" bash "$rel/test_kill9.sh"
done
for r in 1 2 3 4 5; do
  OVERLAP=20 run "20 refreshes at once (round $r)" "extension submitted exactly once" bash "$rel/test_overlap.sh"
done
run "sacct hang / garbage / down / truncated" "exit 3, store byte-identical, catch-up after recovery" bash "$rel/test_sacct_faults.sh"
run "sbatch failing half-way" "nothing recorded as submitted, resubmitted by refresh, no duplicates" bash "$rel/test_sbatch_halfway.sh"
run "log truncated and rotated" "offset reset, no duplicate points, warning in status" bash "$rel/test_log_rotation.sh"
run "NODE_FAIL of two tasks, exit 3 of one" "infrastructure failures resubmitted alone, training failure kept until retry" bash "$rel/test_retry.sh"
run "accounting disabled" "squeue fallback completes the campaign, said once" bash "$rel/test_accounting_disabled.sh"
run "disk full writing a report" "error, old report intact, no temp file" bash "$rel/test_disk_full.sh"
if sinfo -h >/dev/null 2>&1; then
  run "slurmdbd stopped (real Slurm)" "exit 3, store unchanged, catch-up after restart" bash "$root/tests/integration/test_slurm_dbd_down.sh"
fi
echo
echo "| fault injected | what must survive | result | time | detail |"
echo "|---|---|---|---|---|"
printf '%s\n' "${rows[@]}"
! printf '%s\n' "${rows[@]}" | grep -q '| FAIL |'
