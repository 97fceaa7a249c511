#!/usr/bin/env bash
# Real Slurm: MaxSubmitJobs. With the user's association limited to 3 jobs, a baseline of 5
# seeds (max_parallel 5) is submitted as 3 array tasks, the other 2 stay PLANNED and go once
# jobs have ended; the user never has more than 3 jobs queued, all 5 seeds complete.
# (The local cluster does not enforce associations: sbatch would take all 5, so the bound
# sampled here is seedrun's own doing.)
source "$(dirname "$0")/lib.sh"
sinfo -h >/dev/null 2>&1 || fail "no Slurm cluster answers (scripts/slurm-local.sh start)"
user=$(id -un)
# The limit sits on an account of its own (slurm.account below), so the user's other
# associations, and every other test, keep no limit even if this one is killed midway.
sacctmgr -i add account seedrun-limit >/dev/null 2>&1 || true
sacctmgr -i add user "$user" account=seedrun-limit >/dev/null 2>&1 || true
sacctmgr -i modify user where name="$user" account=seedrun-limit set MaxSubmitJobs=3 >/dev/null ||
  fail "sacctmgr could not set MaxSubmitJobs"
[[ $(sacctmgr -n -P show assoc where user="$user" account=seedrun-limit format=MaxSubmit) == 3 ]] ||
  fail "MaxSubmitJobs not set: $(sacctmgr -n -P show assoc where user="$user" format=Account,MaxSubmit)"
[[ -z $(squeue -h -u "$user") ]] || fail "jobs of $user are queued already: $(squeue -u "$user")"
make_workdir
trap 'rm -rf "$WORK"; sacctmgr -i modify user where name="$user" account=seedrun-limit set MaxSubmitJobs=-1 >/dev/null 2>&1 || true' EXIT
cd "$WORK"
cat > train.py <<'PY'
import sys, time
time.sleep(4)
print(f"val_loss: {1.0 + int(sys.argv[1]) / 100:.4f}")
PY
cat > seedrun.yaml <<'YAML'
name: submitlimit
command: [/usr/bin/python3, train.py, "{seed}"]
train_tokens: 1000
executor: slurm
seeds: {baseline: [1, 2, 3, 4, 5]}
slurm: {max_parallel: 5, refresh_job: false, account: seedrun-limit}
YAML
( while :; do squeue -h -r -u "$user" -o %i | wc -l; sleep 0.3; done ) >queued.txt 2>/dev/null &
sampler=$!
"$SEEDRUN_BIN" baseline >out.txt 2>err.txt || { kill $sampler; fail "baseline: $(cat err.txt)"; }
kill $sampler
grep -q "MaxSubmitJobs is 3 and 0 of your jobs are queued: submitting 3 of 5 seeds now" err.txt ||
  fail "no MaxSubmitJobs message: $(cat err.txt)"
most=$(sort -n queued.txt | tail -1)
[[ $most -le 3 && $most -ge 1 ]] || fail "queued jobs peaked at $most (MaxSubmitJobs 3)"
expect_eq "$(sqlite3 .seedrun/seedrun.db "SELECT group_concat(array_spec, ' ') FROM (SELECT array_spec FROM submissions ORDER BY id)")" \
  "0-2%5 0-1%5" "arrays submitted"
expect_eq "$(sqlite3 .seedrun/seedrun.db "SELECT group_concat(state) FROM (SELECT state FROM runs ORDER BY seed)")" \
  "COMPLETED,COMPLETED,COMPLETED,COMPLETED,COMPLETED" "run states"
pass "MaxSubmitJobs 3: arrays of 3 then 2, at most $most jobs queued, 5 seeds completed"
