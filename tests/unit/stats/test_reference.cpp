// Every statistic against values computed independently with numpy/scipy
// (scripts/stats_reference.py writes reference_cases.inc).
#include "seedrun/stats/stats.hpp"

#include <doctest/doctest.h>

#include <cmath>
#include <vector>

#include "reference_cases.inc"

using namespace seedrun::stats;

namespace {

void check_close(double got, double want, double tol = 1e-9) {
  CHECK(std::fabs(got - want) <= tol * std::max(1.0, std::fabs(want)));
}

} // namespace

TEST_CASE("summaries, d, σ units and Welch p agree with scipy to 1e-9") {
  for (const auto& c : k_ref_cases) {
    CAPTURE(c.name);
    auto cmp = compare(c.base, c.exp, Goal::minimize);
    check_close(*cmp.baseline.mean, c.base_mean);
    check_close(*cmp.baseline.std, c.base_std);
    check_close(*cmp.experiment.mean, c.exp_mean);
    check_close(*cmp.experiment.std, c.exp_std);
    check_close(*cmp.delta, c.delta);
    REQUIRE(cmp.sigma_units);
    check_close(*cmp.sigma_units, c.sigma_units);
    REQUIRE(cmp.cohens_d);
    check_close(*cmp.cohens_d, c.d);
    REQUIRE(cmp.welch_p);
    check_close(*cmp.welch_p, c.welch_p);
    if (c.seeds_needed < 0) {
      CHECK_FALSE(cmp.seeds_needed_80.has_value());
    } else {
      CHECK(cmp.seeds_needed_80 == std::optional<int>(c.seeds_needed));
    }
    check_close(probability_of_improvement(c.exp, c.base), c.p_improvement);
    auto ci = mean_ci95(c.base);
    REQUIRE(ci);
    check_close(ci->first, c.ci_lo);
    check_close(ci->second, c.ci_hi);
  }
}

TEST_CASE("Student t CDF and quantile agree with scipy") {
  for (const auto& r : k_ref_t) {
    CAPTURE(r.t);
    CAPTURE(r.df);
    check_close(student_t_cdf(r.t, r.df), r.cdf, 1e-12);
  }
  for (const auto& r : k_ref_tq) {
    CAPTURE(r.p);
    CAPTURE(r.df);
    check_close(student_t_quantile(r.p, r.df), r.q, 1e-9);
  }
}

TEST_CASE("noncentral t CDF agrees with scipy") {
  for (const auto& r : k_ref_nct) {
    CAPTURE(r.t);
    CAPTURE(r.df);
    CAPTURE(r.ncp);
    check_close(noncentral_t_cdf(r.t, r.df, r.ncp), r.cdf, 1e-9);
  }
}
