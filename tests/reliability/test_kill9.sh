#!/usr/bin/env bash
# kill -9 of `seedrun experiment` and `seedrun refresh` at random delays (0 to KILL_MAX_MS ms), KILLS times (default
# 20 here; scripts/soak.sh runs 200): afterwards PRAGMA integrity_check is ok, every submitted
# job is tracked, no seed was submitted twice (tasks per job name counted at the fake sbatch),
# and a final refresh completes the campaign with the right reports.
source "$(dirname "$0")/lib.sh"
setup_fake_project
kills="${KILLS:-20}"
max_ms="${KILL_MAX_MS:-250}" # the ASan build starts slower than the release one: a wider window
"$SEEDRUN_BIN" status >/dev/null  # the store exists before the first kill
seed="${KILL_SEED:-7}"
RANDOM=$seed
killed=0
finished=0
for i in $(seq "$kills"); do
  if (( i % 3 == 1 )); then
    "$SEEDRUN_BIN" experiment --flag --noop --no-wait >/dev/null 2>&1 &
  else
    "$SEEDRUN_BIN" refresh --quiet >/dev/null 2>&1 &
  fi
  pid=$!
  sleep "$(printf '0.%03d' $(( RANDOM % max_ms )))"
  if kill -9 "$pid" 2>/dev/null; then killed=$((killed + 1)); else finished=$((finished + 1)); fi
  wait "$pid" 2>/dev/null || true
done
ic=$(db "PRAGMA integrity_check")
expect_eq "$ic" ok "integrity_check after $kills kills"
# every job the fake Slurm accepted is tracked by some run (after reconciliation)
sleep "$SEEDRUN_INTENT_GRACE_SECONDS"
"$SEEDRUN_BIN" experiment --flag --noop --no-wait >/dev/null 2>&1 || true
refresh_until_done 120
expect_eq "$(db "PRAGMA integrity_check")" ok "integrity_check at the end"
jobs_known=$($PY -c "import json; print(' '.join(sorted(json.load(open('$FAKE_SLURM_STATE/jobs.json')))))")
for j in $jobs_known; do
  n=$(db "SELECT count(*) FROM submissions WHERE job_id = '$j'")
  [[ "$n" -ge 1 ]] || fail "job $j submitted to Slurm is not tracked"
done
expect_eq "$(submitted_tasks | grep baseline)" "seedrun-baseline_1K-baseline 5" "baseline tasks submitted"
expect_eq "$(submitted_tasks | grep noop)" "seedrun-noop_1K-experiment 5" "experiment tasks submitted"
$PY - <<'PYEOF' || fail "reports"
import json
b = json.load(open("docs/research/baseline_variance_1K.json"))
e = json.load(open("docs/research/experiment_noop_1K.json"))
assert b["baseline"]["n"] == 5, b["baseline"]
assert e["experiment"]["n"] == 5 and e["baseline"]["n"] == 5, e
assert e["verdict"] == "NEUTRAL", e["verdict"]
PYEOF
echo "kill9: kills=$kills killed=$killed finished_first=$finished integrity=ok duplicates=0 lost=0"
pass "kill -9 x$kills ($killed mid-flight): store intact, nothing lost, nothing submitted twice"
