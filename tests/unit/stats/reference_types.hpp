#pragma once
// The row types of the generated reference tables (scripts/stats_reference.py writes
// reference_cases.inc and reference_distributions.inc), and the closeness check they use.
#include "seedrun/stats/verdict.hpp"

#include <cmath>
#include <cstddef>
#include <limits>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace stats_ref {

using seedrun::stats::Goal;

inline constexpr double k_nan = std::numeric_limits<double>::quiet_NaN();
inline constexpr double k_inf = std::numeric_limits<double>::infinity();

struct RefArm {
  size_t n = 0;
  size_t excluded = 0;
  std::optional<double> mean, std, min, max;
  std::optional<std::pair<double, double>> ci95;
};

struct RefCase {
  std::string name;
  std::vector<double> base, exp;
  Goal goal = Goal::minimize;
  RefArm b, e;
  std::optional<double> delta, sigma_units, cohens_d;
  std::string effect; // "" when d is undefined
  std::optional<double> welch_t, welch_df, welch_p;
  std::optional<int> seeds80;
  std::string verdict;
  std::string label;
  std::optional<double> wall_pct, p_exp_gt_base;
  std::optional<std::pair<double, double>> scipy_boot;
  double boot_tolerance = 0;
  std::optional<std::pair<double, double>> own_boot; // our algorithm, replayed in Python
};

struct RefHolm {
  std::vector<double> p, adjusted;
};

struct RefTCdf {
  double df, t, cdf, two_sided_p;
};

struct RefTQuantile {
  double df, p, quantile;
};

struct RefNctCdf {
  double df, t, ncp, cdf;
};

struct RefPower {
  double d, n, power;
};

// |got − want| ≤ max(abs_tol, rel_tol·|want|).
inline bool close(double got, double want, double rel_tol, double abs_tol) {
  return std::fabs(got - want) <= std::max(abs_tol, rel_tol * std::fabs(want));
}

} // namespace stats_ref
