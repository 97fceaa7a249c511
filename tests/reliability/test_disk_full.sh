#!/usr/bin/env bash
# Disk full while writing a report (a small tmpfs): seedrun report fails with an error and the
# previous report is left intact, not truncated.
source "$(dirname "$0")/lib.sh"
setup_fake_project
mnt="$WORK/reports"
mkdir -p "$mnt"
mount -t tmpfs -o size=64k tmpfs "$mnt" || fail "cannot mount a tmpfs (the test needs root)"
trap 'umount "$mnt" 2>/dev/null || true; pkill -f "fake_slurm.py __run" 2>/dev/null || true; rm -rf "$WORK"' EXIT
cat >> seedrun.yaml <<'YAML'
paths: {reports: reports}
YAML
"$SEEDRUN_BIN" baseline --no-wait >/dev/null 2>&1 || fail "submit"
refresh_until_done 60
report="$mnt/baseline_variance_1K.md"
[[ -s "$report" ]] || fail "no report written"
old=$(md5sum < "$report")
dd if=/dev/zero of="$mnt/filler" bs=1k count=200 2>/dev/null || true   # fill the disk
set +e
"$SEEDRUN_BIN" report baseline 2>err.txt; rc=$?
set -e
[[ $rc -ne 0 ]] || fail "report on a full disk exited 0"
grep -q "No space left on device" err.txt || fail "message: $(cat err.txt)"
expect_eq "$(md5sum < "$report")" "$old" "old report after the failed write"
[[ -z "$(ls -A "$mnt" | grep '\.tmp\.')" ]] || fail "temporary file left behind"
pass "disk full: error, old report intact ($(head -c 100 err.txt))"
