#!/usr/bin/env bash
# The example trainer's own checks (line format, determinism, flags that change the result,
# checkpoint, bad arguments, --fail_at_step, --sleep).
source "$(dirname "$0")/lib.sh"
exec bash "$SEEDRUN_SOURCE_DIR/examples/toy-llm/smoke_test.sh"
