#!/usr/bin/env bash
# Log ingest speed: seedrun's follow_log (bench/ingest_log.cpp: read, scan with the metric
# pattern, store the points) on a realistic training log of ~512 MiB (bench/make_training_log.py:
# ~8M lines, '\r' progress rewrites, ANSI colours, ~150k val_loss lines) against
# `grep -oE 'val_loss: [0-9.]+' FILE | tail -1`, interleaved in the same run, file in the page
# cache. Prints min and median wall seconds of each, the ratio of the medians, and peak RSS; a
# third line, scan-only, is the same reads and scanner without storing the points in SQLite.
#   bench/ingest.sh [ROUNDS=5] [MIB=512]
# BUILD_DIR (default build/release) must hold a Release build of the libraries seedrun_track,
# seedrun_store, seedrun_config and seedrun_util:
#   cmake --preset release && cmake --build build/release --target seedrun_track
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
rounds="${1:-5}"
mib="${2:-512}"
build="${BUILD_DIR:-$root/build/release}"
for lib in track store config util; do
  [[ -f "$build/libseedrun_$lib.a" ]] || { echo "bench: no $build/libseedrun_$lib.a (see the header of $0)" >&2; exit 1; }
done
work="$(mktemp -d /tmp/seedrun-ingest.XXXXXX)"
[[ -n "${BENCH_KEEP:-}" ]] || trap 'rm -rf "$work"' EXIT
log="$work/train.log"
/usr/bin/python3 "$root/bench/make_training_log.py" "$log" "$mib"
c++ -O2 -std=c++20 -DNDEBUG -I"$root/include" "$root/bench/ingest_log.cpp" \
  "$build/libseedrun_track.a" "$build/libseedrun_store.a" "$build/libseedrun_config.a" "$build/libseedrun_util.a" \
  -lre2 -lsqlite3 -lyaml-cpp -lspdlog -lfmt -pthread -o "$work/ingest_log"
lines=$(tr '\r' '\n' <"$log" | wc -l)
vals=$(grep -c 'val_loss: [0-9]' "$log")
echo "log: $(( $(stat -c %s "$log") / 1048576 )) MiB, $lines lines ('\\n' or '\\r'), $vals val_loss lines"
cat "$log" >/dev/null # into the page cache for both
: >"$work/times"
for ((i = 1; i <= rounds; i++)); do
  /usr/bin/time -f "%e %M" -o "$work/t" "$work/ingest_log" "$log" >"$work/ingest.out"
  echo "seedrun $(cat "$work/t")" >>"$work/times"
  /usr/bin/time -f "%e %M" -o "$work/t" bash -c 'grep -oE "val_loss: [0-9.]+" "$0" | tail -1' "$log" >"$work/grep.out"
  echo "grep $(cat "$work/t")" >>"$work/times"
  /usr/bin/time -f "%e %M" -o "$work/t" "$work/ingest_log" --scan-only "$log" >"$work/scan.out"
  echo "scan-only $(cat "$work/t")" >>"$work/times"
done
echo "seedrun: $(cat "$work/ingest.out")"
echo "grep:    $(cat "$work/grep.out")"
/usr/bin/python3 - "$work/times" "$work/ingest.out" "$work/grep.out" <<'PY'
import statistics, sys
rows = [l.split() for l in open(sys.argv[1])]
kinds = ("seedrun", "scan-only", "grep")
t = {k: [float(r[1]) for r in rows if r[0] == k] for k in kinds}
rss = {k: max(int(r[2]) for r in rows if r[0] == k) for k in kinds}
last_s = open(sys.argv[2]).read().split("last=")[1].split()[0]
last_g = open(sys.argv[3]).read().split()[-1]
print(f"{'':9} {'min s':>7} {'median s':>9} {'peak RSS':>10}   (rounds: {len(t['grep'])}, interleaved)")
for k in kinds:
    print(f"{k:9} {min(t[k]):7.2f} {statistics.median(t[k]):9.2f} {rss[k] / 1024:8.1f} MiB")
print(f"ratio seedrun/grep (medians): {statistics.median(t['seedrun']) / statistics.median(t['grep']):.2f}x; "
      f"without storing the points (scan-only): {statistics.median(t['scan-only']) / statistics.median(t['grep']):.2f}x")
if abs(float(last_s) - float(last_g)) > 1e-9:
    sys.exit(f"bench: seedrun's last value {last_s} differs from grep's {last_g}")
PY
