#!/usr/bin/env bash
# seedrun's benchmark suite (issue 11). Generates its inputs (a realistic training log, FAKE-Slurm
# campaigns of 1k/10k/100k runs: bench/fake-slurm/), times seedrun and its comparators interleaved
# in one run (GNU grep and a Python re loop for the log; bench/py_tracker.py, what a user would
# write instead, for the refreshes; a Python split loop for sacct parsing) and prints one table
# row per figure: min, median, peak RSS, the comparator's median and the ratio. The body is
# bench/suite.py.
#   bench/run.sh            full: 512 MiB log, 1k/10k/100k runs (~10 min on 2 cores)
#   bench/run.sh --small    CI: 16 MiB log, 1k runs; exits 1 if a refresh made more than one
#                           sacct call or the ingest took more than 2x grep's time
#   bench/run.sh --doc      full, and writes the table into docs/benchmarks.md
#   bench/run.sh --only ingest,sacct,startup,scale   a subset
#   bench/run.sh --only scale --sizes 10000          the scale rows of some sizes only
# SEEDRUN_BUILD (default build/release) must be a Release build holding the seedrun binary and
# its libraries:  cmake --preset release && cmake --build build/release --target seedrun
# BENCH_CACHE (default /tmp/seedrun-bench-cache) keeps the generated logs between runs.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="${SEEDRUN_BUILD:-$root/build/release}"
suite_args=()
doc=0
while [[ $# -gt 0 ]]; do
  case "$1" in
    --small) suite_args+=(--small) ;;
    --keep) suite_args+=(--keep) ;;
    --doc) doc=1 ;;
    --only) suite_args+=(--only "$2"); shift ;;
    --sizes) suite_args+=(--sizes "$2"); shift ;;
    *) echo "bench: unknown option $1 (read the header of $0)" >&2; exit 2 ;;
  esac
  shift
done
[[ -d "$build" ]] || { echo "bench: no build directory $build (set SEEDRUN_BUILD)" >&2; exit 2; }
build="$(cd "$build" && pwd)"
type="$(sed -n 's/^CMAKE_BUILD_TYPE:STRING=//p' "$build/CMakeCache.txt" 2>/dev/null || true)"
[[ "$type" == Release ]] || { echo "bench: $build is not a Release build (CMAKE_BUILD_TYPE='$type'): figures of a debug or sanitizer build mean nothing" >&2; exit 2; }
for f in seedrun libseedrun_track.a libseedrun_slurm.a libseedrun_store.a libseedrun_config.a libseedrun_util.a; do
  [[ -f "$build/$f" ]] || { echo "bench: no $build/$f: cmake --build $build --target seedrun" >&2; exit 2; }
done
for t in grep sqlite3 /usr/bin/python3 c++; do
  command -v "$t" >/dev/null || { echo "bench: $t is needed" >&2; exit 2; }
done
work="$(mktemp -d "${TMPDIR:-/tmp}/seedrun-bench.XXXXXX")"
[[ " ${suite_args[*]} " == *" --keep "* ]] || trap 'rm -rf "$work"' EXIT
cache="${BENCH_CACHE:-/tmp/seedrun-bench-cache}"
mkdir -p "$cache" "$work/tools"
cxx=(c++)
command -v ccache >/dev/null && cxx=(ccache c++)
libs=("$build/libseedrun_track.a" "$build/libseedrun_slurm.a" "$build/libseedrun_exec.a" "$build/libseedrun_store.a"
  "$build/libseedrun_config.a" "$build/libseedrun_util.a")
flags=(-O2 -std=c++20 -DNDEBUG -I"$root/include")
"${cxx[@]}" "${flags[@]}" "$root/bench/ingest_log.cpp" "${libs[@]}" -lre2 -lsqlite3 -lyaml-cpp -lspdlog -lfmt \
  -pthread -o "$work/tools/ingest_log" &
"${cxx[@]}" "${flags[@]}" "$root/bench/sacct_parse.cpp" "${libs[@]}" -lre2 -lsqlite3 -lyaml-cpp -lspdlog -lfmt \
  -pthread -o "$work/tools/sacct_parse" &
wait %1 && wait %2 || { echo "bench: building the drivers failed" >&2; exit 2; }
ln -s "$build/seedrun" "$work/tools/seedrun"
desc="$build ($type, $(c++ --version | head -1)), commit $(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo '?')"
if [[ $doc == 1 ]]; then
  /usr/bin/python3 "$root/bench/suite.py" --work "$work" --cache "$cache" --tools "$work/tools" \
    --build-desc "$desc" "${suite_args[@]}" | tee "$work/table.md"
  rc=${PIPESTATUS[0]}
  /usr/bin/python3 - "$root/docs/benchmarks.md" "$work/table.md" <<'PY'
import sys
doc, table = sys.argv[1], open(sys.argv[2]).read().rstrip("\n")
begin, end = "<!-- bench/run.sh: begin (generated; do not edit by hand) -->", "<!-- bench/run.sh: end -->"
text = open(doc).read()
if begin in text:
    head, rest = text.split(begin, 1)
    text = head + begin + "\n" + table + "\n" + end + rest.split(end, 1)[1]
else:
    title, _, body = text.partition("\n")
    text = f"{title}\n\n{begin}\n{table}\n{end}\n{body}"
open(doc, "w").write(text)
PY
  exit "$rc"
fi
/usr/bin/python3 "$root/bench/suite.py" --work "$work" --cache "$cache" --tools "$work/tools" \
  --build-desc "$desc" "${suite_args[@]}"
