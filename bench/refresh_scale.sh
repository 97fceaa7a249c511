#!/usr/bin/env bash
# Scale benchmark: one campaign of N seeds (default 10,000) tracked through a FAKE Slurm (a
# canned sbatch and a sacct that prints N rows: a real Slurm here cannot hold 10,000 jobs).
# Measures: planning + submission, the refresh that settles all N runs (one sacct call, N logs
# read, the report written), and an idle refresh. Prints a table; exits 1 if a refresh made
# more than one sacct call.
#   bench/refresh_scale.sh [N]     (SEEDRUN_BIN defaults to build/release/seedrun)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
n="${1:-10000}"
bin="${SEEDRUN_BIN:-$root/build/release/seedrun}"
[[ -x $bin ]] || { echo "bench: build seedrun first (BUILD_PRESET=release scripts/build.sh)" >&2; exit 1; }
work="$(mktemp -d /tmp/seedrun-bench.XXXXXX)"
[[ -n "${BENCH_KEEP:-}" ]] || trap 'rm -rf "$work"' EXIT
mkdir -p "$work/fake"
# FAKE sbatch: accepts everything, job id 500. FAKE sacct: prints the canned rows, counts calls.
cat > "$work/fake/sbatch" <<'SH'
#!/bin/sh
echo 500
SH
cat > "$work/fake/sacct" <<SH
#!/bin/sh
echo call >> "$work/sacct.calls"
cat "$work/sacct.out" 2>/dev/null
SH
chmod +x "$work/fake/sbatch" "$work/fake/sacct"
export PATH="$work/fake:$PATH"
cd "$work"
{
  echo 'command: ["/bin/true", "{seed}"]'
  echo 'train_tokens: 1000'
  echo 'executor: slurm'
  echo 'cleanup_checkpoints: false'
  printf 'seeds: {baseline: ['
  seq -s, 1 "$n" | tr -d '\n'
  echo ']}'
} > seedrun.yaml
t() { local s=$EPOCHREALTIME; "$@" >/dev/null; local e=$EPOCHREALTIME; /usr/bin/python3 -c "print(round($e - $s, 3))"; }
# Peak RSS of a command, from the kernel's rusage of the child (no /usr/bin/time needed).
rss() { /usr/bin/python3 -c 'import resource, subprocess, sys; subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL); print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)' "$@"; }
submit_s=$(t "$bin" baseline --no-wait --quiet)
/usr/bin/python3 - "$n" <<'PY'
import os, sys
n = int(sys.argv[1])
os.makedirs(".seedrun/slurm", exist_ok=True)
rows = []
for i in range(n):
    with open(f".seedrun/slurm/seedrun-seedrun-baseline_1K-baseline_500_{i}.out", "w") as f:
        for step in range(1, 11):
            f.write(f"Step {step} | val_loss: {3.0 - step / 10 + (i % 97) / 10000:.4f}\n")
    raw = "500" if i == n - 1 else str(100000 + i)
    rows.append(f"{raw}|500_{i}|seedrun-seedrun-baseline_1K-baseline|COMPLETED|0:0|00:01:40|2026-11-23T10:00:00|2026-11-23T10:01:40|node1")
open("sacct.out", "w").write("\n".join(rows) + "\n")
PY
cp -r .seedrun .seedrun.before-settle
settle_s=$(t "$bin" refresh --quiet)
calls_after_settle=$(wc -l < sacct.calls)
idle_s=$(t "$bin" refresh --quiet)
calls_after_idle=$(wc -l < sacct.calls)
idle_rss=$(rss "$bin" refresh --quiet)
status_s=$(t "$bin" status --json)
completed=$(sqlite3 .seedrun/seedrun.db "SELECT count(*) FROM runs WHERE state='COMPLETED'")
points=$(sqlite3 .seedrun/seedrun.db "SELECT count(*) FROM metric_points")
echo "| what (N = $n seeds) | seconds |"
echo "|---|---|"
echo "| plan N runs + one sbatch array | $submit_s |"
echo "| refresh settling N runs (1 sacct call, N logs, $points points, report) | $settle_s |"
echo "| idle refresh (nothing unfinished: no sacct call) | $idle_s (max RSS ${idle_rss} KB) |"
echo "| status --json | $status_s |"
echo
echo "completed=$completed sacct_calls_settle=$calls_after_settle sacct_calls_after_idle=$calls_after_idle"
[[ $completed == "$n" && $calls_after_settle == 1 && $calls_after_idle == 1 ]]
