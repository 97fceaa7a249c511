#!/usr/bin/env bash
# CTest's fuzz smoke: runs one libFuzzer target for SECONDS on a scratch copy of its seed
# corpus (the checked-in corpus is never written). Fails on any crash, leak, UB report or
# uncaught exception (libFuzzer exits non-zero and leaves a crash-*/leak-* file in WORKDIR).
# usage: smoke.sh FUZZER SEED_CORPUS WORKDIR SECONDS MAX_LEN
set -euo pipefail
fuzzer=$1 seeds=$2 work=$3 seconds=$4 max_len=$5
rm -rf "$work"
mkdir -p "$work/corpus"
cp -r "$seeds"/. "$work/corpus/"
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1}:abort_on_error=0"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
cd "$work"
status=0
"$fuzzer" -max_total_time="$seconds" -max_len="$max_len" -timeout=25 -rss_limit_mb=2048 \
  -print_final_stats=1 -artifact_prefix="$work/" corpus >"$work/log.txt" 2>&1 || status=$?
grep -E '^stat::number_of_executed_units|^Done [0-9]+ runs' "$work/log.txt" || true
if ((status != 0)) || compgen -G "$work/crash-*" >/dev/null || compgen -G "$work/leak-*" >/dev/null \
   || compgen -G "$work/timeout-*" >/dev/null || compgen -G "$work/oom-*" >/dev/null; then
  echo "fuzz smoke $(basename "$fuzzer"): FAILED (exit $status); last lines of $work/log.txt:" >&2
  tail -n 60 "$work/log.txt" >&2
  exit 1
fi
echo "fuzz smoke $(basename "$fuzzer"): ok"
