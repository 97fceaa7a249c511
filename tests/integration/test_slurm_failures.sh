#!/usr/bin/env bash
# Failure states produced for real on the local Slurm: a seed that exits 3 (FAILED 3:0), one
# over its time limit (TIMEOUT; slurmctld checks every 30 s, so up to ~150 s), one scancelled
# (CANCELLED). Each is shown in status, excluded from the statistics, listed in the report.
source "$(dirname "$0")/lib.sh"
sinfo -h >/dev/null 2>&1 || fail "no Slurm cluster answers (scripts/slurm-local.sh start)"
make_workdir
cd "$WORK"
cat > job.py <<'PY'
import sys, time
seed = int(sys.argv[1])
print(f"Step 1 | val_loss: {1.0 + seed / 100:.4f}", flush=True)
if seed == 1:
    sys.exit(3)
if seed in (2, 3):
    time.sleep(400)
PY
cat > seedrun.yaml <<'YAML'
command: ["/usr/bin/python3", "job.py", "{seed}"]
train_tokens: 1000
seeds: {baseline: [1, 2, 3, 4]}
executor: slurm
fail_fast: false  # seed 1 fails at once on purpose; the other three must still run
slurm:
  time: "00:01:00"
  max_parallel: 4
YAML
"$SEEDRUN_BIN" baseline --no-wait >/dev/null 2>err.txt || fail "submit: $(cat err.txt)"
# scancel seed 3's task once it runs
for _ in $(seq 60); do
  "$SEEDRUN_BIN" refresh >/dev/null 2>&1 || true
  job=$("$SEEDRUN_BIN" status --json | $PY -c '
import json,sys
for r in json.load(sys.stdin)["campaigns"][0]["runs"]:
    if r["seed"] == 3 and r["state"] == "RUNNING": print(r["job_id"])')
  [[ -n "$job" ]] && break
  sleep 2
done
[[ -n "$job" ]] || fail "seed 3 never ran"
scancel "$job"
for _ in $(seq 100); do
  "$SEEDRUN_BIN" refresh >/dev/null 2>&1 || true
  state=$("$SEEDRUN_BIN" status --json | $PY -c 'import json,sys; print(json.load(sys.stdin)["campaigns"][0]["state"])')
  [[ "$state" == DONE ]] && break
  sleep 3
done
expect_eq "$state" DONE "campaign state"
"$SEEDRUN_BIN" status > status.txt
"$SEEDRUN_BIN" status --json > s.json
$PY - <<'PYEOF' || fail "states: $(cat status.txt)"
import json
runs = {r["seed"]: r for r in json.load(open("s.json"))["campaigns"][0]["runs"]}
assert runs[1]["state"] == "FAILED" and runs[1]["exit_code"] == 3, runs[1]
assert runs[2]["state"] == "TIMEOUT", runs[2]
assert runs[3]["state"] == "CANCELLED", runs[3]
assert runs[4]["state"] == "COMPLETED", runs[4]
rep = json.load(open("docs/research/baseline_variance_1K.json"))
assert rep["baseline"]["n"] == 1, rep["baseline"]
assert len(rep["excluded"]) == 3, rep["excluded"]
PYEOF
grep -q "TIMEOUT" status.txt && grep -q "exit code 3" status.txt || fail "status does not show the failures"
grep -q "seed 2 TIMEOUT" docs/research/baseline_variance_1K.md || fail "report does not list the timeout"
pass "FAILED 3:0, TIMEOUT and CANCELLED shown, excluded and listed"
