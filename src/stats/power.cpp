#include "seedrun/stats/power.hpp"

#include "seedrun/stats/distributions.hpp"

#include <cmath>
#include <limits>

namespace seedrun::stats {

double t_test_power(double d, int n_per_arm, double alpha) {
  if (n_per_arm < 2 || !(alpha > 0 && alpha < 1) || !std::isfinite(d)) {
    return std::numeric_limits<double>::quiet_NaN();
  }
  double df = 2.0 * n_per_arm - 2;
  double ncp = std::fabs(d) * std::sqrt(n_per_arm / 2.0);
  double tcrit = -student_t_quantile(alpha / 2, df); // the lower tail is the precise one
  return 1 - noncentral_t_cdf(tcrit, df, ncp) + noncentral_t_cdf(-tcrit, df, ncp);
}

std::optional<int> seeds_needed_for_power(double d, double power, double alpha) {
  if (!std::isfinite(d) || d == 0 || !(power > 0 && power < 1) || !(alpha > 0 && alpha < 1)) {
    return std::nullopt;
  }
  auto enough = [&](int n) { return t_test_power(d, n, alpha) >= power; };
  if (enough(2)) {
    return 2;
  }
  // Power grows with n: double until enough, then bisect; lo is always too few.
  int lo = 2;
  int hi = 4;
  while (!enough(hi)) {
    if (hi >= k_max_seeds_per_arm) {
      return std::nullopt;
    }
    lo = hi;
    hi = std::min(hi * 2, k_max_seeds_per_arm);
  }
  while (hi - lo > 1) {
    int mid = lo + (hi - lo) / 2;
    (enough(mid) ? hi : lo) = mid;
  }
  return hi;
}

} // namespace seedrun::stats
