// Power of the two-sample t-test and the seeds needed for 80% power.
#include "reference_types.hpp"
#include "seedrun/stats/power.hpp"

#include <doctest/doctest.h>
#include <initializer_list>

namespace {

using namespace stats_ref;
using namespace seedrun::stats;

#include "reference_power.inc"

} // namespace

TEST_CASE("t-test power agrees with scipy's noncentral t to 1e-12") {
  for (const auto& r : k_ref_power) {
    CAPTURE(r.d);
    CAPTURE(r.n);
    CHECK(close(t_test_power(r.d, static_cast<int>(r.n), 0.05), r.power, 1e-12, 1e-13));
    CHECK(t_test_power(-r.d, static_cast<int>(r.n), 0.05) == t_test_power(r.d, static_cast<int>(r.n), 0.05));
  }
}

TEST_CASE("seeds needed is the smallest n whose power reaches 80%") {
  // Textbook values (Cohen 1988, two-sided α = 0.05): d = 0.5 needs 64 per arm, d = 0.8 needs 26, d = 0.2 needs 394.
  CHECK(seeds_needed_for_power(0.5) == 64);
  CHECK(seeds_needed_for_power(-0.8) == 26);
  CHECK(seeds_needed_for_power(0.2) == 394);
  for (double d : {0.2, 0.5, 1.3, 3.0}) {
    int n = *seeds_needed_for_power(d);
    CAPTURE(d);
    CHECK(t_test_power(d, n) >= 0.8);
    if (n > 2) {
      CHECK(t_test_power(d, n - 1) < 0.8);
    }
  }
  CHECK(seeds_needed_for_power(0.9, 0.95, 0.01) > seeds_needed_for_power(0.9));
}

TEST_CASE("seeds needed is 2 for huge effects and undefined beyond the cap or for no effect") {
  CHECK(seeds_needed_for_power(50) == 2);
  CHECK(seeds_needed_for_power(1e6) == 2);
  CHECK(seeds_needed_for_power(0.0397) == 9961); // just inside k_max_seeds_per_arm (scipy agrees)
  CHECK_FALSE(seeds_needed_for_power(0.0396).has_value());
  CHECK_FALSE(seeds_needed_for_power(0).has_value());
  CHECK_FALSE(seeds_needed_for_power(k_nan).has_value());
  CHECK_FALSE(seeds_needed_for_power(k_inf).has_value());
  CHECK_FALSE(seeds_needed_for_power(0.5, 1.0).has_value());
  CHECK_FALSE(seeds_needed_for_power(0.5, 0.8, 0).has_value());
  CHECK(std::isnan(t_test_power(0.5, 1)));
  CHECK(std::isnan(t_test_power(k_nan, 10)));
}
