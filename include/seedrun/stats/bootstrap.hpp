#pragma once
// The percentile bootstrap of Δ = mean(exp) − mean(base), reproducible on every platform: the
// random numbers come from splitmix64 and unbiased integer rejection, never from std::
// distributions (whose algorithms differ between standard libraries).
#include <cstdint>
#include <optional>
#include <span>
#include <utility>

namespace seedrun::stats {

// splitmix64 (Steele, Lea & Flood 2014): a 64-bit generator with a fixed, documented output
// sequence for every seed.
class SplitMix64 {
public:
  explicit SplitMix64(uint64_t seed) : m_state(seed) {}
  // The next 64 random bits.
  uint64_t next();
  // A uniform integer in [0, n), n ≥ 1, without modulo bias.
  uint64_t below(uint64_t n);

private:
  uint64_t m_state;
};

inline constexpr uint64_t k_bootstrap_seed = 20240601;

// Percentile CI at `level` of mean(exp) − mean(base): each of `resamples` rounds draws both
// arms with replacement (baseline first) and the interval is the (1 ∓ level)/2 percentiles of
// the differences, interpolated linearly as numpy does. Non-finite values are left out.
// nullopt when an arm has fewer than 2 values, resamples < 2 or level is outside (0, 1).
std::optional<std::pair<double, double>> bootstrap_ci_delta(std::span<const double> base, std::span<const double> exp,
                                                            uint64_t seed = k_bootstrap_seed, int resamples = 10000,
                                                            double level = 0.95);

} // namespace seedrun::stats
