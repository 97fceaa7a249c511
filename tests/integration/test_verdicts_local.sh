#!/usr/bin/env bash
# Issue 10 on the local executor, with the real binary and real processes: no verdict from one
# seed, failures loud (fail_fast, the trainer's own last lines, exit 1), a 2σ WINNER that
# Welch does not back runs the extension seeds, --dry-run, a cancel from a second terminal, a
# cancelled campaign resumed, and a log deleted mid-run marked unreliable. The trainer is
# tests/fixtures/verdicts/train.py, a fake that trains nothing (see its docstring).
source "$(dirname "$0")/lib.sh"
make_workdir
cd "$WORK"
cp "$SEEDRUN_SOURCE_DIR/tests/fixtures/verdicts/train.py" .
cat >seedrun.yaml <<'YAML'
command: [/usr/bin/python3, train.py, --seed, "{seed}", --train_tokens, "{train_tokens}", --output_dir, "{output_dir}", "{flags}"]
train_tokens: 1000
YAML
json() { "$SEEDRUN_BIN" status --json; }
started() { [[ -f started.txt ]] && wc -l <started.txt || echo 0; }

# 1. A baseline whose every seed fails: exit 1, the trainer's own error shown, fail_fast stops
#    after the first seed.
echo "42,137,256,512,1024" >fail_seeds.txt
rc=0; "$SEEDRUN_BIN" baseline >out.txt 2>err.txt || rc=$?
expect_eq "$rc" 1 "exit code of a baseline with 0 of 5 seeds"
grep -q "is not usable: 0 counted seeds of 5" out.txt || fail "no usable-baseline line: $(cat out.txt)"
grep -q "CUDA out of memory (simulated" out.txt err.txt || fail "the trainer's error is not shown"
grep -q "fail_fast: seed 42 failed after" err.txt || fail "fail_fast not announced: $(cat err.txt)"
expect_eq "$(started)" 1 "trainer processes started by a failing baseline"
"$SEEDRUN_BIN" status >status.txt
grep -q "first failure: seed 42 FAILED" status.txt || fail "status does not show the first failure: $(cat status.txt)"
grep -q "CUDA out of memory" docs/research/baseline_variance_1K.md || fail "report lacks the failure's last lines"
pass "every seed failing: exit 1, the cause in terminal, status and report, 1 process instead of 5"

rc=0; "$SEEDRUN_BIN" experiment --flag --shift=-0.1 >out.txt 2>err.txt || rc=$?
expect_eq "$rc" 1 "experiment against an unusable baseline"
grep -q "baseline baseline_1K is not usable" err.txt || fail "no reason given: $(cat err.txt)"
pass "an experiment refuses to judge against an unusable baseline"

# 2. Fixed trainer: the baseline is retried and becomes usable.
: >fail_seeds.txt
"$SEEDRUN_BIN" retry baseline_1K >out.txt 2>err.txt || fail "retry failed: $(cat err.txt)"
"$SEEDRUN_BIN" baseline >out.txt 2>err.txt || fail "baseline after the retry: $(cat out.txt err.txt)"
grep -q "already exists" err.txt || fail "the retried baseline is not complete: $(cat err.txt)"

# 3. A typo'd flag: the experiment's first seed dies at once; the other two never run.
: >started.txt
rc=0; "$SEEDRUN_BIN" experiment --flag --shfit=-0.1 >out.txt 2>err.txt || rc=$?
expect_eq "$rc" 1 "exit code with a typo'd flag"
grep -q "unrecognized arguments: --shfit=-0.1" out.txt err.txt || fail "argparse's message not shown"
grep -q "^Verdict for shfit_0\.1_1K: INCOMPLETE" out.txt || fail "verdict not INCOMPLETE: $(cat out.txt)"
grep -q "NEUTRAL\|WINNER" out.txt && fail "a verdict was claimed: $(cat out.txt)"
expect_eq "$(started)" 1 "trainer processes started for a typo'd flag"
pass "typo'd flag: INCOMPLETE, exit 1, argparse's message, no wasted seeds"

# 4. Two of three seeds fail after one succeeded: no verdict from one seed.
echo "137,256" >fail_seeds.txt
rc=0; "$SEEDRUN_BIN" experiment --name onlyone --flag --shift=-0.5 >out.txt 2>err.txt || rc=$?
expect_eq "$rc" 1 "exit code with one counted seed"
grep -q "experiment has 1 counted seed of 3 (failed: 137, 256)" out.txt || fail "reason missing: $(cat out.txt)"
md=docs/research/experiment_onlyone_1K.md
grep -q "## Verdict: INCOMPLETE" $md || fail "report verdict is not INCOMPLETE"
grep -q "## Experiment Statistics (N=1 runs; 2 of 3 seeds not counted" $md || fail "N line: $(grep Statistics $md)"
grep -q "WINNER" $md && fail "the report claims a WINNER from one seed"
pass "one counted seed of three: INCOMPLETE in terminal and report, exit 1"
: >fail_seeds.txt

# 5. A WINNER by the 2σ rule that Welch does not back gets the extension seeds.
"$SEEDRUN_BIN" experiment --name lr --flag --shift=-0.05 --flag --spread=0.02 >out.txt 2>err.txt ||
  fail "unconfirmed winner: $(cat out.txt err.txt)"
grep -q "WINNER by the 2σ rule but not confirmed" err.txt || fail "no extension reason: $(cat err.txt)"
$PY - <<'PYEOF' || fail "extension seeds were not run"
import json
rep = json.load(open("docs/research/experiment_lr_1K.json"))
assert rep["experiment"]["n"] == 5, rep["experiment"]
assert rep["rule_verdict"] == "WINNER" and rep["verdict"] == "WINNER", rep["verdict"]
assert rep["detectable_effect_80"]["cohens_d"] is not None
PYEOF
pass "unconfirmed 2σ WINNER: the extension seeds ran"
"$SEEDRUN_BIN" analyze lr_1K --output analysis_lr >an.txt 2>&1 || fail "analyze: $(cat an.txt)"
headline=$($PY -c 'import json; print(json.load(open("docs/research/experiment_lr_1K.json"))["headline"])')
grep -qF "$headline" analysis_lr/report.md || fail "analyze does not give the report's verdict '$headline'"
grep -qF "$headline" <("$SEEDRUN_BIN" status lr_1K) || fail "status does not give the report's verdict"
pass "report, status and analyze give the same assessment"

# 6. --dry-run: literal argv, no process, nothing stored; the pattern checked on a sample line.
campaigns_before=$(json | $PY -c 'import json,sys; print(len(json.load(sys.stdin)["campaigns"]))')
: >started.txt
"$SEEDRUN_BIN" experiment --dry-run --flag '$(touch pwned)' --sample-line 'Step 3 | val_loss: 2.5' >dry.txt ||
  fail "dry run: $(cat dry.txt)"
grep -qF "seed 42: /usr/bin/python3 train.py --seed 42 --train_tokens 1000 --output_dir" dry.txt || fail "$(cat dry.txt)"
grep -qF "'\$(touch pwned)'" dry.txt || fail "flag not shown literally: $(cat dry.txt)"
grep -q "reads val_loss = 2.5" dry.txt || fail "pattern check: $(cat dry.txt)"
[[ ! -e pwned ]] || fail "a flag ran a command"
expect_eq "$(started)" 0 "processes started by --dry-run"
expect_eq "$(json | $PY -c 'import json,sys; print(len(json.load(sys.stdin)["campaigns"]))')" "$campaigns_before" "campaigns after --dry-run"
rc=0; "$SEEDRUN_BIN" experiment --dry-run --flag --x --sample-line 'val loss 2.5' >dry.txt || rc=$?
expect_eq "$rc" 1 "dry run with a sample line the pattern misses"
pass "--dry-run prints literal argv, runs and stores nothing, checks the pattern"

# 7. Cancel from a second terminal: the waiting command stops its training and exits 1.
echo 30 >sleep.txt
"$SEEDRUN_BIN" experiment --name slow --flag --shift=0 >bg_out.txt 2>bg_err.txt &
bg=$!
for _ in $(seq 100); do
  json | grep -q '"RUNNING"' && break
  sleep 0.2
done
"$SEEDRUN_BIN" cancel slow_1K >cancel.txt 2>&1 || fail "cancel: $(cat cancel.txt)"
rc=0; wait $bg || rc=$?
expect_eq "$rc" 1 "exit code of the cancelled experiment"
grep -q "slow_1K was cancelled" bg_out.txt || fail "no cancelled line: $(cat bg_out.txt)"
grep -q "Report:" bg_out.txt && fail "a report path was printed for a cancelled campaign"
live=$(json | $PY -c 'import json,sys; print(sum(r["state"] in ("RUNNING","PENDING","PLANNED") for c in json.load(sys.stdin)["campaigns"] if c["key"]=="slow_1K" for r in c["runs"]))')
expect_eq "$live" 0 "live runs inside the cancelled campaign"
pgrep -f "train.py --seed" >/dev/null && fail "a trainer survived the cancel"
pass "cancel from a second terminal: training stopped, exit 1, no report named"

echo 0 >sleep.txt
"$SEEDRUN_BIN" experiment --name slow --flag --shift=0 >out.txt 2>err.txt || true
grep -q "slow_1K was cancelled; resuming it" err.txt || fail "not resumed: $(cat err.txt)"
grep -q "^Verdict for slow_1K: NEUTRAL" out.txt || fail "no verdict after resuming: $(cat out.txt)"
grep -q "Verdict: none" out.txt && fail "Verdict: none printed"
pass "running a cancelled experiment again resumes it to a verdict"

# 8. A log deleted while its run is live: the value is unreliable and not counted.
echo 4 >sleep.txt
"$SEEDRUN_BIN" experiment --name vanish --flag --shift=0 >bg_out.txt 2>bg_err.txt &
bg=$!
log=.seedrun/logs/vanish_1K_seed42.log
for _ in $(seq 100); do
  json | grep -q '"val_loss": 9.0' && break
  sleep 0.1
done
rm -f "$log"
wait $bg || true
echo 0 >sleep.txt
md=docs/research/experiment_vanish_1K.md
grep -q "seed 42: its log vanished or was replaced while it ran" $md || fail "not marked unreliable: $(cat $md)"
grep -Eq "N=(2|4) runs; 1 of (3|5) seeds not counted" $md || fail "unreliable value counted: $(grep Statistics $md)"
pass "a log deleted mid-run marks the value unreliable and excludes it"
