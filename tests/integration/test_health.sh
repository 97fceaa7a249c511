#!/usr/bin/env bash
# seedrun health --dir on the synthetic GRPO run of examples/grpo/make_run.py: it must flag
# exactly the three planted problems (KL spike at step 430, grad-norm blow-up at step 720, slow
# rollout tail), with the p95 computed independently here; then windows, thresholds from
# seedrun.yaml, NaN, unreadable lines and usage errors.
source "$(dirname "$0")/lib.sh"
make_workdir
RUN="$WORK/run"
$PY "$SEEDRUN_SOURCE_DIR/examples/grpo/make_run.py" "$RUN" --end "$(date +%s)"
cd "$WORK" # no seedrun.yaml here or above: --dir needs none

"$SEEDRUN_BIN" health --dir "$RUN" --json >"$WORK/all.json" 2>"$WORK/err" || fail "health --json: $(cat "$WORK/err")"
$PY - "$WORK/all.json" "$RUN/events.jsonl" <<'PY' || fail "the planted problems, exactly"
import json, sys, statistics
j = json.load(open(sys.argv[1]))
(run,) = j["runs"]
assert run["healthy"] is False
found = sorted((f["rule"], f["metric"], f["step"]) for f in run["findings"])
assert found == [("grad_norm", "grad_norm", 720), ("kl_spike", "kl", 430),
                 ("rollout_p95", "rollout_duration_p95", None)], found
by = {f["rule"]: f for f in run["findings"]}
kl, g, r = by["kl_spike"], by["grad_norm"], by["rollout_p95"]
assert (kl["value"], kl["first_step"], kl["last_step"], kl["count"], kl["threshold"]) == (0.31, 420, 440, 3, 0.2), kl
assert (g["value"], g["first_step"], g["last_step"], g["count"], g["threshold"]) == (187.5, 710, 730, 3, 50), g
assert g["action"] == "Policy may be unstable" and r["action"] == "Check inference engine"
assert kl["severity"] == g["severity"] == r["severity"] == "problem"
# the p95 of every rollout duration, linear interpolation (numpy's default)
d = sorted(json.loads(l)["duration_s"] for l in open(sys.argv[2]) if '"rollout"' in l)
h = 0.95 * (len(d) - 1); lo = int(h)
p95 = d[lo] + (h - lo) * (d[min(lo + 1, len(d) - 1)] - d[lo])
assert len(d) == 400 == r["count"] and abs(r["value"] - p95) < 1e-9, (r["value"], p95)
assert r["value"] > 120 and r["threshold"] == 120
st = {(c["rule"], c["metric"]): c["status"] for c in run["checks"]}
miss = sorted(k for k, v in st.items() if v == "miss")
assert miss == [("grad_norm", "grad_norm"), ("kl_spike", "kl"), ("kl_stable", "kl"),
                ("rollout_p95", "rollout_duration_p95")], miss
assert all(v == "ok" for k, v in st.items() if k not in miss), st
checks = {c["rule"]: c for c in run["checks"]}
assert checks["extraction_rate"]["value"] == 0.98 and checks["extraction_rate"]["n"] == 1000
assert abs(checks["error_rate"]["value"] - 2 / 402) < 1e-12
assert run["warnings"] == [] and run["events"] == 1402
PY

# The text names metric, step, value, rule and action.
"$SEEDRUN_BIN" health --dir "$RUN" >"$WORK/all.txt"
grep -q "UNHEALTHY" "$WORK/all.txt" || fail "not unhealthy"
grep -Eq "PROBLEM +kl +step 430 +0.31 +kl 0.31 spikes above 0.2 \(peak at step 430, 3 points from step 420 to 440\)" \
  "$WORK/all.txt" || fail "KL spike line: $(cat "$WORK/all.txt")"
grep -q "rule: KL stable below 0.1, a spike above 0.2; action: " "$WORK/all.txt" || fail "KL rule line"
grep -Eq "PROBLEM +grad_norm +step 720 +187.5 " "$WORK/all.txt" || fail "grad norm line"
grep -q "rule: rollout p95 duration below 120 s; action: Check inference engine" "$WORK/all.txt" || fail "p95 rule"
[[ $(grep -c PROBLEM "$WORK/all.txt") == 3 && $(grep -c warning "$WORK/all.txt") == 0 ]] || fail "extra findings"

# --last 30m: only the events of the last half hour, as the window the JSON names.
"$SEEDRUN_BIN" health --dir "$RUN" --last 30m --json >"$WORK/w.json"
$PY - "$WORK/w.json" "$RUN/events.jsonl" <<'PY' || fail "--last 30m"
import json, sys, datetime
j = json.load(open(sys.argv[1]))
assert j["window"] == "30m"
frm = datetime.datetime.strptime(j["window_from"], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=datetime.timezone.utc).timestamp()
def t(e):
    x = e["time"]
    return x if isinstance(x, (int, float)) else datetime.datetime.strptime(x, "%Y-%m-%dT%H:%M:%SZ").replace(
        tzinfo=datetime.timezone.utc).timestamp()
ev = [json.loads(l) for l in open(sys.argv[2])]
# event times are whole seconds and window_from is the window's start cut to the second
inside = [e for e in ev if t(e) > frm]
run = j["runs"][0]
assert run["events"] == len(inside) and run["events_outside_window"] == len(ev) - len(inside), run["events"]
d = sorted(e["duration_s"] for e in inside if e["kind"] == "rollout")
h = 0.95 * (len(d) - 1); lo = int(h)
p95 = d[lo] + (h - lo) * (d[min(lo + 1, len(d) - 1)] - d[lo])
(r,) = [f for f in run["findings"] if f["rule"] == "rollout_p95"]
assert r["count"] == len(d) and abs(r["value"] - p95) < 1e-9, (r, p95)
assert 95 <= len(d) <= 105
PY

# Thresholds from seedrun.yaml: a laxer grad norm and KL spike, a stricter extraction rate.
cat >"$WORK/seedrun.yaml" <<'YAML'
command: [python, train.py, --seed, "{seed}"]
health:
  grad_norm_below: 200
  kl_spike_above: 0.35
  extraction_rate_above: 99%
YAML
"$SEEDRUN_BIN" health --dir "$RUN" --json >"$WORK/cfg.json"
$PY - "$WORK/cfg.json" <<'PY' || fail "configured thresholds"
import json, sys
run = json.load(open(sys.argv[1]))["runs"][0]
found = sorted((f["rule"], f["severity"], f["value"]) for f in run["findings"] if f["rule"] != "rollout_p95")
assert found == [("extraction_rate", "problem", 0.98), ("kl_unstable", "warning", 0.31)], found
PY
"$SEEDRUN_BIN" --config "$WORK/seedrun.yaml" health --dir "$RUN" | grep -q "extraction rate 98.00% (980 of 1000 extracted)" \
  || fail "--config"
printf 'command: [x, "{seed}"]\nhealth:\n  grad_norm_bellow: 3\n' >"$WORK/seedrun.yaml"
set +e
"$SEEDRUN_BIN" health --dir "$RUN" >/dev/null 2>"$WORK/err"; rc=$?
set -e
expect_eq "$rc" 2 "exit code of a bad key"
grep -q "seedrun.yaml:3:3: unknown key 'grad_norm_bellow' (did you mean 'grad_norm_below'?)" "$WORK/err" || fail "$(cat "$WORK/err")"
rm "$WORK/seedrun.yaml"

# A NaN loss and an unreadable event line.
cp -r "$RUN" "$WORK/nan"
echo '{"step": 1010, "loss": NaN, "kl": 0.05, "grad_norm": 3.1}' >>"$WORK/nan/metrics.jsonl"
echo 'not json at all' >>"$WORK/nan/events.jsonl"
"$SEEDRUN_BIN" health --dir "$WORK/nan" --json >"$WORK/nan.json"
$PY - "$WORK/nan.json" <<'PY' || fail "NaN and unreadable line"
import json, sys
run = json.load(open(sys.argv[1]))["runs"][0]
(n,) = [f for f in run["findings"] if f["rule"] == "nonfinite"]
assert (n["metric"], n["step"], n["value"], n["count"]) == ("loss", 1010, "nan", 1), n
assert len(run["findings"]) == 4
(w,) = run["warnings"]
assert "events.jsonl:1403: not JSON" in w and w.endswith("(1 line unreadable)"), w
PY

# Usage errors.
set +e
"$SEEDRUN_BIN" health --dir "$RUN" --last 6 2>"$WORK/err"; rc=$?
set -e
expect_eq "$rc" 2 "--last without a unit"
grep -q -- "--last must be a positive duration with a unit s, m, h or d" "$WORK/err" || fail "$(cat "$WORK/err")"
set +e
"$SEEDRUN_BIN" health --dir "$WORK/nowhere" 2>"$WORK/err"; rc=$?
set -e
expect_eq "$rc" 2 "a --dir that does not exist"
"$SEEDRUN_BIN" health --dir "$WORK" --json | $PY -c '
import json, sys
run = json.load(sys.stdin)["runs"][0]
assert run["healthy"] and run["findings"] == [] and all(c["status"] == "no_data" for c in run["checks"]), run
' || fail "an empty folder: every rule not evaluated"
pass "health --dir flags exactly the planted problems"

# Campaign runs: each run's output directory, a KL series from HF's trainer_state.json and a
# grad norm printed by the trainer (a pattern metric, from the points the tracker stored).
mkdir "$WORK/camp" && cd "$WORK/camp"
cat >train.py <<'PY'
import argparse, json, os
ap = argparse.ArgumentParser()
ap.add_argument("--seed", type=int); ap.add_argument("--output_dir")
a = ap.parse_args()
os.makedirs(a.output_dir, exist_ok=True)
kl = [0.02] * 10
grad = [3.0] * 10
if a.seed == 2: kl[6] = 0.4      # a KL spike at step 70
if a.seed == 1: grad[3] = 99.0   # a grad-norm blow-up at the 4th print
with open(os.path.join(a.output_dir, "trainer_state.json"), "w") as f:
    json.dump({"log_history": [{"step": 10 * (i + 1), "kl": kl[i]} for i in range(10)]}, f)
with open(os.path.join(a.output_dir, "events.jsonl"), "w") as f:
    for i in range(10):
        f.write(json.dumps({"time": 1795428720 + i, "kind": "rollout", "duration_s": 20}) + "\n")
    if a.seed == 1:
        f.write(json.dumps({"time": 1795428730, "kind": "error", "message": "timeout"}) + "\n")
for g in grad:
    print(f"grad_norm: {g}")
print("val_loss: 2.5")
PY
cat >seedrun.yaml <<'YAML'
command: [/usr/bin/python3, train.py, --seed, "{seed}", --output_dir, "{output_dir}"]
train_tokens: 1000
seeds: {baseline: [1, 2]}
cleanup_checkpoints: false # the files health reads are in the output directories
metrics:
  - {name: val_loss, goal: minimize}
  - {name: grad_norm, goal: none}
  - {name: kl, goal: none, hf_trainer_state: {}}
YAML
"$SEEDRUN_BIN" baseline >out.txt 2>err.txt || fail "baseline: $(cat out.txt err.txt)"
"$SEEDRUN_BIN" health baseline_1K --json >h.json 2>err.txt || fail "health baseline_1K: $(cat err.txt)"
$PY - h.json <<'PY' || fail "campaign runs"
import json, sys
runs = {r["seed"]: r for r in json.load(open(sys.argv[1]))["runs"]}
assert sorted(runs) == [1, 2], list(runs)
f1 = sorted((f["rule"], f["metric"], f["value"]) for f in runs[1]["findings"])
assert f1 == [("error_rate", "error_rate", 1 / 11), ("grad_norm", "grad_norm", 99.0)], f1
f2 = [(f["rule"], f["step"], f["value"]) for f in runs[2]["findings"]]
assert f2 == [("kl_spike", 70, 0.4)], f2
assert runs[2]["label"] == "baseline_1K/baseline seed 2" and runs[2]["campaign"] == "baseline_1K"
PY
"$SEEDRUN_BIN" health baseline_1K:2 >h.txt
grep -q "^baseline_1K/baseline seed 2: UNHEALTHY" h.txt && ! grep -q "seed 1" h.txt || fail "CAMPAIGN:SEED: $(cat h.txt)"
"$SEEDRUN_BIN" status --health >s.txt
grep -A1 "seed     1  COMPLETED" s.txt | grep -q "health: 2 problems, 0 warnings: grad_norm at step 3, error_rate" \
  || fail "status --health, seed 1: $(cat s.txt)"
grep -A1 "seed     2  COMPLETED" s.txt | grep -q "health: 1 problem, 0 warnings: kl_spike at step 70" \
  || fail "status --health, seed 2: $(cat s.txt)"
"$SEEDRUN_BIN" status --health --json | $PY -c '
import json, sys
runs = json.load(sys.stdin)["campaigns"][0]["runs"]
assert [r["health"]["healthy"] for r in runs] == [False, False], runs
' || fail "status --health --json"
# Without --health, status shows what the drive loop found when the runs ended (the cache).
"$SEEDRUN_BIN" status >s2.txt
grep -q "seed     1  COMPLETED  val_loss     2.5000 .* health 2 findings$" s2.txt || fail "cached column: $(cat s2.txt)"
grep -A1 "seed     2  COMPLETED" s2.txt | grep -q "health: 1 problem, 0 warnings: kl_spike at step 70" \
  || fail "cached detail, seed 2: $(cat s2.txt)"
rc=0; "$SEEDRUN_BIN" health nosuch 2>err.txt || rc=$?
expect_eq "$rc" 2 "an unknown campaign"
grep -q "no campaign 'nosuch'" err.txt || fail "$(cat err.txt)"
# With cleanup_checkpoints (the default) the output directories are gone: the stored points
# are still read, and the run says why the rest is missing.
sed -i '/^cleanup_checkpoints/d' seedrun.yaml
"$SEEDRUN_BIN" baseline --force >out.txt 2>err.txt || fail "baseline --force: $(cat out.txt err.txt)"
"$SEEDRUN_BIN" health baseline_1K:1 --json >c.json
$PY - c.json <<'PY' || fail "cleaned output directories"
import json, sys
(run,) = json.load(open(sys.argv[1]))["runs"]
assert [(f["rule"], f["value"]) for f in run["findings"]] == [("grad_norm", 99.0)], run["findings"]
assert any("cleanup_checkpoints" in w for w in run["warnings"]), run["warnings"]
PY
pass "health over a campaign's runs reads trainer_state.json, stored points and events"
