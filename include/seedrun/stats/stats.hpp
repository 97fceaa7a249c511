#pragma once
// The statistics of the seedrun method (docs/method.md), as pure functions without I/O.
// Every value that can be undefined (σ with n < 2, d with σ_pooled = 0, ...) is a
// std::optional: callers print a word and write JSON null, never NaN. Non-finite inputs are
// excluded and counted.
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace seedrun::stats {

struct Summary {
  size_t n = 0;
  std::optional<double> mean, std, min, max; // std: sample (n−1), needs n ≥ 2
  size_t excluded_nonfinite = 0;
};

Summary describe(std::span<const double> values);

enum class Goal { minimize, maximize };
enum class EffectClass { negligible, small, medium, large };
enum class Verdict { winner, neutral, loser };

std::string_view to_string(EffectClass e); // "negligible" "small" "medium" "large"
std::string_view to_string(Verdict v);     // "WINNER" "NEUTRAL" "LOSER"

// d = (μ_exp − μ_base) / sqrt((σ_base² + σ_exp²) / 2), the seed's pooled σ.
std::optional<double> cohens_d(const Summary& base, const Summary& exp);
EffectClass classify_effect(double d); // on |d|: < 0.2, < 0.5, < 0.8, ≥ 0.8

struct VerdictResult {
  Verdict verdict = Verdict::neutral;
  std::string label;
  std::optional<double> sigma_units; // Δ / σ_base, signed
};

// The seed's 1σ/2σ rule: WINNER when the improvement is ≥ 2σ_base, LOSER when it is ≤ −2σ_base,
// NEUTRAL otherwise ("suggestive but inconclusive" from 1σ, "noise" below). Undefined σ (n < 2
// or σ = 0) or an empty experiment gives NEUTRAL with an "inconclusive: ..." label.
VerdictResult judge(const Summary& base, const Summary& exp, Goal goal);

// The extension rule: |Δ| < 2σ_base. False when σ_base is undefined or zero, or the experiment
// has no value (more experiment seeds cannot fix that).
bool needs_extension(const Summary& base, const Summary& exp);

// (μ_exp − μ_base) / μ_base × 100.
std::optional<double> wall_clock_percent(const Summary& base, const Summary& exp);

// Welch's unequal-variance t-test, two-sided p-value. Undefined when an arm has n < 2 or
// both variances are zero.
std::optional<double> welch_p_value(std::span<const double> a, std::span<const double> b);

// Percentile bootstrap CI of μ_exp − μ_base: each arm resampled with replacement. The RNG is
// splitmix64 seeded with `seed`, so the interval is the same on every machine. Needs n ≥ 2 in
// both arms.
std::optional<std::pair<double, double>> bootstrap_ci_delta(std::span<const double> base, std::span<const double> exp,
                                                            uint64_t seed = 20240601, int resamples = 10000,
                                                            double level = 0.95);

// Smallest n per arm (equal arms) at which a two-sided two-sample t-test at `alpha` reaches
// `power` for effect size |d|: df = 2n − 2, ncp = |d|·sqrt(n/2). nullopt for d = 0 or beyond
// 100000 seeds.
std::optional<int> seeds_needed_for_power(double d, double power = 0.8, double alpha = 0.05);
double t_test_power(double d, int n_per_arm, double alpha = 0.05);

// Distributions.
double regularized_incomplete_beta(double a, double b, double x);
double student_t_cdf(double t, double df);
double student_t_quantile(double p, double df);
double noncentral_t_cdf(double t, double df, double ncp);

// P(X > Y) estimated as U / (nx·ny) (Mann–Whitney U; ties count ½). 0.5 when an arm is empty.
double probability_of_improvement(std::span<const double> x, std::span<const double> y);
// Holm–Bonferroni adjusted p-values (same order as given), monotone and capped at 1.
std::vector<double> holm_bonferroni(std::span<const double> p_values);
// Student-t 95% confidence interval of a mean; needs n ≥ 2.
std::optional<std::pair<double, double>> mean_ci95(std::span<const double> values);

struct Comparison {
  Summary baseline, experiment;
  std::optional<double> delta, sigma_units, cohens_d;
  std::optional<EffectClass> effect;
  std::optional<double> welch_p;
  std::optional<std::pair<double, double>> ci95;
  std::optional<int> seeds_needed_80;
  Verdict verdict = Verdict::neutral;
  std::string label;
};

Comparison compare(std::span<const double> base, std::span<const double> exp, Goal goal);

} // namespace seedrun::stats
