#include "seedrun/stats/effect.hpp"

#include <cmath>
#include <doctest/doctest.h>
#include <initializer_list>
#include <limits>
#include <vector>

using namespace seedrun::stats;

namespace {
Summary of(std::vector<double> v) {
  return describe(v);
}
} // namespace

TEST_CASE("Cohen's d uses the seed's pooled σ, sqrt((σ_b² + σ_e²)/2)") {
  // σ_b = 1 ({-1, 0, 1}), σ_e = 2 ({1, 3, 5}): pooled = sqrt(2.5); Δ = 3 - 0
  auto d = cohens_d(of({-1, 0, 1}), of({1, 3, 5}));
  REQUIRE(d);
  CHECK(*d == doctest::Approx(3 / std::sqrt(2.5)).epsilon(1e-15));
  CHECK(*cohens_d(of({1, 3, 5}), of({-1, 0, 1})) == doctest::Approx(-3 / std::sqrt(2.5)).epsilon(1e-15));
}

TEST_CASE("Cohen's d is undefined without two values per arm or with zero pooled σ") {
  CHECK_FALSE(cohens_d(of({1.0}), of({1, 2, 3})));
  CHECK_FALSE(cohens_d(of({1, 2, 3}), of({4.0})));
  CHECK_FALSE(cohens_d(of({}), of({1, 2})));
  CHECK_FALSE(cohens_d(of({2, 2, 2}), of({3, 3})));
  CHECK(cohens_d(of({2, 2, 2}), of({3, 5})).has_value()); // one σ of 0 is fine
}

TEST_CASE("effect classes follow the seed's thresholds on |d|") {
  CHECK(classify_effect(0.0) == EffectClass::negligible);
  CHECK(classify_effect(0.1999) == EffectClass::negligible);
  CHECK(classify_effect(-0.2) == EffectClass::small);
  CHECK(classify_effect(0.4999) == EffectClass::small);
  CHECK(classify_effect(0.5) == EffectClass::medium);
  CHECK(classify_effect(-0.7999) == EffectClass::medium);
  CHECK(classify_effect(-0.8) == EffectClass::large);
  CHECK(classify_effect(40) == EffectClass::large);
  CHECK(to_string(EffectClass::negligible) == "negligible");
  CHECK(to_string(EffectClass::small) == "small");
  CHECK(to_string(EffectClass::medium) == "medium");
  CHECK(to_string(EffectClass::large) == "large");
}

TEST_CASE("wall clock change is a signed percentage of the baseline mean") {
  CHECK(*wall_clock_percent(of({10, 10}), of({9, 9})) == doctest::Approx(-10.0).epsilon(1e-15));
  CHECK(*wall_clock_percent(of({200}), of({250})) == doctest::Approx(25.0).epsilon(1e-15));
  CHECK_FALSE(wall_clock_percent(of({0, 0}), of({1})));
  CHECK_FALSE(wall_clock_percent(of({}), of({1})));
  CHECK_FALSE(wall_clock_percent(of({1}), of({})));
  CHECK_FALSE(wall_clock_percent(of({1e-300}), of({1e300}))); // would be infinite
}
