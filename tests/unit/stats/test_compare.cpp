// compare() and its parts against the scipy reference cases (scripts/stats_reference.py).
#include "reference_types.hpp"
#include "seedrun/stats/stats.hpp"

#include <cmath>
#include <doctest/doctest.h>
#include <initializer_list>
#include <string>

namespace {

using namespace stats_ref;
using namespace seedrun::stats;

#include "reference_cases.inc"

constexpr double k_tol = 1e-9;

// Both undefined, or both defined and within 1e-9 relative/absolute.
void check_opt(const std::string& what, std::optional<double> got, std::optional<double> want) {
  CAPTURE(what);
  REQUIRE(got.has_value() == want.has_value());
  if (want) {
    CAPTURE(*got);
    CAPTURE(*want);
    CHECK(close(*got, *want, k_tol, k_tol));
  }
}

void check_pair(const std::string& what, std::optional<std::pair<double, double>> got,
                std::optional<std::pair<double, double>> want) {
  CAPTURE(what);
  REQUIRE(got.has_value() == want.has_value());
  if (want) {
    check_opt(what, got->first, want->first);
    check_opt(what, got->second, want->second);
  }
}

void check_summary(const Summary& s, const RefArm& want) {
  CHECK(s.n == want.n);
  CHECK(s.excluded_nonfinite == want.excluded);
  check_opt("mean", s.mean, want.mean);
  check_opt("std", s.std, want.std);
  check_opt("min", s.min, want.min);
  check_opt("max", s.max, want.max);
}

} // namespace

TEST_CASE("compare agrees with scipy on every reference case to 1e-9") {
  REQUIRE(k_ref_cases.size() >= 15);
  for (const auto& c : k_ref_cases) {
    CAPTURE(c.name);
    auto cmp = compare(c.base, c.exp, c.goal);
    check_summary(cmp.baseline, c.b);
    check_summary(cmp.experiment, c.e);
    check_opt("delta", cmp.delta, c.delta);
    check_opt("sigma_units", cmp.sigma_units, c.sigma_units);
    check_opt("cohens_d", cmp.cohens_d, c.cohens_d);
    CHECK(std::string(cmp.effect ? to_string(*cmp.effect) : "") == c.effect);
    check_opt("welch_p", cmp.welch_p, c.welch_p);
    CHECK(cmp.seeds_needed_80 == c.seeds80);
    CHECK(std::string(to_string(cmp.verdict)) == c.verdict);
    CHECK(cmp.label == c.label);
    CHECK(cmp.ci95 == bootstrap_ci_delta(c.base, c.exp));
  }
}

TEST_CASE("Welch's t statistic and Welch–Satterthwaite df agree with scipy") {
  for (const auto& c : k_ref_cases) {
    CAPTURE(c.name);
    auto w = welch_t_test(c.base, c.exp);
    REQUIRE(w.has_value() == c.welch_t.has_value());
    if (w) {
      check_opt("t", w->t, c.welch_t);
      check_opt("df", w->df, c.welch_df);
      check_opt("p", w->p, c.welch_p);
    }
  }
}

TEST_CASE("wall clock percent, P(X > Y) and mean CIs agree with scipy") {
  for (const auto& c : k_ref_cases) {
    CAPTURE(c.name);
    check_opt("wall_pct", wall_clock_percent(describe(c.base), describe(c.exp)), c.wall_pct);
    check_opt("p_exp_gt_base", probability_of_improvement(c.exp, c.base), c.p_exp_gt_base);
    check_pair("ci95 base", mean_ci95(c.base), c.b.ci95);
    check_pair("ci95 exp", mean_ci95(c.exp), c.e.ci95);
  }
}

TEST_CASE("the bootstrap CI is close to scipy.stats.bootstrap's percentile CI") {
  // Different random streams: the endpoints agree within the Monte Carlo spread that the
  // script measured over several scipy seeds (at least 10% of the interval's width).
  for (const auto& c : k_ref_cases) {
    if (!c.scipy_boot) {
      continue;
    }
    CAPTURE(c.name);
    auto ci = bootstrap_ci_delta(c.base, c.exp);
    REQUIRE(ci);
    CAPTURE(ci->first);
    CAPTURE(ci->second);
    CHECK(std::fabs(ci->first - c.scipy_boot->first) <= c.boot_tolerance);
    CHECK(std::fabs(ci->second - c.scipy_boot->second) <= c.boot_tolerance);
  }
}

TEST_CASE("Holm–Bonferroni agrees with the reference adjustment") {
  for (const auto& h : k_ref_holm) {
    auto got = holm_bonferroni(h.p);
    REQUIRE(got.size() == h.adjusted.size());
    for (size_t i = 0; i < got.size(); ++i) {
      CHECK(close(got[i], h.adjusted[i], 1e-15, 1e-15));
    }
  }
}

TEST_CASE("the bootstrap CI equals, bit for bit, the same algorithm replayed in Python") {
  // splitmix64, rejection sampling and numpy-style percentiles are all exact IEEE operations,
  // so any platform must reproduce the script's numbers.
  for (const auto& c : k_ref_cases) {
    CAPTURE(c.name);
    auto ci = bootstrap_ci_delta(c.base, c.exp);
    REQUIRE(ci.has_value() == c.own_boot.has_value());
    if (ci) {
      CHECK(ci->first == c.own_boot->first);
      CHECK(ci->second == c.own_boot->second);
    }
  }
}

TEST_CASE("the seed's example: baseline 3.21, 3.22, 3.20, 3.21, 3.20 against 3.15, 3.16, 3.15") {
  auto c =
      compare(std::vector<double>{3.21, 3.22, 3.20, 3.21, 3.20}, std::vector<double>{3.15, 3.16, 3.15}, Goal::minimize);
  CHECK(c.verdict == Verdict::winner);
  CHECK(c.label == "significant (≥2σ)");
  CHECK(*c.sigma_units == doctest::Approx(-6.533916397694616).epsilon(1e-12));
  CHECK(*c.cohens_d == doctest::Approx(-7.605317890466619).epsilon(1e-12));
  CHECK(c.effect == EffectClass::large);
  CHECK(c.seeds_needed_80 == 2);
  REQUIRE(c.ci95);
  CHECK(c.ci95->first < *c.delta);
  CHECK(c.ci95->second > *c.delta);
}

TEST_CASE("compare never puts NaN or inf in any field, whatever the input") {
  const double nan = k_nan;
  const std::vector<std::vector<double>> inputs{{},
                                                {nan, k_inf},
                                                {1.0},
                                                {2.0, 2.0, 2.0},
                                                {0.1, 0.1, 0.1},
                                                {1e308, -1e308, 1.7e308},
                                                {1e-310, 2e-310},
                                                {0, 1e-300},
                                                {-5.0, 5.0},
                                                {3.2, nan, 3.3, -k_inf, 3.1}};
  auto finite = [](std::optional<double> v) { return !v || std::isfinite(*v); };
  for (const auto& base : inputs) {
    for (const auto& exp : inputs) {
      for (Goal goal : {Goal::minimize, Goal::maximize}) {
        auto c = compare(base, exp, goal);
        for (const auto* s : {&c.baseline, &c.experiment}) {
          CHECK(finite(s->mean));
          CHECK(finite(s->std));
          CHECK(finite(s->min));
          CHECK(finite(s->max));
        }
        CHECK(finite(c.delta));
        CHECK(finite(c.sigma_units));
        CHECK(finite(c.cohens_d));
        CHECK(finite(c.welch_p));
        CHECK(finite(wall_clock_percent(c.baseline, c.experiment)));
        if (c.ci95) {
          CHECK(std::isfinite(c.ci95->first));
          CHECK(std::isfinite(c.ci95->second));
        }
        CHECK_FALSE(c.label.empty());
        CHECK(c.label.find("nan") == std::string::npos);
      }
    }
  }
}
