#include "seedrun/stats/bootstrap.hpp"

#include <cmath>
#include <doctest/doctest.h>
#include <initializer_list>
#include <limits>
#include <vector>

using namespace seedrun::stats;

TEST_CASE("splitmix64 produces the published reference sequence") {
  SplitMix64 zero(0);
  CHECK(zero.next() == 0xE220A8397B1DCDAFULL);
  SplitMix64 rng(1234567);
  CHECK(rng.next() == 6457827717110365317ULL);
  CHECK(rng.next() == 3203168211198807973ULL);
  CHECK(rng.next() == 9817491932198370423ULL);
}

TEST_CASE("below(n) stays in range and hits every value") {
  SplitMix64 rng(7);
  std::vector<int> counts(5, 0);
  for (int i = 0; i < 5000; ++i) {
    auto v = rng.below(5);
    REQUIRE(v < 5);
    ++counts[v];
  }
  for (int c : counts) {
    CHECK(c > 900);
    CHECK(c < 1100);
  }
  CHECK(rng.below(1) == 0);
}

TEST_CASE("the bootstrap CI is deterministic for a seed and brackets Δ") {
  std::vector<double> base{3.21, 3.22, 3.20, 3.21, 3.20};
  std::vector<double> exp{3.15, 3.16, 3.15};
  auto a = bootstrap_ci_delta(base, exp);
  auto b = bootstrap_ci_delta(base, exp);
  REQUIRE(a);
  REQUIRE(b);
  CHECK(a->first == b->first);
  CHECK(a->second == b->second);
  double delta = (3.15 + 3.16 + 3.15) / 3 - 3.208;
  CHECK(a->first < delta);
  CHECK(a->second > delta);
  auto other = bootstrap_ci_delta(base, exp, 99);
  REQUIRE(other);
  CHECK(other->first < delta);
  CHECK(other->second > delta);
  auto narrow = bootstrap_ci_delta(base, exp, k_bootstrap_seed, 10000, 0.5);
  REQUIRE(narrow);
  CHECK(narrow->first >= a->first);
  CHECK(narrow->second <= a->second);
}

TEST_CASE("the bootstrap of constant arms is the exact difference") {
  auto ci = bootstrap_ci_delta(std::vector<double>{0.1, 0.1, 0.1}, std::vector<double>{0.3, 0.3});
  REQUIRE(ci);
  CHECK(ci->first == 0.3 - 0.1);
  CHECK(ci->second == 0.3 - 0.1);
}

TEST_CASE("the bootstrap leaves out non-finite values and refuses what it cannot resample") {
  double nan = std::numeric_limits<double>::quiet_NaN();
  double inf = std::numeric_limits<double>::infinity();
  auto clean = bootstrap_ci_delta(std::vector<double>{1.0, 2.0, 3.0}, std::vector<double>{2.0, 4.0});
  auto dirty = bootstrap_ci_delta(std::vector<double>{1.0, nan, 2.0, 3.0}, std::vector<double>{inf, 2.0, 4.0});
  REQUIRE(clean);
  REQUIRE(dirty);
  CHECK(clean->first == dirty->first);
  CHECK(clean->second == dirty->second);
  CHECK_FALSE(bootstrap_ci_delta(std::vector<double>{1.0}, std::vector<double>{2.0, 3.0}));
  CHECK_FALSE(bootstrap_ci_delta(std::vector<double>{1.0, 2.0}, std::vector<double>{3.0, nan}));
  CHECK_FALSE(bootstrap_ci_delta(std::vector<double>{}, std::vector<double>{}));
  CHECK_FALSE(bootstrap_ci_delta(std::vector<double>{1.0, 2.0}, std::vector<double>{3.0, 4.0}, 1, 1));
  CHECK_FALSE(bootstrap_ci_delta(std::vector<double>{1.0, 2.0}, std::vector<double>{3.0, 4.0}, 1, 100, 1.0));
  CHECK_FALSE(bootstrap_ci_delta(std::vector<double>{1.0, 2.0}, std::vector<double>{3.0, 4.0}, 1, 100, nan));
}

TEST_CASE("the bootstrap handles values near the largest double without overflow") {
  auto ci = bootstrap_ci_delta(std::vector<double>{1e308, 1.5e308, 1.7e308}, std::vector<double>{1.2e308, 1.6e308});
  REQUIRE(ci);
  CHECK(ci->first >= 1.2e308 - 1.7e308);
  CHECK(ci->second <= 1.6e308 - 1e308);
  // A Δ beyond the largest double has no interval.
  CHECK_FALSE(bootstrap_ci_delta(std::vector<double>{1e308, 1.5e308}, std::vector<double>{-1e308, -1.2e308}));
}
