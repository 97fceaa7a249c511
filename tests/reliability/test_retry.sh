#!/usr/bin/env bash
# Infrastructure failures (NODE_FAIL) are resubmitted by refresh (the seeds one refresh finds
# in one array), up to max_retries; the training's own failures (exit 3) are not retried until
# `seedrun retry`; attempts are kept and counted in the report.
source "$(dirname "$0")/lib.sh"
setup_fake_project
cat > train.py <<'PY'
import sys, os
seed = int(sys.argv[1])
if seed == 137 and not os.path.exists("fixed"):
    sys.exit(3)
print(f"val_loss: {2.0 + (seed % 7) / 100:.4f}")
PY
echo "100_1" > "$FAKE_SLURM_STATE/node_fail"        # task 1 (seed 137) of the first array
echo "100_2" >> "$FAKE_SLURM_STATE/node_fail"       # and task 2 (seed 256)
"$SEEDRUN_BIN" baseline --no-wait >/dev/null 2>&1 || fail "submit"
refresh_until_done 60
# seed 256: NODE_FAIL -> resubmitted alone -> COMPLETED; seed 137: NODE_FAIL -> resubmitted -> exit 3 -> not retried
expect_eq "$(db "SELECT state FROM runs WHERE seed=256 AND superseded=0")" COMPLETED "seed 256 after its retry"
expect_eq "$(db "SELECT count(*) FROM runs WHERE seed=256")" 2 "attempts of seed 256"
expect_eq "$(db "SELECT state || ' ' || exit_code FROM runs WHERE seed=137 AND superseded=0")" "FAILED 3" "seed 137 (training failure)"
# The retries of one refresh go as one array: both NODE_FAILs seen by the same refresh make one
# two-task array, seen by two refreshes two single-task arrays.
calls=$(sbatch_calls seedrun-baseline_1K-baseline)
[[ $calls == 2 || $calls == 3 ]] || fail "sbatch calls (one array + the retries): $calls: $(cat $FAKE_SLURM_STATE/calls.log)"
expect_eq "$(submitted_tasks | grep baseline)" "seedrun-baseline_1K-baseline 7" "tasks submitted (5 + 2 retried)"
$PY -c 'import json; b=json.load(open("docs/research/baseline_variance_1K.json")); assert b["baseline"]["n"]==4 and b["attempts"]==7, b' || fail "report counts"
before=$(db .dump | md5sum)
"$SEEDRUN_BIN" refresh --quiet
expect_eq "$(db .dump | md5sum)" "$before" "a refresh with nothing to do changes nothing"
touch fixed
"$SEEDRUN_BIN" retry baseline_1K --seed 137 >/dev/null 2>&1 || fail "retry"
refresh_until_done 60
expect_eq "$(db "SELECT state FROM runs WHERE seed=137 AND superseded=0")" COMPLETED "seed 137 after seedrun retry"
$PY -c 'import json; b=json.load(open("docs/research/baseline_variance_1K.json")); assert b["baseline"]["n"]==5, b' || fail "report after retry"
pass "NODE_FAIL retried alone, exit 3 kept until seedrun retry, attempts counted, idle refresh is a no-op"
