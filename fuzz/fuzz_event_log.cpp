// The events-file reader (track/event_log.hpp): the same bytes parsed whole, in chunks of
// random sizes, and read from a file give the same log (events, lines, unreadable count,
// warning); the health rules over the events it gives stay in range. No input crashes or hangs
// it, and no line over the limit is kept in memory.
#include "scanner_common.hpp"
#include "seedrun/track/event_log.hpp"

#include <cmath>
#include <spdlog/spdlog.h>

namespace {

bool same_event(const seedrun::stats::HealthEvent& a, const seedrun::stats::HealthEvent& b) {
  return seedrun::fuzz::same_value(a.time, b.time) && a.kind == b.kind &&
         seedrun::fuzz::same_value(a.duration, b.duration) && a.ok == b.ok && a.step == b.step;
}

void check_same(const seedrun::track::EventLog& a, const seedrun::track::EventLog& b) {
  SEEDRUN_FUZZ_CHECK(a.lines == b.lines);
  SEEDRUN_FUZZ_CHECK(a.unreadable == b.unreadable);
  SEEDRUN_FUZZ_CHECK(a.truncated == b.truncated);
  SEEDRUN_FUZZ_CHECK(a.warning == b.warning);
  SEEDRUN_FUZZ_CHECK(a.events.size() == b.events.size());
  for (size_t i = 0; i < a.events.size(); ++i) {
    SEEDRUN_FUZZ_CHECK(same_event(a.events[i], b.events[i]));
  }
}

void check_file(const std::string& text, const seedrun::track::EventLog& a, size_t max_events) {
  auto path = seedrun::fuzz::scratch_dir() / "events.jsonl";
  seedrun::fuzz::write_file(path, text);
  auto file = seedrun::track::read_event_log(path, max_events);
  SEEDRUN_FUZZ_CHECK(file.has_value());
  auto named = *file;
  named.warning = a.warning ? std::optional<std::string>(*a.warning) : std::nullopt; // named after the path
  SEEDRUN_FUZZ_CHECK(file->warning.has_value() == a.warning.has_value());
  check_same(a, named);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const bool quiet = [] {
    spdlog::set_level(spdlog::level::off);
    return true;
  }();
  (void)quiet;
  std::string_view input{reinterpret_cast<const char*>(data), size};
  seedrun::fuzz::Splitter splitter(input);
  std::string text = seedrun::fuzz::expand(input);
  constexpr size_t k_max_events = 64; // small, so that truncation is reached too

  seedrun::track::EventLogParser whole("events.jsonl", k_max_events);
  whole.feed(text);
  auto a = whole.finish();
  seedrun::track::EventLogParser chunked("events.jsonl", k_max_events);
  for (size_t at = 0; at < text.size();) {
    size_t n = std::min(splitter.next(), text.size() - at);
    chunked.feed(std::string_view(text).substr(at, n));
    at += n;
  }
  check_same(a, chunked.finish());
  SEEDRUN_FUZZ_CHECK(a.events.size() <= k_max_events);
  SEEDRUN_FUZZ_CHECK(a.events.size() + a.unreadable <= a.lines);

  // The file read shares the parser; it is checked on inputs small enough to keep the target fast.
  if (text.size() <= (size_t{64} << 10)) {
    check_file(text, a, k_max_events);
  }
  for (const auto& e : a.events) {
    SEEDRUN_FUZZ_CHECK(std::isfinite(e.time) && e.time >= 0);
    SEEDRUN_FUZZ_CHECK(e.kind != seedrun::stats::EventKind::rollout || std::isnan(e.duration) || e.duration >= 0);
  }
  seedrun::config::HealthOptions o;
  auto t =
      seedrun::stats::total_events(a.events, a.events.empty() ? std::nullopt : std::optional<double>(a.events[0].time));
  auto r = seedrun::stats::evaluate_health({}, t, o);
  for (const auto& c : r.checks) {
    if (c.value && (c.rule == "extraction_rate" || c.rule == "error_rate")) {
      SEEDRUN_FUZZ_CHECK(*c.value >= 0 && *c.value <= 1);
    }
  }
  return 0;
}
