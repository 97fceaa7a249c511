#!/usr/bin/env bash
# A job's output file truncated, rotated (replaced) or deleted between refreshes: the offset
# is reset safely, no metric point is stored twice, and status shows a warning.
source "$(dirname "$0")/lib.sh"
setup_fake_project
cat > seedrun.yaml <<'YAML'
command: ["/usr/bin/python3", "slowlog.py", "{seed}"]
train_tokens: 1000
executor: slurm
seeds: {baseline: [1]}
YAML
cat > slowlog.py <<'PY'
import sys, time
for step in range(1, 9):
    print(f"Step {step} | val_loss: {3.0 - step / 10:.4f}", flush=True)
    time.sleep(0.7)
PY
"$SEEDRUN_BIN" baseline --no-wait >/dev/null 2>&1 || fail "submit"
sleep 2.2
"$SEEDRUN_BIN" refresh --quiet
log=$(db "SELECT log_path FROM runs")
before=$(db "SELECT count(*) FROM metric_points")
[[ "$before" -ge 2 ]] || fail "expected points after the first refresh, got $before"
: > "$log"   # truncated (copytruncate-style rotation)
sleep 1.6
"$SEEDRUN_BIN" refresh 2>err.txt || fail "refresh after truncation: $(cat err.txt)"
grep -q "truncated" err.txt || fail "no warning about the truncated log: $(cat err.txt)"
"$SEEDRUN_BIN" status | grep -q "warning" || fail "status shows no warning"
mv "$log" "$log.1"; cp "$log.1" "$log"   # replaced by a new file (another inode)
"$SEEDRUN_BIN" refresh --quiet 2>/dev/null || fail "refresh after rotation"
refresh_until_done 40
lines=$(grep -c "val_loss" "$log")
points=$(db "SELECT count(*) FROM metric_points")
expect_eq "$points" "$lines" "metric points equal the val_loss lines in the current log (no duplicates)"
dups=$(db "SELECT count(*) FROM (SELECT step, count(*) c FROM metric_points GROUP BY step HAVING c > 1)")
expect_eq "$dups" 0 "duplicate steps"
pass "truncation and rotation: offset reset, $points points, no duplicates"
