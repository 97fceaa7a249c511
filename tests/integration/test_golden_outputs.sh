#!/usr/bin/env bash
# Golden outputs (issue 15): the seed-003 reports (markdown + JSON), summary.md and the analyze
# reports with their SVG plots, byte for byte, as the real binary writes them. They pin the
# refactors: a change that alters one byte of a report fails here with the diff.
# Inputs are deterministic: the fake trainer tests/fixtures/verdicts/train.py, wall times and
# timestamps set in the store before the reports are rewritten, and an experiment directory
# written by this script. The only normalisations: the temp directory becomes /WORK and the
# "Generated" time of invocation becomes GENERATED.
# SEEDRUN_UPDATE_GOLDEN=1 rewrites tests/golden/ instead of comparing (say why in the commit).
source "$(dirname "$0")/lib.sh"
make_workdir
# summarize asks sacct about the jobs of an experiment directory; whether a local Slurm is up
# must not change the pinned bytes, so sacct is a command that does not exist here.
export SEEDRUN_SACCT="$WORK/no-such-sacct"
DAY1="$(date -u +%Y-%m-%d)"
GOLDEN="$SEEDRUN_SOURCE_DIR/tests/golden"
OUT="$WORK/out"
mkdir -p "$OUT"

# ---- 1. seed-003 reports from a store with fixed numbers
mkdir "$WORK/proj" && cd "$WORK/proj"
cp "$SEEDRUN_SOURCE_DIR/tests/fixtures/verdicts/train.py" .
cat >seedrun.yaml <<'YAML'
command: [/usr/bin/python3, train.py, --seed, "{seed}", --train_tokens, "{train_tokens}", --output_dir, "{output_dir}", "{flags}"]
train_tokens: 1000
YAML
run() { "$SEEDRUN_BIN" "$@" >/dev/null 2>"$WORK/err.txt" || true; }
run baseline
run experiment --name win --flag --shift=-0.05
run experiment --name close --flag --shift=0.004
run experiment --name noisy --flag --spread=0.01
run experiment --name lose --flag --shift=0.05
echo "256" >fail_seeds.txt
run experiment --name flaky --flag --shift=0.01
: >fail_seeds.txt
# Wall times and timestamps fixed per run (they are measured, so they differ on every run).
$PY - .seedrun/seedrun.db <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
for i, (rid,) in enumerate(db.execute("SELECT id FROM runs ORDER BY id").fetchall()):
    db.execute("UPDATE runs SET started_at=?, ended_at=?, wall_time=? WHERE id=?",
               (f"2026-01-02T03:{i:02d}:00Z", f"2026-01-02T03:{i:02d}:30Z", 30.0 + 0.25 * (i % 7), rid))
db.execute("UPDATE campaigns SET created_at='2026-01-02T03:00:00Z', updated_at='2026-01-02T04:00:00Z'")
db.commit()
PY
"$SEEDRUN_BIN" report >/dev/null 2>"$WORK/err.txt" || fail "seedrun report: $(cat "$WORK/err.txt")"
for f in docs/research/*; do cp "$f" "$OUT/report_$(basename "$f")"; done
"$SEEDRUN_BIN" analyze --html --output "$WORK/an_store" >/dev/null 2>"$WORK/err.txt" || fail "analyze (store): $(cat "$WORK/err.txt")"
collect() { # every file under $1, flattened: <prefix>_<path with / as _>
  local f rel
  while IFS= read -r f; do rel="${f#"$1"/}"; cp "$f" "$OUT/$2_${rel//\//_}"; done < <(find "$1" -type f | sort)
}
collect "$WORK/an_store" analyze_store

# ---- 2. summary.md and analyze over a seed-001 experiment directory written here
EXP="$WORK/exp"
$PY - "$EXP" <<'PY'
import json, pathlib, sys, zipfile
exp = pathlib.Path(sys.argv[1])
runs = [("r4_lr1e-5", 4, "1e-5", [3, 2], 0.41, "ok"), ("r4_lr5e-5", 4, "5e-5", [2, 1], 0.30, "ok"),
        ("r8_lr1e-5", 8, "1e-5", [2, 0], 0.29, "ok"), ("r8_lr5e-5", 8, "5e-5", None, 0.0, "fail")]
design = ["experiment:", "  name: golden_sweep", "output:", "  output_dir_base: out", "runs:"]
matrix = ["evaluation:", "  matrix:"]
for name, rank, lr, _, _, _ in runs:
    design.append(f"  - {{name: {name}, type: fine-tuned, model: m, parameters: {{lora_rank: {rank}, learning_rate: {lr}}}}}")
    matrix.append(f"    - {{run: {name}, tasks: [cap], epochs: [0, 1]}}")
design.append("  - {name: base_model, type: control, model: m, parameters: {}}")
matrix.append("    - {run: base_model, tasks: [cap], epochs: null}")
exp.mkdir(parents=True)
(exp / "experiment_summary.yaml").write_text("\n".join(design + matrix) + "\n")
def eval_zip(path, wrong, model_path):
    targets = ["1"] * 4 + ["0"] * 4
    answers = ["0" if i < wrong else t for i, t in enumerate(targets)]
    recs = [{"id": i + 1, "epoch": 1, "target": t, "scores": {"match": {"value": "C" if t == a else "I", "answer": a}}}
            for i, (t, a) in enumerate(zip(targets, answers))]
    spec = {"task": "cap", "model": "hf/local", "created": "2026-01-05T10:00:00+00:00",
            "model_args": {"model_path": model_path} if model_path else {}, "task_args": {}}
    header = {"version": 2, "status": "success", "eval": spec,
              "stats": {"started_at": "2026-01-05T10:00:00+00:00", "completed_at": "2026-01-05T10:01:30+00:00"},
              "results": {"total_samples": 8, "completed_samples": 8, "scores": [
                  {"name": "match", "scorer": "match", "metrics": {"accuracy": {"name": "accuracy", "value": (8 - wrong) / 8}}}]}}
    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("_journal/start.json", json.dumps({"version": 2, "eval": spec}))
        z.writestr("summaries.json", json.dumps(recs))
        z.writestr("header.json", json.dumps(header))
for name, rank, lr, wrong, final, status in runs:
    out = exp / "out" / f"ck-out-{name}"
    out.mkdir(parents=True)
    lines = [f"{1 + (s - 1) // 10}|{s}|Loss: {final + 0.5 * (1 - s / 20) ** 2:.4f}" for s in range(1, 21)]
    if status == "fail":
        lines = lines[:2] + ["Traceback (most recent call last):", "RuntimeError: CUDA out of memory."]
    (out / "slurm-7001.out").write_text("\n".join(lines) + "\n")
    for epoch, w in enumerate(wrong or []):
        eval_zip(exp / name / "eval" / "logs" / f"2026-01-05T1{epoch}-00-00_cap.eval", w, f"/o/ck-out-{name}/epoch_{epoch}")
eval_zip(exp / "base_model" / "eval" / "logs" / "2026-01-05T09-00-00_cap.eval", 4, None)
PY
"$SEEDRUN_BIN" summarize "$EXP" >/dev/null 2>"$WORK/err.txt" || fail "summarize: $(cat "$WORK/err.txt")"
cp "$EXP/summary.md" "$OUT/summary.md"
"$SEEDRUN_BIN" analyze "$EXP" --output "$WORK/an_exp" --html --heatmap lora_rank,learning_rate >/dev/null 2>"$WORK/err.txt" ||
  fail "analyze (directory): $(cat "$WORK/err.txt")"
collect "$WORK/an_exp" analyze_exp

# ---- normalise and compare
DAY2="$(date -u +%Y-%m-%d)" # the time of invocation is the only timestamp from today
for f in "$OUT"/*; do
  sed -i -E -e "s#$WORK#/WORK#g" -e "s#($DAY1|$DAY2)T[0-9]{2}:[0-9]{2}:[0-9]{2}Z#GENERATED#g" "$f"
done
if [[ "${SEEDRUN_UPDATE_GOLDEN:-0}" == 1 ]]; then
  rm -rf "$GOLDEN" && mkdir -p "$GOLDEN" && cp "$OUT"/* "$GOLDEN"/
  echo "golden: rewrote $(ls "$GOLDEN" | wc -l) files in tests/golden"
  exit 0
fi
n=$(ls "$GOLDEN" | wc -l)
(( n >= 15 )) || fail "tests/golden holds $n files; expected the reports, summary.md and analyze outputs"
diff -r "$GOLDEN" "$OUT" >"$WORK/diff.txt" || { head -80 "$WORK/diff.txt" >&2; fail "outputs differ from tests/golden (diff above)"; }
pass "$n golden outputs byte-identical"
