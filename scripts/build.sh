#!/usr/bin/env bash
# Configures and builds seedrun. BUILD_PRESET=dev|asan|release (default release for the demo).
set -euo pipefail
cd "$(dirname "$0")/.."
preset="${BUILD_PRESET:-release}"
cmake --preset "$preset" >/dev/null
cmake --build --preset "$preset" -j "$(nproc)"
echo "build/$preset/seedrun"
