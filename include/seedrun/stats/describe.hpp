#pragma once
// Descriptive statistics of one arm: the numbers of the seed's "Baseline Statistics" table.
// Pure functions without I/O. Non-finite inputs (NaN, ±inf) are left out and counted; every
// statistic that the remaining values cannot define is nullopt, never NaN or inf.
#include <cstddef>
#include <optional>
#include <span>
#include <utility>
#include <vector>

namespace seedrun::stats {

// n, mean, sample standard deviation (n − 1 denominator), min and max of the finite values.
// mean/min/max need n ≥ 1 and std needs n ≥ 2; n equal values give a std of exactly 0.
// std is also nullopt in the absurd case that σ exceeds the largest double.
struct Summary {
  size_t n = 0;
  std::optional<double> mean, std, min, max;
  size_t excluded_nonfinite = 0; // NaN and ±inf values that were left out
};

// The finite values of `values`, in their order.
std::vector<double> finite_values(std::span<const double> values);

// Summary of the finite values of `values` (see Summary).
Summary describe(std::span<const double> values);

// Student-t confidence interval of the mean at `level` (0 < level < 1): mean ± t·s/√n with
// t the (1 + level)/2 quantile at n − 1 degrees of freedom. nullopt with fewer than 2 finite
// values or an invalid level. A zero σ gives the degenerate interval [mean, mean].
std::optional<std::pair<double, double>> mean_confidence_interval(std::span<const double> values, double level);

// mean_confidence_interval at 95%.
std::optional<std::pair<double, double>> mean_ci95(std::span<const double> values);

} // namespace seedrun::stats
