#!/usr/bin/env bash
# seedrun compare against numpy/scipy on 100 random cases (scripts/check_compare_vs_scipy.py).
source "$(dirname "$0")/lib.sh"
$PY "$SEEDRUN_SOURCE_DIR/scripts/check_compare_vs_scipy.py" "$SEEDRUN_BIN" 100 2>/dev/null
