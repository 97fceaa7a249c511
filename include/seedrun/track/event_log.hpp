#pragma once
// A run's events file (docs/health.md): JSON lines, one object per line with a time, a kind and
// the kind's fields, e.g.
//   {"time": "2026-11-23T10:12:00Z", "kind": "rollout", "duration_s": 41.2, "step": 120}
//   {"time": 1795428720.5, "kind": "extraction", "ok": false}
//   {"time": 1795428721, "kind": "error", "message": "CUDA out of memory"}
// Read like the metric sources (metric_source.hpp): memory is bounded whatever the file holds
// (a line longer than k_max_event_line is skipped, at most max_events events are kept), and a
// line that cannot be read is counted and skipped; the first problem is described with its
// file:line. Nothing in the file can make the reader throw or crash.
#include "seedrun/stats/health.hpp"

#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace seedrun::track {

inline constexpr size_t k_max_event_line = 1 << 20;
inline constexpr size_t k_max_events = 1 << 21;

// What one line gave.
struct EventLine {
  enum class Kind { event, blank, unreadable };
  Kind kind = Kind::blank;
  stats::HealthEvent event;
  std::string problem; // for `unreadable`: why
};

// Reads one line (without its newline). The time is "time", "timestamp", "ts" or "_time": a
// number of seconds since 1970 (UTC) or ISO 8601 text ("2026-11-23T10:12:00Z", fractions and
// +HH:MM offsets allowed; without a zone: local time). The kind is "kind": rollout (duration in
// "duration_s" or "duration" seconds, or "duration_ms"), extraction ("ok": true/false), error;
// any other kind is kept as `other`. `explain`: say why a line is not JSON (nlohmann's message);
// without it the reason is short and the parse cheaper. Never throws.
EventLine read_event_line(std::string_view line, bool explain = true);

// An ISO 8601 time as seconds since 1970 (UTC); nullopt when malformed.
std::optional<double> parse_event_time(std::string_view text);

struct EventLog {
  std::vector<stats::HealthEvent> events; // in file order
  size_t lines = 0;                       // complete lines seen (a last line without newline included)
  size_t unreadable = 0;
  bool truncated = false;             // stopped keeping events at max_events
  std::optional<std::string> warning; // the first problem, as "file:line: why", and the count
};

// Splits bytes fed in any chunks into lines and reads them; the same bytes in other chunks give
// the same log.
class EventLogParser {
public:
  explicit EventLogParser(std::string name, size_t max_events = k_max_events)
      : m_name(std::move(name)), m_max_events(max_events) {}
  void feed(std::string_view bytes);
  // The last line without its newline, then the log.
  EventLog finish();

private:
  void take_line(std::string_view line);
  void problem(const std::string& why);

  std::string m_name;
  size_t m_max_events;
  std::string m_partial;
  bool m_skipping = false; // inside a line longer than k_max_event_line
  EventLog m_log;
  std::optional<std::string> m_first_problem;
};

// The whole file; a missing file is nullopt (a file that is not regular gives a warning).
std::optional<EventLog> read_event_log(const std::filesystem::path& file, size_t max_events = k_max_events);

} // namespace seedrun::track
