#include "seedrun/util/time.hpp"

#include <doctest/doctest.h>

using namespace seedrun::util;

TEST_CASE("an ISO 8601 time written by iso8601 reads back") {
  auto t = parse_iso8601("2026-11-23T10:12:00Z");
  REQUIRE(t);
  CHECK(iso8601(*t) == "2026-11-23T10:12:00Z");
  CHECK(parse_iso8601("2262-01-01T00:00:00Z").has_value());
  CHECK(parse_iso8601("1678-01-01T00:00:00Z").has_value());
}

TEST_CASE("years a TimePoint cannot hold are an unknown time, not an overflow") {
  CHECK_FALSE(parse_iso8601("9999-12-31T23:59:59").has_value()); // sacct's "no end" in some versions
  CHECK_FALSE(parse_iso8601("9999-12-31T23:59:59Z").has_value());
  CHECK_FALSE(parse_iso8601("2263-01-01T00:00:00Z").has_value());
  CHECK_FALSE(parse_iso8601("1600-01-01T00:00:00Z").has_value());
  CHECK_FALSE(parse_iso8601("0001-01-01T00:00:00").has_value());
}

TEST_CASE("malformed times are unknown") {
  CHECK_FALSE(parse_iso8601("").has_value());
  CHECK_FALSE(parse_iso8601("Unknown").has_value());
  CHECK_FALSE(parse_iso8601("2026-11-23T10:12:00Zjunk").has_value());
}

TEST_CASE("human durations") {
  CHECK(human_duration(42) == "42s");
  CHECK(human_duration(495) == "8m 15s");
  CHECK(human_duration(-1) == "-");
  CHECK(human_duration(1e300) == "-");
}
