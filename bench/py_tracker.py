#!/usr/bin/env python3
"""The baseline bench/run.sh compares seedrun's refresh with: what a user would write instead of
seedrun to follow N Slurm runs. One sacct call for the unfinished runs, each log read from the
offset where the last refresh stopped, every `val_loss: X` stored in SQLite with the new offset,
one transaction. No retries, no reports, no statistics, no fault handling: a lower bound on what
tracking costs in Python, not a competitor.

    py_tracker.py init DB RUNS_TSV     RUNS_TSV lines: <job id as sacct prints it>\t<log path>
    py_tracker.py refresh DB           prints: unfinished=N new_points=P
"""
import re
import sqlite3
import subprocess
import sys

FINAL = ("COMPLETED", "FAILED", "CANCELLED", "TIMEOUT", "OUT_OF_MEMORY", "NODE_FAIL", "PREEMPTED")
VALUE = re.compile(rb"val_loss: ([0-9.]+)")


def init(db_path, runs_tsv):
    db = sqlite3.connect(db_path)
    db.executescript("""
        CREATE TABLE runs (id INTEGER PRIMARY KEY, job TEXT UNIQUE, log_path TEXT, log_offset INTEGER DEFAULT 0,
                           state TEXT DEFAULT 'PENDING', last REAL);
        CREATE INDEX runs_by_state ON runs(state);
        CREATE TABLE points (run_id INTEGER, seq INTEGER, value REAL, PRIMARY KEY (run_id, seq)) WITHOUT ROWID;
    """)
    with open(runs_tsv) as f:
        db.executemany("INSERT INTO runs (job, log_path) VALUES (?, ?)", (line.rstrip("\n").split("\t") for line in f))
    db.commit()


def refresh(db_path):
    db = sqlite3.connect(db_path)
    placeholders = ",".join("?" * len(FINAL))
    runs = db.execute(f"SELECT id, job, log_path, log_offset FROM runs WHERE state NOT IN ({placeholders})",
                      FINAL).fetchall()
    if not runs:
        print("unfinished=0 new_points=0")
        return
    arrays = sorted({job.split("_")[0] for _, job, _, _ in runs})
    out = subprocess.run(["sacct", "-X", "--parsable2", "--noheader", "--format=JobID,State", "-j", ",".join(arrays)],
                         capture_output=True, text=True, check=True).stdout
    states = {}
    for line in out.splitlines():
        fields = line.split("|")
        if len(fields) >= 2:
            states[fields[0]] = fields[1].split()[0] if fields[1] else ""
    new_points = 0
    with db:
        for run_id, job, log_path, offset in runs:
            state = states.get(job, "PENDING")
            try:
                with open(log_path, "rb") as f:
                    f.seek(offset)
                    data = f.read()
            except OSError:
                data = b""
            final = state in FINAL
            end = len(data) if final else max(data.rfind(b"\n"), data.rfind(b"\r")) + 1
            values = [float(m.group(1)) for m in VALUE.finditer(data, 0, end)]
            if values:
                seq = db.execute("SELECT COALESCE(MAX(seq), 0) FROM points WHERE run_id = ?", (run_id,)).fetchone()[0]
                db.executemany("INSERT INTO points VALUES (?, ?, ?)",
                               ((run_id, seq + i + 1, v) for i, v in enumerate(values)))
                new_points += len(values)
            db.execute("UPDATE runs SET state = ?, log_offset = ?, last = COALESCE(?, last) WHERE id = ?",
                       (state, offset + end, values[-1] if values else None, run_id))
    print(f"unfinished={len(runs)} new_points={new_points}")


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "init":
        init(sys.argv[2], sys.argv[3])
    elif len(sys.argv) == 3 and sys.argv[1] == "refresh":
        refresh(sys.argv[2])
    else:
        sys.exit(__doc__)
