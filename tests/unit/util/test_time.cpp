#include "seedrun/util/time.hpp"

#include <cstdlib>
#include <ctime>
#include <doctest/doctest.h>
#include <string>

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

TEST_CASE("a local time (sacct's) reads as mktime reads it, on both sides of a DST change") {
  // Given time zones with DST, one of them changing on a half hour (St. John's, UTC-3:30)
  const char* old_tz = std::getenv("TZ");
  std::string saved = old_tz ? old_tz : "";
  for (const char* zone : {"Europe/Berlin", "America/St_Johns"}) {
    ::setenv("TZ", zone, 1);
    ::tzset();
    for (const char* text : {"2031-01-15T08:30:00", "2031-07-01T12:00:00", "2031-03-30T01:59:59", "2031-03-30T03:00:00",
                             "2031-10-26T01:30:00", "2031-10-26T03:30:00", "2031-03-09T01:30:00", "2031-03-09T03:30:00",
                             "2031-11-02T00:30:00"}) {
      CAPTURE(zone);
      CAPTURE(text);
      // When parse_iso8601 reads it (no 'Z': local time)
      auto t = parse_iso8601(text);
      // Then it is the instant mktime gives for the same fields
      std::tm tm{};
      REQUIRE(strptime(text, "%Y-%m-%dT%H:%M:%S", &tm) != nullptr);
      tm.tm_isdst = -1;
      REQUIRE(t);
      CHECK(Clock::to_time_t(*t) == std::mktime(&tm));
    }
  }
  if (old_tz) {
    ::setenv("TZ", saved.c_str(), 1);
  } else {
    ::unsetenv("TZ");
  }
  ::tzset();
}
