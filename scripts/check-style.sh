#!/usr/bin/env bash
# The build tells the truth (issue 15), checked in CI by scripts/test.sh:
#  1. format: every C++ file as .clang-format says (Debian's clang-format 14);
#  2. link lists: each component's CMake links equal its includes (scripts/check-deps.py);
#  3. clang-tidy 14 over src/ with the checks of .clang-tidy, warnings as errors.
# Usage: scripts/check-style.sh [BUILD_DIR]   (a configured build with compile_commands.json;
# default build/asan). `scripts/check-style.sh --fix-format` rewrites the files instead.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
mapfile -t files < <(git ls-files '*.cpp' '*.hpp')
if [[ "${1:-}" == --fix-format ]]; then
  clang-format-14 -i "${files[@]}"
  echo "check-style: formatted ${#files[@]} files"
  exit 0
fi
build="${1:-build/asan}"
status=0
bad=()
for f in "${files[@]}"; do
  clang-format-14 --dry-run -Werror "$f" >/dev/null 2>&1 || bad+=("$f")
done
if ((${#bad[@]})); then
  printf 'check-style: not formatted (run scripts/check-style.sh --fix-format): %s\n' "${bad[@]}" >&2
  status=1
else
  echo "check-style: format ok (${#files[@]} files)"
fi
if python3 scripts/check-deps.py; then echo "check-style: link lists equal includes"; else status=1; fi
[[ -f "$build/compile_commands.json" ]] || { echo "check-style: $build/compile_commands.json missing (configure first)" >&2; exit 1; }
if run-clang-tidy-14 -p "$build" -quiet -j "$(nproc)" "$root/src/.*" >"$build/clang-tidy.log" 2>&1; then
  echo "check-style: clang-tidy ok ($(grep -c '^clang-tidy' "$build/clang-tidy.log" || true) files)"
else
  grep -E "(warning|error):" "$build/clang-tidy.log" | sort -u | head -50 >&2
  echo "check-style: clang-tidy found problems (whole log: $build/clang-tidy.log)" >&2
  status=1
fi
exit $status
