#pragma once
// Hypothesis tests and rank statistics that inform beside the seed's rule: Welch's t-test,
// the Mann–Whitney probability of improvement, and Holm–Bonferroni for many comparisons.
// Non-finite inputs are left out (as describe() does); undefined results are nullopt.
#include <optional>
#include <span>
#include <vector>

namespace seedrun::stats {

// Welch's unequal-variance t-test of mean(a) − mean(b).
struct WelchTest {
  double t = 0;  // (mean_a − mean_b) / sqrt(s_a²/n_a + s_b²/n_b)
  double df = 0; // Welch–Satterthwaite degrees of freedom
  double p = 1;  // two-sided p-value
};

// nullopt when an arm has fewer than 2 finite values or both variances are 0 (scipy gives
// NaN there).
std::optional<WelchTest> welch_t_test(std::span<const double> a, std::span<const double> b);

// welch_t_test(a, b)->p.
std::optional<double> welch_p_value(std::span<const double> a, std::span<const double> b);

// P(X > Y) estimated as U / (n_x·n_y), U the Mann–Whitney statistic of x (ties count ½).
// nullopt when an arm has no finite value.
std::optional<double> probability_of_improvement(std::span<const double> x, std::span<const double> y);

// Holm–Bonferroni adjusted p-values, in the order given: sorted ascending, p_(i) times
// (m − i + 1), made monotone and capped at 1. NaN inputs count as 1 and values are clamped to
// [0, 1], so the output never holds NaN.
std::vector<double> holm_bonferroni(std::span<const double> p_values);

} // namespace seedrun::stats
