#!/usr/bin/env bash
# seedrun plan against scipy's noncentral t on generated cases (scripts/check_plan_vs_scipy.py):
# seeds per arm to detect an effect, and the smallest effect the configured seeds detect.
# CI runs fixed case seeds so a red run can be replayed; run the script without a seed for new cases.
source "$(dirname "$0")/lib.sh"
for case_seed in 1 2 3 323863534; do
    $PY "$SEEDRUN_SOURCE_DIR/scripts/check_plan_vs_scipy.py" "$SEEDRUN_BIN" 40 "$case_seed"
done
