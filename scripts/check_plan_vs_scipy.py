#!/usr/bin/python3
"""Cross-checks `seedrun plan --json` against scipy's noncentral t on random cases nobody wrote.

    /usr/bin/python3 scripts/check_plan_vs_scipy.py build/release/seedrun [N] [SEED]

Each case draws σ, an effect, seed counts per arm, α and the power, writes a seedrun.yaml with
those seed counts and α, and compares seedrun's seeds per arm (exactly), and the smallest
detectable effect of the configured seeds, with and without the extension seeds (to 1e-5 σ),
with scipy. Exits 1 on the first disagreement.
"""
import json, math, os, random, subprocess, sys, tempfile

from scipy import optimize, stats


def power(d, n1, n2, alpha):
    df = n1 + n2 - 2
    ncp = abs(d) * math.sqrt(n1 * n2 / (n1 + n2))
    t = stats.t.ppf(1 - alpha / 2, df)
    return 1 - stats.nct.cdf(t, df, ncp) + stats.nct.cdf(-t, df, ncp)


def needed(d, target, alpha):
    n = 2
    while power(d, n, n, alpha) < target:
        n += 1 if n < 64 else max(1, n // 64)
        if n > 10000:
            return None
    # the step above may overshoot past 64: walk back to the smallest n
    while n > 2 and power(d, n - 1, n - 1, alpha) >= target:
        n -= 1
    return n


def detectable(n1, n2, target, alpha):
    return optimize.brentq(lambda d: power(d, n1, n2, alpha) - target, 1e-9, 100, xtol=1e-12)


def main():
    binary = sys.argv[1]
    cases = int(sys.argv[2]) if len(sys.argv) > 2 else 40
    seed = int(sys.argv[3]) if len(sys.argv) > 3 else random.SystemRandom().randrange(1 << 30)
    rng = random.Random(seed)
    print(f"case seed {seed}")
    with tempfile.TemporaryDirectory() as work:
        for i in range(cases):
            sigma = 10 ** rng.uniform(-4, 1)
            d_want = rng.uniform(0.15, 4.0)
            effect = d_want * sigma * rng.choice([1, -1])
            n_base, n_exp, n_ext = rng.randint(2, 12), rng.randint(2, 10), rng.randint(0, 6)
            alpha = rng.choice([0.01, 0.05, 0.1, rng.uniform(0.005, 0.2)])
            target = rng.choice([0.8, 0.8, 0.9, rng.uniform(0.5, 0.95)])
            seeds = list(range(1, 100))
            rng.shuffle(seeds)
            with open(os.path.join(work, "seedrun.yaml"), "w") as f:
                f.write('command: ["train", "{seed}"]\n')
                f.write(f"seeds: {{baseline: {seeds[:n_base]}, experiment: {seeds[:n_exp]}, "
                        f"extension: {seeds[50:50 + max(n_ext, 1)]}}}\n")
                f.write(f"verdict: {{alpha: {alpha!r}}}\n")
            # no extension seeds is written as one (seeds.extension may not be empty); seeds[50:] never
            # meets seeds[:n_exp], which a fixed fallback seed could (the config refuses the overlap)
            n_ext = n_ext or 1
            out = subprocess.run([binary, "plan", "--sigma", repr(sigma), "--effect", repr(effect), "--power",
                                  repr(target), "--json"], cwd=work, capture_output=True, text=True, check=True)
            got = json.loads(out.stdout)
            want_n = needed(abs(effect) / sigma, target, alpha)
            d_now = detectable(n_base, n_exp, target, alpha)
            d_ext = detectable(n_base, n_exp + n_ext, target, alpha)
            where = f"case {i}: sigma {sigma}, effect {effect}, seeds {n_base}/{n_exp}+{n_ext}, alpha {alpha}, power {target}"
            if got["seeds_per_arm"] != want_n:
                sys.exit(f"{where}: seeds per arm seedrun {got['seeds_per_arm']} vs scipy {want_n}")
            for key, want in (("detectable_effect_sigma", d_now), ("detectable_effect_sigma_with_extension", d_ext)):
                if abs(got[key] - want) > 1e-5:
                    sys.exit(f"{where}: {key} seedrun {got[key]} vs scipy {want}")
            if abs(got["detectable_effect"] - d_now * sigma) > 1e-5 * sigma:
                sys.exit(f"{where}: detectable_effect seedrun {got['detectable_effect']} vs scipy {d_now * sigma}")
            if abs(got["effect_sigma"] - abs(effect) / sigma) > 1e-9 * abs(effect) / sigma:
                sys.exit(f"{where}: effect_sigma seedrun {got['effect_sigma']} vs {abs(effect) / sigma}")
    print(f"ok: {cases} cases agree with scipy (seeds per arm exactly, detectable effects to 1e-5 sigma)")


if __name__ == "__main__":
    main()
