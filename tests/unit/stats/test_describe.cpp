#include "seedrun/stats/describe.hpp"

#include <cmath>
#include <doctest/doctest.h>
#include <initializer_list>
#include <limits>
#include <vector>

using namespace seedrun::stats;

namespace {
constexpr double k_nan = std::numeric_limits<double>::quiet_NaN();
constexpr double k_inf = std::numeric_limits<double>::infinity();
} // namespace

TEST_CASE("describe gives n, mean, sample σ (n − 1), min and max") {
  auto s = describe(std::vector<double>{2.0, 4.0, 4.0, 4.0, 5.0, 5.0, 7.0, 9.0});
  CHECK(s.n == 8);
  CHECK(*s.mean == 5.0);
  CHECK(*s.std == doctest::Approx(std::sqrt(32.0 / 7.0)).epsilon(1e-15)); // not the population 2.0
  CHECK(*s.min == 2.0);
  CHECK(*s.max == 9.0);
  CHECK(s.excluded_nonfinite == 0);
}

TEST_CASE("equal values have a σ of exactly zero and their own value as mean") {
  auto s = describe(std::vector<double>{0.1, 0.1, 0.1});
  CHECK(*s.mean == 0.1); // a plain sum/n gives 0.10000000000000002
  CHECK(*s.std == 0.0);
}

TEST_CASE("describe leaves out and counts non-finite values") {
  auto s = describe(std::vector<double>{1.0, k_nan, k_inf, 3.0, -k_inf});
  CHECK(s.n == 2);
  CHECK(s.excluded_nonfinite == 3);
  CHECK(*s.mean == 2.0);
  CHECK(*s.std == doctest::Approx(std::sqrt(2.0)).epsilon(1e-15));
  CHECK(finite_values(std::vector<double>{k_nan, 4.0, k_inf, -1.0}) == std::vector<double>{4.0, -1.0});
}

TEST_CASE("statistics that need more values are empty") {
  auto empty = describe(std::vector<double>{});
  CHECK(empty.n == 0);
  CHECK_FALSE(empty.mean);
  CHECK_FALSE(empty.std);
  CHECK_FALSE(empty.min);
  CHECK_FALSE(empty.max);
  auto all_nan = describe(std::vector<double>{k_nan, k_nan});
  CHECK(all_nan.n == 0);
  CHECK(all_nan.excluded_nonfinite == 2);
  CHECK_FALSE(all_nan.mean);
  auto one = describe(std::vector<double>{3.5});
  CHECK(*one.mean == 3.5);
  CHECK(*one.min == 3.5);
  CHECK_FALSE(one.std);
}

TEST_CASE("values near the largest double give finite statistics") {
  auto s = describe(std::vector<double>{1.5e308, -1.5e308, 1e308});
  REQUIRE(s.mean);
  CHECK(std::isfinite(*s.mean));
  CHECK(*s.mean == doctest::Approx(1e308 / 3).epsilon(1e-12));
  REQUIRE(s.std);
  CHECK(*s.std == doctest::Approx(1.6072751268321592e308).epsilon(1e-12));
  auto beyond = describe(std::vector<double>{1.7e308, -1.7e308, 1.7e308, -1.7e308}); // σ > DBL_MAX
  CHECK(std::isfinite(*beyond.mean));
  CHECK_FALSE(beyond.std);
}

TEST_CASE("the t confidence interval of a mean") {
  // mean 5, s = 2, n = 4: half width t(0.975, 3)·2/2 = 3.1824463052837078
  auto ci = mean_ci95(std::vector<double>{3.0, 7.0, 5.0 - std::sqrt(2.0), 5.0 + std::sqrt(2.0)});
  REQUIRE(ci);
  CHECK(ci->first == doctest::Approx(5 - 3.1824463052837078).epsilon(1e-13));
  CHECK(ci->second == doctest::Approx(5 + 3.1824463052837078).epsilon(1e-13));
  auto ci90 = mean_confidence_interval(std::vector<double>{1.0, 2.0, 3.0}, 0.9);
  REQUIRE(ci90); // df = 2: t(0.95) = 0.9/sqrt(2·0.95·0.05) in closed form; s/√n = 1/√3
  CHECK(ci90->second - 2 == doctest::Approx(0.9 / std::sqrt(0.095) / std::sqrt(3.0)).epsilon(1e-13));
  auto flat = mean_ci95(std::vector<double>{4.0, 4.0});
  REQUIRE(flat);
  CHECK(flat->first == 4.0);
  CHECK(flat->second == 4.0);
  CHECK_FALSE(mean_ci95(std::vector<double>{1.0}));
  CHECK_FALSE(mean_ci95(std::vector<double>{1.0, k_nan}));
  CHECK_FALSE(mean_confidence_interval(std::vector<double>{1.0, 2.0}, 1.0));
}
