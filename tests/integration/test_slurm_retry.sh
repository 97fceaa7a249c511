#!/usr/bin/env bash
# Real Slurm: `seedrun retry` resubmits every chosen seed of a campaign as ONE array throttled by
# max_parallel (one sbatch call for the runs, plus the refresh job that follows it), and the
# retried seeds complete.
source "$(dirname "$0")/lib.sh"
sinfo -h >/dev/null 2>&1 || fail "no Slurm cluster answers (scripts/slurm-local.sh start)"
make_workdir
cd "$WORK"
cat > job.py <<'PY'
import os, sys
seed = int(sys.argv[1])
if seed != 1 and not os.path.exists("fixed"):
    sys.exit(3)
print(f"val_loss: {1.0 + seed / 100:.4f}")
PY
cat > seedrun.yaml <<'YAML'
name: retrytest
command: ["/usr/bin/python3", "job.py", "{seed}"]
train_tokens: 1000
seeds: {baseline: [1, 2, 3, 4]}
executor: slurm
fail_fast: false
slurm: {max_parallel: 2}
YAML
cat > sbatch-log <<SH
#!/bin/sh
printf '%s\n' "\$*" >> "$WORK/sbatch.calls"
exec sbatch "\$@"
SH
chmod +x sbatch-log
set +e
"$SEEDRUN_BIN" baseline >out.txt 2>err.txt; rc=$?
set -e
expect_eq "$rc" 1 "baseline with three failing seeds"
expect_eq "$(sqlite3 .seedrun/seedrun.db "SELECT group_concat(state) FROM (SELECT state FROM runs ORDER BY seed)")" \
  "COMPLETED,FAILED,FAILED,FAILED" "first attempts"
touch fixed
: > sbatch.calls
SEEDRUN_SBATCH="$WORK/sbatch-log" "$SEEDRUN_BIN" retry baseline_1K >out.txt 2>err.txt || fail "retry: $(cat err.txt)"
grep -q "3 seed(s) planned again" out.txt || fail "retry output: $(cat out.txt)"
arrays=$(grep -c -- "--array=" sbatch.calls || true)
expect_eq "$arrays" 1 "sbatch calls with an array (all retried seeds in one)"
grep -q -- "--array=0-2%2 " sbatch.calls || fail "retry array not 0-2%2: $(cat sbatch.calls)"
expect_eq "$(wc -l < sbatch.calls)" 2 "sbatch calls in all (the array and its refresh job)"
grep -q -- "--dependency=afterany:" sbatch.calls || fail "no refresh job after the retry array: $(cat sbatch.calls)"
"$SEEDRUN_BIN" wait --timeout 120 >/dev/null 2>err.txt || fail "wait: $(cat err.txt)"
expect_eq "$(sqlite3 .seedrun/seedrun.db "SELECT group_concat(state) FROM (SELECT state FROM runs WHERE superseded = 0 ORDER BY seed)")" \
  "COMPLETED,COMPLETED,COMPLETED,COMPLETED" "after the retry"
expect_eq "$(sqlite3 .seedrun/seedrun.db "SELECT count(DISTINCT job_id) FROM runs WHERE attempt = 2")" 3 "retried runs"
expect_eq "$(sqlite3 .seedrun/seedrun.db "SELECT count(DISTINCT substr(job_id, 1, instr(job_id, '_'))) FROM runs WHERE attempt = 2")" 1 \
  "arrays the retried runs belong to"
pass "retry: one sbatch for 3 seeds ($(grep -o -- '--array=[^ ]*' sbatch.calls)), all completed"
