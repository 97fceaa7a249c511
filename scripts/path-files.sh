#!/usr/bin/env bash
# How many source files the two main paths cross (issue 15's "path of a run"), measured rather
# than claimed: a --coverage build of seedrun runs (1) `seedrun baseline` + `seedrun experiment
# --flag ...` to the verdict on the local executor with the fake trainer of the verdict tests,
# and (2) `seedrun refresh` on the finished project (the cron tick); gcov then lists the .cpp
# files with at least one executed line. Printed per path: all files, files outside util/, and
# the components crossed.
# Usage: scripts/path-files.sh [SOURCE_DIR]   (builds SOURCE_DIR/build/cov; default: this tree)
set -euo pipefail
src="$(cd "${1:-$(dirname "$0")/..}" && pwd)"
cov="$src/build/cov"
cmake -S "$src" -B "$cov" -G Ninja -DCMAKE_BUILD_TYPE=Debug -DSEEDRUN_TESTS=OFF \
  -DCMAKE_CXX_FLAGS="--coverage -O0" -DCMAKE_EXE_LINKER_FLAGS="--coverage" >/dev/null
cmake --build "$cov" --target seedrun -j "$(nproc)" >/dev/null
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cp "$src/tests/fixtures/verdicts/train.py" "$work/"
cat >"$work/seedrun.yaml" <<'YAML'
command: [/usr/bin/python3, train.py, --seed, "{seed}", --train_tokens, "{train_tokens}", --output_dir, "{output_dir}", "{flags}"]
train_tokens: 1000
YAML
touched() { # the .cpp files under src/ where a function (not a static initializer) ran
  (cd "$cov" && find . -name '*.gcda' | while read -r g; do
    gcov --json-format --stdout -o "$(dirname "$g")" "$g" 2>/dev/null
  done) | python3 -c '
import json, sys
seen = set()
for line in sys.stdin:
    line = line.strip()
    if not line.startswith("{"):
        continue
    for f in json.loads(line).get("files", []):
        name = f["file"]
        if "/src/" not in "/" + name or not name.endswith(".cpp"):
            continue
        for fn in f.get("functions", []):
            if fn["execution_count"] > 0 and "static_initialization" not in fn["demangled_name"] \
                    and "_GLOBAL__" not in fn["name"]:
                seen.add("src/" + name.split("src/", 1)[1])
                break
print("\n".join(sorted(seen)))
'
}
report() {
  local name="$1" files
  files="$(touched)"
  printf '%s: %d files, %d outside util/, components: %s\n' "$name" "$(wc -l <<<"$files")" \
    "$(grep -vc '^src/util/' <<<"$files")" "$(cut -d/ -f2 <<<"$files" | sort -u | grep -v '^main.cpp$' | tr '\n' ' ')"
  [[ -n "${VERBOSE:-}" ]] && sed 's/^/  /' <<<"$files" || true
}
find "$cov" -name '*.gcda' -delete
(cd "$work" && "$cov/seedrun" baseline >/dev/null 2>&1 && "$cov/seedrun" experiment --flag --shift=-0.05 >/dev/null 2>&1)
report "experiment to verdict (baseline + experiment)"
find "$cov" -name '*.gcda' -delete
(cd "$work" && "$cov/seedrun" refresh >/dev/null 2>&1)
report "refresh (cron tick)"
