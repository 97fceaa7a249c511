#!/usr/bin/env bash
# Training health through refresh, status and analyze --sweep (issue 13), on campaigns whose
# runs write the synthetic GRPO run of examples/grpo/make_run.py (a KL spike at step 430, a
# grad-norm blow-up at step 720, a slow rollout tail) or a healthy run. Asserts the exact
# planted findings: in status after `seedrun refresh` (the cached health column), in
# analyze --sweep's report.md and analysis.json (values recomputed here from the run's files),
# that an unchanged refresh evaluates nothing again, and that other thresholds re-evaluate.
source "$(dirname "$0")/lib.sh"
make_workdir
cd "$WORK"
cat >train.py <<'PY'
import argparse, json, os, subprocess, sys
ap = argparse.ArgumentParser()
ap.add_argument("--seed", type=int); ap.add_argument("--output_dir")
ap.add_argument("--lr", type=float, default=1.0); ap.add_argument("--planted", action="store_true")
a = ap.parse_args()
os.makedirs(a.output_dir, exist_ok=True)
if a.planted:
    subprocess.run([sys.executable, os.environ["MAKE_RUN"], a.output_dir, "--seed", str(a.seed),
                    "--end", "1795428720"], check=True)
else:
    with open(os.path.join(a.output_dir, "metrics.jsonl"), "w") as f:
        for s in range(10, 101, 10):
            f.write(json.dumps({"step": s, "kl": 0.01 * a.lr + s / 10000, "grad_norm": 2.0, "loss": 1 - s / 200}) + "\n")
        for s in (20, 40, 60, 80, 100):
            f.write(json.dumps({"step": s, "eval_loss": 2 - s / 100}) + "\n")
print(f"val_loss: {2.0 + a.lr / 10 + a.seed % 7 / 100:.4f}")
PY
cat >seedrun.yaml <<'YAML'
command: [/usr/bin/python3, train.py, --seed, "{seed}", --output_dir, "{output_dir}", "{flags}"]
train_tokens: 1000
seeds: {baseline: [1, 2], experiment: [1, 2], extension: [3]}
cleanup_checkpoints: false # the refresh below re-reads the runs' files
metrics:
  - {name: val_loss, goal: minimize}
  - {name: kl, goal: none, jsonl: {file: metrics.jsonl}}
health:
  kl_spike_above: 0.2
YAML
export MAKE_RUN="$SEEDRUN_SOURCE_DIR/examples/grpo/make_run.py"
"$SEEDRUN_BIN" baseline >out.txt 2>err.txt || fail "baseline: $(cat err.txt)"
"$SEEDRUN_BIN" experiment --name lr_low --flag --lr=0.5 >out.txt 2>err.txt || fail "lr_low: $(cat err.txt)"
"$SEEDRUN_BIN" experiment --name lr_planted --flag --planted >out.txt 2>err.txt || fail "lr_planted: $(cat err.txt)"

# ---- refresh: nothing cached yet (removed); refresh of one campaign checks its started runs
rm -rf .seedrun/health
"$SEEDRUN_BIN" status >s0.txt
grep -q "health" s0.txt && fail "health shown before any check: $(cat s0.txt)"
"$SEEDRUN_BIN" refresh lr_planted_1K >/dev/null 2>err.txt || fail "refresh: $(cat err.txt)"
"$SEEDRUN_BIN" status >s1.txt
PLANTED="health: 3 problems, 0 warnings: kl_spike at step 430, grad_norm at step 720, rollout_p95"
n=$(grep -c "COMPLETED  val_loss .* health 3 findings$" s1.txt || true)
m=$(grep -c "^             $PLANTED$" s1.txt || true)
runs=$(sed -n '/^lr_planted_1K/,/^[a-z]/p' s1.txt | grep -c "^  seed" || true)
(( runs >= 2 )) || fail "lr_planted has $runs runs: $(cat s1.txt)"
expect_eq "$n" "$runs" "runs of lr_planted with the health column '3 findings'"
expect_eq "$m" "$runs" "runs of lr_planted with the planted findings"
grep -q "^lr_low_1K" s1.txt && sed -n '/^lr_low_1K/,/^lr_planted/p' s1.txt | grep -q health \
  && fail "lr_low was not refreshed but shows health: $(cat s1.txt)"
"$SEEDRUN_BIN" refresh lr_low_1K >/dev/null 2>err.txt || fail "refresh lr_low: $(cat err.txt)"
"$SEEDRUN_BIN" status --json >s.json
$PY - s.json <<'PY' || fail "status --json health"
import json, sys
camps = {c["key"]: c for c in json.load(open(sys.argv[1]))["campaigns"]}
for r in camps["lr_planted_1K"]["runs"]:
    h = r["health"]
    assert (h["healthy"], h["findings"]) == (False, 3), r
    assert h["summary"] == "3 problems, 0 warnings: kl_spike at step 430, grad_norm at step 720, rollout_p95", h
for r in camps["lr_low_1K"]["runs"]:
    assert (r["health"]["healthy"], r["health"]["summary"], r["health"]["findings"]) == (True, "ok", 0), r
assert all("health" not in r for r in camps["baseline_1K"]["runs"]), "baseline was not refreshed"
PY
grep -q "seed     1  COMPLETED  val_loss     2.0600 .* health ok$" <("$SEEDRUN_BIN" status) || fail "lr_low column"

# ---- an unchanged refresh evaluates nothing again; other thresholds re-evaluate
cp .seedrun/health/*.json "$WORK/" 2>/dev/null || fail "no cache files"
before=$(cat .seedrun/health/*.json | sha256sum)
sleep 1
"$SEEDRUN_BIN" refresh lr_planted_1K >/dev/null 2>&1
"$SEEDRUN_BIN" refresh lr_low_1K >/dev/null 2>&1
expect_eq "$(cat .seedrun/health/*.json | sha256sum)" "$before" "cache after an unchanged refresh"

# ---- analyze --sweep lr_: both lr_ campaigns, not the baseline
"$SEEDRUN_BIN" analyze --sweep lr_ --output an >/dev/null 2>err.txt || fail "analyze --sweep: $(cat err.txt)"
$PY - an/analysis.json an/report.md checkpoints <<'PY' || fail "analyze --sweep report"
import json, sys, glob, os
j = json.load(open(sys.argv[1])); md = open(sys.argv[2]).read()
sw = j["sweep"]
assert sw["prefix"] == "lr_" and sw["campaigns"] == ["lr_low", "lr_planted"], sw["campaigns"]
assert sw["best_run"] == "lr_low-s1", sw["best_run"]
vals = {r["run"]: r["value"] for r in sw["runs"]}
assert vals["lr_low-s1"] == 2.06 and vals["lr_low-s2"] == 2.07 and vals["lr_planted-s1"] == 2.11, vals
assert "**Best run**: `lr_low-s1` (campaign `lr_low`, seed 1): val_loss 2.0600 (lower is better); health: ok." in md
# every planted run: exactly the three planted problems, the p95 recomputed from its events
def p95(path):
    d = sorted(json.loads(l)["duration_s"] for l in open(path) if '"rollout"' in l)
    h = 0.95 * (len(d) - 1); lo = int(h)
    return d[lo] + (h - lo) * (d[min(lo + 1, len(d) - 1)] - d[lo]), len(d)
health = {h["run"]: h for h in j["health"]}
planted = sorted(r for r in health if r.startswith("lr_planted-"))
assert len(planted) >= 2 and len(health) == len(sw["runs"]), sorted(health)
for run in planted:
    h = health[run]
    seed = run.split("-s")[1]
    (events,) = glob.glob(os.path.join(sys.argv[3], f"*lr_planted*seed{seed}*", "events.jsonl"))
    want, n = p95(events)
    found = [(f["rule"], f["metric"], f["step"], f["value"], f["severity"]) for f in h["findings"]]
    assert found[:2] == [("kl_spike", "kl", 430, 0.31, "problem"), ("grad_norm", "grad_norm", 720, 187.5, "problem")], found
    assert found[2][:3] == ("rollout_p95", "rollout_duration_p95", None) and len(found) == 3, found
    assert abs(h["findings"][2]["value"] - want) < 1e-9 and h["findings"][2]["count"] == n == 400, (h["findings"][2], want)
    assert h["healthy"] is False
    row = f"| {run} | lr_planted | {seed} | COMPLETED |"
    assert row in md and md.split(row)[1].split("\n")[0].endswith(
        "| 3 problems, 0 warnings: kl_spike at step 430, grad_norm at step 720, rollout_p95 |"), md.split(row)[1][:200]
    assert f"| {run} | problem | kl_spike | kl | 430 | 0.31 | 0.2 |" in md
    assert f"| {run} | problem | grad_norm | grad_norm | 720 | 187.5 | 50 |" in md
for run in ("lr_low-s1", "lr_low-s2"):
    assert health[run]["findings"] == [] and health[run]["summary"] == "ok", health[run]
    assert f"| {run} | ok |" in md
assert f"Training health: {len(planted)} of {len(health)} checked runs are unhealthy (" in md
assert "## Sweep lr_" in md and "## Training Health" in md and "![kl vs step" in md
PY
grep -q "lr_planted" an/plots/metric_kl.svg || fail "metric_kl.svg names no campaign"
[[ -f an/tables/sweep.csv && -f an/tables/health.csv ]] || fail "sweep/health tables"

# thresholds changed in seedrun.yaml: the next refresh re-evaluates the ended runs
sed -i 's/kl_spike_above: 0.2/kl_spike_above: 0.35/' seedrun.yaml
"$SEEDRUN_BIN" refresh lr_planted_1K >/dev/null 2>&1
"$SEEDRUN_BIN" status | grep -q "health: 2 problems, 1 warning: kl_unstable at step 430, grad_norm at step 720, rollout_p95" \
  || fail "re-evaluated with kl_spike_above 0.35: $("$SEEDRUN_BIN" status)"

# usage errors
rc=0; "$SEEDRUN_BIN" analyze --sweep nosuch 2>err.txt || rc=$?
expect_eq "$rc" 2 "--sweep without a match"
grep -q "no campaign name or key starts with 'nosuch' (campaigns: baseline, lr_low, lr_planted)" err.txt \
  || fail "$(cat err.txt)"
rc=0; "$SEEDRUN_BIN" analyze --sweep lr_ lr_low 2>err.txt || rc=$?
expect_eq "$rc" 2 "--sweep with a campaign named"
pass "refresh caches the planted findings, status shows them, analyze --sweep compares the lr_ runs"

# ---- --matches: the Ratings section equals `seedrun ratings` on the same file
$PY "$SEEDRUN_SOURCE_DIR/examples/grpo/make_matches.py" matches.jsonl
"$SEEDRUN_BIN" ratings matches.jsonl --fixed base_model,chaos_bot --bootstrap 100 --json >ratings.json \
  || fail "seedrun ratings"
"$SEEDRUN_BIN" analyze --sweep lr_ --output an3 --matches matches.jsonl --fixed base_model,chaos_bot --bootstrap 100 \
  >/dev/null 2>err.txt || fail "analyze --matches: $(cat err.txt)"
$PY - an3/analysis.json ratings.json an3/report.md <<'PY' || fail "ratings section"
import json, sys
a = json.load(open(sys.argv[1]))["ratings"]; r = json.load(open(sys.argv[2])); md = open(sys.argv[3]).read()
assert a == r, "analysis.json's ratings differ from seedrun ratings --json"
g = r["gap"]
traj = r["trajectory"]["points"]
first, last = traj[0], traj[-1]
assert first["gap"] < last["gap"], (first["gap"], last["gap"])  # the policy improves: the gap grows
row = f"| Best checkpoint − base_model | {first['gap']:+.1f} | {last['gap']:+.1f} | {last['gap'] - first['gap']:+.1f} | growing (good) |"
assert row in md, row
assert f"Learning signal: Best checkpoint − base_model went from {first['gap']:+.1f} to {last['gap']:+.1f} Elo" in md
assert "| base_model | reference | 1000.0 | 1000.0 | 1000.0 |" in md
PY
[[ -f an3/plots/ratings_trajectory.svg && -f an3/plots/ratings_gap.svg ]] || fail "ratings plots"
# the next analysis without --matches removes what it no longer produces
"$SEEDRUN_BIN" analyze --sweep lr_ --output an3 >/dev/null 2>&1
[[ ! -e an3/plots/ratings_gap.svg && ! -e an3/tables/ratings.csv ]] || fail "stale ratings files kept"
pass "analyze --matches: the Ratings section is seedrun ratings' fit, the gap grows"
