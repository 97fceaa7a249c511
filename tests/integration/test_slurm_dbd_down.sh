#!/usr/bin/env bash
# slurmdbd stopped for real while a campaign runs: refresh exits 3 with sacct's message and
# leaves the store unchanged; after slurmdbd is back (scripts/slurm-local.sh start) the next
# refreshes catch up and complete the campaign.
source "$(dirname "$0")/lib.sh"
sinfo -h >/dev/null 2>&1 || fail "no Slurm cluster answers (scripts/slurm-local.sh start)"
pidfile=/var/lib/seedrun-slurm-local/run/slurmdbd.pid
[[ -f $pidfile ]] || fail "slurmdbd was not started by scripts/slurm-local.sh ($pidfile missing)"
make_workdir
trap '"$SEEDRUN_SOURCE_DIR/scripts/slurm-local.sh" start >/dev/null 2>&1 || true; rm -rf "$WORK"' EXIT
cd "$WORK"
cat > seedrun.yaml <<'YAML'
command: ["/usr/bin/python3", "-c", "import sys; print('val_loss: %.3f' % (1 + int(sys.argv[1]) / 100))", "{seed}"]
train_tokens: 1000
executor: slurm
seeds: {baseline: [1, 2, 3]}
slurm: {max_parallel: 3, sacct_timeout: 10}
YAML
"$SEEDRUN_BIN" baseline --no-wait >/dev/null 2>err.txt || fail "submit: $(cat err.txt)"
kill "$(cat $pidfile)"
for _ in $(seq 50); do pgrep -x slurmdbd >/dev/null || break; sleep 0.2; done
before=$(sqlite3 .seedrun/seedrun.db .dump | md5sum)
set +e
"$SEEDRUN_BIN" refresh 2>err.txt; rc=$?
set -e
expect_eq "$rc" 3 "refresh exit code with slurmdbd down"
grep -q "seedrun: error: sacct" err.txt || fail "message: $(cat err.txt)"
expect_eq "$(sqlite3 .seedrun/seedrun.db .dump | md5sum)" "$before" "store while slurmdbd is down"
pass "slurmdbd down: exit 3, store unchanged ($(head -c 150 err.txt))"
"$SEEDRUN_SOURCE_DIR/scripts/slurm-local.sh" start >/dev/null || fail "slurmdbd did not come back"
for _ in $(seq 60); do
  "$SEEDRUN_BIN" refresh --quiet >/dev/null 2>&1 || true
  state=$(sqlite3 .seedrun/seedrun.db "SELECT state FROM campaigns")
  [[ "$state" == DONE ]] && break
  sleep 2
done
expect_eq "$state" DONE "campaign after slurmdbd came back"
expect_eq "$(sqlite3 .seedrun/seedrun.db "SELECT count(*) FROM runs WHERE state='COMPLETED'")" 3 "completed runs"
pass "after recovery the next refreshes catch up"
