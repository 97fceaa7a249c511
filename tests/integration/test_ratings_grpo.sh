#!/usr/bin/env bash
# The GRPO example (examples/grpo/make_matches.py): a policy that improves against fixed
# references shows the gap best checkpoint − base_model growing and the references falling; the
# --flat control (no improvement) does not. Also the report files and the CLI's errors.
source "$(dirname "$0")/lib.sh"
make_workdir
MAKE="$SEEDRUN_SOURCE_DIR/examples/grpo/make_matches.py"
$PY "$MAKE" "$WORK/grpo.jsonl" --seed 0
$PY "$MAKE" "$WORK/flat.jsonl" --seed 0 --flat

"$SEEDRUN_BIN" ratings "$WORK/grpo.jsonl" --fixed base_model,chaos_bot,random_bot --bootstrap 200 --seed 5 \
  --output "$WORK/out" >"$WORK/grpo.md" 2>"$WORK/grpo.err" || fail "ratings failed: $(cat "$WORK/grpo.err")"
for f in ratings.md ratings.json ratings_trajectory.svg ratings_gap.svg; do [[ -s "$WORK/out/$f" ]] || fail "no $f written"; done
cmp -s "$WORK/grpo.md" "$WORK/out/ratings.md" || fail "stdout and ratings.md differ"
grep -q "| Best checkpoint − base_model | +73.9 | +256.3 | +182.4 | growing (good) |" "$WORK/grpo.md" \
  || fail "gap row: $(grep 'Best checkpoint − base_model |' "$WORK/grpo.md")"
grep -q "| base_model Elo | .* | falling (good: the policy exploits it) |" "$WORK/grpo.md" || fail "base_model not falling"

$PY - "$WORK/out/ratings.json" <<'PY' || fail "the learning signal in ratings.json"
import json, sys
j = json.load(open(sys.argv[1]))
points = j["trajectory"]["points"]
gaps = [p["gap"] for p in points]
assert len(points) == 10 and [p["step"] for p in points] == list(range(100, 1001, 100)), points
assert gaps[-1] > gaps[0] + 150, gaps                      # growing overall
assert sum(b > a for a, b in zip(gaps, gaps[1:])) >= 6, gaps  # and mostly step by step
base = [p["ratings"]["base_model"] for p in points]
assert base[-1] < base[0] - 100, base                      # base_model falls in the policy frame
assert all(p["ratings"][p["frame_player"]] == 1000 for p in points)
assert j["gap"]["best"] == "ckpt_1000" and 200 < j["gap"]["value"] < 320, j["gap"]
assert j["gap"]["ci_low"] < j["gap"]["value"] < j["gap"]["ci_high"], j["gap"]
assert j["bootstrap"] == {"resamples": 200, "seed": 5, "level": 0.95, "not_converged": 0}, j["bootstrap"]
assert [a["player"] for a in j["anchors"]] == ["base_model"] and j["anchors"][0]["rating"] == 1000
assert j["lines_unreadable"] == 0 and j["model"]["converged"]
PY

# The bootstrap is deterministic for a seed.
"$SEEDRUN_BIN" -q ratings "$WORK/grpo.jsonl" --fixed base_model,chaos_bot,random_bot --bootstrap 200 --seed 5 \
  >"$WORK/again.md"
cmp -s "$WORK/grpo.md" "$WORK/again.md" || fail "the same seed gave a different report"

"$SEEDRUN_BIN" -q ratings "$WORK/flat.jsonl" --fixed base_model,chaos_bot,random_bot --bootstrap 200 >"$WORK/flat.md"
grep -q "| Best checkpoint − base_model | .* | flat (bad: no clear progress) |" "$WORK/flat.md" \
  || fail "flat control: $(grep 'Best checkpoint − base_model |' "$WORK/flat.md")"
pass "the GRPO example shows the gap growing; the flat control does not"

# Errors a user can act on, with the documented exit codes.
set +e
"$SEEDRUN_BIN" ratings "$WORK/grpo.jsonl" --fixed base_modle 2>"$WORK/e1" >/dev/null; rc=$?
set -e
expect_eq "$rc" 2 "unknown --fixed name exit code"
grep -q "did you mean 'base_model'" "$WORK/e1" || fail "no suggestion: $(cat "$WORK/e1")"
set +e
"$SEEDRUN_BIN" ratings "$WORK/missing.jsonl" 2>"$WORK/e2" >/dev/null; rc=$?
set -e
expect_eq "$rc" 1 "missing file exit code"
grep -q "missing.jsonl: no such file" "$WORK/e2" || fail "missing file: $(cat "$WORK/e2")"
set +e
"$SEEDRUN_BIN" ratings "$WORK/grpo.jsonl" --bootstrap 1 2>"$WORK/e3" >/dev/null; rc=$?
set -e
expect_eq "$rc" 2 "--bootstrap 1 exit code"

# Hostile lines: a 100 kB line, invalid UTF-8, wrong types; all reported with file:line, none fatal.
{
  echo '{"players": ["a", "b"], "outcome": "win", "step": 1}'
  printf '{"players": ["a", "b"], "outcome": "win", "pad": "%s"}\n' "$(head -c 100000 /dev/zero | tr '\0' x)"
  printf '{"players": ["a\xff", "b"], "outcome": "win"}\n'
  echo '{"players": ["a", "b"], "outcome": 2}'
  echo '{"players": ["a", "b"], "outcome": "win", "step": "late"}'
  echo '{"players": ["a", "a"], "outcome": "win"}'
  echo '[1, 2]'
  echo '{"players": ["b", "a"], "outcome": "draw", "step": 2}'
} >"$WORK/hostile.jsonl"
"$SEEDRUN_BIN" ratings "$WORK/hostile.jsonl" --fixed a --json >"$WORK/h.json" 2>"$WORK/h.err" \
  || fail "hostile file failed: $(cat "$WORK/h.err")"
for n in 2 3 4 5 6 7; do grep -q "hostile.jsonl:$n: " "$WORK/h.err" || fail "line $n not reported: $(cat "$WORK/h.err")"; done
grep -q "hostile.jsonl:2: line of 100[0-9]* bytes is longer than the limit" "$WORK/h.err" || fail "long line"
$PY -c 'import json,sys; j=json.load(open(sys.argv[1])); assert j["games"]==2 and j["lines_unreadable"]==6, j' "$WORK/h.json" \
  || fail "hostile counts"
set +e
printf 'nothing here\n' >"$WORK/empty.jsonl"
"$SEEDRUN_BIN" ratings "$WORK/empty.jsonl" 2>"$WORK/e4" >/dev/null; rc=$?
set -e
expect_eq "$rc" 1 "no games exit code"
grep -q "holds no readable game" "$WORK/e4" || fail "no games: $(cat "$WORK/e4")"
pass "ratings: errors and unreadable lines are reported, never fatal"
