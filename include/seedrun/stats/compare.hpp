#pragma once
// Everything the experiment report says about one metric, in one call.
#include "seedrun/stats/describe.hpp"
#include "seedrun/stats/effect.hpp"
#include "seedrun/stats/verdict.hpp"

#include <optional>
#include <span>
#include <string>
#include <utility>

namespace seedrun::stats {

// The seed's numbers (Summaries, Δ, Δ in σ_base, Cohen's d and its class, the verdict) and
// the ones beyond the seed (Welch's p, the bootstrap 95% CI of Δ, seeds per arm for 80% power
// at the observed |d|). Every optional is nullopt exactly when its value is undefined.
struct Comparison {
  Summary baseline, experiment;
  std::optional<double> delta;       // μ_exp − μ_base
  std::optional<double> sigma_units; // Δ / σ_base (see VerdictResult)
  std::optional<double> cohens_d;
  std::optional<EffectClass> effect;
  std::optional<double> welch_p;
  std::optional<std::pair<double, double>> ci95; // bootstrap, seed k_bootstrap_seed
  std::optional<int> seeds_needed_80;
  double seeds_needed_alpha = 0.05; // the two-sided α of seeds_needed_80 (assess() sets the configured one)
  Verdict verdict = Verdict::neutral;
  std::string label;
};

// Compare the metric values of two arms (non-finite values are left out and counted).
Comparison compare(std::span<const double> base, std::span<const double> exp, Goal goal);

} // namespace seedrun::stats
