#!/usr/bin/python3
"""Reference values for the seedrun statistics, computed with scipy.

Writes these files, all generated (do not edit by hand; re-run this script instead):
  tests/fixtures/stats/reference.json   every value, for people and other tools
  tests/unit/stats/reference_cases.inc  comparison cases and Holm vectors (C++)
  tests/unit/stats/reference_t.inc      Student t CDF, two-sided p and quantile grid (C++)
  tests/unit/stats/reference_nct.inc    noncentral t CDF grid (C++)
  tests/unit/stats/reference_power.inc  power of the two-sample t-test grid (C++)

The unit tests (tests/unit/stats) compare the C++ implementation with these numbers. Run it
with Debian's interpreter, which has numpy and scipy:  /usr/bin/python3 scripts/stats_reference.py
The seed's rule (verdict and labels) is re-implemented here from /work/shared/spec/method.md,
independently of the C++ code.
"""
import json
import math
import pathlib
import sys

import numpy as np
import scipy
from scipy import stats

ROOT = pathlib.Path(__file__).resolve().parent.parent
NAN = float("nan")
INF = float("inf")
DFS = [1, 2, 3, 5, 8, 30, 200]

BASE = [3.21, 3.22, 3.20, 3.21, 3.20]  # the seed's example baseline
ACC = [0.71, 0.73, 0.72, 0.70, 0.74]
WIDE = [4.1, 5.3, 6.2, 4.8, 5.6]


def rounded_normal(seed, mean, sd, n):
    rng = np.random.default_rng(seed)
    return [round(float(v), 6) for v in rng.normal(mean, sd, n)]


CASES = [
    ("seed example: clear winner", BASE, [3.15, 3.16, 3.15], "minimize"),
    ("clear loser", BASE, [3.25, 3.27, 3.26], "minimize"),
    ("suggestive, worse", BASE, [3.218, 3.222, 3.221], "minimize"),
    ("suggestive, better", BASE, [3.199, 3.197, 3.2], "minimize"),
    ("noise after extension", BASE, [3.205, 3.212, 3.209, 3.207, 3.203], "minimize"),
    ("maximize: winner", ACC, [0.78, 0.79, 0.77], "maximize"),
    ("maximize: loser", ACC, [0.64, 0.66, 0.65, 0.63, 0.67], "maximize"),
    ("maximize: suggestive", ACC, [0.735, 0.74, 0.725], "maximize"),
    ("ties between and within arms", [1.0, 1.0, 2.0, 2.0, 3.0], [2.0, 2.0, 3.0, 3.0, 3.0], "maximize"),
    ("two seeds per arm", [1.0, 1.2], [0.9, 1.05], "minimize"),
    ("large d", [10.0, 10.01, 9.99, 10.0, 10.01], [12.0, 12.02, 11.99], "minimize"),
    ("tiny d, seeds beyond the cap", WIDE, [4.12, 5.33, 6.21, 4.84, 5.62], "minimize"),
    ("small d, thousands of seeds", rounded_normal(1, 0.0, 1.0, 40), [round(v + 0.06, 6) for v in rounded_normal(1, 0.0, 1.0, 40)],
     "minimize"),
    ("non-finite values excluded", [3.21, NAN, 3.22, 3.20, INF, 3.21, 3.20], [3.15, 3.16, -INF, 3.15], "minimize"),
    ("baseline sigma zero", [2.0, 2.0, 2.0, 2.0, 2.0], [1.9, 1.95, 1.92], "minimize"),
    ("both arms constant", [1.0, 1.0, 1.0], [1.0, 1.0, 1.0], "minimize"),
    ("single baseline seed", [3.2], [3.1, 3.15, 3.12], "minimize"),
    ("no experiment seed", BASE, [NAN, NAN], "minimize"),
    ("single experiment seed", BASE, [3.1], "minimize"),
    ("exactly 2 sigma better", [-1.0, 0.0, 1.0], [-2.0, -2.0], "minimize"),
    ("exactly 2 sigma, maximize", [-1.0, 0.0, 1.0], [-2.0, -2.0], "maximize"),
    ("exactly 1 sigma", [-1.0, 0.0, 1.0], [1.0, 1.0], "minimize"),
    ("wall clock seconds", [100.0, 102.5, 98.7, 101.2, 99.9], [91.3, 92.8, 90.1], "minimize"),
    ("unequal variances", rounded_normal(3, 2.5, 0.02, 5), rounded_normal(4, 2.47, 0.09, 8), "minimize"),
]

HOLM = [
    [0.01, 0.04, 0.03, 0.005],
    [0.2, 0.2, 0.01],
    [0.5],
    [],
    [0.001, 0.9, 0.04, 0.04, 0.3, 0.012],
    [0.6, 0.7, 0.8],
]


def t_ppf(p, df):
    """scipy 1.10's t.ppf is good to about 1e-9 only; Newton steps on t.cdf make it exact to
    the last digits (t.cdf agrees with closed forms to 1e-15)."""
    p = np.asarray(p, dtype=float)
    q = np.asarray(stats.t.ppf(p, df), dtype=float)
    for _ in range(4):
        step = (stats.t.cdf(q, df) - p) / stats.t.pdf(q, df)
        q = np.where(p == 0.5, 0.0, q - step)
    return q if q.ndim else float(q)


def finite(v):
    return [x for x in v if math.isfinite(x)]


def opt(x):
    return None if x is None or not math.isfinite(x) else float(x)


def summary(values):
    v = np.array(finite(values))
    s = {"n": int(v.size), "excluded": len(values) - int(v.size), "mean": None, "std": None, "min": None,
         "max": None, "ci95": None}
    if v.size >= 1:
        s.update(mean=float(np.mean(v)), min=float(np.min(v)), max=float(np.max(v)))
    if v.size >= 2:
        s["std"] = float(np.std(v, ddof=1))
        if s["std"] > 0:
            half = t_ppf(0.975, v.size - 1) * stats.sem(v)
            s["ci95"] = [float(np.mean(v) - half), float(np.mean(v) + half)]
        else:
            s["ci95"] = [s["mean"], s["mean"]]
    return s


def verdict(sb, se, goal):
    """The seed's rule, from the spec."""
    if se["mean"] is None:
        return "NEUTRAL", "inconclusive: no completed experiment seeds", None
    if sb["n"] < 2:
        return "NEUTRAL", "inconclusive: fewer than 2 baseline seeds", None
    if sb["std"] == 0:
        return "NEUTRAL", "inconclusive: baseline σ is zero", None
    units = (se["mean"] - sb["mean"]) / sb["std"]
    improvement = -units if goal == "minimize" else units
    if improvement >= 2:
        return "WINNER", "significant (≥2σ)", units
    if improvement <= -2:
        return "LOSER", "significant (≥2σ)", units
    return "NEUTRAL", ("suggestive but inconclusive" if abs(units) >= 1 else "noise"), units


def effect_class(d):
    a = abs(d)
    return "negligible" if a < 0.2 else "small" if a < 0.5 else "medium" if a < 0.8 else "large"


def power(d, n):
    n = np.asarray(n, dtype=float)
    df = 2 * n - 2
    ncp = abs(d) * np.sqrt(n / 2)
    tc = t_ppf(0.975, df)
    return 1 - stats.nct.cdf(tc, df, ncp) + stats.nct.cdf(-tc, df, ncp)


def seeds_needed(d):
    if d is None or d == 0:
        return None
    n = np.arange(2, 10001)
    p = power(d, n)
    hits = np.nonzero(p >= 0.8)[0]
    if hits.size == 0:
        return None
    i = hits[0]
    for j in (i - 1, i):  # refuse a case whose answer hangs on the last digits
        if j >= 0 and abs(p[j] - 0.8) < 1e-9:
            sys.exit(f"power too close to 0.8 at d={d}, n={n[j]}")
    return int(n[i])


def scipy_bootstrap(b, e, seed):
    res = stats.bootstrap((np.array(b), np.array(e)), lambda x, y, axis: np.mean(y, axis=axis) - np.mean(x, axis=axis),
                          vectorized=True, paired=False, n_resamples=10000, method="percentile",
                          confidence_level=0.95, random_state=np.random.default_rng(seed))
    return [float(res.confidence_interval.low), float(res.confidence_interval.high)]


class SplitMix64:
    """splitmix64, bit for bit as src/stats/bootstrap.cpp, to pin its output on every platform."""
    MASK = (1 << 64) - 1

    def __init__(self, seed):
        self.state = seed & self.MASK

    def next(self):
        self.state = (self.state + 0x9E3779B97F4A7C15) & self.MASK
        z = self.state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & self.MASK
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & self.MASK
        return z ^ (z >> 31)

    def below(self, n):
        threshold = ((1 << 64) - n) % n
        while True:
            r = self.next()
            if r >= threshold:
                return r % n


def shifted_mean(v):
    ref = v[0]
    total = 0.0
    for x in v:
        total += x - ref
    return min(max(ref + total / len(v), min(v)), max(v))


def own_bootstrap(b, e, seed=20240601, resamples=10000, level=0.95):
    """The C++ algorithm in plain Python floats (IEEE doubles, same operations, same order)."""
    rng = SplitMix64(seed)
    cb, ce = shifted_mean(b), shifted_mean(e)

    def resampled(v, c):
        total = 0.0
        for _ in range(len(v)):
            total += v[rng.below(len(v))] - c
        return c + total / len(v)

    diffs = []
    for _ in range(resamples):
        mb = resampled(b, cb)
        diffs.append(resampled(e, ce) - mb)
    diffs.sort()

    def percentile(q):
        pos = q * (len(diffs) - 1)
        lo = math.floor(pos)
        hi = min(lo + 1, len(diffs) - 1)
        return diffs[lo] + (pos - lo) * (diffs[hi] - diffs[lo])

    tail = (1 - level) / 2
    return [percentile(tail), percentile(1 - tail)]


def comparison(name, base, exp, goal):
    sb, se = summary(base), summary(exp)
    b, e = finite(base), finite(exp)
    c = {"name": name, "base": base, "exp": exp, "goal": goal, "baseline": sb, "experiment": se}
    c["delta"] = None if sb["mean"] is None or se["mean"] is None else se["mean"] - sb["mean"]
    c["verdict"], c["label"], c["sigma_units"] = verdict(sb, se, goal)
    d = None
    if sb["std"] is not None and se["std"] is not None:
        pooled = math.sqrt((sb["std"] ** 2 + se["std"] ** 2) / 2)
        d = (se["mean"] - sb["mean"]) / pooled if pooled > 0 else None
    c["cohens_d"] = d
    c["effect"] = effect_class(d) if d is not None else None
    c["welch_t"] = c["welch_df"] = c["welch_p"] = None
    if len(b) >= 2 and len(e) >= 2 and (np.var(b) > 0 or np.var(e) > 0):
        r = stats.ttest_ind(b, e, equal_var=False)
        va, vb = np.var(b, ddof=1) / len(b), np.var(e, ddof=1) / len(e)
        c["welch_t"], c["welch_p"] = float(r.statistic), float(r.pvalue)
        c["welch_df"] = float((va + vb) ** 2 / (va ** 2 / (len(b) - 1) + vb ** 2 / (len(e) - 1)))
    c["seeds_needed_80"] = seeds_needed(d)
    c["wall_clock_percent"] = None
    if sb["mean"] and se["mean"] is not None:
        c["wall_clock_percent"] = (se["mean"] - sb["mean"]) / sb["mean"] * 100
    c["p_exp_gt_base"] = None
    if b and e:
        c["p_exp_gt_base"] = float(stats.mannwhitneyu(e, b).statistic) / (len(e) * len(b))
    c["scipy_bootstrap_ci"] = None
    c["bootstrap_tolerance"] = 0.0
    c["own_bootstrap_ci"] = own_bootstrap(b, e) if len(b) >= 2 and len(e) >= 2 else None
    if len(b) >= 2 and len(e) >= 2 and (np.var(b) > 0 or np.var(e) > 0):
        ci = scipy_bootstrap(b, e, 1)
        spread = 0.0  # other random streams show the Monte Carlo spread of the endpoints
        for seed in range(2, 7):
            other = scipy_bootstrap(b, e, seed)
            spread = max(spread, abs(ci[0] - other[0]), abs(ci[1] - other[1]))
        c["scipy_bootstrap_ci"] = ci
        c["bootstrap_tolerance"] = max(2 * spread, 0.1 * (ci[1] - ci[0]))
    return c


def holm(p):
    m = len(p)
    order = sorted(range(m), key=lambda i: p[i])
    out, running = [0.0] * m, 0.0
    for k, i in enumerate(order):
        running = max(running, min(1.0, (m - k) * p[i]))
        out[i] = running
    return out


def distribution_grids():
    tvals = [-40.0, -7.5, -2.5, -1.0, -0.3, 0.0, 0.7, 1.96, 4.0, 12.0]
    pvals = [1e-12, 1e-6, 0.001, 0.025, 0.1, 0.3, 0.5, 0.8, 0.975, 0.999]
    ncps = [-3.0, -0.5, 0.5, 1.0, 2.5, 6.0, 15.0, 38.0]
    nct_t = [-4.0, -1.0, 0.0, 0.5, 1.0, 2.5, 5.0, 20.0, 45.0]
    dfs = DFS + [0.5, 2.5, 10000.0]
    g = {"t_cdf": [], "t_quantile": [], "nct_cdf": [], "power": []}
    for df in dfs:
        for t in tvals:
            g["t_cdf"].append([float(df), t, float(stats.t.cdf(t, df)), float(2 * stats.t.sf(abs(t), df))])
        for p in pvals:
            g["t_quantile"].append([float(df), p, t_ppf(p, df)])
    for df in DFS:
        for ncp in ncps:
            for t in nct_t:
                g["nct_cdf"].append([float(df), t, ncp, float(stats.nct.cdf(t, df, ncp))])
    for d in [0.05, 0.3, 0.8, 1.5, 4.0, 25.0]:
        for n in [2, 3, 5, 20, 100, 2000]:
            g["power"].append([d, n, float(power(d, n))])
    return g


def cpp(x):
    if x is None:
        return "std::nullopt"
    if isinstance(x, str):
        return json.dumps(x, ensure_ascii=False)
    if isinstance(x, bool):
        return "true" if x else "false"
    if isinstance(x, int):
        return str(x)
    if math.isnan(x):
        return "k_nan"
    if math.isinf(x):
        return "k_inf" if x > 0 else "-k_inf"
    return repr(float(x))


def cpp_list(v):
    return "{" + ", ".join(cpp(x) for x in v) + "}"


def cpp_pair(p):
    return "std::nullopt" if p is None else f"std::pair{{{cpp(p[0])}, {cpp(p[1])}}}"


def cpp_arm(s):
    return (f"{{.n = {s['n']}, .excluded = {s['excluded']}, .mean = {cpp(s['mean'])}, .std = {cpp(s['std'])}, "
            f".min = {cpp(s['min'])}, .max = {cpp(s['max'])}, .ci95 = {cpp_pair(s['ci95'])}}}")


def cpp_case(c):
    fields = [
        f".name = {cpp(c['name'])}",
        f".base = {cpp_list(c['base'])}",
        f".exp = {cpp_list(c['exp'])}",
        f".goal = Goal::{c['goal']}",
        f".b = {cpp_arm(c['baseline'])}",
        f".e = {cpp_arm(c['experiment'])}",
        f".delta = {cpp(c['delta'])}",
        f".sigma_units = {cpp(c['sigma_units'])}",
        f".cohens_d = {cpp(c['cohens_d'])}",
        f".effect = {cpp(c['effect'] or '')}",
        f".welch_t = {cpp(c['welch_t'])}",
        f".welch_df = {cpp(c['welch_df'])}",
        f".welch_p = {cpp(c['welch_p'])}",
        f".seeds80 = {cpp(c['seeds_needed_80'])}",
        f".verdict = {cpp(c['verdict'])}",
        f".label = {cpp(c['label'])}",
        f".wall_pct = {cpp(c['wall_clock_percent'])}",
        f".p_exp_gt_base = {cpp(c['p_exp_gt_base'])}",
        f".scipy_boot = {cpp_pair(c['scipy_bootstrap_ci'])}",
        f".boot_tolerance = {cpp(c['bootstrap_tolerance'])}",
        f".own_boot = {cpp_pair(c['own_bootstrap_ci'])}",
    ]
    return "    {" + ",\n     ".join(fields) + "},\n"


def header():
    return (f"// Generated by scripts/stats_reference.py with scipy {scipy.__version__} and numpy {np.__version__}.\n"
            "// Do not edit: re-run the script. The row types are in reference_types.hpp.\n")


def write_cases(cases, holms):
    out = header() + "const std::vector<RefCase> k_ref_cases = {\n"
    out += "".join(cpp_case(c) for c in cases) + "};\n\n"
    out += "const std::vector<RefHolm> k_ref_holm = {\n"
    for h in holms:
        out += f"    {{{cpp_list(h['p'])}, {cpp_list(h['adjusted'])}}},\n"
    return out + "};\n"


GRID_FILES = {  # file: [(grid, row type, variable)]
    "reference_t.inc": [("t_cdf", "RefTCdf", "k_ref_t_cdf"), ("t_quantile", "RefTQuantile", "k_ref_t_quantile")],
    "reference_nct.inc": [("nct_cdf", "RefNctCdf", "k_ref_nct_cdf")],
    "reference_power.inc": [("power", "RefPower", "k_ref_power")],
}


def write_grid(g, tables):
    out = header()
    for key, typ, var in tables:
        out += f"const std::vector<{typ}> {var} = {{\n"
        out += "".join(f"    {cpp_list(r)},\n" for r in g[key]) + "};\n"
    return out


def json_safe(x):
    if isinstance(x, float) and not math.isfinite(x):
        return str(x)
    if isinstance(x, list):
        return [json_safe(v) for v in x]
    if isinstance(x, dict):
        return {k: json_safe(v) for k, v in x.items()}
    return x


def main():
    np.seterr(all="ignore")
    cases = [comparison(*c) for c in CASES]
    holms = [{"p": p, "adjusted": holm(p)} for p in HOLM]
    grids = distribution_grids()
    doc = {"generator": "scripts/stats_reference.py", "scipy": scipy.__version__, "numpy": np.__version__,
           "cases": cases, "holm": holms, "distributions": grids}
    (ROOT / "tests/fixtures/stats").mkdir(parents=True, exist_ok=True)
    (ROOT / "tests/fixtures/stats/reference.json").write_text(
        json.dumps(json_safe(doc), indent=1, ensure_ascii=False) + "\n")
    (ROOT / "tests/unit/stats/reference_cases.inc").write_text(write_cases(cases, holms))
    for name, tables in GRID_FILES.items():
        (ROOT / "tests/unit/stats" / name).write_text(write_grid(grids, tables))
    for c in cases:
        print(f"{c['name']:32} {c['verdict']:8} d={c['cohens_d']} p={c['welch_p']} n80={c['seeds_needed_80']}")


if __name__ == "__main__":
    main()
