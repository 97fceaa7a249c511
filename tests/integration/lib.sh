# Shared helpers for the integration tests (sourced, not run).
set -euo pipefail
: "${SEEDRUN_BIN:?SEEDRUN_BIN must point at the seedrun binary}"
: "${SEEDRUN_SOURCE_DIR:?}"
PY=/usr/bin/python3

fail() { echo "FAIL: $*" >&2; exit 1; }
pass() { echo "ok: $*"; }

# A fresh temp directory removed at exit.
make_workdir() {
  WORK="$(mktemp -d "${TMPDIR:-/tmp}/seedrun-it.XXXXXX")"
  trap 'rm -rf "$WORK"' EXIT
}

# Copies the demo trainer into $WORK with a smaller scale (argument: train_tokens).
copy_toy() {
  local tokens="$1"
  cp -r "$SEEDRUN_SOURCE_DIR/examples/toy-llm/." "$WORK/"
  rm -rf "$WORK/.seedrun" "$WORK/docs" "$WORK/checkpoints"
  sed -i "s/^train_tokens: .*/train_tokens: $tokens/" "$WORK/seedrun.yaml"
}

expect_eq() { [[ "$1" == "$2" ]] || fail "$3: expected '$2', got '$1'"; }
