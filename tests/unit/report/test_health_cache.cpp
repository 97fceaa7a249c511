// The per-campaign cache of health findings (report/health_cache.hpp): what is written reads
// back the same (non-finite values included), and a cache that cannot be read is empty, never
// an error (the next refresh rebuilds it).
#include "seedrun/report/health_cache.hpp"
#include "seedrun/util/atomic_file.hpp"

#include <cmath>
#include <doctest/doctest.h>
#include <fmt/format.h>
#include <unistd.h>

namespace fs = std::filesystem;
using namespace seedrun;

namespace {

struct TempDir {
  fs::path dir = fs::temp_directory_path() / fmt::format("seedrun-health-cache-{}-{}", ::getpid(), rand());
  TempDir() { fs::create_directories(dir); }
  ~TempDir() { fs::remove_all(dir); }
};

} // namespace

TEST_CASE("a health cache reads back what was written, NaN and infinity included") {
  TempDir t;
  report::HealthCache cache;
  report::CachedRunHealth h;
  h.fingerprint = "abc";
  h.settings = "def";
  h.final = true;
  h.checked_at = "2026-11-23T10:00:00Z";
  h.evaluated = true;
  stats::Finding nan;
  nan.rule = "nonfinite";
  nan.metric = "loss";
  nan.step = 1010;
  nan.value = std::nan("");
  nan.threshold = HUGE_VAL;
  nan.count = 2;
  stats::Finding p95;
  p95.rule = "rollout_p95";
  p95.metric = "rollout_duration_p95";
  p95.severity = stats::Severity::warning; // (rollout_p95 is a problem; here the severity round trip)
  p95.time_from = 1795421520.5;
  p95.time_to = 1795428720;
  p95.value = 209.25;
  p95.threshold = 120;
  p95.count = 400;
  p95.action = "Check inference engine";
  h.findings = {nan, p95};
  h.warnings = {"events.jsonl:3: not JSON"};
  cache.runs[7] = h;
  cache.runs[8] = report::CachedRunHealth{"x", "y", false, "2026-11-23T10:05:00Z", false, {}, {}};
  auto path = report::health_cache_path(t.dir, 3);
  CHECK(path == t.dir / "health" / "campaign-3.json");
  report::write_health_cache(path, cache);

  auto back = report::read_health_cache(path);
  REQUIRE(back.runs.size() == 2);
  const auto& r = back.runs.at(7);
  CHECK(r.fingerprint == "abc");
  CHECK(r.settings == "def");
  CHECK(r.final);
  CHECK(r.evaluated);
  REQUIRE(r.findings.size() == 2);
  CHECK(std::isnan(r.findings[0].value));
  CHECK(std::isinf(r.findings[0].threshold));
  CHECK(r.findings[0].step == std::optional<long long>(1010));
  CHECK(r.findings[0].count == 2);
  CHECK(r.findings[1].time_from == std::optional<double>(1795421520.5));
  CHECK(r.findings[1].value == 209.25);
  CHECK(r.findings[1].severity == stats::Severity::warning);
  CHECK(r.findings[0].severity == stats::Severity::problem);
  CHECK_FALSE(r.findings[1].step.has_value());
  CHECK(r.warnings == std::vector<std::string>{"events.jsonl:3: not JSON"});
  CHECK(report::health_short(r) == "2 findings");
  CHECK(report::health_phrase(r.findings, true) == "1 problem, 1 warning: nonfinite at step 1010, rollout_p95");
  CHECK(report::health_short(back.runs.at(8)) == "no data");
}

TEST_CASE("a cache that is missing, not JSON, of another version or with wrong types reads as empty") {
  TempDir t;
  auto path = t.dir / "campaign-1.json";
  CHECK(report::read_health_cache(path).runs.empty());
  // a step written as a float too large for an integer
  const std::string huge_step =
      "{\"version\": 1, \"runs\": {\"1\": {\"fingerprint\": \"a\", \"settings\": \"b\", \"final\": true, "
      "\"checked_at\": \"t\", \"evaluated\": true, \"warnings\": [], \"findings\": [{\"rule\": \"r\", \"metric\": "
      "\"m\", \"severity\": \"problem\", \"step\": 1e300, \"value\": 1, \"threshold\": 1, \"rule_text\": \"\", "
      "\"action\": \"\", \"detail\": \"\"}]}}}";
  const std::vector<std::string> texts = {"not json", "{\"version\": 2, \"runs\": {}}", "[]",
                                          "{\"version\": 1, \"runs\": {\"x\": {}}}", huge_step};
  for (const auto& text : texts) {
    CAPTURE(text);
    util::write_file_atomic(path, text);
    CHECK(report::read_health_cache(path).runs.empty());
  }
}
