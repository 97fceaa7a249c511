#!/usr/bin/env bash
# Issue 9: a log line seedrun cannot read never crashes, hangs or poisons it. A run prints a
# 50,000-digit value, a catastrophic-pattern line of 40,000 characters and a 2 MiB line; with the
# pattern '(?:(a+)+$)|val_loss: ([0-9.]+)' the baseline and an experiment still finish (exit 0),
# the bad lines are skipped with a warning in `status`, every run's value is read, and later
# refreshes work. Config errors about the same matters exit 2 with file:line:col.
source "$(dirname "$0")/lib.sh"
make_workdir
cd "$WORK"
cat > t.py <<'PY'
import sys
seed = int(sys.argv[1])
if seed == 1:
    print("val_loss: " + "7" * 50000)
    print("a" * 30 + "!")
    print("a" * 40000 + "!")
if seed == 2:
    print("val_loss: 5 " + "x" * (2 << 20))
print(f"Step 10 | val_loss: {1 + seed / 100}")
PY
cat > seedrun.yaml <<'YAML'
command: ["/usr/bin/python3", "t.py", "{seed}"]
train_tokens: 1000
seeds: {baseline: [1, 2, 3], experiment: [1, 2, 3], extension: [4, 5]}
metric:
  pattern: '(?:(a+)+$)|val_loss: ([0-9.]+)'
YAML

rc=0
timeout 300 "$SEEDRUN_BIN" baseline --quiet >out.txt 2>err.txt || rc=$?
expect_eq "$rc" 0 "baseline over hostile logs (stderr: $(head -c 500 err.txt))"
status() { timeout 60 "$SEEDRUN_BIN" status --json; }
status >status.json || fail "status"
$PY - status.json <<'PY' || fail "baseline values and warnings: $(cat status.json | head -c 3000)"
import json, sys
runs = {r["seed"]: r for c in json.load(open(sys.argv[1]))["campaigns"] for r in c["runs"]}
assert sorted(runs) == [1, 2, 3], runs.keys()
for seed, r in runs.items():
    assert r["state"] == "COMPLETED", (seed, r["state"])
    assert abs(r["val_loss"] - (1 + seed / 100)) < 1e-12, (seed, r["val_loss"])
w1, w2 = runs[1]["warning"] or "", runs[2]["warning"] or ""
assert "1 line skipped, the first at byte 0: a value of 50000 characters is not a number" in w1, w1
assert "1 line skipped, the first at byte 0: a line of 2097164 bytes (the limit is 1048576) was not scanned" in w2, w2
assert runs[3]["warning"] is None, runs[3]["warning"]
PY
pass "baseline: the 50,000-digit, catastrophic and 2 MiB lines were skipped with warnings; all values read"
report=$(ls docs/research/baseline_variance_1K*.md | head -1)
grep -qF "## Log Warnings" "$report" || fail "no Log Warnings section in $report"
grep -qF "a value of 50000 characters is not a number" "$report" || fail "the warning is not in $report"
$PY -c "import json,sys; w=json.load(open(sys.argv[1]))['log_warnings']; assert len(w) == 2, w" "${report%.md}.json" \
  || fail "log_warnings in ${report%.md}.json"
pass "the baseline report lists the log warnings (markdown and JSON)"

for i in 1 2; do
  rc=0
  timeout 60 "$SEEDRUN_BIN" refresh >/dev/null 2>&1 || rc=$?
  expect_eq "$rc" 0 "refresh $i after the hostile logs"
done
pass "later refreshes exit 0"

rc=0
timeout 300 "$SEEDRUN_BIN" experiment --flag --x --quiet >out.txt 2>err.txt || rc=$?
expect_eq "$rc" 0 "experiment over hostile logs (stderr: $(head -c 500 err.txt))"
status >status.json || fail "status after the experiment"
$PY - status.json <<'PY' || fail "experiment values: $(head -c 3000 status.json)"
import json, sys
camps = {c["kind"]: c for c in json.load(open(sys.argv[1]))["campaigns"]}
exp = camps["experiment"]
assert exp["state"] == "DONE" and exp["verdict"], (exp["state"], exp["verdict"])
assert all(r["state"] == "COMPLETED" for r in exp["runs"]), [r["state"] for r in exp["runs"]]
PY
pass "an experiment over the same logs reaches its verdict"

# Config errors: exit 2 with the position, before anything runs.
config_error() { # name, yaml, expected message part
  mkdir -p "$WORK/cfg-$1" && cd "$WORK/cfg-$1"
  printf '%s' "$2" >seedrun.yaml
  local rc=0
  timeout 30 "$SEEDRUN_BIN" baseline --quiet >/dev/null 2>err.txt || rc=$?
  expect_eq "$rc" 2 "$1: exit code (stderr: $(head -c 300 err.txt))"
  grep -qF -- "$3" err.txt || fail "$1: expected '$3' in: $(head -c 300 err.txt)"
  [[ ! -e .seedrun ]] || fail "$1: a store was created before the config was checked"
  cd "$WORK"
}
base=$'command: ["/usr/bin/python3", "t.py", "{seed}"]\n'
config_error name "${base}metric: {name: \"loss(\"}"$'\n' "seedrun.yaml:2:16: metric.name must be"
config_error backref "${base}metric: {pattern: '(a)\\1 ([0-9]+)'}"$'\n' "(RE2 syntax has no backreferences)"
config_error timeout "${base}slurm: {sacct_timeout: 4294967296}"$'\n' \
  "seedrun.yaml:2:24: 'slurm.sacct_timeout' must be an integer from 1 to 86400, got '4294967296'"
config_error nul $'command: ["/usr/bin/python3", "t.py\\0x", "{seed}"]\n' "must not contain a NUL character"
pass "config errors exit 2 with file:line:col"

rc=0
timeout 60 "$SEEDRUN_BIN" experiment --flag --y --name "$(printf 'n%.0s' {1..240})" --quiet >/dev/null 2>err.txt || rc=$?
expect_eq "$rc" 2 "a 240-byte --name"
grep -qF "at most 128 are allowed" err.txt || fail "--name message: $(cat err.txt)"
rc=0
timeout 60 "$SEEDRUN_BIN" refresh >/dev/null 2>&1 || rc=$?
expect_eq "$rc" 0 "refresh after the refused --name"
pass "a 240-byte --name is a usage error (exit 2) and later refreshes still work"
