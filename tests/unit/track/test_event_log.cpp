// The events file reader (track/event_log.hpp): times as numbers or ISO 8601, the kinds and
// their fields, unreadable lines counted with file:line, bounded lines and event counts, and
// the same result whatever the chunks the bytes arrive in.
#include "seedrun/track/event_log.hpp"

#include <cmath>
#include <doctest/doctest.h>
#include <fstream>

using namespace seedrun;
using track::EventLine;

TEST_CASE("an ISO 8601 time is read in UTC, with fractions and offsets") {
  CHECK(*track::parse_event_time("2026-11-23T10:12:00Z") == doctest::Approx(1795428720));
  CHECK(*track::parse_event_time("2026-11-23T10:12:00.250Z") == doctest::Approx(1795428720.25));
  CHECK(*track::parse_event_time("2026-11-23T12:12:00+02:00") == doctest::Approx(1795428720));
  CHECK(*track::parse_event_time("2026-11-23 05:12:00.5-0500") == doctest::Approx(1795428720.5));
  CHECK_FALSE(track::parse_event_time("2026-11-23T10:12:00+25:00"));
  CHECK_FALSE(track::parse_event_time("2026-11-23T10:12:00Zjunk"));
  CHECK_FALSE(track::parse_event_time("yesterday"));
  CHECK_FALSE(track::parse_event_time("2026-11-23T10:12:00."));
}

TEST_CASE("each kind is read with its fields") {
  auto r =
      track::read_event_line(R"({"time": "2026-11-23T10:12:00Z", "kind": "rollout", "duration_s": 41.5, "step": 12})");
  REQUIRE(r.kind == EventLine::Kind::event);
  CHECK(r.event.kind == stats::EventKind::rollout);
  CHECK(r.event.time == doctest::Approx(1795428720));
  CHECK(r.event.duration == doctest::Approx(41.5));
  CHECK(*r.event.step == 12);
  r = track::read_event_line(R"({"ts": 1795428720.5, "kind": "rollout", "duration_ms": 1500})");
  CHECK(r.event.duration == doctest::Approx(1.5));
  CHECK(r.event.time == doctest::Approx(1795428720.5));
  r = track::read_event_line(R"({"time": 1, "kind": "rollout"})");
  REQUIRE(r.kind == EventLine::Kind::event);
  CHECK(std::isnan(r.event.duration)); // counted as a rollout, not in the p95
  r = track::read_event_line(R"({"_time": 5, "kind": "extraction", "ok": false})");
  CHECK(r.event.kind == stats::EventKind::extraction);
  CHECK_FALSE(r.event.ok);
  r = track::read_event_line(R"({"timestamp": 5, "kind": "error", "message": "OOM"})");
  CHECK(r.event.kind == stats::EventKind::error);
  r = track::read_event_line(R"({"time": 5, "kind": "checkpoint_saved", "path": "x"})");
  CHECK(r.event.kind == stats::EventKind::other);
  CHECK(track::read_event_line("   \r").kind == EventLine::Kind::blank);
}

TEST_CASE("a line that cannot be read says why") {
  auto why = [](std::string_view line) {
    auto r = track::read_event_line(line);
    CHECK(r.kind == EventLine::Kind::unreadable);
    return r.problem;
  };
  CHECK(why("{\"time\": 5, \"kind\": ").starts_with("not JSON: "));
  CHECK(why("[1, 2]") == "not a JSON object");
  CHECK(why(R"({"kind": "error"})") == "no \"time\" (seconds since 1970, or ISO 8601 text)");
  CHECK(why(R"({"time": "soon", "kind": "error"})") == "\"time\" is neither seconds since 1970 nor an ISO 8601 time");
  CHECK(why(R"({"time": 1795428720000, "kind": "error"})") ==
        "\"time\" is neither seconds since 1970 nor an ISO 8601 time"); // milliseconds
  CHECK(why(R"({"time": 5})") == "no \"kind\" (rollout, extraction, error, ...)");
  CHECK(why(R"({"time": 5, "kind": "rollout", "duration_s": -1})") ==
        "the rollout's duration is not a number of seconds >= 0");
  CHECK(why(R"({"time": 5, "kind": "rollout", "duration_s": NaN})") ==
        "the rollout's duration is not a number of seconds >= 0");
  CHECK(why(R"({"time": 5, "kind": "extraction", "ok": "yes"})") == "an extraction event needs \"ok\": true or false");
}

TEST_CASE("the parser gives the same log whatever the chunks, and names the first bad line") {
  std::string text = "{\"time\": 1, \"kind\": \"rollout\", \"duration_s\": 3}\n"
                     "not json\n"
                     "\n"
                     "{\"time\": 2, \"kind\": \"error\"}\n"
                     "{\"time\": 3}\n"
                     "{\"time\": 4, \"kind\": \"extraction\", \"ok\": true}";
  track::EventLogParser whole("events.jsonl");
  whole.feed(text);
  auto a = whole.finish();
  CHECK(a.events.size() == 3);
  CHECK(a.lines == 6);
  CHECK(a.unreadable == 2);
  REQUIRE(a.warning);
  CHECK(*a.warning ==
        "events.jsonl:2: not JSON: " + track::read_event_line("not json").problem.substr(10) + " (2 lines unreadable)");
  for (size_t chunk : {1, 2, 7, 50}) {
    track::EventLogParser p("events.jsonl");
    for (size_t at = 0; at < text.size(); at += chunk) {
      p.feed(std::string_view(text).substr(at, chunk));
    }
    auto b = p.finish();
    CHECK(b.events.size() == a.events.size());
    CHECK(b.lines == a.lines);
    CHECK(b.warning == a.warning);
  }
}

TEST_CASE("a line longer than the limit is skipped, and events beyond max_events are not kept") {
  std::string text = "{\"time\": 1, \"kind\": \"error\"}\n{\"time\": 2, \"kind\": \"error\", \"pad\": \"" +
                     std::string(track::k_max_event_line, 'x') + "\"}\n{\"time\": 3, \"kind\": \"error\"}\n";
  track::EventLogParser p("e", 1);
  for (size_t at = 0; at < text.size(); at += 4096) {
    p.feed(std::string_view(text).substr(at, 4096));
  }
  auto log = p.finish();
  CHECK(log.lines == 3);
  CHECK(log.unreadable == 1);
  CHECK(log.events.size() == 1);
  CHECK(log.truncated);
  CHECK(*log.warning == "e:2: longer than 1048576 bytes (1 line unreadable); e: only the first 1 events were read");
}

TEST_CASE("read_event_log: a missing file is nullopt, a directory a warning") {
  auto dir = std::filesystem::temp_directory_path() / "seedrun_test_event_log";
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir / "sub");
  CHECK_FALSE(track::read_event_log(dir / "none.jsonl"));
  auto d = track::read_event_log(dir / "sub");
  REQUIRE(d);
  CHECK(d->warning->ends_with("is not a regular file: not read"));
  { std::ofstream(dir / "events.jsonl") << "{\"time\": 1, \"kind\": \"rollout\", \"duration\": 2}\n"; }
  auto log = track::read_event_log(dir / "events.jsonl");
  REQUIRE(log);
  CHECK(log->events.size() == 1);
  CHECK_FALSE(log->warning);
  std::filesystem::remove_all(dir);
}
