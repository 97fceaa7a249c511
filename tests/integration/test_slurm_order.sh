#!/usr/bin/env bash
# Against the real local Slurm (scripts/slurm-local.sh), slurm.max_parallel 1: "variance first,
# one at a time". `seedrun baseline --no-wait` then `seedrun experiment --no-wait` submit two
# arrays; the experiment's must depend on the baseline's (--dependency=afterany:<id>, seen by
# `scontrol show job` while the baseline runs), and sacct must show that no task of any array
# (baseline, experiment, then the extension the 2σ rule asks for) started before the last task
# of the array submitted before it ended. Fails, never skips,
# when the cluster is not up.
source "$(dirname "$0")/lib.sh"
sinfo -h >/dev/null 2>&1 || fail "no Slurm cluster answers (scripts/slurm-local.sh start): $(sinfo 2>&1 | head -3)"
make_workdir
cd "$WORK"
cat > job.py <<'PY'
import sys, time
seed = int(sys.argv[1])
warm = "--use_warmup" in sys.argv
time.sleep(4)
print(f"Step 10 | val_loss: {(1.0005 if warm else 1.0) + seed % 7 / 1000:.4f}", flush=True)
PY
cat > seedrun.yaml <<'YAML'
command: ["/usr/bin/python3", "job.py", "{seed}", "{flags}"]
train_tokens: 1000
seeds: {baseline: [1, 2, 3], experiment: [1, 2, 3]}
executor: slurm
slurm:
  max_parallel: 1
  refresh_job: false  # only the arrays' sbatch calls are looked at here
YAML

# sbatch wrapper, first on PATH: logs each call's arguments and the id it printed.
mkdir -p wrap
real="$(command -v sbatch)"
cat > wrap/sbatch <<SH
#!/bin/sh
echo "sbatch \$*" >> "$WORK/calls.log"
out=\$("$real" "\$@") || exit \$?
echo "id \$out" >> "$WORK/calls.log"
printf '%s\n' "\$out"
SH
chmod +x wrap/sbatch
export PATH="$WORK/wrap:$PATH"

"$SEEDRUN_BIN" baseline --no-wait >/dev/null 2>err.txt || fail "baseline submit: $(cat err.txt)"
"$SEEDRUN_BIN" experiment --flag --use_warmup --no-wait >/dev/null 2>>err.txt || fail "experiment submit: $(cat err.txt)"
mapfile -t ids < <(sed -n 's/^id \([0-9]*\).*/\1/p' calls.log)
[[ ${#ids[@]} -eq 2 ]] || fail "expected two arrays, sbatch calls: $(cat calls.log)"
base=${ids[0]}
exp=${ids[1]}
grep -q -- "^sbatch .*--array=0-2%1 .*--dependency=afterany:$base " calls.log ||
  fail "the experiment's sbatch has no --dependency=afterany:$base: $(cat calls.log)"
if grep "^sbatch " calls.log | head -1 | grep -q -- "--dependency"; then
  fail "the baseline waited for something: $(head -1 calls.log)"
fi
dep=$(scontrol -o show job "$exp" | tr ' ' '\n' | sed -n 's/^Dependency=//p' | head -1)
basestate=$(sacct -X -n -P -j "$base" --format=State | sort -u | tr '\n' ' ')
[[ $dep == "afterany:${base}_*(unfulfilled)" ]] ||
  fail "scontrol shows Dependency='$dep' for array $exp (baseline $base states: $basestate)"
pass "experiment array $exp depends on baseline array $base ($dep)"

"$SEEDRUN_BIN" wait --timeout 400 >/dev/null 2>>err.txt || fail "wait: $(tail -5 err.txt)"
# |Δ| = 0.0005 < 2σ = 0.002: the extension seeds ran as a third array, after the experiment's.
mapfile -t ids < <(sed -n 's/^id \([0-9]*\).*/\1/p' calls.log)
[[ ${#ids[@]} -eq 3 ]] || fail "expected baseline, experiment and extension arrays: $(cat calls.log)"
sacct -X -n -P -j "$(IFS=,; echo "${ids[*]}")" --format=JobID,State,Start,End > times.txt
$PY - "${ids[@]}" <<'PYEOF' || fail "arrays overlapped: $(cat times.txt)"
import sys
ids = sys.argv[1:]
tasks = {i: [] for i in ids}
for line in open("times.txt"):
    jobid, state, start, end = line.strip().split("|")
    tasks[jobid.split("_")[0]].append((jobid, state, start, end))
for i in ids:
    assert tasks[i] and all(t[1] == "COMPLETED" for t in tasks[i]), (i, tasks[i])
for before, after in zip(ids, ids[1:]):
    last_end = max(t[3] for t in tasks[before])
    first_start = min(t[2] for t in tasks[after])
    assert first_start >= last_end, f"array {after} started {first_start}, before {before} ended {last_end}"
    print(f"array {after} started {first_start} >= array {before} ended {last_end}")
PYEOF
pass "no task started before the previous array's last task ended ($(cat times.txt | wc -l) tasks in ${#ids[@]} arrays)"
