// The noncentral t CDF against scipy (reference_nct.inc, Boost's implementation) and against
// identities it must satisfy.
#include "reference_types.hpp"
#include "seedrun/stats/distributions.hpp"
#include "seedrun/stats/special_functions.hpp"

#include <doctest/doctest.h>
#include <initializer_list>

namespace {

using namespace stats_ref;
using namespace seedrun::stats;

#include "reference_nct.inc"

} // namespace

TEST_CASE("the noncentral t CDF agrees with scipy to 1e-13 for ncp from -3 to 38") {
  REQUIRE(k_ref_nct_cdf.size() >= 400);
  for (const auto& r : k_ref_nct_cdf) {
    CAPTURE(r.df);
    CAPTURE(r.t);
    CAPTURE(r.ncp);
    double got = noncentral_t_cdf(r.t, r.df, r.ncp);
    CAPTURE(got);
    CAPTURE(r.cdf);
    CHECK(close(got, r.cdf, 1e-12, 1e-13));
  }
}

TEST_CASE("the noncentral t CDF reduces to Student's t and the normal") {
  for (double t : {-3.0, -0.4, 0.0, 1.1, 6.0}) {
    CHECK(noncentral_t_cdf(t, 7, 0) == student_t_cdf(t, 7));
    CHECK(noncentral_t_cdf(t, k_inf, 1.5) == normal_cdf(t - 1.5));
    CHECK(noncentral_t_cdf(0, 7, t) == doctest::Approx(normal_cdf(-t)).epsilon(1e-15));
  }
}

TEST_CASE("the noncentral t CDF satisfies F(t; ν, δ) = 1 − F(−t; ν, −δ)") {
  for (double df : {2.0, 9.0, 60.0}) {
    for (double t : {0.3, 1.7, 4.0}) {
      for (double ncp : {0.8, 2.2, 12.0}) {
        CAPTURE(df);
        CAPTURE(t);
        CAPTURE(ncp);
        CHECK(close(noncentral_t_cdf(t, df, ncp), 1 - noncentral_t_cdf(-t, df, -ncp), 0, 1e-15));
      }
    }
  }
}

TEST_CASE("the noncentral t CDF is monotone in t and in ncp") {
  double prev = 0;
  for (double t = -10; t <= 30; t += 0.25) {
    double f = noncentral_t_cdf(t, 4, 5);
    CHECK(f >= prev);
    prev = f;
  }
  prev = 1;
  for (double ncp = -20; ncp <= 60; ncp += 0.5) {
    double f = noncentral_t_cdf(3, 10, ncp);
    CHECK(f <= prev);
    prev = f;
  }
}

TEST_CASE("a very large noncentrality stays finite and in [0, 1]") {
  for (double ncp : {80.0, 300.0, 999.0, 1001.0, 1e6}) {
    CAPTURE(ncp);
    double below = noncentral_t_cdf(ncp * 0.9, 50, ncp);
    double above = noncentral_t_cdf(ncp * 1.2, 50, ncp);
    CHECK(below >= 0);
    CHECK(below < 0.5);
    CHECK(above > 0.5);
    CHECK(above <= 1);
  }
  CHECK(noncentral_t_cdf(4.3, 2, 200) == 0);
  CHECK(noncentral_t_cdf(-4.3, 2, -200) == 1);
}

TEST_CASE("noncentral t edge cases") {
  CHECK(noncentral_t_cdf(k_inf, 3, 2) == 1);
  CHECK(noncentral_t_cdf(-k_inf, 3, 2) == 0);
  CHECK(noncentral_t_cdf(1, 3, k_inf) == 0);
  CHECK(noncentral_t_cdf(1, 3, -k_inf) == 1);
  CHECK(std::isnan(noncentral_t_cdf(k_nan, 3, 2)));
  CHECK(std::isnan(noncentral_t_cdf(1, 3, k_nan)));
  CHECK(std::isnan(noncentral_t_cdf(1, 0, 2)));
}
