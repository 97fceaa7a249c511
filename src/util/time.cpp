#include "seedrun/util/time.hpp"

#include <cmath>
#include <ctime>
#include <fmt/format.h>

namespace seedrun::util {
namespace {

// Seconds east of UTC of local time at `t`. mktime() re-reads /etc/localtime on every call (it
// calls tzset: 10,000 sacct rows cost 42 ms, 5x parsing them); localtime_r reads it once per
// process. The offset is kept per 15 minutes of UTC time: every time zone changes its offset
// on a quarter hour, so within one slot the offset is the same and a sacct answer, whose times
// fall in a few slots, asks localtime_r a few times.
long utc_offset_at(std::time_t t) {
  thread_local std::time_t cached_slot = -1;
  thread_local long cached_offset = 0;
  std::time_t slot = t >= 0 ? t / 900 : -1 - (-1 - t) / 900;
  if (slot != cached_slot || cached_slot == -1) {
    std::tm lt{};
    if (localtime_r(&t, &lt) == nullptr) {
      return 0;
    }
    cached_offset = lt.tm_gmtoff;
    cached_slot = slot;
  }
  return cached_offset;
}

// The instant of a local wall-clock time (tm fields, as mktime with tm_isdst = -1 takes them).
// Right across DST changes for every time that exists once; an hour that happens twice (the
// autumn change) resolves to one of its two instants, and a time skipped in spring to a time
// an hour off, as mktime may. Returns -1 for fields out of range.
std::time_t local_to_time(std::tm tm) {
  std::time_t as_utc = timegm(&tm); // the same fields read as UTC
  if (as_utc == static_cast<std::time_t>(-1)) {
    return as_utc;
  }
  std::time_t guess = as_utc - utc_offset_at(as_utc);
  return as_utc - utc_offset_at(guess);
}

} // namespace

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
    tt = local_to_time(tm);
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
