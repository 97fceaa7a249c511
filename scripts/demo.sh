#!/usr/bin/env bash
# The main job, from a fresh clone: install what is needed, build, then run the example
# campaign on the bundled toy trainer with the local executor: the five-seed baseline, then
# `experiment --flag --use_warmup` (three seeds, five when within 2σ), and print the verdict
# and the two report paths. Reports land in examples/toy-llm/docs/research/.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
"$root/scripts/setup.sh"
BUILD_PRESET=release "$root/scripts/build.sh" >/dev/null
seedrun="$root/build/release/seedrun"
cd "$root/examples/toy-llm"
"$seedrun" baseline
"$seedrun" experiment --flag --use_warmup
"$seedrun" status
echo
echo "seedrun is $seedrun; to use it as in the README: export PATH=\"$root/build/release:\$PATH\""
