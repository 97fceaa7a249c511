#!/usr/bin/env bash
# 20 refreshes started at once when the extension seeds are due: they are submitted exactly
# once, and the campaign completes with five experiment seeds.
source "$(dirname "$0")/lib.sh"
setup_fake_project
"$SEEDRUN_BIN" experiment --flag --noop --no-wait >/dev/null 2>&1 || fail "experiment submit"
# let the baseline and the three experiment seeds finish without moving the campaign
for _ in $(seq 100); do
  done_tasks=$($PY -c "import json; print(sum(t['state']=='COMPLETED' for j in json.load(open('$FAKE_SLURM_STATE/jobs.json')).values() for t in j['tasks'].values()))")
  [[ "$done_tasks" == 8 ]] && break
  sleep 0.2
done
expect_eq "$done_tasks" 8 "finished tasks before the overlap"
n="${OVERLAP:-20}"
pids=()
for _ in $(seq "$n"); do
  "$SEEDRUN_BIN" refresh --quiet >/dev/null 2>&1 &
  pids+=($!)
done
for p in "${pids[@]}"; do wait "$p" || fail "a concurrent refresh failed"; done
refresh_until_done 60
expect_eq "$(sbatch_calls seedrun-noop_1K-experiment)" 2 "experiment sbatch calls (three seeds + one extension)"
expect_eq "$(submitted_tasks | grep noop)" "seedrun-noop_1K-experiment 5" "experiment tasks submitted"
expect_eq "$(db "SELECT count(*) FROM runs r JOIN campaigns c ON c.id=r.campaign_id WHERE c.name='noop' AND r.state='COMPLETED'")" 5 "completed experiment seeds"
pass "$n overlapping refreshes submitted the extension exactly once"
