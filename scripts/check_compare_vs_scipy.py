#!/usr/bin/python3
"""Cross-checks `seedrun compare --json` against numpy/scipy on random cases nobody wrote.

    /usr/bin/python3 scripts/check_compare_vs_scipy.py build/release/seedrun [N]

Compares mean, std, delta, sigma_units, cohens_d, welch_p and seeds_needed_80 to 1e-9 and the
verdict by the method's rule; exits 1 on the first disagreement.
"""
import json, math, random, subprocess, sys

import numpy as np
from scipy import stats


def power(d, n):
    df = 2 * n - 2
    ncp = abs(d) * math.sqrt(n / 2)
    t = stats.t.ppf(0.975, df)
    return 1 - stats.nct.cdf(t, df, ncp) + stats.nct.cdf(-t, df, ncp)


def needed(d):
    if d == 0:
        return None
    lo, hi = 1, 2
    while power(d, hi) < 0.8:
        lo, hi = hi, hi * 2
        if hi > 20000:
            return None
    while hi - lo > 1:
        mid = (lo + hi) // 2
        lo, hi = (lo, mid) if power(d, mid) >= 0.8 else (mid, hi)
    return max(hi, 2) if hi <= 10000 else None


def close(a, b, what):
    if a is None or b is None or abs(a - b) > 1e-9 * max(1, abs(b)):
        raise AssertionError(f"{what}: seedrun {a} vs scipy {b}")


def main():
    binary, n = sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 200
    rng = random.Random(12345)
    for i in range(n):
        nb, ne = rng.randint(2, 8), rng.randint(2, 8)
        mu, sd = rng.uniform(0.5, 5), rng.uniform(0.001, 0.3)
        shift = rng.choice([0, 0.5, 1, 2, 3, 5]) * sd * rng.choice([-1, 1])
        b = [round(rng.gauss(mu, sd), 4) for _ in range(nb)]
        e = [round(rng.gauss(mu + shift, sd * rng.uniform(0.5, 2)), 4) for _ in range(ne)]
        higher = rng.random() < 0.3
        args = [binary, "compare", "--baseline", ",".join(map(str, b)), "--experiment", ",".join(map(str, e)), "--json"]
        if higher:
            args.append("--higher-is-better")
        j = json.loads(subprocess.run(args, check=True, capture_output=True, text=True).stdout)
        B, E = np.array(b), np.array(e)
        sb, se = B.std(ddof=1), E.std(ddof=1)
        close(j["baseline"]["mean"], B.mean(), "mean")
        close(j["baseline"]["std"], sb, "std")
        close(j["delta"], E.mean() - B.mean(), "delta")
        if sb > 0:
            units = (E.mean() - B.mean()) / sb
            close(j["sigma_units"], units, "sigma_units")
            imp = units if higher else -units
            want = "WINNER" if imp >= 2 else ("LOSER" if imp <= -2 else "NEUTRAL")
            assert j["verdict"] == want, (j["verdict"], want, b, e)
        d = (E.mean() - B.mean()) / math.sqrt((sb ** 2 + se ** 2) / 2)
        close(j["cohens_d"], d, "cohens_d")
        close(j["welch_p"], stats.ttest_ind(E, B, equal_var=False).pvalue, "welch_p")
        assert j["seeds_needed_80"] == needed(d), ("seeds_needed_80", j["seeds_needed_80"], needed(d), d)
        lo, hi = j["ci95"]
        assert lo <= hi
    print(f"{n} random cases: seedrun compare agrees with scipy")


if __name__ == "__main__":
    main()
