# The body of test_metrics_local.sh and test_slurm_metrics.sh (issue 12), run with
# METRICS_EXECUTOR=local or slurm after lib.sh: the demo trainer followed on three metrics from three
# sources (examples/toy-llm/seedrun.metrics.yaml: val_loss from stdout decides the verdict,
# train_loss from metrics.jsonl reduced by mean_last_k, grad_norm from TensorBoard event files).
# The trainer sleeps at each log step so that refreshes read the files while they grow; the
# checkpoints are kept so that every number in the report can be recomputed here from the files
# the trainer wrote (in Python, independently of seedrun's readers), and the store is checked to
# hold each point exactly once.
make_workdir
copy_toy 20000
cd "$WORK"
cfg=seedrun.metrics.yaml
sed -i "s/^train_tokens: .*/train_tokens: 20000/" $cfg
sed -i 's/"{output_dir}", "{flags}"\]/"{output_dir}", "--sleep", "0.1", "{flags}"]/' $cfg
grep -q -- '"--sleep", "0.1"' $cfg || fail "could not add --sleep to $cfg"
echo "cleanup_checkpoints: false" >> $cfg
if [[ "$METRICS_EXECUTOR" == slurm ]]; then
  sed -i 's/^executor: local/executor: slurm/' $cfg
  printf 'slurm:\n  max_parallel: 4\n' >> $cfg
fi
grep -q "^executor: $METRICS_EXECUTOR" $cfg || fail "the config does not use the $METRICS_EXECUTOR executor"

"$SEEDRUN_BIN" -c $cfg baseline >out1.txt 2>err1.txt || fail "baseline exited $?: $(cat err1.txt)"
"$SEEDRUN_BIN" -c $cfg experiment --flag --use_warmup >out2.txt 2>err2.txt || fail "experiment exited $?: $(cat err2.txt)"
grep -q "^Verdict for use_warmup_20K: " out2.txt || fail "no verdict: $(cat out2.txt)"
"$SEEDRUN_BIN" -c $cfg status --json >status.json || fail "status --json failed"
"$SEEDRUN_BIN" -c $cfg status >status.txt || fail "status failed"
# analyze draws each secondary metric's curves, one line per run that has its points
"$SEEDRUN_BIN" -c $cfg analyze --output an >/dev/null 2>err3.txt || fail "analyze: $(cat err3.txt)"
for m in train_loss grad_norm; do
  grep -q "plots/metric_$m.svg" an/report.md || fail "report.md does not show plots/metric_$m.svg"
  runs=$(sqlite3 .seedrun-metrics/seedrun.db "SELECT count(DISTINCT run_id) FROM metric_points WHERE name = '$m'")
  expect_eq "$(grep -o 'class="series"' an/plots/metric_$m.svg | wc -l)" "$runs" "curves in metric_$m.svg"
done
[[ ! -e an/plots/metric_val_loss.svg ]] || fail "the primary metric got a metric_ plot (it is the loss curves)"
if [[ "$METRICS_EXECUTOR" == slurm ]]; then
  jobs=$($PY -c 'import json,sys; print(sum(1 for c in json.load(sys.stdin)["campaigns"] for r in c["runs"] if r["job_id"]))' <status.json)
  runs=$($PY -c 'import json,sys; print(sum(len(c["runs"]) for c in json.load(sys.stdin)["campaigns"]))' <status.json)
  expect_eq "$jobs" "$runs" "runs with a Slurm job id"
fi
pass "a baseline and an experiment ran over three metrics ($METRICS_EXECUTOR executor)"

$PY - <<'PYEOF' || fail "the report's numbers are not those of the trainer's files"
import glob, json, math, os, re, sqlite3, struct
import statistics as st
from scipy import stats as sps

def tb_scalars(run_dir, tag):
    """(step, value) of `tag` in the run's TensorBoard files: TFRecords, Event protobufs read by hand."""
    def varint(b, i):
        v = shift = 0
        while True:
            c = b[i]; i += 1; v |= (c & 0x7F) << shift; shift += 7
            if c < 0x80: return v, i
    def fields(b):
        i = 0
        while i < len(b):
            key, i = varint(b, i); f, t = key >> 3, key & 7
            if t == 0: v, i = varint(b, i)
            elif t == 1: v = b[i:i+8]; i += 8
            elif t == 5: v = b[i:i+4]; i += 4
            elif t == 2: n, i = varint(b, i); v = b[i:i+n]; i += n
            else: raise ValueError(t)
            yield f, v
    out = []
    for path in sorted(glob.glob(os.path.join(run_dir, "tb", "events.out.tfevents.*"))):
        data = open(path, "rb").read(); i = 0
        while i < len(data):
            (n,) = struct.unpack_from("<Q", data, i); rec = data[i+12:i+12+n]; i += 16 + n
            step = 0; vals = []
            for f, v in fields(rec):
                if f == 2: step = v
                if f == 5:
                    for vf, vv in fields(v):
                        if vf == 1:
                            d = dict(fields(vv))
                            if d.get(1) == tag.encode(): vals.append(struct.unpack("<f", d[2])[0])
            out += [(step, x) for x in vals]
    return out

status = json.load(open("status.json"))
camp = {c["key"]: c for c in status["campaigns"]}
db = sqlite3.connect(".seedrun-metrics/seedrun.db")
def arm(key):
    runs = [r for r in camp[key]["runs"] if r["state"] == "COMPLETED"]
    rows = []
    for r in runs:
        d = f"checkpoints-metrics/{key}_seed{r['seed']}"
        lines = [json.loads(l) for l in open(os.path.join(d, "metrics.jsonl"))]
        tb = tb_scalars(d, "train/grad_norm")
        assert len(tb) == len(lines), (d, len(tb), len(lines))
        # The three sources agree: stdout's last val_loss is the jsonl's, rounded as printed
        assert f"{lines[-1]['val_loss']:.4f}" == f"{r['val_loss']:.4f}", (r, lines[-1])
        # The store holds every point once, however many refreshes read the growing files
        (run_id,) = db.execute("SELECT r.id FROM runs r JOIN campaigns c ON c.id = r.campaign_id "
                               "WHERE c.key = ? AND r.seed = ? AND r.superseded = 0", (key, r["seed"])).fetchone()
        count = lambda name: db.execute("SELECT COUNT(*) FROM metric_points WHERE run_id = ? AND name = ?",
                                        (run_id, name)).fetchone()[0]
        assert count("train_loss") == len(lines), (d, count("train_loss"), len(lines))
        assert count("grad_norm") == len(tb), (d, count("grad_norm"), len(tb))
        assert count("val_loss") == len(lines), (d, count("val_loss"), len(lines))
        # grad_norm from TensorBoard is the jsonl's value in float32
        assert abs(tb[-1][1] - lines[-1]["grad_norm"]) <= 1e-6 * lines[-1]["grad_norm"], (tb[-1], lines[-1])
        rows.append({"seed": r["seed"], "val_loss": r["val_loss"],
                     "train_loss": st.mean(l["train_loss"] for l in lines[-3:]),  # mean_last_k, k = 3
                     "grad_norm": tb[-1][1], "status": r})
    return rows

base, exp = arm("baseline_20K"), arm("use_warmup_20K")
assert len(base) == 5 and len(exp) in (3, 5), (len(base), len(exp))
rep = json.load(open("docs/research-metrics/experiment_use_warmup_20K.json"))
md = open("docs/research-metrics/experiment_use_warmup_20K.md").read()
def close(a, b, tol=1e-9): assert abs(a - b) <= tol * max(1.0, abs(b)), (a, b)

# The primary decides, as with one metric
close(rep["baseline"]["mean"], st.mean(r["val_loss"] for r in base))
close(rep["experiment"]["mean"], st.mean(r["val_loss"] for r in exp))
assert rep["metric"]["name"] == "val_loss"

sec = {m["name"]: m for m in rep["secondary_metrics"]}
assert list(sec) == ["train_loss", "grad_norm"], list(sec)
ps = []
for name in ["train_loss", "grad_norm"]:
    m = sec[name]
    assert m["secondary"] is True
    b = [r[name] for r in base]; e = [r[name] for r in exp]
    tol = 1e-12 if name == "train_loss" else 1e-6
    for side, vals in (("baseline", b), ("experiment", e)):
        assert m[side]["n"] == len(vals), (name, side, m[side])
        close(m[side]["mean"], st.mean(vals), tol); close(m[side]["std"], st.stdev(vals), tol)
        close(m[side]["min"], min(vals), tol); close(m[side]["max"], max(vals), tol)
    d = (st.mean(e) - st.mean(b)) / ((st.stdev(b) ** 2 + st.stdev(e) ** 2) / 2) ** 0.5
    close(m["cohens_d"], d, 1e-6)
    p = sps.ttest_ind(e, b, equal_var=False).pvalue
    close(m["welch_p"], p, 1e-6)
    ps.append(p)
    row = (f"| {name} (secondary) | {m['goal']} | {m['reduce']} | baseline | 5 | {st.mean(b):.4f} | "
           f"{st.stdev(b):.4f} | {min(b):.4f} | {max(b):.4f} |")
    assert row in md, row
# Holm across the two secondary metrics
lo, hi = sorted(range(2), key=lambda i: ps[i])
holm = [0.0, 0.0]
holm[lo] = min(1.0, 2 * ps[lo]); holm[hi] = min(1.0, max(holm[lo], ps[hi]))
close(sec["train_loss"]["p_holm"], holm[0], 1e-6); close(sec["grad_norm"]["p_holm"], holm[1], 1e-6)
assert sec["train_loss"]["reduce"] == "mean_last_k (k = 3)" and sec["grad_norm"]["goal"] == "none"
assert md.index("## Secondary Metrics") < md.index("## Verdict: " + rep["verdict"])

# The baseline report's table gains a row per secondary metric, its JSON an entry
brep = json.load(open("docs/research-metrics/baseline_variance_20K.json"))
bmd = open("docs/research-metrics/baseline_variance_20K.md").read()
bsec = {m["name"]: m for m in brep["secondary_metrics"]}
assert list(bsec) == ["train_loss", "grad_norm"], list(bsec)
for name, tol in (("train_loss", 1e-12), ("grad_norm", 1e-6)):
    vals = [r[name] for r in base]
    close(bsec[name]["baseline"]["mean"], st.mean(vals), tol); close(bsec[name]["baseline"]["std"], st.stdev(vals), tol)
    row = f"| {name} (secondary) | {st.mean(vals):.4f} | {st.stdev(vals):.4f} | {min(vals):.4f} | {max(vals):.4f} |"
    assert row in bmd, row

# status shows each run's latest secondary values
text = open("status.txt").read()
r42 = next(r for r in base if r["seed"] == 42)
lines42 = [json.loads(l) for l in open("checkpoints-metrics/baseline_20K_seed42/metrics.jsonl")]
want = f"secondary: grad_norm {r42['grad_norm']:.4f}, train_loss {lines42[-1]['train_loss']:.4f}"
assert want in text, (want, text)
assert r42["status"]["secondary"]["train_loss"] == lines42[-1]["train_loss"], r42["status"]
print("train_loss d=%.4f p=%.4g holm=%.4g; grad_norm d=%.4f p=%.4g holm=%.4g" % (
    sec["train_loss"]["cohens_d"], ps[0], holm[0], sec["grad_norm"]["cohens_d"], ps[1], holm[1]))
PYEOF
pass "each secondary metric's statistics, d, Welch p and Holm p equal those recomputed from the trainer's files; every point stored once"
