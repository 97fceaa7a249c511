#include "seedrun/stats/special_functions.hpp"

#include <cmath>
#include <doctest/doctest.h>
#include <initializer_list>
#include <limits>
#include <numbers>

using namespace seedrun::stats;

namespace {

// |got − want| ≤ tol·max(1, |want|)
bool near(double got, long double want, double tol) {
  return std::fabs(static_cast<long double>(got) - want) <= tol * std::max(1.0L, std::fabs(want));
}

} // namespace

TEST_CASE("ln B(a, b) agrees with long-double lgamma, also for large arguments") {
  for (double a : {0.5, 1.0, 2.5, 9.5, 10.0, 37.0, 1000.5, 1e5}) {
    for (double b : {0.5, 3.0, 12.0, 250.0, 1e4}) {
      CAPTURE(a);
      CAPTURE(b);
      long double want = std::lgamma(static_cast<long double>(a)) + std::lgamma(static_cast<long double>(b)) -
                         std::lgamma(static_cast<long double>(a) + b);
      CHECK(near(log_beta(a, b), want, 4e-15));
      CHECK(log_beta(a, b) == log_beta(b, a));
    }
  }
  CHECK(log_beta(3, 4) == doctest::Approx(std::log(1.0 / 60)).epsilon(1e-15));
  CHECK(std::isnan(log_beta(0, 1)));
}

TEST_CASE("the Stirling correction is the remainder of ln Γ") {
  for (double x : {10.0, 17.5, 100.0, 12345.0}) {
    long double lx = x;
    long double want =
        std::lgamma(lx) - ((lx - 0.5L) * std::log(lx) - lx + 0.5L * std::log(2 * std::numbers::pi_v<long double>));
    CHECK(std::fabs(stirling_correction(x) - want) <= 1e-16L * std::fabs(std::lgamma(lx)) + 1e-18L);
  }
}

TEST_CASE("the incomplete beta function satisfies its closed forms") {
  for (double x : {1e-8, 0.01, 0.3, 0.5, 0.77, 0.999}) {
    CAPTURE(x);
    CHECK(regularized_incomplete_beta(3.5, 1, x) == doctest::Approx(std::pow(x, 3.5)).epsilon(1e-14));
    CHECK(regularized_incomplete_beta(1, 2.5, x) == doctest::Approx(-std::expm1(2.5 * std::log1p(-x))).epsilon(1e-14));
    CHECK(regularized_incomplete_beta(0.5, 0.5, x) ==
          doctest::Approx(2 / std::numbers::pi * std::asin(std::sqrt(x))).epsilon(1e-14));
    CHECK(regularized_incomplete_beta(4, 7, x) + regularized_incomplete_beta(7, 4, 1 - x) ==
          doctest::Approx(1).epsilon(1e-15));
  }
  CHECK(regularized_incomplete_beta(2, 3, 0) == 0);
  CHECK(regularized_incomplete_beta(2, 3, 1) == 1);
  CHECK(regularized_incomplete_beta(2, 3, -1) == 0);
  CHECK(std::isnan(regularized_incomplete_beta(-2, 3, 0.5)));
  CHECK(std::isnan(regularized_incomplete_beta(2, 3, std::numeric_limits<double>::quiet_NaN())));
}

TEST_CASE("Poisson probabilities agree with long-double arithmetic and sum to 1") {
  for (double lambda : {0.3, 4.0, 37.5, 800.0, 50000.0}) {
    long double total = 0;
    for (double k = 0; k < lambda * 3 + 60; k += 1) {
      double p = poisson_probability(k, lambda);
      total += p;
      long double want = std::exp(-static_cast<long double>(lambda) + k * std::log(static_cast<long double>(lambda)) -
                                  std::lgamma(static_cast<long double>(k) + 1));
      if (want < 1e-300L || lambda > 1000) { // beyond, long double is no better than we are
        continue;
      }
      CAPTURE(lambda);
      CAPTURE(k);
      bool near_mode = std::fabs(k - lambda) <= 1; // the only k the noncentral t asks for
      CHECK(std::fabs(p - want) <= (near_mode ? 2e-15L : 5e-13L) * want);
    }
    CHECK(static_cast<double>(total) == doctest::Approx(1).epsilon(1e-13));
  }
  // At the mode of a large λ the naive e^−λ λ^k / k! would lose about λ·ε.
  CHECK(poisson_probability(500000, 500000) ==
        doctest::Approx(1 / std::sqrt(2 * std::numbers::pi * 500000)).epsilon(1e-6));
  CHECK(poisson_probability(0, 0) == 1);
  CHECK(poisson_probability(3, 0) == 0);
  CHECK(std::isnan(poisson_probability(-1, 2)));
}

TEST_CASE("the normal CDF is relatively accurate in the lower tail") {
  CHECK(normal_cdf(0) == 0.5);
  CHECK(normal_cdf(-1.959963984540054) == doctest::Approx(0.025).epsilon(1e-15));
  CHECK(normal_cdf(-30) == doctest::Approx(4.906713927148187e-198).epsilon(1e-13));
}
