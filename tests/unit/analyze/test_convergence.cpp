#include "seedrun/analyze/convergence.hpp"

#include <cmath>
#include <doctest/doctest.h>

using namespace seedrun::analyze;

namespace {

std::vector<CurvePoint> curve(int n, double (*f)(int)) {
  std::vector<CurvePoint> c;
  for (int i = 0; i < n; ++i) {
    c.push_back({static_cast<double>(i + 1), f(i)});
  }
  return c;
}

} // namespace

TEST_CASE("a flat tail has converged, a steady decline is still falling, a climb is rising") {
  auto flat = assess_convergence(curve(100, [](int i) { return 1.0 + std::exp(-i / 5.0); }));
  CHECK(flat.status == ConvergenceStatus::converged);
  CHECK(flat.window_points == 10);
  CHECK(convergence_word(flat) == "Yes");

  auto falling = assess_convergence(curve(100, [](int i) { return 2.0 - 0.01 * i; }));
  CHECK(falling.status == ConvergenceStatus::still_falling);
  // the fitted change over steps 91..100 is -0.09 around a level of 1.055
  CHECK(*falling.relative_change == doctest::Approx(-0.09 / 1.055));
  CHECK(convergence_text(falling) == "still falling (-8.5% over the last 10% of steps)");

  auto rising = assess_convergence(curve(100, [](int i) { return 1.0 + 0.002 * i; }));
  CHECK(rising.status == ConvergenceStatus::rising);
  CHECK(convergence_word(rising) == "No");
}

TEST_CASE("large swings around the trend are oscillation, small noise is not") {
  auto osc = assess_convergence(curve(100, [](int i) { return 1.0 + (i % 2 == 0 ? 0.2 : -0.2); }));
  CHECK(osc.status == ConvergenceStatus::oscillating);
  auto noisy = assess_convergence(curve(100, [](int i) { return 1.0 + (i % 2 == 0 ? 0.01 : -0.01); }));
  CHECK(noisy.status == ConvergenceStatus::converged);
}

TEST_CASE("too few finite points cannot be judged, and never give NaN") {
  std::vector<CurvePoint> c = {{1, 2.0}, {2, NAN}, {3, 1.5}, {4, INFINITY}, {5, 1.2}, {6, 1.1}};
  auto r = assess_convergence(c);
  CHECK(r.status == ConvergenceStatus::unknown);
  CHECK(r.points == 4);
  CHECK_FALSE(r.relative_change.has_value());
  CHECK(convergence_text(r) == "unknown (4 finite points, 5 needed)");
  CHECK(assess_convergence({}).status == ConvergenceStatus::unknown);
}

TEST_CASE("the last three points are used when the last 10% of steps holds fewer") {
  std::vector<CurvePoint> c = {{0, 3}, {100, 2}, {200, 1.5}, {300, 1.2}, {1000, 1.0}};
  auto r = assess_convergence(c);
  CHECK(r.window_points == 3);
  CHECK(r.status != ConvergenceStatus::unknown);
}
