#pragma once
// Power of the two-sided two-sample t-test with equal arms, and the seeds per arm needed to
// detect an observed effect size: "how many seeds would this take?".

#include <optional>

namespace seedrun::stats {

// Power at effect size d with n_per_arm seeds per arm: df = 2n − 2, ncp = |d|·sqrt(n/2),
// t_c the 1 − α/2 quantile, power = 1 − F(t_c) + F(−t_c) with F the noncentral t CDF.
// NaN unless n_per_arm ≥ 2, 0 < alpha < 1 and d is finite.
double t_test_power(double d, int n_per_arm, double alpha = 0.05);

inline constexpr int k_max_seeds_per_arm = 10000;

// The smallest n ≥ 2 per arm with t_test_power(d, n, alpha) ≥ power. nullopt when d is 0 or
// not finite, power or alpha is outside (0, 1), or more than k_max_seeds_per_arm would be
// needed.
std::optional<int> seeds_needed_for_power(double d, double power = 0.8, double alpha = 0.05);

} // namespace seedrun::stats
