#pragma once
// Wall-clock values. seedrun reads the clock once at the top of a command and passes the
// time down (house style), so these helpers only format and parse.
#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace seedrun::util {

using Clock = std::chrono::system_clock;
using TimePoint = Clock::time_point;

// ISO 8601 in UTC with a trailing Z, seconds precision: 2026-11-23T10:12:00Z.
std::string iso8601(TimePoint t);
// Parses what iso8601() writes, and Slurm's local-time form 2026-11-23T10:12:00 (read as local time).
// nullopt when malformed or outside what a TimePoint holds (years before 1678 or after 2261).
std::optional<TimePoint> parse_iso8601(std::string_view text);
// "8m 15s", "1h 02m", "42s", "1d 3h".
std::string human_duration(double seconds);

} // namespace seedrun::util
