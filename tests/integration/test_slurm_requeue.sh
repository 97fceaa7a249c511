#!/usr/bin/env bash
# Real Slurm: the checkpoint-resume contract of docs/slurm.md. With slurm.requeue and
# slurm.signal, Slurm sends SIGUSR1 to the trainer before its time limit; the trainer saves a
# checkpoint in {output_dir}, asks `scontrol requeue` and exits; Slurm starts the same job again
# (SLURM_RESTART_COUNT=1), the trainer resumes and finishes. seedrun, refreshed by hand the
# whole time, follows the job back to PENDING and on to COMPLETED, reads the log that both
# attempts appended to, and counts the seed (not a replaced log, not a failure, no resubmission).
source "$(dirname "$0")/lib.sh"
sinfo -h >/dev/null 2>&1 || fail "no Slurm cluster answers (scripts/slurm-local.sh start)"
make_workdir
cd "$WORK"
cat > train.py <<'PY'
import os, signal, subprocess, sys, time
seed, out = int(sys.argv[1]), sys.argv[2]
os.makedirs(out, exist_ok=True)
ckpt = os.path.join(out, "ckpt")
restart = int(os.environ.get("SLURM_RESTART_COUNT", "0"))
step = int(open(ckpt).read()) if os.path.exists(ckpt) else 0
print(f"attempt {restart} starts at step {step}", flush=True)

def on_usr1(signum, frame):
    with open(ckpt + ".tmp", "w") as f:
        f.write(str(step))
    os.replace(ckpt + ".tmp", ckpt)
    print(f"SIGUSR1 at step {step}: checkpoint saved, requeueing", flush=True)
    subprocess.run(["scontrol", "requeue", os.environ["SLURM_JOB_ID"]], check=True)
    sys.exit(0)

signal.signal(signal.SIGUSR1, on_usr1)
if restart == 0:
    while step < 200:  # longer than the time limit: only the signal ends this attempt
        step += 1
        print(f"step {step} val_loss: {3.0 - step / 1000:.4f}", flush=True)
        time.sleep(0.5)
    sys.exit("no SIGUSR1 before the time limit")
print(f"step {step + 1} val_loss: {1.0 + seed / 100:.4f}", flush=True)
PY
cat > seedrun.yaml <<'YAML'
name: requeue
command: [/usr/bin/python3, train.py, "{seed}", "{output_dir}"]
train_tokens: 1000
executor: slurm
seeds: {baseline: [1, 2]}
cleanup_checkpoints: false
slurm:
  time: "00:01:00"
  requeue: true
  signal: USR1@30
  max_parallel: 2
  refresh_job: false
YAML
"$SEEDRUN_BIN" baseline --dry-run >dry.txt 2>err.txt || fail "dry-run: $(cat err.txt)"
grep -q -- "--requeue --open-mode=append --signal=B:USR1@30" dry.txt || fail "sbatch call: $(grep '^sbatch' dry.txt)"
"$SEEDRUN_BIN" baseline --no-wait >out.txt 2>err.txt || fail "baseline: $(cat err.txt)"
states=() last=""
for _ in $(seq 1 100); do
  "$SEEDRUN_BIN" refresh >/dev/null 2>refresh-err.txt || fail "refresh: $(cat refresh-err.txt)"
  now=$(sqlite3 .seedrun/seedrun.db "SELECT group_concat(state) FROM (SELECT state FROM runs ORDER BY seed)")
  [[ $last == "$now" ]] || states+=("$now")
  last=$now
  [[ $now == COMPLETED,COMPLETED ]] && break
  sleep 3
done
echo "states seen: ${states[*]}"
expect_eq "$last" "COMPLETED,COMPLETED" "final states"
printf '%s\n' "${states[@]}" | grep -q "RUNNING" || fail "never saw the jobs run: ${states[*]}"
printf '%s\n' "${states[@]:1}" | grep -qE "PENDING|REQUEUED" ||
  fail "never saw a job wait again after it ran (requeue): ${states[*]}"
expect_eq "$(sqlite3 .seedrun/seedrun.db "SELECT count(*) FROM runs")" 2 "runs (no resubmission)"
expect_eq "$(sqlite3 .seedrun/seedrun.db "SELECT count(*) FROM submissions")" 1 "submissions"
for seed in 1 2; do
  row=$(sqlite3 .seedrun/seedrun.db "SELECT (SELECT printf('%.4f', value) FROM metric_points m WHERE m.run_id = r.id
    AND m.name = 'val_loss' ORDER BY seq DESC LIMIT 1), metric_unreliable, log_path FROM runs r WHERE seed = $seed")
  IFS='|' read -r value unreliable log <<<"$row"
  expect_eq "$value" "$(printf '%.4f' "$(echo "1 + $seed / 100" | bc -l)")" "seed $seed val_loss of the resumed attempt"
  expect_eq "$unreliable" 0 "seed $seed counted (the appended log is not a replaced one)"
  grep -q "^attempt 0 starts at step 0$" "$log" || fail "seed $seed: first attempt not in the log: $(head "$log")"
  grep -qE "^SIGUSR1 at step [1-9][0-9]*: checkpoint saved" "$log" || fail "seed $seed: no SIGUSR1: $(tail "$log")"
  saved=$(sed -n 's/^SIGUSR1 at step \([0-9]*\):.*/\1/p' "$log")
  grep -qx "attempt 1 starts at step $saved" "$log" || fail "seed $seed did not resume from step $saved: $(tail "$log")"
done
grep -q "N=2 runs" docs/research/baseline_variance_1K.md || fail "baseline report: $(ls -R docs 2>&1)"
pass "requeue with SIGUSR1 checkpoint: both seeds resumed and counted (${states[*]})"
