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

# ---- issue 9, item 1: a control run whose matrix task is `mmlu` and whose log says
# `inspect_evals/mmlu_0_shot`, with no eval job output at all (this segfaulted). The real log from
# inspect_ai's repository is used when ../shared/realdata is there, else one written the same way.
mkdir -p mm/base_model/eval/logs
cat > mm/experiment_summary.yaml <<'YAML'
runs:
  - {name: base_model, type: control, model: openai/gpt-4o}
evaluation:
  matrix:
    - {run: base_model, tasks: [mmlu], epochs: null}
YAML
REAL="${SEEDRUN_REALDATA_DIR:-$SEEDRUN_SOURCE_DIR/../shared/realdata}/inspect/inspect_ai__mmlu-summary-choices.eval"
if [[ -f "$REAL" ]]; then
  ln -s "$(readlink -f "$REAL")" mm/base_model/eval/logs/mmlu.eval # read in place, never copied
else
  echo "note: $REAL absent; using a log written here"
  $PY - <<'PYEOF'
import json, zipfile
spec = {"task": "inspect_evals/mmlu_0_shot", "model": "openai/gpt-4o", "created": "2025-12-19T12:37:50+00:00"}
header = {"version": 2, "status": "success", "eval": spec,
          "results": {"total_samples": 1, "completed_samples": 1,
                      "scores": [{"name": "choice", "metrics": {"accuracy": {"name": "accuracy", "value": 0.0}}}]}}
rec = [{"id": 1, "epoch": 1, "target": "A", "scores": {"choice": {"value": "I", "answer": "C"}}}]
with zipfile.ZipFile("mm/base_model/eval/logs/mmlu.eval", "w", zipfile.ZIP_DEFLATED) as z:
    z.writestr("header.json", json.dumps(header))
    z.writestr("summaries.json", json.dumps(rec))
PYEOF
fi
set +e
"$SEEDRUN_BIN" summarize mm >mm.out 2>mm.err; rc=$?
set -e
expect_eq "$rc" 0 "summarize of the mmlu experiment (stderr: $(cat mm.err))"
grep -q '^| base_model | Control | N/A | COMPLETED |$' mm/summary.md || fail "mmlu cell not completed: $(cat mm/summary.md)"
grep -q '^| base_model | mmlu | - | 0.00 | - | - | 1 |$' mm/summary.md || fail "mmlu row: $(grep mmlu mm/summary.md)"
grep -q '^| base_model | mmlu | - | base_model/eval/logs/mmlu.eval | inspect_evals/mmlu_0_shot | prefix | - |$' mm/summary.md \
  || fail "summary.md does not say which log answered the cell: $(grep -A4 'Evaluation Logs' mm/summary.md)"
"$SEEDRUN_BIN" eval-log mm/base_model/eval/logs/mmlu.eval --json > mm.json
$PY -c 'import json; j=json.load(open("mm.json")); assert j["task"]=="inspect_evals/mmlu_0_shot" and j["status"]=="success", j'
pass "a namespaced inspect task answers its matrix cell, and summary.md says which log did"

# ---- issue 10, item 8: --binary on a multiple-choice task is not a success with accuracy 0
set +e
"$SEEDRUN_BIN" eval-log mm/base_model/eval/logs/mmlu.eval --binary --json > mmb.json; rc=$?
set -e
expect_eq "$rc" 1 "eval-log --binary on a non-binary task"
$PY -c 'import json; j=json.load(open("mmb.json")); assert j["status"]=="not_binary" and "not binary" in j["message"] and "accuracy" not in j, j' \
  || fail "not_binary JSON: $(cat mmb.json)"
pass "eval-log --binary on a multiple-choice task says it is not binary and exits 1"

# ---- issue 9, item 5: a Latin-1 file name still gives JSON (U+FFFD in its place), exit 0
cp exp/rank4/eval/logs/a.eval "$(printf 'caf\xe9.eval')"
set +e
"$SEEDRUN_BIN" eval-log "$(printf 'caf\xe9.eval')" --json > latin1.json 2>latin1.err; rc=$?
set -e
expect_eq "$rc" 0 "eval-log on a Latin-1 file name (stderr: $(cat latin1.err))"
$PY -c 'import json; j=json.load(open("latin1.json", encoding="utf-8")); assert j["path"].endswith("caf\ufffd.eval") and j["status"]=="success", j' \
  || fail "Latin-1 JSON: $(cat latin1.json)"
pass "eval-log prints valid UTF-8 JSON for a file name that is not UTF-8"

# ---- issue 9, item 9: a planted symbolic link at the log is refused; its target is not copied
printf 'TOPSECRET\n' > secret.txt
chmod 600 secret.txt
rm -f exp/logs/summarize-experiment.log
ln -s "$WORK/secret.txt" exp/logs/summarize-experiment.log
set +e
"$SEEDRUN_BIN" summarize exp >ln.out 2>ln.err; rc=$?
set -e
expect_eq "$rc" 1 "summarize with a symbolic link at the log"
grep -q 'summarize-experiment.log is a symbolic link' ln.err || fail "message: $(cat ln.err)"
[[ -L exp/logs/summarize-experiment.log ]] || fail "the link was replaced"
[[ "$(cat secret.txt)" == "TOPSECRET" ]] || fail "the link's target changed"
# grep -r does not follow the link it meets inside exp/, so only real copies are found
! grep -rq --binary-files=text TOPSECRET exp || fail "the target's content was copied into the experiment"
rm exp/logs/summarize-experiment.log
(umask 022 && "$SEEDRUN_BIN" summarize exp >/dev/null 2>&1) || fail "summarize after removing the link"
[[ -f exp/logs/summarize-experiment.log && ! -L exp/logs/summarize-experiment.log ]] || fail "no regular log written"
expect_eq "$(stat -c %a exp/logs/summarize-experiment.log)" 644 "mode of a new log under umask 022"
pass "summarize refuses a planted symbolic link at its log and copies nothing"
