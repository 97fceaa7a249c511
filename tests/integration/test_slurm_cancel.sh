#!/usr/bin/env bash
# Against the real local Slurm: `seedrun cancel` from a second shell while `seedrun baseline`
# waits in the first (issue 10 item 9). The waiting command's sacct answer is held back 3 s and
# the cancel is issued in that window, where an answer read before the scancel used to be
# written back over CANCELLED. Afterwards every run is CANCELLED in the store (also
# after the waiter's later steps and two refreshes), the campaign is CANCELLED, nothing of the
# array is left in squeue, and sacct shows every task CANCELLED. Fails, never skips, when the
# cluster is not up.
source "$(dirname "$0")/lib.sh"
sinfo -h >/dev/null 2>&1 || fail "no Slurm cluster answers (scripts/slurm-local.sh start): $(sinfo 2>&1 | head -3)"
make_workdir
cd "$WORK"
cat > job.py <<'PY'
import sys, time
print("Step 1 | val_loss: 1.0", flush=True)
time.sleep(240)
PY
cat > seedrun.yaml <<'YAML'
command: ["/usr/bin/python3", "job.py", "{seed}"]
train_tokens: 1000
seeds: {baseline: [1, 2, 3]}
executor: slurm
slurm: {max_parallel: 2}
YAML
mkdir -p slow
real="$(command -v sacct)"
# The real answer first, then 3 s before handing it over: an answer from before the cancel.
cat > slow/sacct <<SH
#!/bin/sh
"$real" "\$@" > "$WORK/sacct.\$\$.out"; rc=\$?
touch "$WORK/in-sacct"
sleep 3
cat "$WORK/sacct.\$\$.out"
rm -f "$WORK/in-sacct" "$WORK/sacct.\$\$.out"
exit \$rc
SH
chmod +x slow/sacct
runs_json() {
  "$SEEDRUN_BIN" status --json | $PY -c '
import json, sys
cs = json.load(sys.stdin)["campaigns"]
print(" ".join([cs[0]["state"]] + [r["state"] for r in cs[0]["runs"]]) if cs else "none")'
}

PATH="$WORK/slow:$PATH" "$SEEDRUN_BIN" baseline >waiter.out 2>waiter.err &
waiter=$!
trap 'kill "$waiter" 2>/dev/null || true; rm -rf "$WORK"' EXIT
for _ in $(seq 120); do
  [[ "$(runs_json)" == *RUNNING* ]] && break
  sleep 0.5
done
[[ "$(runs_json)" == *RUNNING* ]] || fail "no run became RUNNING: $(runs_json); $(cat waiter.err)"
rm -f in-sacct
for _ in $(seq 240); do [[ -e in-sacct ]] && break; sleep 0.25; done # the waiter's next sacct
[[ -e in-sacct ]] || fail "the waiting seedrun made no further sacct call"
array=$(sqlite3 .seedrun/seedrun.db "SELECT job_id FROM submissions WHERE state = 'SUBMITTED'")
"$SEEDRUN_BIN" cancel >cancel.out 2>cancel.err || fail "cancel: $(cat cancel.err)"
expect_eq "$(runs_json)" "CANCELLED CANCELLED CANCELLED CANCELLED" "campaign and runs right after seedrun cancel"
pass "seedrun cancel during the waiter's sacct: $(cat cancel.out)"

for _ in $(seq 240); do kill -0 "$waiter" 2>/dev/null || break; sleep 0.5; done
if kill -0 "$waiter" 2>/dev/null; then
  fail "the waiting seedrun baseline did not stop within 120 s of the cancel"
fi
set +e
wait "$waiter"
rc=$?
set -e
echo "waiting seedrun baseline exited $rc: $(tail -2 waiter.out | tr '\n' ' ')"
expect_eq "$(runs_json)" "CANCELLED CANCELLED CANCELLED CANCELLED" "campaign and runs after the waiter's last step"
"$SEEDRUN_BIN" refresh >/dev/null 2>&1 || fail "refresh after cancel"
sleep 2
"$SEEDRUN_BIN" refresh >/dev/null 2>&1 || fail "second refresh after cancel"
expect_eq "$(runs_json)" "CANCELLED CANCELLED CANCELLED CANCELLED" "campaign and runs after two refreshes"
[[ -z "$(squeue -h -j "$array" 2>/dev/null)" ]] || fail "tasks still queued after seedrun cancel: $(squeue -j "$array")"
states=""
for _ in $(seq 40); do
  states=$(sacct -X -n -P -j "$array" --format=JobName,State | grep -v '^allocation|' | cut -d'|' -f2 | cut -d' ' -f1 | sort | uniq -c | tr -s ' ')
  [[ "$states" == " 3 CANCELLED" ]] && break
  sleep 0.5
done
expect_eq "$states" " 3 CANCELLED" "sacct states of array $array"
pass "every run CANCELLED in the store and in Slurm; nothing left in squeue"
