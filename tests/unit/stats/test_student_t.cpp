// Student's t CDF, two-sided p-value and quantile against scipy (reference_t.inc) and against
// closed forms.
#include "reference_types.hpp"
#include "seedrun/stats/distributions.hpp"
#include "seedrun/stats/special_functions.hpp"

#include <doctest/doctest.h>
#include <initializer_list>
#include <numbers>

namespace {

using namespace stats_ref;
using namespace seedrun::stats;

#include "reference_t.inc"

} // namespace

TEST_CASE("the t CDF agrees with scipy to 1e-12 across df from 0.5 to 10000") {
  REQUIRE(k_ref_t_cdf.size() >= 70);
  for (const auto& r : k_ref_t_cdf) {
    CAPTURE(r.df);
    CAPTURE(r.t);
    CHECK(close(student_t_cdf(r.t, r.df), r.cdf, 1e-12, 1e-15));
    // The lower tail and the two-sided p are relatively accurate, however small.
    CHECK(close(student_t_cdf(-std::fabs(r.t), r.df), r.two_sided_p / 2, 1e-12, 1e-300));
    CHECK(close(student_t_two_sided_p(r.t, r.df), r.two_sided_p, 1e-12, 1e-300));
  }
}

TEST_CASE("the t quantile agrees with scipy to 1e-12") {
  for (const auto& r : k_ref_t_quantile) {
    CAPTURE(r.df);
    CAPTURE(r.p);
    CHECK(close(student_t_quantile(r.p, r.df), r.quantile, 1e-12, 1e-300));
  }
}

TEST_CASE("the t CDF matches the closed forms for 1 and 2 degrees of freedom") {
  for (double t : {-1e6, -30.0, -3.0, -0.5, 0.0, 0.25, 2.0, 9.0, 1e4}) {
    CAPTURE(t);
    CHECK(close(student_t_cdf(t, 1), 0.5 + std::atan(t) / std::numbers::pi, 1e-13, 1e-16));
    CHECK(close(student_t_cdf(t, 2), 0.5 + t / (2 * std::sqrt(2 + t * t)), 1e-13, 1e-16));
  }
}

TEST_CASE("the t quantile inverts the CDF and is antisymmetric") {
  for (double df : {1.0, 3.0, 7.5, 40.0, 1e5}) {
    for (double p : {0x1p-30, 0.015625, 0.25, 0.5, 0.625, 0.9990234375}) { // 1 − p is exact
      CAPTURE(df);
      CAPTURE(p);
      double q = student_t_quantile(p, df);
      CHECK(close(student_t_cdf(q, df), p, 1e-12, 1e-300));
      CHECK(student_t_quantile(1 - p, df) == -q);
    }
  }
}

TEST_CASE("t distribution edge cases") {
  CHECK(student_t_cdf(k_inf, 3) == 1);
  CHECK(student_t_cdf(-k_inf, 3) == 0);
  CHECK(student_t_cdf(0, 3) == 0.5);
  CHECK(close(student_t_cdf(1.5, k_inf), normal_cdf(1.5), 1e-15, 0));
  CHECK(std::isnan(student_t_cdf(k_nan, 3)));
  CHECK(std::isnan(student_t_cdf(1, 0)));
  CHECK(std::isnan(student_t_cdf(1, -2)));
  CHECK(student_t_two_sided_p(0, 5) == 1);
  CHECK(student_t_two_sided_p(-k_inf, 5) == 0);
  CHECK(student_t_quantile(0, 4) == -k_inf);
  CHECK(student_t_quantile(1, 4) == k_inf);
  CHECK(student_t_quantile(0.5, 4) == 0);
  CHECK(std::isnan(student_t_quantile(1.5, 4)));
  CHECK(std::isnan(student_t_quantile(0.3, k_nan)));
}
