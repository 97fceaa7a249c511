#!/usr/bin/env bash
# `parallel: 2` runs two local seeds at once (wall time of the baseline ≈ half the sequential
# one); the default runs them one at a time.
source "$(dirname "$0")/lib.sh"
make_workdir
cd "$WORK"
cat > t.py <<'PY'
import sys, time
time.sleep(1.5)
print(f"val_loss: {1 + int(sys.argv[1]) / 10}")
PY
cat > seedrun.yaml <<'YAML'
command: ["/usr/bin/python3", "t.py", "{seed}"]
train_tokens: 1000
seeds: {baseline: [1, 2, 3, 4]}
parallel: 2
YAML
start=$EPOCHREALTIME
"$SEEDRUN_BIN" baseline --quiet >/dev/null || fail "parallel baseline"
par=$($PY -c "print($EPOCHREALTIME - $start)")
sed -i 's/^parallel: 2/parallel: 1/' seedrun.yaml
start=$EPOCHREALTIME
"$SEEDRUN_BIN" baseline --force --quiet >/dev/null || fail "sequential baseline"
seq_s=$($PY -c "print($EPOCHREALTIME - $start)")
$PY -c "import sys; p, s = $par, $seq_s; sys.exit(0 if p < 4.5 and s > 5.8 and p < 0.75 * s else 1)" \
  || fail "parallel ${par}s vs sequential ${seq_s}s"
pass "parallel: 2 took ${par%.*}s, sequential ${seq_s%.*}s for four 1.5 s seeds"
