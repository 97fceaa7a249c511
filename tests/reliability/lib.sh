# Shared set-up of the reliability tests (sourced). Uses the FAKE Slurm in fake-slurm/ (named
# as such): it runs jobs at once and can be told to hang, print garbage or refuse, which a
# real Slurm cannot do on demand. The slurmdbd test uses the real local cluster instead.
set -euo pipefail
: "${SEEDRUN_BIN:?SEEDRUN_BIN must point at the seedrun binary}"
: "${SEEDRUN_SOURCE_DIR:?}"
PY=/usr/bin/python3
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
fail() { echo "FAIL: $*" >&2; exit 1; }
pass() { echo "ok: $*"; }
expect_eq() { [[ "$1" == "$2" ]] || fail "$3: expected '$2', got '$1'"; }

# A project using the fake Slurm, in a fresh temp dir ($WORK), with a quick trainer whose
# experiment flag changes nothing (so the 2σ rule asks for the extension seeds).
setup_fake_project() {
  WORK="$(mktemp -d "${TMPDIR:-/tmp}/seedrun-rel.XXXXXX")"
  trap 'pkill -f "fake_slurm.py __run" 2>/dev/null || true; rm -rf "$WORK"' EXIT
  export FAKE_SLURM_STATE="$WORK/fake-state"
  mkdir -p "$FAKE_SLURM_STATE"
  export PATH="$HERE/fake-slurm:$PATH"
  export SEEDRUN_INTENT_GRACE_SECONDS="${SEEDRUN_INTENT_GRACE_SECONDS:-3}"
  cd "$WORK"
  cat > train.py <<'PY'
import sys, time
seed = int(sys.argv[1])
for step in (1, 2):
    print(f"Step {step} | val_loss: {2.0 + (seed % 7) / 100 + step / 1000:.4f}", flush=True)
    time.sleep(float(sys.argv[2]) if len(sys.argv) > 2 and not sys.argv[2].startswith("-") else 0.05)
PY
  cat > seedrun.yaml <<'YAML'
command: ["/usr/bin/python3", "train.py", "{seed}", "{flags}"]
train_tokens: 1000
executor: slurm
cleanup_checkpoints: false
slurm:
  sacct_timeout: 3
  refresh_job: false  # the fake Slurm runs every job at once; these tests drive refresh themselves
  job_name_pattern: "seedrun-{campaign}-{arm}"  # the names before the project was added
YAML
}

db() { sqlite3 "$WORK/.seedrun/seedrun.db" "$@"; }
sbatch_calls() { grep -c "^sbatch $1 " "$FAKE_SLURM_STATE/calls.log" 2>/dev/null || true; }
sacct_calls() { grep -c "^sacct " "$FAKE_SLURM_STATE/calls.log" 2>/dev/null || true; }

# Refresh until every campaign is DONE (bounded).
refresh_until_done() {
  local limit="${1:-60}"
  for _ in $(seq "$limit"); do
    "$SEEDRUN_BIN" refresh --quiet >/dev/null 2>&1 || true
    local active
    active=$(db "SELECT count(*) FROM campaigns WHERE state = 'ACTIVE'")
    [[ "$active" == 0 ]] && return 0
    sleep 0.5
  done
  fail "campaigns still active after $limit refreshes: $("$SEEDRUN_BIN" status 2>&1)"
}

# Tasks submitted per job name across all sbatch calls: "name count" lines.
submitted_tasks() {
  $PY - "$FAKE_SLURM_STATE/jobs.json" <<'PYEOF'
import json, sys, collections
c = collections.Counter()
for j in json.load(open(sys.argv[1])).values():
    c[j["name"]] += len(j["tasks"])
for k in sorted(c):
    print(k, c[k])
PYEOF
}
