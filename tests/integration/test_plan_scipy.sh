#!/usr/bin/env bash
# seedrun plan against scipy's noncentral t on random cases (scripts/check_plan_vs_scipy.py):
# seeds per arm to detect an effect, and the smallest effect the configured seeds detect.
source "$(dirname "$0")/lib.sh"
$PY "$SEEDRUN_SOURCE_DIR/scripts/check_plan_vs_scipy.py" "$SEEDRUN_BIN" 40
