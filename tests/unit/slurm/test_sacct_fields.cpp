#include "seedrun/slurm/sacct_fields.hpp"

#include <doctest/doctest.h>

using namespace seedrun::slurm;

TEST_CASE("sacct durations are read in all the forms sacct prints") {
  CHECK(parse_slurm_duration("00:00:00") == 0.0);
  CHECK(parse_slurm_duration("00:01:31") == 91.0);
  CHECK(parse_slurm_duration("01:21:47") == 4907.0);
  CHECK(parse_slurm_duration("2-03:04:05") == 2 * 86400.0 + 3 * 3600 + 4 * 60 + 5);
  CHECK(parse_slurm_duration("07:29") == 449.0);
  CHECK(parse_slurm_duration("100:00:00") == 360000.0);
}

TEST_CASE("fractional durations from TotalCPU keep their milliseconds") {
  CHECK(parse_slurm_duration("58:10.420") == doctest::Approx(3490.42));
  CHECK(parse_slurm_duration("00:00.168") == doctest::Approx(0.168));
  CHECK(parse_slurm_duration("00:24.041") == doctest::Approx(24.041));
  CHECK(parse_slurm_duration("01:00:00.5") == doctest::Approx(3600.5));
}

TEST_CASE("text that is not a duration is refused") {
  CHECK_FALSE(parse_slurm_duration(""));
  CHECK_FALSE(parse_slurm_duration("INVALID"));
  CHECK_FALSE(parse_slurm_duration("12"));
  CHECK_FALSE(parse_slurm_duration("1:2:3:4"));
  CHECK_FALSE(parse_slurm_duration("00:60"));
  CHECK_FALSE(parse_slurm_duration("00:61:00"));
  CHECK_FALSE(parse_slurm_duration("1-02:03"));
  CHECK_FALSE(parse_slurm_duration("0-00:05"));
  CHECK_FALSE(parse_slurm_duration("-00:00:01"));
  CHECK_FALSE(parse_slurm_duration("00:00:1x"));
  CHECK_FALSE(parse_slurm_duration("00:00:01."));
}

TEST_CASE("exit codes split into code and signal") {
  auto failed = parse_exit_code("3:0");
  REQUIRE(failed);
  CHECK(failed->exit_code == 3);
  CHECK(failed->signal == 0);
  auto killed = parse_exit_code("0:9");
  REQUIRE(killed);
  CHECK(killed->exit_code == 0);
  CHECK(killed->signal == 9);
  auto negative = parse_exit_code("-2:0");
  REQUIRE(negative);
  CHECK(negative->exit_code == -2);
  CHECK_FALSE(parse_exit_code("3"));
  CHECK_FALSE(parse_exit_code(""));
  CHECK_FALSE(parse_exit_code("a:b"));
  CHECK_FALSE(parse_exit_code("3:"));
  CHECK_FALSE(parse_exit_code("3:0:1"));
}
