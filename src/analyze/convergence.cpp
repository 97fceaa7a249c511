#include "seedrun/analyze/convergence.hpp"

#include <algorithm>
#include <cmath>
#include <fmt/format.h>
#include <limits>

namespace seedrun::analyze {
namespace {

std::vector<CurvePoint> finite_sorted(const std::vector<CurvePoint>& curve) {
  std::vector<CurvePoint> pts;
  for (const auto& p : curve) {
    if (std::isfinite(p.step) && std::isfinite(p.value)) {
      pts.push_back(p);
    }
  }
  std::stable_sort(pts.begin(), pts.end(), [](const CurvePoint& a, const CurvePoint& b) { return a.step < b.step; });
  return pts;
}

// The points in the last 10% of the step range, at least the last 3.
std::vector<CurvePoint> last_window(const std::vector<CurvePoint>& pts) {
  double first = pts.front().step;
  double last = pts.back().step;
  double from = last - 0.1 * (last - first);
  auto begin = std::find_if(pts.begin(), pts.end(), [&](const CurvePoint& p) { return p.step >= from; });
  auto count = static_cast<size_t>(pts.end() - begin);
  if (count < 3) {
    begin = pts.end() - 3;
  }
  return {begin, pts.end()};
}

} // namespace

Convergence assess_convergence(const std::vector<CurvePoint>& curve) {
  Convergence c;
  auto pts = finite_sorted(curve);
  c.points = pts.size();
  if (pts.size() < k_min_curve_points) {
    return c;
  }
  auto w = last_window(pts);
  c.window_points = w.size();
  auto n = static_cast<double>(w.size());
  double mx = 0;
  double my = 0;
  for (const auto& p : w) {
    mx += p.step / n;
    my += p.value / n;
  }
  double sxx = 0;
  double sxy = 0;
  for (const auto& p : w) {
    sxx += (p.step - mx) * (p.step - mx);
    sxy += (p.step - mx) * (p.value - my);
  }
  double slope = sxx > 0 ? sxy / sxx : 0;
  double sse = 0;
  for (const auto& p : w) {
    double r = p.value - (my + slope * (p.step - mx));
    sse += r * r;
  }
  double sd = std::sqrt(sse / (n - 2));
  double level = std::max(std::abs(my), std::numeric_limits<double>::min());
  c.relative_change = slope * (w.back().step - w.front().step) / level;
  c.relative_noise = sd / level;
  if (sd > 0 && sxx > 0) {
    c.slope_t = slope / (sd / std::sqrt(sxx));
  } else {
    c.slope_t = slope == 0 ? 0.0 : std::copysign(std::numeric_limits<double>::infinity(), slope);
  }
  if (*c.relative_noise >= k_oscillation_threshold) {
    c.status = ConvergenceStatus::oscillating;
  } else if (*c.relative_change <= -k_trend_threshold && *c.slope_t <= -k_trend_t) {
    c.status = ConvergenceStatus::still_falling;
  } else if (*c.relative_change >= k_trend_threshold && *c.slope_t >= k_trend_t) {
    c.status = ConvergenceStatus::rising;
  } else {
    c.status = ConvergenceStatus::converged;
  }
  return c;
}

std::string convergence_word(const Convergence& c) {
  switch (c.status) {
  case ConvergenceStatus::converged: return "Yes";
  case ConvergenceStatus::unknown: return "Unknown";
  default: return "No";
  }
}

std::string convergence_text(const Convergence& c) {
  switch (c.status) {
  case ConvergenceStatus::converged:
    return fmt::format("converged ({:+.1f}% over the last 10% of steps)", *c.relative_change * 100);
  case ConvergenceStatus::still_falling:
    return fmt::format("still falling ({:+.1f}% over the last 10% of steps)", *c.relative_change * 100);
  case ConvergenceStatus::rising:
    return fmt::format("rising ({:+.1f}% over the last 10% of steps)", *c.relative_change * 100);
  case ConvergenceStatus::oscillating:
    return fmt::format("oscillating (residual σ {:.1f}% of the loss level over the last 10% of steps)",
                       *c.relative_noise * 100);
  case ConvergenceStatus::unknown: break;
  }
  return fmt::format("unknown ({} finite point{}, {} needed)", c.points, c.points == 1 ? "" : "s", k_min_curve_points);
}

} // namespace seedrun::analyze
