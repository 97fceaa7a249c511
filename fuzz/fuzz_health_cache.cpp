// The health cache reader (report/health_cache.hpp): `status`, `refresh` and `analyze` read
// <state>/health/campaign-<id>.json, which a crash, a full disk or a hand edit can leave as any
// bytes. Whatever they are, reading never crashes or throws (a bad cache reads as empty and is
// rebuilt), and what it returns survives a write and a second read unchanged.
#include "fuzz_support.hpp"
#include "seedrun/report/health_cache.hpp"

#include <cmath>
#include <spdlog/spdlog.h>

namespace {

bool same_value(double a, double b) {
  return (std::isnan(a) && std::isnan(b)) || a == b;
}

bool same_finding(const seedrun::stats::Finding& a, const seedrun::stats::Finding& b) {
  return a.rule == b.rule && a.metric == b.metric && a.severity == b.severity && a.step == b.step &&
         a.first_step == b.first_step && a.last_step == b.last_step && a.time_from == b.time_from &&
         a.time_to == b.time_to && same_value(a.value, b.value) && same_value(a.threshold, b.threshold) &&
         a.count == b.count && a.rule_text == b.rule_text && a.action == b.action && a.detail == b.detail;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const bool quiet = [] {
    spdlog::set_level(spdlog::level::off);
    return true;
  }();
  (void)quiet;
  const auto dir = seedrun::fuzz::scratch_dir();
  const auto path = dir / "campaign-1.json";
  seedrun::fuzz::write_file(path, std::string_view(reinterpret_cast<const char*>(data), size));
  auto first = seedrun::report::read_health_cache(path);
  const auto again = dir / "campaign-2.json";
  std::filesystem::remove(again); // the writer merges into what is there: start from nothing
  seedrun::report::write_health_cache(again, first);
  auto second = seedrun::report::read_health_cache(again);
  SEEDRUN_FUZZ_CHECK(first.runs.size() == second.runs.size());
  for (const auto& [id, a] : first.runs) {
    auto it = second.runs.find(id);
    SEEDRUN_FUZZ_CHECK(it != second.runs.end());
    const auto& b = it->second;
    SEEDRUN_FUZZ_CHECK(a.fingerprint == b.fingerprint && a.settings == b.settings && a.final == b.final &&
                       a.checked_at == b.checked_at && a.evaluated == b.evaluated && a.warnings == b.warnings);
    SEEDRUN_FUZZ_CHECK(a.findings.size() == b.findings.size());
    for (size_t i = 0; i < a.findings.size(); ++i) {
      SEEDRUN_FUZZ_CHECK(same_finding(a.findings[i], b.findings[i]));
    }
  }
  return 0;
}
