#include "seedrun/stats/compare.hpp"

#include "seedrun/stats/bootstrap.hpp"
#include "seedrun/stats/hypothesis.hpp"
#include "seedrun/stats/power.hpp"

#include <cmath>

namespace seedrun::stats {

Comparison compare(std::span<const double> base, std::span<const double> exp, Goal goal) {
  Comparison c;
  c.baseline = describe(base);
  c.experiment = describe(exp);
  if (c.baseline.mean && c.experiment.mean) {
    double delta = *c.experiment.mean - *c.baseline.mean;
    if (std::isfinite(delta)) {
      c.delta = delta;
    }
  }
  auto v = judge(c.baseline, c.experiment, goal);
  c.verdict = v.verdict;
  c.label = std::move(v.label);
  c.sigma_units = v.sigma_units;
  c.cohens_d = cohens_d(c.baseline, c.experiment);
  if (c.cohens_d) {
    c.effect = classify_effect(*c.cohens_d);
    c.seeds_needed_80 = seeds_needed_for_power(*c.cohens_d);
  }
  c.welch_p = welch_p_value(base, exp);
  c.ci95 = bootstrap_ci_delta(base, exp);
  return c;
}

} // namespace seedrun::stats
