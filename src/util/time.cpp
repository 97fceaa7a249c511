#include "seedrun/util/time.hpp"

#include <cmath>
#include <ctime>

#include <fmt/format.h>

namespace seedrun::util {

std::string iso8601(TimePoint t) {
  std::time_t tt = Clock::to_time_t(t);
  std::tm tm{};
  gmtime_r(&tt, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

std::optional<TimePoint> parse_iso8601(std::string_view text) {
  std::tm tm{};
  std::string s(text);
  const char* end = strptime(s.c_str(), "%Y-%m-%dT%H:%M:%S", &tm);
  if (end == nullptr) {
    return std::nullopt;
  }
  std::time_t tt = 0;
  if (*end == 'Z') {
    tt = timegm(&tm);
    ++end;
  } else {
    tm.tm_isdst = -1;
    tt = std::mktime(&tm);
  }
  if (*end != '\0' || tt == static_cast<std::time_t>(-1)) {
    return std::nullopt;
  }
  // A TimePoint counts nanoseconds in 64 bits: about 1677-09-21 to 2262-04-11. Outside that
  // (sacct can print 9999-12-31) from_time_t would overflow: the time is unknown instead.
  using std::chrono::duration_cast;
  using std::chrono::seconds;
  constexpr auto k_min = duration_cast<seconds>(Clock::duration::min()).count() + 1;
  constexpr auto k_max = duration_cast<seconds>(Clock::duration::max()).count() - 1;
  if (tt < k_min || tt > k_max) {
    return std::nullopt;
  }
  return Clock::from_time_t(tt);
}

std::string human_duration(double seconds) {
  if (!std::isfinite(seconds) || seconds < 0 || seconds > 1e15) { // llround of more is undefined
    return "-";
  }
  auto s = static_cast<long long>(std::llround(seconds));
  if (s < 60) {
    return fmt::format("{}s", s);
  }
  if (s < 3600) {
    return fmt::format("{}m {:02}s", s / 60, s % 60);
  }
  if (s < 86400) {
    return fmt::format("{}h {:02}m", s / 3600, (s % 3600) / 60);
  }
  return fmt::format("{}d {}h", s / 86400, (s % 86400) / 3600);
}

} // namespace seedrun::util
