#!/usr/bin/env bash
# The demo config end to end on the local executor: baseline (5 seeds), a second baseline
# that skips, an experiment with its verdict, and the report numbers checked against the
# statistics recomputed (by Python's statistics module) from the values in the store.
source "$(dirname "$0")/lib.sh"
make_workdir
copy_toy 20000
cd "$WORK"

"$SEEDRUN_BIN" baseline >out1.txt 2>err1.txt || fail "baseline exited $?: $(cat err1.txt)"
grep -q "Baseline report: $WORK/docs/research/baseline_variance_20K.md" out1.txt || fail "no report path: $(cat out1.txt)"
[[ -f docs/research/baseline_variance_20K.json ]] || fail "no JSON twin"

"$SEEDRUN_BIN" baseline >out2.txt 2>err2.txt || fail "second baseline failed"
grep -q "already exists" err2.txt || fail "second baseline did not skip: $(cat err2.txt)"
runs=$("$SEEDRUN_BIN" status --json | $PY -c 'import json,sys; print(sum(len(c["runs"]) for c in json.load(sys.stdin)["campaigns"]))')
expect_eq "$runs" 5 "runs after the skipped baseline"
pass "baseline ran 5 seeds once and skipped the second time"

"$SEEDRUN_BIN" experiment --flag --use_warmup >out3.txt 2>err3.txt || fail "experiment failed: $(cat err3.txt)"
grep -q "^Verdict for use_warmup_20K: " out3.txt || fail "no verdict: $(cat out3.txt)"
[[ -f docs/research/experiment_use_warmup_20K.md ]] || fail "no experiment report"
[[ -z "$(ls checkpoints 2>/dev/null)" ]] || fail "checkpoints not cleaned: $(ls checkpoints)"

"$SEEDRUN_BIN" status --json >status.json
$PY - <<'PYEOF' || fail "report numbers do not match the store"
import json, statistics as st
status = json.load(open("status.json"))
camp = {c["key"]: c for c in status["campaigns"]}
base = [r["val_loss"] for r in camp["baseline_20K"]["runs"] if r["state"] == "COMPLETED"]
exp = [r["val_loss"] for r in camp["use_warmup_20K"]["runs"] if r["state"] == "COMPLETED"]
rep = json.load(open("docs/research/experiment_use_warmup_20K.json"))
def close(a, b): assert abs(a - b) < 1e-12, (a, b)
close(rep["baseline"]["mean"], st.mean(base)); close(rep["baseline"]["std"], st.stdev(base))
close(rep["experiment"]["mean"], st.mean(exp)); close(rep["experiment"]["std"], st.stdev(exp))
assert rep["baseline"]["n"] == 5 and rep["experiment"]["n"] in (3, 5)
d = (st.mean(exp) - st.mean(base)) / ((st.stdev(base) ** 2 + st.stdev(exp) ** 2) / 2) ** 0.5
close(rep["cohens_d"], d)
units = (st.mean(exp) - st.mean(base)) / st.stdev(base)
close(rep["sigma_units"], units)
verdict = "WINNER" if -units >= 2 else ("LOSER" if -units <= -2 else "NEUTRAL")
assert rep["verdict"] == verdict, (rep["verdict"], verdict)
# the extension rule: five seeds exactly when |Δ| < 2σ after three
first3 = [r["val_loss"] for r in camp["use_warmup_20K"]["runs"] if r["seed"] in (42, 137, 256)]
# ... or when the rule calls it after three seeds but Welch's test does not back it (p ≥ 0.05)
within = abs(st.mean(first3) - st.mean(base)) < 2 * st.stdev(base)
from scipy import stats as sps
p3 = sps.ttest_ind(first3, base, equal_var=False).pvalue
if within or p3 >= 0.05:
    assert rep["experiment"]["n"] == 5, (rep["experiment"]["n"], within, p3)
assert rep["confirmed"] == (rep["verdict"] != "NEUTRAL" and rep["welch_p"] < 0.05
                            and (rep["ci95"][0] > 0 or rep["ci95"][1] < 0)), rep
md = open("docs/research/experiment_use_warmup_20K.md").read()
for section in ["# Experiment: use_warmup", "## Baseline Statistics (N=5 runs)", "## Experiment Statistics (N=",
                "## Statistical Test", "| Metric | Cohen's d | Effect Size | Significant? |", "## Wall Clock",
                "| | Baseline Mean | Experiment Mean | Delta |", "## Verdict: " + verdict]:
    assert section in md, section
assert f"| val_loss | {st.mean(base):.4f} | {st.stdev(base):.4f} |" in md
PYEOF
pass "report numbers equal the statistics recomputed from the store"

grep -v Generated docs/research/experiment_use_warmup_20K.md >before.md
grep -v generated_at docs/research/experiment_use_warmup_20K.json >before.json
rm docs/research/experiment_use_warmup_20K.md docs/research/experiment_use_warmup_20K.json
"$SEEDRUN_BIN" report >out4.txt || fail "report failed"
cmp before.md <(grep -v Generated docs/research/experiment_use_warmup_20K.md) || fail "report rewrote a different markdown"
cmp before.json <(grep -v generated_at docs/research/experiment_use_warmup_20K.json) || fail "report rewrote a different JSON"
pass "seedrun report rewrites the same reports from the store"
