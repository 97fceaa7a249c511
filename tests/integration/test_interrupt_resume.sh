#!/usr/bin/env bash
# Ctrl-C during a baseline: the running child is ended, its run is CANCELLED, seedrun exits 130;
# the next `seedrun baseline` resumes: completed seeds are not run again.
source "$(dirname "$0")/lib.sh"
make_workdir
cd "$WORK"
cat > slow.py <<'PY'
import sys, time
seed = int(sys.argv[1])
for step in range(3):
    print(f"Step {step} | val_loss: {2.0 + seed / 10000 + step / 100:.4f}", flush=True)
    time.sleep(0.6)
PY
cat > seedrun.yaml <<'YAML'
command: ["/usr/bin/python3", "slow.py", "{seed}", "SEEDRUN_IT_MARKER_$PPID"]
train_tokens: 1000
seeds: {baseline: [11, 22, 33]}
YAML
"$SEEDRUN_BIN" baseline >out.txt 2>err.txt &
pid=$!
for _ in $(seq 100); do
  n=$("$SEEDRUN_BIN" status --json 2>/dev/null | $PY -c 'import json,sys; print(sum(r["state"]=="COMPLETED" for c in json.load(sys.stdin)["campaigns"] for r in c["runs"]))' 2>/dev/null || echo 0)
  [[ "$n" -ge 1 ]] && break
  sleep 0.2
done
sleep 0.5
kill -INT "$pid"
set +e
wait "$pid"; rc=$?
set -e
expect_eq "$rc" 130 "exit code after Ctrl-C"
sleep 0.3
if pgrep -f 'slow.py' >/dev/null; then fail "training child still running after Ctrl-C"; fi
"$SEEDRUN_BIN" status --json > s1.json
$PY - <<'PYEOF' || fail "states after Ctrl-C: $(cat s1.json)"
import json
runs = json.load(open("s1.json"))["campaigns"][0]["runs"]
states = [r["state"] for r in runs]
assert states[0] == "COMPLETED", states
assert "CANCELLED" in states, states
PYEOF
pass "Ctrl-C cancels the running seed and exits 130"

"$SEEDRUN_BIN" baseline >out2.txt 2>err2.txt || fail "resume failed: $(cat err2.txt)"
grep -q "resuming" err2.txt || fail "no resume message: $(cat err2.txt)"
"$SEEDRUN_BIN" status --json > s2.json
$PY - <<'PYEOF' || fail "states after resume: $(cat s2.json)"
import json
runs = json.load(open("s2.json"))["campaigns"][0]["runs"]
by_seed = {r["seed"]: r for r in runs}
assert all(r["state"] == "COMPLETED" for r in runs), runs
assert by_seed[11]["attempt"] == 1, "the completed seed was run again"
assert max(r["attempt"] for r in runs) == 2
PYEOF
pass "the next invocation resumes and keeps completed seeds"

# kill -9 of seedrun itself: its training child goes too (no orphan keeps writing), a refresh
# marks the orphaned run CANCELLED, and the next baseline resumes it.
"$SEEDRUN_BIN" baseline --force >/dev/null 2>&1 &
pid=$!
sleep 1.2
kill -9 "$pid"
wait "$pid" 2>/dev/null || true
sleep 0.5
if pgrep -f 'slow.py' >/dev/null; then fail "training kept running after kill -9 of seedrun"; fi
"$SEEDRUN_BIN" refresh 2>err3.txt || fail "refresh: $(cat err3.txt)"
grep -q "whose seedrun process is gone marked CANCELLED" err3.txt || fail "orphans not reported: $(cat err3.txt)"
"$SEEDRUN_BIN" baseline >/dev/null 2>&1 || fail "resume after kill -9"
expect_eq "$("$SEEDRUN_BIN" status --json | $PY -c 'import json,sys; print(all(r["state"]=="COMPLETED" for r in json.load(sys.stdin)["campaigns"][0]["runs"]))')" True "all seeds after resume"
pass "kill -9 of seedrun: no orphaned training, refresh says so, the next run resumes"
