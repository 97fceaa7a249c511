#!/usr/bin/env python3
"""Writes a synthetic but realistic GRPO league as MATCHES.jsonl for `seedrun ratings`.

A policy is trained with GRPO and saved every 100 steps (ckpt_100 ... ckpt_1000). At each
checkpoint it plays games against the fixed references (base_model: the model before training;
chaos_bot and random_bot: scripted baselines) and against a few older checkpoints (the league).
The policy's true strength grows with training, so the learning signal of seed 000 must show:
the references' ratings fall, the gap best checkpoint - base_model grows, older checkpoints
fall. Draws happen (10%), and a few lines carry extra fields that the reader ignores.

usage: make_matches.py [OUT] [--seed N] [--games N] [--flat]
  --flat: the policy does not improve (every checkpoint as strong as base_model), for a
          control run in which the gap must not grow.
Standard library only; the same seed always writes the same file.
"""
import argparse
import json
import random
import sys

REFERENCES = {"base_model": 1000.0, "chaos_bot": 850.0, "random_bot": 600.0}


def true_strength(step, flat):
    if flat:
        return REFERENCES["base_model"]
    # fast early progress that saturates, as in a typical RL curve
    return REFERENCES["base_model"] - 50 + 450 * (1 - 0.82 ** (step / 100))


def play(rng, out, a, sa, b, sb, step):
    p_a = 1 / (1 + 10 ** ((sb - sa) / 400))
    u = rng.random()
    outcome = "draw" if u < 0.10 else ("win" if rng.random() < p_a else "loss")
    line = {"players": [a, b], "outcome": outcome, "step": step}
    if rng.random() < 0.2:
        line["game_id"] = f"g{rng.randrange(10**9):09d}"
        line["turns"] = rng.randrange(8, 60)
    out.write(json.dumps(line) + "\n")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out", nargs="?", default="matches.jsonl")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--games", type=int, default=60, help="games per reference per checkpoint")
    ap.add_argument("--flat", action="store_true")
    args = ap.parse_args()
    rng = random.Random(args.seed)
    strengths = {}
    with (sys.stdout if args.out == "-" else open(args.out, "w")) as out:
        # the references among themselves, once (no step: they count at every checkpoint)
        names = list(REFERENCES)
        for i, a in enumerate(names):
            for b in names[i + 1:]:
                for _ in range(args.games // 2):
                    sa, sb = REFERENCES[a], REFERENCES[b]
                    p_a = 1 / (1 + 10 ** ((sb - sa) / 400))
                    u = rng.random()
                    outcome = "draw" if u < 0.10 else ("win" if rng.random() < p_a else "loss")
                    out.write(json.dumps({"players": [a, b], "outcome": outcome}) + "\n")
        for step in range(100, 1001, 100):
            me = f"ckpt_{step}"
            strengths[me] = true_strength(step, args.flat)
            for ref, s in REFERENCES.items():
                for _ in range(args.games):
                    if rng.random() < 0.5:
                        play(rng, out, me, strengths[me], ref, s, step)
                    else:
                        play(rng, out, ref, s, me, strengths[me], step)
            older = [c for c in strengths if c != me][-3:]  # the league: the last three checkpoints
            for old in older:
                for _ in range(args.games // 3):
                    play(rng, out, me, strengths[me], old, strengths[old], step)
    return 0


if __name__ == "__main__":
    sys.exit(main())
