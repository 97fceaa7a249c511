#include "seedrun/stats/hypothesis.hpp"

#include <cmath>
#include <doctest/doctest.h>
#include <initializer_list>
#include <limits>
#include <vector>

using namespace seedrun::stats;

namespace {
using V = std::vector<double>;
constexpr double k_nan = std::numeric_limits<double>::quiet_NaN();
} // namespace

TEST_CASE("Welch's test of equal means has p = 1") {
  auto w = welch_t_test(V{1, 2, 3}, V{0, 2, 4});
  REQUIRE(w);
  CHECK(w->t == 0);
  CHECK(w->p == 1);
}

TEST_CASE("Welch's test with one constant arm has df = n − 1 of the other") {
  // a: mean 2, s² = 1, n = 3 → se² = 1/3; b constant 0: t = 2·√3, df = 2
  auto w = welch_t_test(V{1, 2, 3}, V{0, 0, 0, 0});
  REQUIRE(w);
  CHECK(w->df == doctest::Approx(2).epsilon(1e-15));
  CHECK(w->t == doctest::Approx(2 * std::sqrt(3.0)).epsilon(1e-15));
  // df = 2: p = 1 − |t|/sqrt(2 + t²) exactly
  CHECK(w->p == doctest::Approx(1 - 2 * std::sqrt(3.0) / std::sqrt(14.0)).epsilon(1e-13));
}

TEST_CASE("Welch's test is undefined without two values per arm or any variance") {
  CHECK_FALSE(welch_t_test(V{1}, V{1, 2, 3}));
  CHECK_FALSE(welch_t_test(V{1, 2}, V{k_nan, 4}));
  CHECK_FALSE(welch_t_test(V{2, 2}, V{3, 3, 3}));
  CHECK_FALSE(welch_p_value(V{}, V{}));
  CHECK(welch_p_value(V{1, 2}, V{3, 5}).has_value());
}

TEST_CASE("P(X > Y) counts ties as one half") {
  CHECK(*probability_of_improvement(V{3, 4}, V{1, 2}) == 1.0);
  CHECK(*probability_of_improvement(V{1, 2}, V{3, 4}) == 0.0);
  CHECK(*probability_of_improvement(V{1, 2}, V{1, 2}) == 0.5);
  CHECK(*probability_of_improvement(V{2, 2, 3}, V{2}) == doctest::Approx(2.0 / 3.0).epsilon(1e-15)); // ½ + ½ + 1
  CHECK(*probability_of_improvement(V{5, k_nan}, V{4}) == 1.0);
  CHECK_FALSE(probability_of_improvement(V{}, V{1}));
  CHECK_FALSE(probability_of_improvement(V{1}, V{k_nan}));
}

TEST_CASE("Holm–Bonferroni steps down, stays monotone and never exceeds 1") {
  // sorted: 0.005·5 = 0.025, 0.01·4 = 0.04, 0.03·3 = 0.09, 0.04·2 = 0.08 → 0.09, 0.5·1 = 0.5
  auto adj = holm_bonferroni(V{0.01, 0.04, 0.03, 0.005, 0.5});
  REQUIRE(adj.size() == 5);
  CHECK(adj[3] == doctest::Approx(0.025).epsilon(1e-15));
  CHECK(adj[0] == doctest::Approx(0.04).epsilon(1e-15));
  CHECK(adj[2] == doctest::Approx(0.09).epsilon(1e-15));
  CHECK(adj[1] == doctest::Approx(0.09).epsilon(1e-15));
  CHECK(adj[4] == 0.5);
  CHECK(holm_bonferroni(V{0.4, 0.6}) == V{0.8, 0.8});
  CHECK(holm_bonferroni(V{0.9, 0.7}) == V{1.0, 1.0});
  CHECK(holm_bonferroni(V{}).empty());
}

TEST_CASE("Holm–Bonferroni counts NaN as 1 and clamps out-of-range p-values") {
  auto adj = holm_bonferroni(V{k_nan, 0.01, -0.5, 2.0});
  CHECK(adj == V{1.0, 0.03, 0.0, 1.0});
}
