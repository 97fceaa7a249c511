// Hypothesis tests, resampling and power.
#include "seedrun/stats/stats.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace seedrun::stats {

std::vector<double> finite_values(std::span<const double> values);

namespace {

// splitmix64: tiny, fast, and identical on every platform (std:: distributions are not).
struct SplitMix64 {
  uint64_t state;
  uint64_t next() {
    uint64_t z = (state += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }
  size_t below(size_t n) { return static_cast<size_t>((next() >> 11) * 0x1.0p-53 * static_cast<double>(n)); }
};

double resampled_mean(const std::vector<double>& v, SplitMix64& rng) {
  double sum = 0;
  for (size_t i = 0; i < v.size(); ++i) {
    sum += v[rng.below(v.size())];
  }
  return sum / static_cast<double>(v.size());
}

// numpy's default (linear) percentile of sorted data.
double percentile(const std::vector<double>& sorted, double q) {
  double pos = q * static_cast<double>(sorted.size() - 1);
  auto lo = static_cast<size_t>(std::floor(pos));
  size_t hi = std::min(lo + 1, sorted.size() - 1);
  return sorted[lo] + (pos - static_cast<double>(lo)) * (sorted[hi] - sorted[lo]);
}

} // namespace

std::optional<double> welch_p_value(std::span<const double> a_in, std::span<const double> b_in) {
  auto a = describe(a_in);
  auto b = describe(b_in);
  if (!a.std || !b.std) {
    return std::nullopt;
  }
  double va = *a.std * *a.std / static_cast<double>(a.n);
  double vb = *b.std * *b.std / static_cast<double>(b.n);
  double se2 = va + vb;
  if (!(se2 > 0)) {
    return std::nullopt;
  }
  double t = (*a.mean - *b.mean) / std::sqrt(se2);
  double df = se2 * se2 / (va * va / static_cast<double>(a.n - 1) + vb * vb / static_cast<double>(b.n - 1));
  double p = regularized_incomplete_beta(df / 2, 0.5, df / (df + t * t));
  return std::min(1.0, p);
}

std::optional<std::pair<double, double>> bootstrap_ci_delta(std::span<const double> base_in,
                                                            std::span<const double> exp_in, uint64_t seed,
                                                            int resamples, double level) {
  auto base = finite_values(base_in);
  auto exp = finite_values(exp_in);
  if (base.size() < 2 || exp.size() < 2 || resamples < 2) {
    return std::nullopt;
  }
  SplitMix64 rng{seed};
  std::vector<double> diffs(static_cast<size_t>(resamples));
  for (auto& d : diffs) {
    double mb = resampled_mean(base, rng);
    double me = resampled_mean(exp, rng);
    d = me - mb;
  }
  std::sort(diffs.begin(), diffs.end());
  double tail = (1 - level) / 2;
  return std::make_pair(percentile(diffs, tail), percentile(diffs, 1 - tail));
}

double t_test_power(double d, int n, double alpha) {
  double df = 2.0 * n - 2;
  double ncp = std::fabs(d) * std::sqrt(n / 2.0);
  double tcrit = student_t_quantile(1 - alpha / 2, df);
  return 1 - noncentral_t_cdf(tcrit, df, ncp) + noncentral_t_cdf(-tcrit, df, ncp);
}

std::optional<int> seeds_needed_for_power(double d, double power, double alpha) {
  constexpr int k_max = 100000;
  if (!std::isfinite(d) || d == 0) {
    return std::nullopt;
  }
  if (t_test_power(d, 2, alpha) >= power) {
    return 2;
  }
  int hi = 4;
  while (t_test_power(d, hi, alpha) < power) {
    if (hi >= k_max) {
      return std::nullopt;
    }
    hi = std::min(hi * 2, k_max);
  }
  int lo = hi / 2; // power(lo) < target ≤ power(hi); power grows with n
  while (hi - lo > 1) {
    int mid = lo + (hi - lo) / 2;
    (t_test_power(d, mid, alpha) >= power ? hi : lo) = mid;
  }
  return hi;
}

double probability_of_improvement(std::span<const double> x_in, std::span<const double> y_in) {
  auto x = finite_values(x_in);
  auto y = finite_values(y_in);
  if (x.empty() || y.empty()) {
    return 0.5;
  }
  double u = 0;
  for (double a : x) {
    for (double b : y) {
      u += a > b ? 1.0 : (a == b ? 0.5 : 0.0);
    }
  }
  return u / (static_cast<double>(x.size()) * static_cast<double>(y.size()));
}

std::vector<double> holm_bonferroni(std::span<const double> p) {
  std::vector<size_t> order(p.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return p[a] < p[b]; });
  std::vector<double> adj(p.size());
  double running = 0;
  for (size_t k = 0; k < order.size(); ++k) {
    double v = std::min(1.0, static_cast<double>(p.size() - k) * p[order[k]]);
    running = std::max(running, v);
    adj[order[k]] = running;
  }
  return adj;
}

} // namespace seedrun::stats
