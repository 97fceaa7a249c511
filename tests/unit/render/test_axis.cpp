#include "seedrun/render/axis.hpp"

#include <cmath>
#include <doctest/doctest.h>
#include <string>
#include <vector>

using namespace seedrun::render;

TEST_CASE("nice steps are 1, 2 or 5 times a power of ten") {
  CHECK(nice_step_at_least(0.13).value() == doctest::Approx(0.2));
  CHECK(nice_step_at_least(0.2).value() == doctest::Approx(0.2));
  CHECK(nice_step_at_least(3).value() == 5);
  CHECK(nice_step_at_least(7).value() == 10);
  CHECK(nice_step_at_least(1000).value() == 1000);
  CHECK(nice_step_at_least(0.00003).value() == doctest::Approx(0.00005));
  CHECK(nice_step_at_least(-1).value() == 1);
  CHECK(nice_step_at_least(NAN).value() == 1);
  NiceStep s{5, -1};
  CHECK(next_nice_step(s).mantissa == 1);
  CHECK(next_nice_step(s).exponent == 0);
}

TEST_CASE("a scale's ticks are round numbers that cover the data, labelled with one decimal count") {
  SUBCASE("losses between 0.18 and 0.93") {
    AxisScale s = nice_scale(0.18, 0.93, 6);
    CHECK(s.labels == std::vector<std::string>{"0.0", "0.2", "0.4", "0.6", "0.8", "1.0"});
    CHECK(s.lo == 0);
    CHECK(s.hi == 1);
  }
  SUBCASE("steps up to 1000") {
    AxisScale s = nice_scale(10, 1000, 8);
    CHECK(s.labels == std::vector<std::string>{"0", "200", "400", "600", "800", "1000"});
  }
  SUBCASE("a narrow range of accuracies") {
    AxisScale s = nice_scale(0.812, 0.871, 7);
    // 0.01 would need 8 ticks (0.81 .. 0.88), one more than allowed
    CHECK(s.labels == std::vector<std::string>{"0.80", "0.82", "0.84", "0.86", "0.88"});
  }
  SUBCASE("tick values carry no floating-point noise") {
    AxisScale s = nice_scale(0.1, 0.7, 7);
    REQUIRE(s.ticks.size() == 7);
    CHECK(s.ticks[3] == 0.4);
    CHECK(s.labels[3] == "0.4");
  }
  SUBCASE("a single value is widened, never a zero-length axis") {
    AxisScale s = nice_scale(3.2, 3.2, 5);
    CHECK(s.lo < 3.2);
    CHECK(s.hi > 3.2);
    CHECK(nice_scale(0, 0, 5).labels == std::vector<std::string>{"-1.0", "-0.5", "0.0", "0.5", "1.0"});
  }
  SUBCASE("non-finite bounds give the unit interval") {
    AxisScale s = nice_scale(NAN, INFINITY, 3);
    CHECK(s.lo == 0);
    CHECK(s.hi == 1);
  }
  SUBCASE("learning rates use scientific labels") {
    AxisScale s = nice_scale(1e-5, 5e-5, 6);
    CHECK(s.labels == std::vector<std::string>{"1e-5", "2e-5", "3e-5", "4e-5", "5e-5"});
  }
  SUBCASE("negative values") {
    AxisScale s = nice_scale(-0.35, 0.12, 6);
    CHECK(s.labels == std::vector<std::string>{"-0.4", "-0.2", "0.0", "0.2"});
  }
}

TEST_CASE("fixed decimals never print a negative zero") {
  CHECK(fixed_decimals(-0.00001, 3) == "0.000");
  CHECK(fixed_decimals(0.8504, 3) == "0.850");
  CHECK(fixed_decimals(NAN, 2) == "n/a");
}

// A metric pattern can capture anything a log prints: ±1e308 made hi − lo infinite and cast
// ±1e308 to long long (undefined behaviour); a denormal range made the step 0.
TEST_CASE("extreme ranges give finite ticks without undefined behaviour") {
  for (auto [lo, hi] : std::vector<std::pair<double, double>>{
           {-1.7e308, 1.7e308}, {-1e308, 0}, {0, 1e-310}, {1e-320, 2e-320}, {1e300, 1e308}, {-5e-324, 5e-324}}) {
    CAPTURE(lo);
    CAPTURE(hi);
    AxisScale s = nice_scale(lo, hi, 6);
    REQUIRE(s.ticks.size() >= 2);
    CHECK(s.ticks.size() <= 6);
    CHECK(s.ticks.size() == s.labels.size());
    for (double t : s.ticks) {
      CHECK(std::isfinite(t));
    }
    CHECK(s.lo < s.hi);
  }
}
