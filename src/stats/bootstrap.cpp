#include "seedrun/stats/bootstrap.hpp"

#include "seedrun/stats/describe.hpp"

#include <algorithm>
#include <cmath>
#include <vector>

namespace seedrun::stats {

uint64_t SplitMix64::next() {
  uint64_t z = (m_state += 0x9E3779B97F4A7C15ULL);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

uint64_t SplitMix64::below(uint64_t n) {
  // Reject the lowest (2^64 mod n) values so that every residue is equally likely.
  uint64_t threshold = (0 - n) % n;
  for (;;) {
    uint64_t r = next();
    if (r >= threshold) {
      return r % n;
    }
  }
}

namespace {

// Mean of one resample, summed as deviations from `center` (the arm's mean) so that the
// sums stay small and cannot overflow for any finite data of sane range.
double resampled_mean(const std::vector<double>& v, double center, SplitMix64& rng) {
  double sum = 0;
  for (size_t i = 0; i < v.size(); ++i) {
    sum += v[rng.below(v.size())] - center;
  }
  return center + sum / static_cast<double>(v.size());
}

// numpy's default ("linear") percentile of sorted data, q in [0, 1]. The product and the sum
// are separate statements so that no compiler fuses them into an FMA (clang does within one
// expression by default), which would change the last bit on some machines.
double percentile(const std::vector<double>& sorted, double q) {
  double pos = q * static_cast<double>(sorted.size() - 1);
  auto lo = static_cast<size_t>(std::floor(pos));
  size_t hi = std::min(lo + 1, sorted.size() - 1);
  double step = (pos - static_cast<double>(lo)) * (sorted[hi] - sorted[lo]);
  return sorted[lo] + step;
}

} // namespace

std::optional<std::pair<double, double>> bootstrap_ci_delta(std::span<const double> base_in,
                                                            std::span<const double> exp_in, uint64_t seed,
                                                            int resamples, double level) {
  auto base = finite_values(base_in);
  auto exp = finite_values(exp_in);
  if (base.size() < 2 || exp.size() < 2 || resamples < 2 || !(level > 0 && level < 1)) {
    return std::nullopt;
  }
  double base_center = *describe(base).mean;
  double exp_center = *describe(exp).mean;
  SplitMix64 rng(seed);
  std::vector<double> diffs(static_cast<size_t>(resamples));
  for (auto& d : diffs) {
    double mb = resampled_mean(base, base_center, rng);
    double me = resampled_mean(exp, exp_center, rng);
    d = me - mb;
    if (!std::isfinite(d)) {
      return std::nullopt;
    }
  }
  std::sort(diffs.begin(), diffs.end());
  double tail = (1 - level) / 2;
  return std::make_pair(percentile(diffs, tail), percentile(diffs, 1 - tail));
}

} // namespace seedrun::stats
