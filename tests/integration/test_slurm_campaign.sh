#!/usr/bin/env bash
# Against the real local Slurm (scripts/slurm-local.sh): a five-seed baseline is ONE sbatch
# call and ONE array, each refresh makes exactly one sacct call while something is unfinished
# and none when idle, every seed ends COMPLETED with its val_loss stored, and the variance
# report is written by refresh. Then an experiment with its verdict (and the extension array
# when the 2σ rule asks). Fails, never skips, when the cluster is not up.
source "$(dirname "$0")/lib.sh"
sinfo -h >/dev/null 2>&1 || fail "no Slurm cluster answers (scripts/slurm-local.sh start): $(sinfo 2>&1 | head -3)"
make_workdir
copy_toy 20000
cd "$WORK"
cat >> seedrun.yaml <<'YAML'
slurm:
  max_parallel: 2
  refresh_job: false  # this test counts the calls of polling refreshes (the refresh job: test_slurm_refresh_job.sh)
YAML
sed -i 's/^executor: local/executor: slurm/' seedrun.yaml

# Call-counting wrappers, first on PATH: each logs its call and execs the real program.
mkdir -p wrap
for prog in sbatch sacct; do
  real="$(command -v "$prog")"
  printf '#!/bin/sh\necho "%s $*" >> "%s/calls.log"\nexec "%s" "$@"\n' "$prog" "$WORK" "$real" > "wrap/$prog"
  chmod +x "wrap/$prog"
done
export PATH="$WORK/wrap:$PATH"
count() { grep -c "^$1 " calls.log 2>/dev/null || true; }

"$SEEDRUN_BIN" baseline --no-wait >/dev/null 2>err.txt || fail "baseline submit: $(cat err.txt)"
expect_eq "$(count sbatch)" 1 "sbatch calls for a five-seed baseline"
grep -q -- "--array=0-4%2" calls.log || fail "not one array of five: $(cat calls.log)"

refreshes=0
for _ in $(seq 90); do
  "$SEEDRUN_BIN" refresh >/dev/null 2>>err.txt || fail "refresh failed: $(cat err.txt)"
  refreshes=$((refreshes + 1))
  state=$("$SEEDRUN_BIN" status --json | $PY -c 'import json,sys; print(json.load(sys.stdin)["campaigns"][0]["state"])')
  [[ "$state" == DONE ]] && break
  sleep 2
done
expect_eq "$state" DONE "baseline campaign state"
expect_eq "$(count sacct)" "$refreshes" "sacct calls (one per refresh)"
"$SEEDRUN_BIN" refresh >/dev/null
expect_eq "$(count sacct)" "$refreshes" "sacct calls after an idle refresh"
pass "one sbatch, one sacct per refresh ($refreshes), none when idle"

"$SEEDRUN_BIN" status --json > s.json
$PY - <<'PYEOF' || fail "baseline runs: $(cat s.json)"
import json
c = json.load(open("s.json"))["campaigns"][0]
runs = c["runs"]
assert len(runs) == 5 and all(r["state"] == "COMPLETED" for r in runs), runs
assert all(isinstance(r["val_loss"], float) for r in runs), runs
assert len({r["job_id"].split("_")[0] for r in runs}) == 1, "not one array"
assert sorted(int(r["job_id"].split("_")[1]) for r in runs) == [0, 1, 2, 3, 4]
assert all(r["wall_time"] is not None for r in runs)
PYEOF
[[ -f docs/research/baseline_variance_20K.md ]] || fail "refresh did not write the variance report"
pass "five COMPLETED with val_loss, variance report written by refresh"

"$SEEDRUN_BIN" experiment --flag --use_warmup --no-wait >/dev/null 2>>err.txt || fail "experiment submit"
"$SEEDRUN_BIN" wait --timeout 300 >/dev/null 2>>err.txt || fail "wait: $(tail -5 err.txt)"
[[ -f docs/research/experiment_use_warmup_20K.md ]] || fail "no verdict report"
grep -q "^## Verdict: " docs/research/experiment_use_warmup_20K.md || fail "no verdict line"
$PY - <<'PYEOF' || fail "experiment arrays do not follow the 2σ rule"
import json
rep = json.load(open("docs/research/experiment_use_warmup_20K.json"))
calls = [l for l in open("calls.log") if l.startswith("sbatch ")]
n = rep["experiment"]["n"]
assert n in (3, 5), n
assert len(calls) == (3 if n == 5 else 2), (n, calls)
if n == 5:
    assert "--array=0-1%2" in calls[-1], calls[-1]
PYEOF
pass "experiment: $(grep '^## Verdict' docs/research/experiment_use_warmup_20K.md)"
