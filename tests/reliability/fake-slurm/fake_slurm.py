#!/usr/bin/python3
"""FAKE Slurm for seedrun's reliability tests and benchmarks. Not a scheduler.

Installed as `sbatch`, `sacct`, `squeue`, `scancel` (symlinks to this file) first on PATH.
State lives in $FAKE_SLURM_STATE. Jobs run at once, one task after another, in a detached
process. Faults are switched by files in the state directory:
  sacct_mode    : "hang" (sleep forever), "garbage", "truncate", "down" (exit 1), "disabled"
  sbatch_fail   : sbatch fails (exit 1, an sbatch-like message) while this file exists
  node_fail     : lines "<array job id>_<task>": that task ends NODE_FAIL without running
Every call is appended to calls.log ("sbatch <name> <array>", "sacct <args>").
"""
import fcntl, json, os, re, subprocess, sys, time

STATE = os.environ.get("FAKE_SLURM_STATE", f"/tmp/fake-slurm-{os.getuid()}")
os.makedirs(STATE, exist_ok=True)


class Lock:
    def __enter__(self):
        self.f = open(os.path.join(STATE, "lock"), "w")
        fcntl.flock(self.f, fcntl.LOCK_EX)
        return self

    def __exit__(self, *a):
        self.f.close()


def log_call(text):
    with open(os.path.join(STATE, "calls.log"), "a") as f:
        f.write(text + "\n")


def jobs():
    path = os.path.join(STATE, "jobs.json")
    return json.load(open(path)) if os.path.exists(path) else {}


def save(js):
    tmp = os.path.join(STATE, "jobs.json.tmp")
    json.dump(js, open(tmp, "w"))
    os.replace(tmp, os.path.join(STATE, "jobs.json"))


def flag(name):
    p = os.path.join(STATE, name)
    return open(p).read().strip() if os.path.exists(p) else ""


def hms(sec):
    sec = int(sec)
    return f"{sec // 3600:02d}:{sec % 3600 // 60:02d}:{sec % 60:02d}"


def iso(t):
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.localtime(t)) if t else "Unknown"


def sbatch(args):
    opts, script = {}, args[-1]
    for a in args[:-1]:
        if a.startswith("--") and "=" in a:
            k, v = a[2:].split("=", 1)
            opts[k] = v
    name, array = opts.get("job-name", "job"), opts.get("array", "0")
    log_call(f"sbatch {name} {array}")
    if os.path.exists(os.path.join(STATE, "sbatch_fail")):
        print("sbatch: error: Batch job submission failed: Unable to contact slurm controller (connect failure)",
              file=sys.stderr)
        return 1
    m = re.match(r"(\d+)-(\d+)", array)
    tasks = list(range(int(m.group(1)), int(m.group(2)) + 1)) if m else [0]
    with Lock():
        js = jobs()
        jid = str(100 + len(js))
        js[jid] = {"name": name, "tasks": {str(t): {"state": "PENDING"} for t in tasks}, "script": script,
                   "output": opts.get("output", f"slurm-%A_%a.out"), "chdir": opts.get("chdir", os.getcwd()),
                   "submitted": time.time()}
        save(js)
    subprocess.Popen([sys.executable, os.path.abspath(__file__), "__run", jid], start_new_session=True,
                     stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    print(jid)
    return 0


def run_job(jid):
    job = jobs()[jid]
    for t in sorted(job["tasks"], key=int):
        with Lock():
            js = jobs()
            if js[jid]["tasks"][t]["state"] != "PENDING":
                continue
            js[jid]["tasks"][t].update(state="RUNNING", start=time.time())
            save(js)
        if f"{jid}_{t}" in flag("node_fail").split():
            with Lock():
                js = jobs()
                js[jid]["tasks"][t].update(state="NODE_FAIL", rc=0, end=time.time())
                save(js)
            continue
        out = job["output"].replace("%x", job["name"]).replace("%A", jid).replace("%a", t)
        env = dict(os.environ, SLURM_ARRAY_TASK_ID=t, SLURM_ARRAY_JOB_ID=jid, SLURM_JOB_ID=jid)
        with open(out, "ab") as f:
            rc = subprocess.call(["bash", job["script"]], cwd=job["chdir"], env=env, stdout=f, stderr=f)
        with Lock():
            js = jobs()
            task = js[jid]["tasks"][t]
            if task["state"] == "RUNNING":
                task.update(state="COMPLETED" if rc == 0 else "FAILED", rc=rc, end=time.time())
            save(js)


def sacct(args):
    log_call("sacct " + " ".join(args))
    mode = flag("sacct_mode")
    if mode == "hang":
        time.sleep(3600)
    if mode == "down":
        print("sacct: error: Problem talking to the database: Connection refused", file=sys.stderr)
        return 1
    if mode == "disabled":
        print("sacct: error: Slurm accounting storage is disabled", file=sys.stderr)
        return 1
    if mode == "garbage":
        print("<html>502 Bad Gateway</html>\n\x00\x01garbage|||")
        return 0
    ids, names, start = None, None, 0
    for i, a in enumerate(args):
        if a == "-j":
            ids = set(x.split("_")[0] for x in args[i + 1].split(","))
        elif a.startswith("--name="):
            names = set(a[7:].split(","))
        elif a.startswith("--starttime="):
            start = time.mktime(time.strptime(a[12:], "%Y-%m-%dT%H:%M:%S"))
    lines = []
    with Lock():
        js = jobs()
    for jid, job in js.items():
        if ids is not None and jid not in ids:
            continue
        if names is not None and (job["name"] not in names or job["submitted"] < start):
            continue
        tasks = sorted(job["tasks"], key=int)
        pending = [t for t in tasks if job["tasks"][t]["state"] == "PENDING"]
        for t in tasks:
            task = job["tasks"][t]
            if task["state"] == "PENDING":
                continue
            raw = jid if t == tasks[-1] else str(int(jid) * 1000 + int(t))
            elapsed = (task.get("end") or time.time()) - task["start"]
            code = f'{task.get("rc", 0) if task.get("rc", 0) < 128 else 0}:{task.get("rc", 0) - 128 if task.get("rc", 0) >= 128 else 0}'
            lines.append(f'{raw}|{jid}_{t}|{job["name"]}|{task["state"]}|{code}|{hms(elapsed)}|{iso(task["start"])}|'
                         f'{iso(task.get("end"))}|fake')
        if pending:
            lines.append(f'{jid}|{jid}_[{pending[0]}-{pending[-1]}]|{job["name"]}|PENDING|0:0|00:00:00|Unknown|Unknown|')
    if mode == "truncate" and lines:
        lines[-1] = lines[-1][: len(lines[-1]) // 3]
    print("\n".join(lines))
    return 0


def scancel(args):
    log_call("scancel " + " ".join(args))
    with Lock():
        js = jobs()
        for a in args:
            jid, _, t = a.partition("_")
            if jid in js:
                for k, task in js[jid]["tasks"].items():
                    if (not t or k == t) and task["state"] in ("PENDING", "RUNNING"):
                        task.update(state="CANCELLED", end=time.time(), start=task.get("start", time.time()))
        save(js)
    return 0


def squeue(args):
    log_call("squeue " + " ".join(args))
    return 0


def main():
    prog = os.path.basename(sys.argv[0])
    if len(sys.argv) > 2 and sys.argv[1] == "__run":
        return run_job(sys.argv[2])
    return {"sbatch": sbatch, "sacct": sacct, "scancel": scancel, "squeue": squeue}[prog](sys.argv[1:])


if __name__ == "__main__":
    sys.exit(main() or 0)
