#!/usr/bin/env bash
# What a user sees when something is wrong: file:line:col messages, exit code 2, nothing written.
source "$(dirname "$0")/lib.sh"
make_workdir
cd "$WORK"
cat > seedrun.yaml <<'YAML'
name: broken
command: ["/bin/echo", "{seed}"]
train_tokens: 1000
sedes:
  baseline: [1, 2]
YAML
set +e
"$SEEDRUN_BIN" baseline 2>err.txt; rc=$?
set -e
expect_eq "$rc" 2 "exit code for an unknown key"
expect_eq "$(cat err.txt)" "seedrun: error: $WORK/seedrun.yaml:4:1: unknown key 'sedes' (did you mean 'seeds'?)" "message"
[[ ! -e .seedrun ]] || fail "a bad config must not create the store"
pass "unknown key"

set +e
"$SEEDRUN_BIN" basline 2>err.txt; rc=$?
set -e
expect_eq "$rc" 2 "exit code for an unknown command"
grep -q "unknown command 'basline' (did you mean 'baseline'?)" err.txt || fail "no suggestion: $(cat err.txt)"
pass "unknown command"

out=$("$SEEDRUN_BIN" compare --baseline 3.21,3.22,3.20,3.21,3.20 --experiment 3.15,3.16,3.15 --json)
echo "$out" | $PY -c '
import json,sys
j=json.load(sys.stdin)
assert j["verdict"]=="WINNER", j
assert j["effect_size"]=="large"
assert abs(j["cohens_d"]-(-7.605317890466619))<1e-9
assert set(j)=={"baseline","experiment","delta","sigma_units","cohens_d","effect_size","welch_p","ci95","seeds_needed_80","verdict","label"}
assert set(j["baseline"])=={"n","mean","std","min","max"}
' || fail "compare --json: $out"
out=$("$SEEDRUN_BIN" compare --baseline 1 --experiment 2 --json)
echo "$out" | $PY -c 'import json,sys; j=json.load(sys.stdin); assert j["baseline"]["std"] is None and j["cohens_d"] is None and j["verdict"]=="NEUTRAL", j' || fail "n=1: $out"
pass "compare"

# A flag is one literal argument: nothing in it is ever run by a shell.
cat > seedrun.yaml <<'YAML'
command: ["/usr/bin/python3", "-c", "import sys; print('val_loss: 1.0'); print('ARGS', sys.argv[1:])", "{seed}", "{flags}"]
train_tokens: 1000
seeds: {baseline: [1, 2], experiment: [1], extension: [3]}
YAML
"$SEEDRUN_BIN" experiment --flag '$(touch pwned); x' --name inj >/dev/null 2>&1 || true
[[ ! -e pwned ]] || fail "a flag was run by a shell"
grep -q "ARGS \['1', '\$(touch pwned); x'\]" .seedrun/logs/inj_1K_seed1.log || fail "flag not passed literally: $(cat .seedrun/logs/inj_1K_seed1.log)"
pass "flags stay literal"

# seedrun cron prints a ready crontab line with absolute paths and --quiet.
line=$("$SEEDRUN_BIN" cron 2>/dev/null)
echo "$line" | grep -Eq "^\*/5 \* \* \* \* cd $WORK && /.*seedrun --config $WORK/seedrun.yaml --quiet refresh >> $WORK/.seedrun/cron.log 2>&1$" || fail "cron line: $line"
pass "cron line"

# A flag that is not UTF-8 (a Latin-1 é) is refused before anything is stored: exit 2, the byte
# named, no campaign.
rc=0; "$SEEDRUN_BIN" experiment --flag "$(printf -- '--name=caf\xe9')" --name latin1 >out.txt 2>err.txt || rc=$?
expect_eq "$rc" 2 "exit code of a non-UTF-8 flag"
grep -q "is not valid UTF-8 (byte 0xE9 at offset 10)" err.txt || fail "non-UTF-8 flag message: $(cat err.txt)"
"$SEEDRUN_BIN" status --json | grep -q latin1 && fail "a campaign was stored for a refused flag"
pass "non-UTF-8 flag refused with the byte and offset, nothing stored"
