#!/usr/bin/env bash
# Baselines that match the code (docs/method.md "Baseline identity") and checkpoints kept as
# evidence, with the real binary and the toy trainer at a tiny scale:
#  1. editing train_llm.py: `experiment --reuse-baseline` judges against the old baseline and
#     says so; `experiment` without it runs a new baseline first, under a suffixed report name,
#     and its report names that file;
#  2. a second command at the same scale gets a report file of its own;
#  3. with .seedrun deleted, `baseline` reads the baseline back from its JSON twin and runs nothing;
#  4. a failing seed's checkpoint directory and a directory that existed before both survive.
source "$(dirname "$0")/lib.sh"
make_workdir
copy_toy 20000
cd "$WORK"
campaigns() { "$SEEDRUN_BIN" status --json | $PY -c 'import json,sys; print(" ".join(sorted(c["key"] for c in json.load(sys.stdin)["campaigns"])))'; }
json_field() { $PY -c 'import json,sys; j=json.load(open(sys.argv[1])); print(eval("j" + sys.argv[2]))' "$1" "$2"; }

"$SEEDRUN_BIN" baseline >b1.out 2>b1.err || fail "baseline exited $?: $(cat b1.err)"
[[ -f docs/research/baseline_variance_20K.json ]] || fail "no baseline report"
old_key=$(json_field docs/research/baseline_variance_20K.json '["identity"]["key"]')
grep -q '^\*\*Identity:\*\* `'"${old_key:0:6}"'` · code sha256 `[0-9a-f]\{8\}` (train_llm.py) · not a git work tree · executor `local`' \
  docs/research/baseline_variance_20K.md || fail "no identity line: $(grep Identity docs/research/baseline_variance_20K.md)"
pass "the baseline report shows its identity (command, code hash, git, executor)"

# 1. The code changes.
echo "# a comment changes the code" >>train_llm.py
"$SEEDRUN_BIN" experiment --flag --use_warmup --name reused --reuse-baseline >e1.out 2>e1.err ||
  fail "experiment --reuse-baseline exited $?: $(cat e1.err)"
grep -q -- "--reuse-baseline: using baseline baseline_20K although train_llm.py changed (sha256 " e1.err ||
  fail "--reuse-baseline did not say so: $(cat e1.err)"
expect_eq "$(campaigns)" "baseline_20K reused_20K" "campaigns after --reuse-baseline"
expect_eq "$(json_field docs/research/experiment_reused_20K.json '["baseline_report"]')" "baseline_variance_20K.md" \
  "baseline named by the reused experiment's report"
grep -q "The baseline ran other code than this experiment" docs/research/experiment_reused_20K.md ||
  fail "the reused experiment's report does not warn about the other code"
pass "--reuse-baseline judged against the old baseline, said so, and ran no new baseline"

"$SEEDRUN_BIN" experiment --flag --use_warmup >e2.out 2>e2.err || fail "experiment exited $?: $(cat e2.err)"
grep -q "the code changed since baseline baseline_20K: train_llm.py changed (sha256 [0-9a-f]\{8\} → [0-9a-f]\{8\}); a new baseline (baseline_20K_[0-9a-f]\{6\}) is needed and runs now" e2.err ||
  fail "no words about the changed code: $(cat e2.err)"
new_base=$(echo "$(campaigns)" | tr ' ' '\n' | grep '^baseline_20K_')
[[ -n "$new_base" ]] || fail "no new baseline campaign: $(campaigns)"
suffix=${new_base#baseline_20K_}
runs=$("$SEEDRUN_BIN" status --json | $PY -c 'import json,sys; print([len(c["runs"]) for c in json.load(sys.stdin)["campaigns"] if c["key"] == sys.argv[1]][0])' "$new_base")
expect_eq "$runs" 5 "seeds of the new baseline"
[[ -f docs/research/baseline_variance_20K_$suffix.md && -f docs/research/baseline_variance_20K_$suffix.json ]] ||
  fail "no suffixed report: $(ls docs/research)"
expect_eq "$(json_field docs/research/baseline_variance_20K.json '["identity"]["key"]')" "$old_key" "the old report's identity"
expect_eq "$(json_field docs/research/experiment_use_warmup_20K.json '["baseline_report"]')" "baseline_variance_20K_$suffix.md" \
  "baseline named by the experiment report"
grep -q "\[\`baseline_variance_20K_$suffix.md\`\](baseline_variance_20K_$suffix.md)" docs/research/experiment_use_warmup_20K.md ||
  fail "the experiment report does not link the new baseline's report"
grep -q "^Baseline report: $WORK/docs/research/baseline_variance_20K_$suffix.md" e2.out || fail "wrong path printed: $(cat e2.out)"
pass "after editing train_llm.py a new baseline ran first, in its own report, and the experiment names it"

# 2. Another command at the same scale.
sed -i 's/"{flags}"\]/"--hidden", "64", "{flags}"]/' seedrun.yaml
"$SEEDRUN_BIN" baseline >b2.out 2>b2.err || fail "second-command baseline exited $?: $(cat b2.err)"
reports=$(ls docs/research/baseline_variance_20K*.md | wc -l)
expect_eq "$reports" 3 "baseline reports for two commands and two versions of the code"
third=$(sed -n 's/^Baseline report: .*\/\(baseline_variance_20K_[0-9a-f]*\.md\)$/\1/p' b2.out)
[[ -n "$third" && "$third" != "baseline_variance_20K_$suffix.md" ]] || fail "second command reused a report file: $(cat b2.out)"
grep -q -- '--hidden 64' "docs/research/$third" || fail "$third does not hold the second command's baseline"
"$SEEDRUN_BIN" experiment --flag --use_warmup --name hidden64 >e3.out 2>e3.err || fail "experiment exited: $(cat e3.err)"
expect_eq "$(json_field docs/research/experiment_hidden64_20K.json '["baseline_report"]')" "$third" \
  "baseline named by the second command's experiment"
pass "two commands at one scale have two report files, and each experiment names its own"

# 3. The store is gone: the baseline is read back from its twin.
rm -rf .seedrun
"$SEEDRUN_BIN" baseline >b3.out 2>b3.err || fail "baseline without a store exited $?: $(cat b3.err)"
grep -q "read it back from its report ($WORK/docs/research/${third%.md}.json)" b3.err || fail "not read back: $(cat b3.err)"
[[ ! -d .seedrun/logs ]] || fail "training ran: $(ls .seedrun/logs)"
completed=$("$SEEDRUN_BIN" status --json | $PY -c 'import json,sys; print(sum(r["state"] == "COMPLETED" for c in json.load(sys.stdin)["campaigns"] for r in c["runs"]))')
expect_eq "$completed" 5 "seeds read back"
pass "with .seedrun deleted the baseline was read back from its JSON twin and skipped"

# 4. Checkpoints: a failing seed's and a pre-existing one survive.
mkdir -p "$WORK/ck" && cd "$WORK/ck"
cat > ck.py <<'PY'
import os, sys
seed, out = int(sys.argv[1]), sys.argv[2]
os.makedirs(out, exist_ok=True)
open(os.path.join(out, "model.bin"), "w").write("weights")
if seed == 137:
    print("error: diverged", flush=True)
    sys.exit(1)
print(f"val_loss: {2 + seed / 10000:.4f}", flush=True)
PY
cat > seedrun.yaml <<'YAML'
command: ["/usr/bin/python3", "ck.py", "{seed}", "{output_dir}"]
train_tokens: 1000
YAML
mkdir -p checkpoints/baseline_1K_seed42 && echo mine >checkpoints/baseline_1K_seed42/notes.txt
set +e
"$SEEDRUN_BIN" baseline >ck.out 2>ck.err
set -e
[[ -f checkpoints/baseline_1K_seed137/model.bin ]] || fail "the failed seed's checkpoint was deleted"
[[ "$(cat checkpoints/baseline_1K_seed42/notes.txt 2>/dev/null)" == mine ]] || fail "the pre-existing directory was deleted"
for s in 256 512 1024; do
  [[ ! -e checkpoints/baseline_1K_seed$s ]] || fail "seed $s's checkpoint (completed, seedrun's) was not removed"
done
pass "a failing seed's checkpoint and a pre-existing directory survive; completed seeds' are removed"
