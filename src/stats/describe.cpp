#include "seedrun/stats/describe.hpp"

#include "seedrun/stats/distributions.hpp"

#include <algorithm>
#include <cmath>

namespace seedrun::stats {
namespace {

// The mean, summed around the first value so that n equal values give exactly that value (a
// plain sum/n does not: (0.1 + 0.1 + 0.1)/3 = 0.10000000000000002, and σ would not be 0).
// Values near ±DBL_MAX can overflow the differences; then the terms are divided first.
double mean_of(const std::vector<double>& v, double lo, double hi) {
  auto n = static_cast<double>(v.size());
  double ref = v.front();
  double sum = 0;
  for (double x : v) {
    sum += x - ref;
  }
  double mean = ref + sum / n;
  if (!std::isfinite(mean)) {
    mean = 0;
    for (double x : v) {
      mean += x / n;
    }
  }
  return std::clamp(mean, lo, hi);
}

// Sample standard deviation by the two-pass formula, with the deviations divided by the
// largest one so that their squares neither overflow nor underflow (σ of {0, 1e-300} is not 0).
std::optional<double> sample_std(const std::vector<double>& v, double mean) {
  double scale = 0;
  for (double x : v) {
    scale = std::max(scale, std::fabs(x - mean));
  }
  double center = mean;
  double unit = scale;
  if (std::isinf(scale)) { // the deviations themselves overflow: work in units of max |x|
    unit = 0;
    for (double x : v) {
      unit = std::max(unit, std::fabs(x));
    }
    center = mean / unit;
  }
  double ss = 0;
  for (double x : v) {
    double dev = std::isinf(scale) ? x / unit - center : (x - center) / unit;
    ss += dev * dev;
  }
  double sd = unit * std::sqrt(ss / static_cast<double>(v.size() - 1));
  return std::isfinite(sd) ? std::optional<double>(sd) : std::nullopt;
}

} // namespace

std::vector<double> finite_values(std::span<const double> values) {
  std::vector<double> out;
  out.reserve(values.size());
  for (double v : values) {
    if (std::isfinite(v)) {
      out.push_back(v);
    }
  }
  return out;
}

Summary describe(std::span<const double> values) {
  Summary s;
  auto v = finite_values(values);
  s.excluded_nonfinite = values.size() - v.size();
  s.n = v.size();
  if (v.empty()) {
    return s;
  }
  auto [lo, hi] = std::minmax_element(v.begin(), v.end());
  s.min = *lo;
  s.max = *hi;
  s.mean = mean_of(v, *lo, *hi);
  if (v.size() >= 2) {
    s.std = *lo == *hi ? 0.0 : sample_std(v, *s.mean);
  }
  return s;
}

std::optional<std::pair<double, double>> mean_confidence_interval(std::span<const double> values, double level) {
  auto s = describe(values);
  if (s.n < 2 || !s.std || !(level > 0 && level < 1)) {
    return std::nullopt;
  }
  double t = student_t_quantile((1 + level) / 2, static_cast<double>(s.n - 1));
  double half = t * *s.std / std::sqrt(static_cast<double>(s.n));
  if (!std::isfinite(half) || !std::isfinite(*s.mean - half) || !std::isfinite(*s.mean + half)) {
    return std::nullopt;
  }
  return std::make_pair(*s.mean - half, *s.mean + half);
}

std::optional<std::pair<double, double>> mean_ci95(std::span<const double> values) {
  return mean_confidence_interval(values, 0.95);
}

} // namespace seedrun::stats
