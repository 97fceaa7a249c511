#!/usr/bin/python3
"""Reference Bradley-Terry ratings with scipy, to check `seedrun ratings` (docs/health.md).

Written independently of the C++ code: the fit is a logistic regression (one column per free
player, +1 for the first player of a game, -1 for the second, the anchored players as an
offset, the score 1 / 0.5 / 0 as the target) whose negative log-likelihood is minimized with
scipy.optimize.minimize (trust-exact, with the exact gradient and Hessian). The players with a
finite maximum are found with scipy.sparse.csgraph.connected_components(connection="strong")
on the "scored against" graph with the anchored players merged into one node.

usage:
  ratings_reference.py MATCHES [--fixed SPEC] [--json]
      print the reference ratings (and the trajectory) as JSON
  ratings_reference.py MATCHES [--fixed SPEC] --compare SEEDRUN_JSON [--tolerance 1e-6]
      compare with the JSON of `seedrun ratings --json`; prints the largest |difference| in Elo
      points and exits 1 when it exceeds the tolerance or a player's status differs

Run it with Debian's interpreter, which has numpy and scipy: /usr/bin/python3.
"""
import argparse
import json
import math
import sys

import numpy as np
from scipy import optimize, sparse
from scipy.sparse import csgraph

SCALE = 400.0 / math.log(10.0)  # Elo points per natural-log unit of the odds
POOL_MEAN = 1000.0
OUTCOMES = {"win": 1.0, "loss": 0.0, "draw": 0.5, 1: 1.0, 0: 0.0, 0.5: 0.5}


def read_matches(path):
    """(players in order of first appearance, games as (a, b, score, step or None))."""
    players, index, games = [], {}, []
    with open(path, "rb") as f:
        for raw in f:
            try:
                obj = json.loads(raw.decode("utf-8"))
            except (UnicodeDecodeError, ValueError):
                continue
            if not isinstance(obj, dict):
                continue
            pl, out = obj.get("players"), obj.get("outcome")
            if not (isinstance(pl, list) and len(pl) == 2 and all(isinstance(p, str) and p for p in pl)):
                continue
            if pl[0] == pl[1] or isinstance(out, bool) or out not in OUTCOMES:
                continue
            step = obj.get("step")
            if step is not None and (isinstance(step, bool) or not isinstance(step, (int, float)) or step != int(step)):
                continue
            for p in pl:
                if p not in index:
                    index[p] = len(players)
                    players.append(p)
            games.append((index[pl[0]], index[pl[1]], OUTCOMES[out], None if step is None else int(step)))
    return players, games


def parse_fixed(spec, players):
    """[(player index, pinned rating or None)]; with no rating given, the first is pinned at 1000."""
    refs = []
    for entry in filter(None, (e.strip() for e in (spec or "").split(","))):
        name, _, value = entry.partition("=")
        refs.append((players.index(name.strip()), float(value) if value else None))
    if refs and all(v is None for _, v in refs):
        refs[0] = (refs[0][0], POOL_MEAN)
    return refs


def rated_players(n, games, pinned):
    """Boolean mask of the players in the strongly connected core."""
    node = np.arange(n)
    for p in pinned:
        node[p] = pinned[0]
    played = np.zeros(n, bool)
    rows, cols = [], []
    for a, b, s, _ in games:
        played[a] = played[b] = True
        if s > 0:
            rows.append(node[a]); cols.append(node[b])
        if s < 1:
            rows.append(node[b]); cols.append(node[a])
    graph = sparse.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(n, n))
    _, labels = csgraph.connected_components(graph, directed=True, connection="strong")
    active = [p for p in range(n) if played[p]]
    if not active:
        return np.zeros(n, bool)
    if pinned:
        core = labels[node[pinned[0]]]
    else:
        sizes = {}
        for p in active:
            sizes[labels[node[p]]] = sizes.get(labels[node[p]], 0) + 1
        best = max(sizes.values())
        core = next(labels[node[p]] for p in active if sizes[labels[node[p]]] == best)
    return np.array([played[p] and labels[node[p]] == core for p in range(n)])


def fit(n, games, anchors):
    """{player index: Elo} for the rated players of `games` with `anchors` [(player, rating)]."""
    played = set()
    for a, b, _, _ in games:
        played.update((a, b))
    pinned = [p for p, _ in anchors if p in played]
    rated = rated_players(n, games, pinned)
    fixed = {p: r / SCALE for p, r in anchors if p in pinned}
    core = [p for p in range(n) if rated[p]]
    if not core:
        return {}
    if not fixed:  # gauge: the last rated player at 0, shifted to the pool mean afterwards
        fixed = {core[-1]: 0.0}
    free = [p for p in core if p not in fixed]
    col = {p: k for k, p in enumerate(free)}
    used = [g for g in games if rated[g[0]] and rated[g[1]]]
    X = np.zeros((len(used), len(free)))
    offset = np.zeros(len(used))
    y = np.array([s for _, _, s, _ in used])
    for row, (a, b, _, _) in enumerate(used):
        for p, sign in ((a, 1.0), (b, -1.0)):
            if p in col:
                X[row, col[p]] += sign
            else:
                offset[row] += sign * fixed[p]

    def nll(theta):
        z = X @ theta + offset
        return -np.sum(y * -np.logaddexp(0, -z) + (1 - y) * -np.logaddexp(0, z))

    def grad(theta):
        p = 0.5 * (1 + np.tanh((X @ theta + offset) / 2))
        return -X.T @ (y - p)

    def hess(theta):
        p = 0.5 * (1 + np.tanh((X @ theta + offset) / 2))
        return X.T @ (X * (p * (1 - p))[:, None])

    theta = np.zeros(len(free))
    if free:
        res = optimize.minimize(nll, theta, jac=grad, hess=hess, method="trust-exact",
                                options={"gtol": 1e-11, "maxiter": 1000})
        # Near the maximum the log-likelihood is flat to rounding, which can stop trust-exact a
        # little early (|gradient| ~ 1e-8); solving the score equations gradient = 0 from there
        # reaches the maximum to machine precision.
        sol = optimize.root(grad, res.x, jac=hess, method="hybr", options={"xtol": 1e-15})
        theta = sol.x if sol.success or np.abs(grad(sol.x)).max() < np.abs(grad(res.x)).max() else res.x
    out = {p: v * SCALE for p, v in fixed.items()}
    out.update({p: theta[col[p]] * SCALE for p in free})
    if not anchors or not pinned:
        shift = POOL_MEAN - sum(out.values()) / len(out)
        out = {p: v + shift for p, v in out.items()}
    return out


def reference(path, spec):
    players, games = read_matches(path)
    refs = parse_fixed(spec, players)
    anchors = [(p, v) for p, v in refs if v is not None]
    n = len(players)
    result = {"players": {players[p]: v for p, v in fit(n, games, anchors).items()}, "trajectory": []}
    references = {p for p, _ in refs}
    first_step = {}
    for a, b, _, step in games:
        for p in (a, b):
            if step is not None and (p not in first_step or step < first_step[p]):
                first_step[p] = step
    for step in sorted({g[3] for g in games if g[3] is not None}):
        window = [g for g in games if g[3] is None or g[3] <= step]
        ratings = fit(n, window, anchors)
        # the policy frame: the newest rated checkpoint (latest first game, then most games in
        # the window, then first in the file) at 1000
        played = {p: sum(1 for g in window if p in (g[0], g[1])) for p in ratings}
        candidates = [p for p in ratings if p not in references and p in first_step]
        shift = 0.0
        if candidates:
            newest = min(candidates, key=lambda p: (-first_step[p], -played[p], p))
            shift = POOL_MEAN - ratings[newest]
        result["trajectory"].append({"step": step, "ratings": {players[p]: v + shift for p, v in ratings.items()}})
    return result


def compare(ref, seedrun, tolerance):
    worst, problems, count = 0.0, [], 0
    got = {e["player"]: e["rating"] for e in seedrun["players"]}
    for name, rating in got.items():
        expected = ref["players"].get(name)
        if (rating is None) != (expected is None):
            problems.append(f"{name}: seedrun {rating}, scipy {expected}")
        elif rating is not None:
            worst, count = max(worst, abs(rating - expected)), count + 1
    points = seedrun["trajectory"]["points"]
    if len(points) != len(ref["trajectory"]):
        problems.append(f"trajectory: seedrun has {len(points)} steps, scipy {len(ref['trajectory'])}")
    for mine, theirs in zip(points, ref["trajectory"]):
        if mine["step"] != theirs["step"] or set(mine["ratings"]) != set(theirs["ratings"]):
            problems.append(f"step {mine['step']}: different steps or rated players")
            continue
        for name, v in mine["ratings"].items():
            worst, count = max(worst, abs(v - theirs["ratings"][name])), count + 1
    print(f"compared {count} ratings ({len(got)} players, {len(points)} trajectory steps): "
          f"max |seedrun - scipy| = {worst:.3e} Elo (tolerance {tolerance:g})")
    for p in problems:
        print("MISMATCH:", p)
    return not problems and worst <= tolerance


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("matches")
    ap.add_argument("--fixed", default="")
    ap.add_argument("--compare", metavar="SEEDRUN_JSON")
    ap.add_argument("--tolerance", type=float, default=1e-6)
    args = ap.parse_args()
    ref = reference(args.matches, args.fixed)
    if not args.compare:
        json.dump(ref, sys.stdout, indent=2)
        print()
        return 0
    with open(args.compare) as f:
        seedrun = json.load(f)
    return 0 if compare(ref, seedrun, args.tolerance) else 1


if __name__ == "__main__":
    sys.exit(main())
