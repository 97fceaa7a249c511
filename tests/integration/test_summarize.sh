#!/usr/bin/env bash
# seedrun summarize and eval-log through the real binary: an experiment directory with a
# torchtune-style training log (\r rewrites, steps printed twice) and inspect-ai .eval files
# written in the real format (a ZIP of JSON members, made here with python's zipfile).
source "$(dirname "$0")/lib.sh"
make_workdir
cd "$WORK"
mkdir -p exp/rank4/eval/logs exp/base_model/eval/logs out/ck-out-rank4
cat > exp/experiment_summary.yaml <<'YAML'
experiment: {name: cap_rank}
output: {output_dir_base: ../out}
runs:
  - {name: rank4, type: fine-tuned, model: Llama-3.2-1B, parameters: {lora_rank: 4}}
  - {name: rank8, type: fine-tuned, model: Llama-3.2-1B, parameters: {lora_rank: 8}}
  - {name: base_model, type: control, model: Llama-3.2-1B, parameters: {}}
evaluation:
  matrix:
    - {run: rank4, tasks: [capitalization], epochs: [0]}
    - {run: rank8, tasks: [capitalization], epochs: [0]}
    - {run: base_model, tasks: [capitalization], epochs: null}
YAML
printf 'Starting\r1|1|Loss: 2.5000:  10%%|#   |\r1|1|Loss: 2.5000:  10%%|#   |\r1|2|Loss: 1.2500: 100%%|####|\n1|2|Loss: 1.2500\nwandb: Run summary:\n' > out/ck-out-rank4/slurm-1001.out
$PY - <<'PYEOF'
import json, zipfile
def write(path, task, model, targets, answers, acc):
    samples = [{"id": i + 1, "epoch": 1, "target": t, "scores": {"match": {"value": "C" if a == t else "I", "answer": a}}}
               for i, (t, a) in enumerate(zip(targets, answers))]
    header = {"version": 2, "status": "success",
              "eval": {"task": task, "model": model, "dataset": {"samples": len(samples)}},
              "results": {"total_samples": len(samples), "completed_samples": len(samples),
                          "scores": [{"name": "match", "scorer": "match",
                                      "metrics": {"accuracy": {"name": "accuracy", "value": acc}}}]}}
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("header.json", json.dumps(header))
        z.writestr("summaries.json", json.dumps([]))
        for s in samples:
            z.writestr(f"samples/{s['id']}_epoch_1.json", json.dumps(s))
write("exp/rank4/eval/logs/a.eval", "capitalization", "rank4", ["1", "0", "1", "0"], ["1", "0", "0", "0"], 0.75)
write("exp/base_model/eval/logs/b.eval", "capitalization", "base", ["1", "0", "1", "0"], ["1", "1", "1", "1"], 0.5)
# rank8: the older single-file .json log format
import os
os.makedirs("exp/rank8/eval/logs", exist_ok=True)
json.dump({"version": 2, "status": "success",
           "eval": {"task": "capitalization", "model": "rank8", "dataset": {"samples": 2}},
           "results": {"total_samples": 2, "completed_samples": 2,
                       "scores": [{"name": "match", "scorer": "match", "metrics": {"accuracy": {"name": "accuracy", "value": 1.0}}}]},
           "samples": [{"id": 1, "epoch": 1, "target": "1", "scores": {"match": {"value": "C", "answer": "1"}}},
                       {"id": 2, "epoch": 1, "target": "0", "scores": {"match": {"value": "C", "answer": "0"}}}]},
          open("exp/rank8/eval/logs/c.json", "w"))
PYEOF
"$SEEDRUN_BIN" summarize exp >out.txt 2>err.txt || fail "summarize: $(cat err.txt)"
[[ -f exp/summary.md && -f exp/logs/summarize-experiment.log ]] || fail "missing outputs: $(cat out.txt)"
grep -q '^## Run Status' exp/summary.md || fail "no Run Status"
grep -Eq '^\| rank4 \| 1\.25' exp/summary.md || fail "training loss row: $(grep rank4 exp/summary.md)"
grep -Eq '^\| rank4 \| capitalization \| 0 \| 0\.75 \| 0\.75 \| 0\.67 \| 4 \|' exp/summary.md || fail "eval row: $(grep capitalization exp/summary.md)"
grep -Eq '^\| rank8 \| capitalization \| 0 \| 1\.00 \|' exp/summary.md || fail "json log row: $(grep rank8 exp/summary.md)"
grep -q '| rank8 | Fine-tuning |' exp/summary.md || fail "rank8 training not listed as incomplete: $(grep -A8 'Incomplete' exp/summary.md)"
pass "summarize writes the seed's tables"

"$SEEDRUN_BIN" eval-log exp/rank4/eval/logs/a.eval --binary --json > bin.json
$PY -c 'import json; j=json.load(open("bin.json")); assert j["confusion_matrix"]=={"tp":1,"tn":2,"fp":0,"fn":1,"other":0}, j; assert j["balanced_accuracy"]==0.75, j' || fail "binary metrics: $(cat bin.json)"
echo "not a zip" > bad.eval
set +e
"$SEEDRUN_BIN" eval-log bad.eval --json > bad.json; rc=$?
"$SEEDRUN_BIN" summarize "$WORK" 2>err2.txt; rc2=$?
set -e
[[ $rc -ne 0 ]] || fail "eval-log of a bad file exits 0"
$PY -c 'import json; j=json.load(open("bad.json")); assert j["status"]=="error" and j["message"], j' || fail "bad file JSON"
expect_eq "$rc2" 2 "summarize without experiment_summary.yaml"
grep -q "has no experiment_summary.yaml" err2.txt || fail "message: $(cat err2.txt)"
pass "eval-log JSON and errors"
