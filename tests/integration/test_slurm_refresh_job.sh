#!/usr/bin/env bash
# Real Slurm, zero polling: `seedrun experiment --no-wait` submits each array with a small job
# that depends on it (--dependency=afterany) and runs `seedrun refresh --after-job` on the
# cluster. With no seedrun process left on the submitting side (no cron, no `seedrun wait`), the
# baseline, the experiment, its extension array and both reports all complete. sacct calls are
# counted through a wrapper that every job inherits (SEEDRUN_SACCT).
source "$(dirname "$0")/lib.sh"
sinfo -h >/dev/null 2>&1 || fail "no Slurm cluster answers (scripts/slurm-local.sh start)"
make_workdir
cd "$WORK"
cat > train.py <<'PY'
import os, sys
seed = int(sys.argv[1])
print("env", os.environ["SEEDRUN_SEED"], os.environ["SEEDRUN_CAMPAIGN"], os.environ["SEEDRUN_ARM"])
print("val_loss: %.4f" % (1.0 + (seed * 37 % 5) * 0.01))  # the flag changes nothing: NEUTRAL, extension
PY
cat > sacct-count <<SH
#!/bin/sh
echo "\$(date +%s.%N) \$*" >> "$WORK/sacct.calls"
exec sacct "\$@"
SH
chmod +x sacct-count
cat > seedrun.yaml <<'YAML'
name: zeropoll
command: [/usr/bin/python3, train.py, "{seed}", "{flags}"]
train_tokens: 1000
executor: slurm
seeds: {baseline: [1, 2, 3], experiment: [4, 5, 6], extension: [7, 8]}
slurm: {max_parallel: 1, mem: 256M}
YAML
: > sacct.calls
t0=$EPOCHREALTIME
SEEDRUN_SACCT="$WORK/sacct-count" "$SEEDRUN_BIN" experiment --flag --same --no-wait >out.txt 2>err.txt ||
  fail "submit: $(cat err.txt)"
submit_calls=$(wc -l < sacct.calls)
expect_eq "$submit_calls" 0 "sacct calls of the submitting seedrun"
# From here on only sqlite3 and Slurm's own commands look at the campaign.
state() { sqlite3 .seedrun/seedrun.db "SELECT group_concat(state, ',') FROM (SELECT state FROM campaigns ORDER BY id)"; }
for _ in $(seq 150); do
  [[ "$(state)" == "DONE,DONE" ]] && break
  sleep 2
done
elapsed=$(awk -v a="$t0" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.0f", b - a }')
[[ "$(state)" == "DONE,DONE" ]] || fail "campaigns not done after ${elapsed} s: $(state); $(squeue); $(cat .seedrun/slurm/*refresh*.out 2>/dev/null)"
pass "baseline and experiment DONE ${elapsed} s after submission, with no seedrun on the submitting side"
expect_eq "$(sqlite3 .seedrun/seedrun.db "SELECT count(*) FROM runs WHERE phase = 'extension' AND state = 'COMPLETED'")" 2 \
  "extension runs submitted and completed by a refresh job"
ls docs/research/experiment_same_1K.md docs/research/baseline_variance_1K.md >/dev/null || fail "reports missing: $(ls -R docs)"
grep -q "NEUTRAL" docs/research/experiment_same_1K.md || fail "experiment report without its verdict"
pass "reports written by the refresh jobs: $(ls docs/research | tr '\n' ' ')"
# Three arrays (baseline, experiment, extension), each with its refresh job; let the last finish.
for _ in $(seq 60); do
  [[ -z "$(squeue -h -n seedrun-zeropoll-baseline_1K-refresh,seedrun-zeropoll-same_1K-refresh 2>/dev/null)" ]] && break
  sleep 1
done
refresh_out=$(ls .seedrun/slurm/seedrun-zeropoll-*-refresh_*.out | wc -l)
expect_eq "$refresh_out" 3 "refresh jobs that ran"
grep -h "^job .* has ended" .seedrun/slurm/*refresh*.out >/dev/null || fail "refresh job output: $(cat .seedrun/slurm/*refresh*.out)"
calls=$(wc -l < sacct.calls)
(( calls >= 1 && calls <= 15 )) || fail "sacct calls by the refresh jobs: $calls (expected 1..15): $(cat sacct.calls)"
grep -qv -- "--starttime=" sacct.calls && fail "a sacct call without --starttime: $(grep -v -- --starttime= sacct.calls)"
steps=$(grep -ho "[0-9]* refresh step" .seedrun/slurm/*refresh*.out | awk '{ s += $1 } END { print s }')
pass "sacct calls: 0 on the submitting side, $calls from 3 refresh jobs ($steps refresh steps), each with --starttime"
