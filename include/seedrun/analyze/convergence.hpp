#pragma once
// Whether a loss curve has converged, judged on the last 10% of its steps (docs/analyze.md):
// a straight line is fitted to that window by least squares, and
//  - oscillating   when the residual σ around the line is ≥ 10% of the window's mean level;
//  - still falling when the fitted change over the window is ≤ −1% of the level and the slope's
//                  t statistic is ≤ −2 (a trend, not noise);
//  - rising        symmetrically (≥ +1%, t ≥ 2);
//  - converged     otherwise.
// Fewer than 5 finite points give "unknown". The window holds at least 3 points (the last 3 when
// the last 10% of steps has fewer).
#include "seedrun/analyze/model.hpp"

#include <optional>
#include <string>
#include <vector>

namespace seedrun::analyze {

enum class ConvergenceStatus { converged, still_falling, rising, oscillating, unknown };

inline constexpr double k_trend_threshold = 0.01;
inline constexpr double k_trend_t = 2.0;
inline constexpr double k_oscillation_threshold = 0.10;
inline constexpr size_t k_min_curve_points = 5;

struct Convergence {
  ConvergenceStatus status = ConvergenceStatus::unknown;
  std::optional<double> relative_change; // fitted change over the window / |mean level|
  std::optional<double> relative_noise;  // residual σ / |mean level|
  std::optional<double> slope_t;         // slope / its standard error
  size_t window_points = 0;
  size_t points = 0;
};

Convergence assess_convergence(const std::vector<CurvePoint>& curve);

// "Yes", "No" or "Unknown", for the comparison table.
std::string convergence_word(const Convergence& c);

// One phrase: "converged", "still falling (-3.2% over the last 10% of steps)",
// "oscillating (residual σ 12% of the loss level)", "rising (+2.0% ...)", "unknown (3 finite points, 5 needed)".
std::string convergence_text(const Convergence& c);

} // namespace seedrun::analyze
