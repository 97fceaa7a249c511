#!/usr/bin/env bash
# Real Slurm with MaxArraySize 2 (scontrol answered through SEEDRUN_SCONTROL; the local cluster's
# own limit is 1001): a five-seed baseline becomes three arrays of 2, 2 and 1 tasks, each after the
# previous one (--dependency=afterany), and every seed completes.
source "$(dirname "$0")/lib.sh"
sinfo -h >/dev/null 2>&1 || fail "no Slurm cluster answers (scripts/slurm-local.sh start)"
make_workdir
cd "$WORK"
cat > scontrol-small <<'SH'
#!/bin/sh
scontrol "$@" | sed 's/^MaxArraySize .*/MaxArraySize            = 2/'
SH
cat > sbatch-log <<SH
#!/bin/sh
printf '%s\n' "\$*" >> "$WORK/sbatch.calls"
exec sbatch "\$@"
SH
chmod +x scontrol-small sbatch-log
grep -q "^MaxArraySize *= *2$" <(./scontrol-small show config) || fail "scontrol wrapper: $(./scontrol-small show config | grep MaxArray)"
cat > seedrun.yaml <<'YAML'
name: limit
command: ["/bin/echo", "val_loss: 1.0{seed}"]
train_tokens: 1000
seeds: {baseline: [1, 2, 3, 4, 5]}
executor: slurm
slurm: {max_parallel: 2, refresh_job: false}
YAML
SEEDRUN_SCONTROL="$WORK/scontrol-small" SEEDRUN_SBATCH="$WORK/sbatch-log" "$SEEDRUN_BIN" baseline >out.txt 2>err.txt ||
  fail "baseline: $(cat err.txt)"
mapfile -t arrays < <(grep -o -- "--array=[^ ]*" sbatch.calls)
expect_eq "${arrays[*]}" "--array=0-1%2 --array=0-1%2 --array=0-0%2" "arrays submitted"
expect_eq "$(grep -c -- "--dependency=afterany:" sbatch.calls)" 2 "parts after the previous part"
expect_eq "$(sqlite3 .seedrun/seedrun.db "SELECT group_concat(state) FROM runs")" \
  "COMPLETED,COMPLETED,COMPLETED,COMPLETED,COMPLETED" "runs"
expect_eq "$(sqlite3 .seedrun/seedrun.db "SELECT count(DISTINCT substr(job_id, 1, instr(job_id, '_'))) FROM runs")" 3 "arrays the runs belong to"
pass "five seeds above MaxArraySize 2: ${arrays[*]}, chained with afterany, all COMPLETED"
