#!/usr/bin/env python3
"""Writes a synthetic but realistic GRPO training run for `seedrun health --dir OUT`.

OUT/metrics.jsonl: one line every 10 steps (step, loss, reward, kl, grad_norm, lr) and an eval
line every 100 steps (step, eval_loss), as a trainer logging JSON lines writes them.
OUT/events.jsonl: the pipeline's events over the last two hours before --end: rollouts with
their duration, answer extractions (ok or not) and errors.

Healthy everywhere except three planted problems, which `seedrun health` must flag exactly:
  - a KL spike: kl = 0.14, 0.31, 0.18 at steps 420, 430, 440 (peak 0.31 at step 430);
  - a grad-norm blow-up: grad_norm = 64.0, 187.5, 73.2 at steps 710, 720, 730 (peak at 720);
  - a slow rollout tail: in the last hour, every 6th rollout takes 150-290 s (the inference
    engine stalls), so the p95 rollout duration is far above 120 s.
Everything else stays inside seed 000's targets with margin: KL below 0.08, grad norm below 12,
eval loss decreasing at every eval, extraction rate 98%, error rate 0.5%.

usage: make_run.py OUT [--seed N] [--end EPOCH_SECONDS]
Standard library only; the same seed and --end always write the same files.
"""
import argparse
import datetime
import json
import math
import os
import random
import time

KL_SPIKE = {420: 0.14, 430: 0.31, 440: 0.18}
GRAD_BLOWUP = {710: 64.0, 720: 187.5, 730: 73.2}


def metrics(rng):
    rows = []
    for step in range(10, 1001, 10):
        progress = step / 1000
        kl = 0.01 + 0.05 * progress + rng.uniform(-0.008, 0.008)
        grad = 2.0 + 4.0 * math.exp(-step / 300) + rng.uniform(0, 3.0)
        rows.append({
            "step": step,
            "loss": round(0.9 * math.exp(-2 * progress) + 0.1 + rng.uniform(-0.02, 0.02), 5),
            "reward": round(0.2 + 0.55 * (1 - math.exp(-3 * progress)) + rng.uniform(-0.03, 0.03), 5),
            "kl": round(KL_SPIKE.get(step, kl), 5),
            "grad_norm": round(GRAD_BLOWUP.get(step, grad), 4),
            "lr": 1e-6,
        })
        if step % 100 == 0:
            rows.append({"step": step, "eval_loss": round(2.4 - 0.9 * (1 - math.exp(-2.5 * progress)), 5)})
    return rows


def iso(t):
    return datetime.datetime.fromtimestamp(t, datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def events(rng, end):
    start = end - 7200
    out = []
    for i in range(400):  # one rollout every 18 s over two hours
        t = start + 18 * i
        slow = t >= end - 3600 and i % 6 == 0
        d = rng.uniform(150, 290) if slow else rng.lognormvariate(math.log(35), 0.3)
        d = min(d, 95.0) if not slow else d
        out.append({"time": iso(t), "kind": "rollout", "duration_s": round(d, 3), "step": 400 + i})
        if i in (57, 301):  # two failed requests: 2 / 402 = 0.5%
            out.append({"time": t + 5, "kind": "error", "message": "inference request timed out after retries"})
    for j in range(1000):  # extractions: 2% of answers have no parseable order
        out.append({"time": start + 7 * j + 3, "kind": "extraction", "ok": j % 50 != 7})
    out.sort(key=lambda e: e["time"] if isinstance(e["time"], (int, float)) else
             datetime.datetime.strptime(e["time"], "%Y-%m-%dT%H:%M:%SZ").replace(
                 tzinfo=datetime.timezone.utc).timestamp())
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("out")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--end", type=int, default=None, help="time of the last event (default: now)")
    a = ap.parse_args()
    end = a.end if a.end is not None else int(time.time())
    rng = random.Random(a.seed)
    os.makedirs(a.out, exist_ok=True)
    with open(os.path.join(a.out, "metrics.jsonl"), "w") as f:
        for row in metrics(rng):
            f.write(json.dumps(row) + "\n")
    with open(os.path.join(a.out, "events.jsonl"), "w") as f:
        for e in events(rng, end):
            f.write(json.dumps(e) + "\n")


if __name__ == "__main__":
    main()
