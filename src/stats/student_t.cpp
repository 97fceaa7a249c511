// Student's t distribution through the incomplete beta function:
// P(|T| ≥ |t|) = I_x(df/2, ½) with x = df / (df + t²).
#include "seedrun/stats/distributions.hpp"
#include "seedrun/stats/special_functions.hpp"

#include <cmath>
#include <limits>
#include <utility>

namespace seedrun::stats {
namespace {

constexpr double k_nan = std::numeric_limits<double>::quiet_NaN();
constexpr double k_inf = std::numeric_limits<double>::infinity();

// x = df / (df + t²) and y = t² / (df + t²), each without overflow or cancellation.
std::pair<double, double> beta_arguments(double t, double df) {
  double at = std::fabs(t);
  if (at * at > df) {
    double r = (df / at) / at;
    return {r / (1 + r), 1 / (1 + r)};
  }
  double r = at * at / df;
  return {1 / (1 + r), r / (1 + r)};
}

// P(T ≤ −|u|) for finite u, df > 0.
double lower_tail(double u, double df) {
  if (std::isinf(df)) {
    return normal_cdf(-std::fabs(u));
  }
  auto [x, y] = beta_arguments(u, df);
  return 0.5 * regularized_incomplete_beta(df / 2, 0.5, x, y);
}

// The u ≥ 0 with P(T ≤ −u) = p, for 0 < p < ½: the tail decreases in u, so bisect.
double lower_quantile_magnitude(double p, double df) {
  double lo = 0;
  double hi = 1;
  while (lower_tail(hi, df) > p) {
    lo = hi;
    hi *= 2;
    if (std::isinf(hi)) {
      return k_inf;
    }
  }
  for (int i = 0; i < 2000; ++i) {
    double mid = lo + (hi - lo) / 2;
    if (mid <= lo || mid >= hi) {
      break; // adjacent doubles: as precise as a double can be
    }
    (lower_tail(mid, df) > p ? lo : hi) = mid;
  }
  return lo + (hi - lo) / 2;
}

} // namespace

double student_t_cdf(double t, double df) {
  if (std::isnan(t) || !(df > 0)) {
    return k_nan;
  }
  if (std::isinf(t)) {
    return t > 0 ? 1 : 0;
  }
  double tail = lower_tail(t, df);
  return t > 0 ? 1 - tail : tail;
}

double student_t_two_sided_p(double t, double df) {
  if (std::isnan(t) || !(df > 0)) {
    return k_nan;
  }
  if (std::isinf(t)) {
    return 0;
  }
  return std::min(1.0, 2 * lower_tail(t, df));
}

double student_t_quantile(double p, double df) {
  if (std::isnan(p) || !(df > 0) || p < 0 || p > 1) {
    return k_nan;
  }
  if (p == 0) {
    return -k_inf;
  }
  if (p == 1) {
    return k_inf;
  }
  if (p == 0.5) {
    return 0;
  }
  if (p > 0.5) {
    return lower_quantile_magnitude(1 - p, df); // 1 − p is exact for p ≥ ½
  }
  return -lower_quantile_magnitude(p, df);
}

} // namespace seedrun::stats
