#!/bin/bash
# Smoke test of the toy trainer at small scale (about 5 s): output format, determinism,
# flags that change the result, checkpoint files, and exit codes 2 and 3.
# Usage: examples/toy-llm/smoke_test.sh   (exit 0 = all passed)
set -u
here="$(cd "$(dirname "$0")" && pwd)"
py=/usr/bin/python3
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
failures=0

fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
train() { "$py" "$here/train_llm.py" --train_tokens 20000 "$@"; }
final_loss() { tail -n 1 "$1" | sed -n 's/^Step [0-9]* | val_loss: \([0-9.]*\) | .*/\1/p'; }

train --seed 42 --output_dir "$work/a" > "$work/a.out" 2> "$work/a.err" || fail "seed 42 run exited $?"
lines=$(grep -c '^Step [0-9]* | val_loss: [0-9]*\.[0-9]\{4\} | train_loss: [0-9]*\.[0-9]\{4\} | lr: [0-9]*\.[0-9]\{4\}$' "$work/a.out")
if [ "$lines" -lt 10 ] || [ "$lines" -gt 20 ]; then fail "expected 10-20 Step lines, got $lines"; fi
[ "$(grep -c '^Step' "$work/a.out")" -eq "$lines" ] || fail "a Step line has the wrong format"
tail -n 1 "$work/a.out" | grep -q '^Step 79 | ' || fail "last line is not step 79: $(tail -n 1 "$work/a.out")"
loss_a=$(final_loss "$work/a.out")
awk -v x="$loss_a" 'BEGIN { exit !(x > 1.5 && x < 1.8) }' || fail "seed 42 final val_loss $loss_a not in (1.5, 1.8)"
if [ ! -s "$work/a/model.npz" ] || [ ! -s "$work/a/checkpoint.json" ]; then fail "checkpoint files missing"; fi
"$py" -c 'import json, sys; sys.exit(format(json.load(open(sys.argv[1]))["val_loss"], ".4f") != sys.argv[2])' \
    "$work/a/checkpoint.json" "$loss_a" || fail "checkpoint.json val_loss differs from $loss_a"

train --seed 42 --output_dir "$work/b" "" > "$work/b.out" || fail "rerun with an empty argument exited $?"
[ "$(final_loss "$work/b.out")" = "$loss_a" ] || fail "same seed gave a different loss"
cmp -s "$work/a.out" "$work/b.out" || fail "same seed gave a different log"

train --seed 137 --output_dir "$work/c" > "$work/c.out" || fail "seed 137 exited $?"
[ "$(final_loss "$work/c.out")" != "$loss_a" ] || fail "seeds 42 and 137 gave the same loss"
train --seed 42 --output_dir "$work/d" --use_warmup > "$work/d.out" || fail "--use_warmup exited $?"
[ "$(final_loss "$work/d.out")" != "$loss_a" ] || fail "--use_warmup did not change the loss"
train --seed 42 --output_dir "$work/e" --lr=0.0001 > "$work/e.out" || fail "--lr=0.0001 exited $?"
awk -v x="$(final_loss "$work/e.out")" -v y="$loss_a" 'BEGIN { exit !(x > y + 0.5) }' \
    || fail "--lr 0.0001 is not clearly worse"

for bad in "--seed 1" "--seed 1 --output_dir $work/x --train_tokens 0" "--lr -1 --seed 1 --output_dir $work/x" \
           "--seed 1 --output_dir $work/x --bogus" "--seed x --output_dir $work/x"; do
    # shellcheck disable=SC2086
    train $bad > /dev/null 2> "$work/bad.err"
    code=$?
    [ "$code" -eq 2 ] || fail "bad args '$bad' exited $code, expected 2"
    grep -q "error:" "$work/bad.err" || fail "bad args '$bad' printed no error message"
done

train --seed 42 --output_dir "$work/f" --fail_at_step 30 > "$work/f.out" 2> "$work/f.err"
code=$?
[ "$code" -eq 3 ] || fail "--fail_at_step exited $code, expected 3"
[ "$(grep -c '^Step' "$work/f.out")" -eq 6 ] || fail "--fail_at_step 30 should print 6 Step lines"
[ ! -e "$work/f/model.npz" ] && [ ! -e "$work/f/checkpoint.json" ] || fail "--fail_at_step left a checkpoint"
grep -q "failing on purpose at step 30" "$work/f.err" || fail "--fail_at_step message missing"

# The metric files (seedrun issue 12): metrics.jsonl holds the Step lines' values, one line each,
# and tb/ one TensorBoard event file.
[ "$(grep -c '"step"' "$work/a/metrics.jsonl")" -eq "$(grep -c '^Step' "$work/a.out")" ] \
    || fail "metrics.jsonl does not hold one line per Step line"
last_jsonl=$("$py" -c 'import json,sys; print("%.4f" % json.loads(open(sys.argv[1]).read().splitlines()[-1])["val_loss"])' \
    "$work/a/metrics.jsonl")
[ "$last_jsonl" = "$loss_a" ] || fail "metrics.jsonl's last val_loss $last_jsonl differs from stdout's $loss_a"
ls "$work/a/tb/"events.out.tfevents.* > /dev/null || fail "no TensorBoard event file in tb/"

start=$(date +%s)
"$py" "$here/train_llm.py" --train_tokens 1024 --seed 1 --output_dir "$work/g" --sleep 0.5 > "$work/g.out" || fail "--sleep exited $?"
[ $(($(date +%s) - start)) -ge 2 ] || fail "--sleep 0.5 over 4 log lines took under 2 s"

if [ "$failures" -eq 0 ]; then
    echo "toy-llm smoke test: all checks passed"
fi
exit $((failures > 0))
