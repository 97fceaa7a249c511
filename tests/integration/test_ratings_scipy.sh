#!/usr/bin/env bash
# seedrun ratings against the scipy reference (scripts/ratings_reference.py) to 1e-6 Elo: the
# held-out matches file (tests/fixtures/ratings/README.md) under four anchorings, then random
# leagues with draws and players that win or lose everything.
source "$(dirname "$0")/lib.sh"
make_workdir
REF="$SEEDRUN_SOURCE_DIR/scripts/ratings_reference.py"
HELDOUT="$SEEDRUN_SOURCE_DIR/tests/fixtures/ratings/heldout_matches.jsonl"

check() { # matches file, --fixed spec
  "$SEEDRUN_BIN" -q ratings "$1" --fixed "$2" --bootstrap 0 --json >"$WORK/seedrun.json" 2>"$WORK/stderr" \
    || fail "seedrun ratings $1 --fixed '$2' failed: $(cat "$WORK/stderr")"
  $PY "$REF" "$1" --fixed "$2" --compare "$WORK/seedrun.json" --tolerance 1e-6 || fail "differs from scipy (--fixed '$2')"
}

for spec in "base_model,chaos_bot" "base_model=1000,chaos_bot=800" "" "chaos_bot=800,random_bot"; do
  check "$HELDOUT" "$spec"
done
# The held-out file's problems are reported with file:line, and the statuses are right.
"$SEEDRUN_BIN" ratings "$HELDOUT" --fixed base_model --bootstrap 0 --json >"$WORK/h.json" 2>"$WORK/h.err"
grep -q "heldout_matches.jsonl:319: not a JSON object" "$WORK/h.err" || fail "line 319 not reported: $(cat "$WORK/h.err")"
grep -q "heldout_matches.jsonl:320: not JSON.*UTF-8" "$WORK/h.err" || fail "line 320 (invalid UTF-8) not reported"
$PY - "$WORK/h.json" <<'PY' || fail "statuses"
import json, sys
j = json.load(open(sys.argv[1]))
st = {p["player"]: p["status"] for p in j["players"]}
assert st["ckpt_600"] == "unbounded_above", st
assert st["lonely_a"] == "unconnected" and st["lonely_b"] == "unconnected", st
assert j["lines_unreadable"] == 2 and j["games"] == 318, (j["lines_unreadable"], j["games"])
PY

for seed in 1 2 3; do
  $PY - "$seed" >"$WORK/random_$seed.jsonl" <<'PY'
import json, random, sys
rng = random.Random(int(sys.argv[1]))
n = rng.randrange(6, 25)
strength = [rng.gauss(1000, 250) for _ in range(n)]
names = ["base_model", "chaos_bot"] + [f"p{i}" for i in range(n - 2)]
for _ in range(rng.randrange(100, 1500)):
    a, b = rng.sample(range(n), 2)
    p = 1 / (1 + 10 ** ((strength[b] - strength[a]) / 400))
    out = "draw" if rng.random() < 0.15 else ("win" if rng.random() < p else "loss")
    print(json.dumps({"players": [names[a], names[b]], "outcome": out, "step": rng.randrange(1, 6) * 100}))
PY
  check "$WORK/random_$seed.jsonl" "base_model"
done
pass "ratings equal the scipy reference to 1e-6 Elo"
