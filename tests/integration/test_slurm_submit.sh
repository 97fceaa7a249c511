#!/usr/bin/env bash
# Real Slurm: a flag that looks like shell code reaches the training command literally through
# the batch script; a bad partition gives sbatch's message verbatim, a non-zero exit and
# nothing recorded as submitted; `seedrun cancel` scancels a campaign's jobs.
source "$(dirname "$0")/lib.sh"
sinfo -h >/dev/null 2>&1 || fail "no Slurm cluster answers (scripts/slurm-local.sh start)"
make_workdir
cd "$WORK"
cat > seedrun.yaml <<'YAML'
command: ["/usr/bin/python3", "-c", "import sys; print('ARGS', sys.argv[1:]); print('val_loss: 1.%s' % sys.argv[1])", "{seed}", "{flags}"]
train_tokens: 1000
executor: slurm
seeds: {baseline: [1, 2], experiment: [3], extension: [4]}
slurm: {max_parallel: 2}
YAML
rm -f /tmp/seedrun_pwned
"$SEEDRUN_BIN" experiment --flag '$(touch /tmp/seedrun_pwned); x' --flag "it's" --name inj --no-wait >/dev/null 2>err.txt || fail "submit: $(cat err.txt)"
"$SEEDRUN_BIN" wait --timeout 120 >/dev/null 2>&1 || fail "wait"
[[ ! -e /tmp/seedrun_pwned ]] || fail "a flag was executed by the batch shell"
log=$(sqlite3 .seedrun/seedrun.db "SELECT log_path FROM runs r JOIN campaigns c ON c.id = r.campaign_id WHERE c.name = 'inj' AND r.seed = 3")
grep -qF "ARGS ['3', '\$(touch /tmp/seedrun_pwned); x', \"it's\"]" "$log" || fail "flags not literal: $(cat "$log")"
pass "flags reach the command literally through sbatch"

cat > bad.yaml <<'YAML'
command: ["/bin/echo", "val_loss: 1", "{seed}"]
train_tokens: 1000
executor: slurm
slurm: {partition: nope}
paths: {state: .bad-state}
YAML
set +e
"$SEEDRUN_BIN" --config bad.yaml baseline --no-wait >out.txt 2>err.txt; rc=$?
set -e
[[ $rc -ne 0 ]] || fail "bad partition exited 0"
grep -q "sbatch: error: invalid partition specified: nope" err.txt || fail "sbatch message not verbatim: $(cat err.txt)"
expect_eq "$(sqlite3 .bad-state/seedrun.db "SELECT count(*) FROM runs WHERE state = 'PLANNED' AND job_id IS NULL")" 5 "runs left PLANNED"
expect_eq "$(sqlite3 .bad-state/seedrun.db "SELECT count(*) FROM submissions WHERE state = 'SUBMITTED'")" 0 "submissions recorded"
pass "bad partition: $(head -c 120 err.txt)"

cat > long.yaml <<'YAML'
command: ["/bin/sleep", "300", "{seed}"]
train_tokens: 1000
executor: slurm
seeds: {baseline: [1, 2, 3]}
slurm: {max_parallel: 1}
paths: {state: .long-state}
YAML
"$SEEDRUN_BIN" --config long.yaml baseline --no-wait >/dev/null 2>&1 || fail "submit long"
job=$(sqlite3 .long-state/seedrun.db "SELECT job_id FROM runs LIMIT 1"); array=${job%_*}
sleep 2
"$SEEDRUN_BIN" --config long.yaml cancel >/dev/null 2>err.txt || fail "cancel: $(cat err.txt)"
expect_eq "$(sqlite3 .long-state/seedrun.db "SELECT group_concat(state) FROM runs")" "CANCELLED,CANCELLED,CANCELLED" "runs after cancel"
for _ in $(seq 20); do [[ -z "$(squeue -h -j "$array" 2>/dev/null)" ]] && break; sleep 0.5; done
[[ -z "$(squeue -h -j "$array" 2>/dev/null)" ]] || fail "jobs still queued after seedrun cancel: $(squeue -j "$array")"
pass "seedrun cancel scancels the array"
