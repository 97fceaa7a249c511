#!/usr/bin/env bash
# `seedrun analyze` through the real binary:
#  1. a seed-001 experiment directory written here (training stdout, inspect-ai .eval ZIPs made with
#     Python's zipfile): report, HTML, plots rendered by rsvg-convert, CSV values recomputed by Python;
#  2. campaigns of the demo trainer (a baseline and two experiments) analysed from the store, with
#     the pairwise Welch tests recomputed by scipy from `seedrun status --json`.
source "$(dirname "$0")/lib.sh"
make_workdir

"$SEEDRUN_BIN" analyze --help >/dev/null 2>&1 || fail "seedrun analyze is not available in $SEEDRUN_BIN"

# ---- 1. experiment directory
EXP="$WORK/exp"
$PY - "$EXP" <<'PYEOF'
import json, pathlib, sys, zipfile
exp = pathlib.Path(sys.argv[1])
runs = [  # name, lora_rank, learning_rate, wrong answers at epochs 0 and 1 (8 samples), final loss, status
    ("r4_lr1e-5", 4, "1e-5", [3, 2], 0.41, "ok"),
    ("r4_lr5e-5", 4, "5e-5", [2, 1], 0.30, "ok"),
    ("r8_lr1e-5", 8, "1e-5", [2, 0], 0.29, "ok"),
    ("r8_lr5e-5", 8, "5e-5", None, 0.0, "fail"),
]
design = ["experiment:", "  name: it_sweep", "output:", "  output_dir_base: out", "runs:"]
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
              "results": {"total_samples": 8, "completed_samples": 8, "scores": [
                  {"name": "match", "scorer": "match",
                   "metrics": {"accuracy": {"name": "accuracy", "value": (8 - wrong) / 8}}}]}}
    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("_journal/start.json", json.dumps({"version": 2, "eval": spec}))
        z.writestr("summaries.json", json.dumps(recs))
        z.writestr("header.json", json.dumps(header))

expected = {}
for name, rank, lr, wrong, final, status in runs:
    out = exp / "out" / f"ck-out-{name}"
    out.mkdir(parents=True)
    lines = [f"{1 + (s - 1) // 10}|{s}|Loss: {final + 0.5 * (1 - s / 20) ** 2:.4f}" for s in range(1, 21)]
    if status == "fail":
        lines = lines[:2] + ["Traceback (most recent call last):", "RuntimeError: CUDA out of memory."]
    (out / "slurm-7001.out").write_text("\n".join(lines) + "\n")
    for epoch, w in enumerate(wrong or []):
        eval_zip(exp / name / "eval" / "logs" / f"2026-01-05T1{epoch}-00-00_cap.eval", w, f"/o/ck-out-{name}/epoch_{epoch}")
    if wrong:
        expected[name] = (8 - wrong[-1]) / 8
eval_zip(exp / "base_model" / "eval" / "logs" / "2026-01-05T12-00-00_cap.eval", 4, None)
expected["base_model"] = 0.5
json.dump(expected, open(exp / "expected.json", "w"))
PYEOF

"$SEEDRUN_BIN" analyze "$EXP" --html >"$WORK/a1.out" 2>"$WORK/a1.err" || fail "analyze DIR exited $?: $(cat "$WORK/a1.err")"
A="$EXP/analysis"
for f in report.md report.html plots/loss_curves.svg plots/final_metric.svg plots/heatmap.svg \
         tables/fine_tuning.csv tables/evaluation.csv tables/ranking.csv tables/statistics.csv tables/ranking.tex; do
  [[ -f "$A/$f" ]] || fail "missing $A/$f"
done
[[ -f "$EXP/logs/analyze-experiment.log" ]] || fail "no analyze-experiment.log"
grep -q "^## Limitations" "$A/report.md" || fail "no Limitations section"
grep -q "r8_lr5e-5: fine-tuning FAILED" "$A/report.md" || fail "the failed run is not named under Limitations"
[[ "$(grep -c '<svg xmlns' "$A/report.html")" == 3 ]] || fail "report.html does not inline the 3 plots"
grep -qi "nan" "$A"/plots/*.svg && fail "NaN in a plot"
$PY - "$A/report.html" <<'PYEOF' || fail "report.html is not well-formed"
import sys
from html.parser import HTMLParser
class Check(HTMLParser):
    def __init__(self):
        super().__init__()
        self.stack, self.bad = [], []
    def handle_starttag(self, tag, attrs):
        if tag not in ("meta", "hr", "br"):
            self.stack.append(tag)
    def handle_endtag(self, tag):
        if self.stack and self.stack[-1] == tag:
            self.stack.pop()
        else:
            self.bad.append(tag)
c = Check()
c.feed(open(sys.argv[1]).read())
assert not c.stack and not c.bad, (c.stack, c.bad)
PYEOF
for svg in "$A"/plots/*.svg; do
  rsvg-convert --format png --output "${svg%.svg}.png" "$svg" || fail "rsvg-convert cannot render $svg"
  [[ "$(head -c 8 "${svg%.svg}.png" | od -An -tx1 | tr -d ' \n')" == "89504e470d0a1a0a" ]] || fail "$svg: not a PNG"
done
pass "analyze DIR wrote report, HTML, plots that render, tables and the process log"

$PY - "$A" "$EXP/expected.json" <<'PYEOF' || fail "tables of the experiment analysis do not match the data"
import csv, json, statistics, sys
a, expected = sys.argv[1], json.load(open(sys.argv[2]))
ev = {r["Run"]: r for r in csv.DictReader(open(f"{a}/tables/evaluation.csv"))}
for run, acc in expected.items():
    assert abs(float(ev[run]["Accuracy"]) - acc) < 1e-12, (run, ev[run])
assert ev["r8_lr5e-5"]["Accuracy"] == "", ev["r8_lr5e-5"]
rank = list(csv.DictReader(open(f"{a}/tables/ranking.csv")))
best = max(expected, key=lambda k: (expected[k], k))
assert rank[0]["Arm"] == best, rank[0]
stats = {(r["Metric"], r["Group"]): r for r in csv.DictReader(open(f"{a}/tables/statistics.csv"))}
# one row per arm (the control is its own arm), never a pooled "all runs" row; one run: no CI
assert not any(g == "all runs" for _, g in stats), sorted(stats)
for run, acc in expected.items():
    row = stats[("Accuracy", run)]
    assert int(row["n"]) == 1 and abs(float(row["Mean"]) - acc) < 1e-12, row
    assert row["95% CI low"] == "" and row["95% CI high"] == "", row
for row in stats.values():
    if row["Metric"] in ("Accuracy", "Bal. acc", "F1") and row["95% CI low"] != "":
        assert 0 <= float(row["95% CI low"]) <= float(row["95% CI high"]) <= 1, row
PYEOF
pass "evaluation, ranking and statistics tables equal the values recomputed from the data"

# ---- 2. campaigns from the store
copy_toy 20000
cd "$WORK"
"$SEEDRUN_BIN" baseline >/dev/null 2>b.err || fail "baseline failed: $(cat b.err)"
"$SEEDRUN_BIN" experiment --flag --use_warmup >/dev/null 2>e1.err || fail "experiment 1 failed: $(cat e1.err)"
"$SEEDRUN_BIN" experiment --flag --lr --flag 0.08 >/dev/null 2>e2.err || fail "experiment 2 failed: $(cat e2.err)"
"$SEEDRUN_BIN" analyze >a2.out 2>a2.err || fail "analyze (campaigns) exited $?: $(cat a2.err)"
C="$WORK/docs/research/analysis"
for f in report.md plots/loss_curves.svg plots/final_metric.svg plots/seeds_box.svg tables/pairwise.csv; do
  [[ -f "$C/$f" ]] || fail "missing $C/$f"
done
"$SEEDRUN_BIN" status --json >status.json
$PY - "$C" <<'PYEOF' || fail "pairwise statistics do not match scipy"
import csv, json, sys
from scipy import stats
c = sys.argv[1]
camps = json.load(open("status.json"))["campaigns"]
vals = {x["name"]: [r["val_loss"] for r in x["runs"] if r["state"] == "COMPLETED"] for x in camps}
rows = list(csv.DictReader(open(f"{c}/tables/pairwise.csv")))
assert len(rows) == 3, rows
for r in rows:
    b, w = vals[r["Better"]], vals[r["Worse"]]
    assert sum(b) / len(b) <= sum(w) / len(w)
    p = stats.ttest_ind(b, w, equal_var=False).pvalue
    assert abs(float(r["p"]) - p) < 1e-9 * max(1, p), (r, p)
    u = stats.mannwhitneyu(w, b).statistic / (len(b) * len(w))
    assert abs(float(r["P(better wins)"]) - u) < 1e-12, (r, u)
PYEOF
pass "analyze on campaigns: Welch p and P(better wins) equal scipy's"

"$SEEDRUN_BIN" analyze --curves lines >/dev/null 2>a3.err || fail "analyze --curves lines failed: $(cat a3.err)"
grep -q 'class="band"' "$C/plots/loss_curves.svg" && fail "--curves lines still draws bands"
pass "--curves lines draws one line per run"
