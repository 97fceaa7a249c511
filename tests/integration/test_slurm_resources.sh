#!/usr/bin/env bash
# Real Slurm: slurm.account/qos/mem/cpus_per_task and slurm.setup lines rendered into the batch
# script (shown by --dry-run) and accepted by `sbatch --test-only`; slurm.gpus is rendered and
# accepted too (scripts/slurm-local.sh gives the node one counted GPU); a campaign runs with them: the setup
# lines ran before the command, SEEDRUN_SEED/CAMPAIGN/ARM are set, --sbatch-arg values reach
# the job (sacct shows them) and an --sbatch-arg seedrun sets itself is refused.
source "$(dirname "$0")/lib.sh"
sinfo -h >/dev/null 2>&1 || fail "no Slurm cluster answers (scripts/slurm-local.sh start)"
# Slurm keeps an account it does not know only as the user's default: make ml-lab real
# (idempotent; the local cluster does not enforce associations).
sacctmgr -i add account ml-lab >/dev/null 2>&1 || true
sacctmgr -i add user "$(id -un)" account=ml-lab >/dev/null 2>&1 || true
make_workdir
cd "$WORK"
cat > train.py <<'PY'
import os, sys
e = os.environ
print("env", e["SEEDRUN_SEED"], e["SEEDRUN_CAMPAIGN"], e["SEEDRUN_ARM"], e.get("FROM_SETUP"), e.get("TRAIN_ENV"))
print("args", sys.argv[1:])
print("gpu", e.get("CUDA_VISIBLE_DEVICES"))
print("val_loss: %.4f" % (1.0 + int(e["SEEDRUN_SEED"]) / 100))
PY
echo 'export TRAIN_ENV=venv' > env.sh
cat > seedrun.yaml <<'YAML'
name: resources
command: [/usr/bin/python3, train.py, "--seed={seed}"]
train_tokens: 1000
executor: slurm
seeds: {baseline: [1, 2]}
slurm:
  partition: debug
  account: ml-lab
  qos: normal
  mem: 256M
  cpus_per_task: 1
  max_parallel: 2
  refresh_job: false
  setup:
    - export FROM_SETUP=yes
    - source ./env.sh
YAML
"$SEEDRUN_BIN" baseline --dry-run --sbatch-arg=--time=00:05:00 >dry.txt 2>err.txt || fail "dry-run: $(cat err.txt)"
sed -n '/^# batch script:$/,$p' dry.txt | tail -n +2 > script.sh
for line in "#SBATCH --account=ml-lab" "#SBATCH --qos=normal" "#SBATCH --mem=256M" "#SBATCH --cpus-per-task=1" \
            "export FROM_SETUP=yes" "source ./env.sh"; do
  grep -qxF -- "$line" script.sh || fail "'$line' not in the rendered script: $(cat script.sh)"
done
grep -q -- "--time=00:05:00 .*baseline_1K_<phase>_<n>.sbatch" dry.txt || fail "--sbatch-arg not in the sbatch call: $(grep '^sbatch' dry.txt)"
sbatch --test-only script.sh >test-only.txt 2>&1 || fail "sbatch --test-only refused the script: $(cat test-only.txt)"
grep -q "to start at" test-only.txt || fail "sbatch --test-only: $(cat test-only.txt)"
pass "script with account/qos/mem/cpus and setup lines accepted by sbatch --test-only"

sed 's/^  account: ml-lab$/  account: ml-lab\n  gpus: "1"/' seedrun.yaml > gpus.yaml
"$SEEDRUN_BIN" --config gpus.yaml baseline --dry-run >dry-gpus.txt 2>err.txt || fail "dry-run gpus: $(cat err.txt)"
sed -n '/^# batch script:$/,$p' dry-gpus.txt | tail -n +2 > script-gpus.sh
grep -qxF "#SBATCH --gpus=1" script-gpus.sh || fail "no --gpus line: $(cat script-gpus.sh)"
set +e
sbatch --test-only script-gpus.sh >test-only-gpus.txt 2>&1; rc=$?
set -e
sinfo -h -o %G | grep -q "gpu:1" || fail "the local cluster has no GPU GRES (scripts/slurm-local.sh start): $(sinfo -h -o %G)"
[[ $rc -eq 0 ]] && grep -q "to start at" test-only-gpus.txt ||
  fail "sbatch --test-only refused the script with --gpus=1: rc $rc, $(cat test-only-gpus.txt)"
pass "script with --gpus=1 accepted by sbatch --test-only ($(head -c 100 test-only-gpus.txt))"

set +e
"$SEEDRUN_BIN" baseline --sbatch-arg=--wrap=x >out.txt 2>err.txt; rc=$?
set -e
expect_eq "$rc" 2 "exit code of an --sbatch-arg seedrun sets itself"
grep -q "seedrun sets --wrap itself" err.txt || fail "message: $(cat err.txt)"

# the campaign itself asks for the GPU: Slurm hands each job the node's one GPU in turn
"$SEEDRUN_BIN" --config gpus.yaml baseline --sbatch-arg=--time=00:05:00 --sbatch-arg --comment=from-cli >out.txt 2>err.txt ||
  fail "baseline: $(cat err.txt) $(cat out.txt)"
expect_eq "$(cat .seedrun/sbatch_args/baseline_1K)" "$(printf -- '--time=00:05:00\n--comment=from-cli')" "kept --sbatch-arg values"
for seed in 1 2; do
  log=$(sqlite3 .seedrun/seedrun.db "SELECT log_path FROM runs WHERE seed = $seed")
  grep -qxF "env $seed baseline_1K baseline yes venv" "$log" || fail "seed $seed environment: $(cat "$log")"
  grep -qxF "args ['--seed=$seed']" "$log" || fail "seed $seed arguments: $(cat "$log")"
  grep -qxF "gpu 0" "$log" || fail "seed $seed was not given the GPU (CUDA_VISIBLE_DEVICES): $(cat "$log")"
done
job=$(sqlite3 .seedrun/seedrun.db "SELECT job_id FROM runs WHERE seed = 1"); array=${job%_*}
acct=$(sacct -X -P -n -j "$array" --starttime=now-1days --format=JobName,Account,QOS,Timelimit | sort -u)
expect_eq "$acct" "seedrun-resources-baseline_1K-baseline|ml-lab|normal|00:05:00" "sacct name|account|qos|timelimit"
pass "setup lines ran, SEEDRUN_* set, the GPU, account/qos/--sbatch-arg reached the job: $acct"
