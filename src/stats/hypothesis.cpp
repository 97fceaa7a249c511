#include "seedrun/stats/hypothesis.hpp"

#include "seedrun/stats/describe.hpp"
#include "seedrun/stats/distributions.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace seedrun::stats {

std::optional<WelchTest> welch_t_test(std::span<const double> a_in, std::span<const double> b_in) {
  auto a = describe(a_in);
  auto b = describe(b_in);
  if (!a.std || !b.std) {
    return std::nullopt;
  }
  auto na = static_cast<double>(a.n);
  auto nb = static_cast<double>(b.n);
  double va = *a.std * *a.std / na; // squared standard errors
  double vb = *b.std * *b.std / nb;
  double se2 = va + vb;
  if (!(se2 > 0) || !std::isfinite(se2)) {
    return std::nullopt;
  }
  WelchTest w;
  w.t = (*a.mean - *b.mean) / std::sqrt(se2);
  // (va + vb)² / (va²/(na − 1) + vb²/(nb − 1)), written as ratios so that nothing underflows.
  double fa = va / se2;
  double fb = vb / se2;
  w.df = 1 / (fa * fa / (na - 1) + fb * fb / (nb - 1));
  w.p = student_t_two_sided_p(w.t, w.df);
  if (!std::isfinite(w.t) || !std::isfinite(w.p)) {
    return std::nullopt;
  }
  return w;
}

std::optional<double> welch_p_value(std::span<const double> a, std::span<const double> b) {
  auto w = welch_t_test(a, b);
  return w ? std::optional<double>(w->p) : std::nullopt;
}

std::optional<double> probability_of_improvement(std::span<const double> x_in, std::span<const double> y_in) {
  auto x = finite_values(x_in);
  auto y = finite_values(y_in);
  if (x.empty() || y.empty()) {
    return std::nullopt;
  }
  double u = 0;
  for (double a : x) {
    for (double b : y) {
      u += a > b ? 1.0 : (a == b ? 0.5 : 0.0);
    }
  }
  return u / (static_cast<double>(x.size()) * static_cast<double>(y.size()));
}

std::vector<double> holm_bonferroni(std::span<const double> p_in) {
  std::vector<double> p(p_in.begin(), p_in.end());
  for (double& v : p) {
    v = std::isnan(v) ? 1.0 : std::clamp(v, 0.0, 1.0);
  }
  std::vector<size_t> order(p.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return p[a] < p[b]; });
  std::vector<double> adjusted(p.size());
  double running = 0;
  for (size_t k = 0; k < order.size(); ++k) {
    double v = std::min(1.0, static_cast<double>(p.size() - k) * p[order[k]]);
    running = std::max(running, v);
    adjusted[order[k]] = running;
  }
  return adjusted;
}

} // namespace seedrun::stats
