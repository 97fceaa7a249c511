#include "seedrun/stats/stats.hpp"

#include <algorithm>
#include <cmath>

namespace seedrun::stats {

std::vector<double> finite_values(std::span<const double> values) {
  std::vector<double> out;
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
  double sum = 0;
  for (double x : v) {
    sum += x;
  }
  double mean = sum / static_cast<double>(v.size());
  s.mean = mean;
  s.min = *std::min_element(v.begin(), v.end());
  s.max = *std::max_element(v.begin(), v.end());
  if (v.size() >= 2) {
    double ss = 0;
    for (double x : v) {
      ss += (x - mean) * (x - mean);
    }
    s.std = std::sqrt(ss / static_cast<double>(v.size() - 1));
  }
  return s;
}

std::optional<std::pair<double, double>> mean_ci95(std::span<const double> values) {
  auto s = describe(values);
  if (s.n < 2) {
    return std::nullopt;
  }
  double half = student_t_quantile(0.975, static_cast<double>(s.n - 1)) * *s.std / std::sqrt(static_cast<double>(s.n));
  return std::make_pair(*s.mean - half, *s.mean + half);
}

} // namespace seedrun::stats
