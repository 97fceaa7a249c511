// The per-campaign cache of health findings (health_cache.hpp).
#include "seedrun/report/health_cache.hpp"

#include "seedrun/util/atomic_file.hpp"
#include "seedrun/util/json.hpp"

#include <algorithm>
#include <cmath>
#include <fmt/format.h>
#include <fmt/ranges.h>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <type_traits>

namespace seedrun::report {
namespace {

constexpr int k_version = 1;

// Doubles that may be non-finite (a NaN loss is a finding's value): as text when not finite.
nlohmann::json number(double v) {
  if (std::isnan(v)) {
    return "nan";
  }
  if (std::isinf(v)) {
    return v > 0 ? "inf" : "-inf";
  }
  return v;
}

double read_number(const nlohmann::json& j) {
  if (j.is_number()) {
    return j.get<double>();
  }
  auto s = j.is_string() ? j.get<std::string>() : std::string("nan");
  if (s == "inf") {
    return HUGE_VAL;
  }
  if (s == "-inf") {
    return -HUGE_VAL;
  }
  return std::nan("");
}

// A member that may be null; an integer member must hold an integer (a float such as 1e300
// would not convert): anything else makes the cache unreadable (rebuilt by the next refresh).
template <class T> std::optional<T> opt(const nlohmann::json& j, const char* key) {
  auto it = j.find(key);
  if (it == j.end() || it->is_null()) {
    return std::nullopt;
  }
  if (std::is_integral_v<T> && !it->is_number_integer()) {
    throw std::invalid_argument(std::string("not an integer: ") + key);
  }
  return it->get<T>();
}

nlohmann::json finding_to_json(const stats::Finding& f) {
  return {{"rule", f.rule},
          {"metric", f.metric},
          {"severity", f.severity == stats::Severity::problem ? "problem" : "warning"},
          {"step", util::json_or_null(f.step)},
          {"first_step", util::json_or_null(f.first_step)},
          {"last_step", util::json_or_null(f.last_step)},
          {"time_from", util::json_or_null(f.time_from)},
          {"time_to", util::json_or_null(f.time_to)},
          {"value", number(f.value)},
          {"threshold", number(f.threshold)},
          {"count", f.count},
          {"rule_text", f.rule_text},
          {"action", f.action},
          {"detail", f.detail}};
}

stats::Finding finding_from_json(const nlohmann::json& j) {
  stats::Finding f;
  f.rule = j.at("rule").get<std::string>();
  f.metric = j.at("metric").get<std::string>();
  f.severity = j.at("severity").get<std::string>() == "warning" ? stats::Severity::warning : stats::Severity::problem;
  f.step = opt<long long>(j, "step");
  f.first_step = opt<long long>(j, "first_step");
  f.last_step = opt<long long>(j, "last_step");
  f.time_from = opt<double>(j, "time_from");
  f.time_to = opt<double>(j, "time_to");
  f.value = read_number(j.at("value"));
  f.threshold = read_number(j.at("threshold"));
  f.count = opt<size_t>(j, "count").value_or(0);
  f.rule_text = j.at("rule_text").get<std::string>();
  f.action = j.at("action").get<std::string>();
  f.detail = j.at("detail").get<std::string>();
  return f;
}

} // namespace

std::filesystem::path health_cache_path(const std::filesystem::path& state_dir, long long campaign_id) {
  return state_dir / "health" / fmt::format("campaign-{}.json", campaign_id);
}

HealthCache read_health_cache(const std::filesystem::path& path) {
  HealthCache cache;
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) {
    return cache;
  }
  try {
    auto j = nlohmann::json::parse(util::read_file(path));
    if (j.value("version", 0) != k_version) {
      return cache;
    }
    for (const auto& [id, r] : j.at("runs").items()) {
      CachedRunHealth h;
      h.fingerprint = r.at("fingerprint").get<std::string>();
      h.settings = r.at("settings").get<std::string>();
      h.final = r.at("final").get<bool>();
      h.checked_at = r.at("checked_at").get<std::string>();
      h.evaluated = r.at("evaluated").get<bool>();
      for (const auto& f : r.at("findings")) {
        h.findings.push_back(finding_from_json(f));
      }
      h.warnings = r.at("warnings").get<std::vector<std::string>>();
      cache.runs[std::stoll(id)] = std::move(h);
    }
  } catch (const std::exception&) {
    return HealthCache{}; // rebuilt by the next refresh
  }
  return cache;
}

void write_health_cache(const std::filesystem::path& path, const HealthCache& cache) {
  nlohmann::json runs = nlohmann::json::object();
  for (const auto& [id, h] : cache.runs) {
    nlohmann::json findings = nlohmann::json::array();
    for (const auto& f : h.findings) {
      findings.push_back(finding_to_json(f));
    }
    runs[std::to_string(id)] = {{"fingerprint", h.fingerprint}, {"settings", h.settings},   {"final", h.final},
                                {"checked_at", h.checked_at},   {"evaluated", h.evaluated}, {"findings", findings},
                                {"warnings", h.warnings}};
  }
  std::error_code ec;
  std::filesystem::create_directories(path.parent_path(), ec);
  nlohmann::json j{{"version", k_version}, {"runs", runs}};
  util::write_file_atomic(path, util::dump_json(j, 1) + "\n");
}

CachedRunHealth to_cached(const RunHealth& health) {
  CachedRunHealth c;
  c.findings = health.result.findings;
  c.warnings = health.warnings;
  c.evaluated = std::any_of(health.result.checks.begin(), health.result.checks.end(),
                            [](const stats::RuleCheck& k) { return k.status != stats::RuleCheck::Status::no_data; });
  return c;
}

bool healthy(const std::vector<stats::Finding>& findings) {
  return std::none_of(findings.begin(), findings.end(),
                      [](const stats::Finding& f) { return f.severity == stats::Severity::problem; });
}

std::string health_short(const CachedRunHealth& h) {
  if (h.findings.empty()) {
    return h.evaluated ? "ok" : "no data";
  }
  return fmt::format("{} finding{}", h.findings.size(), h.findings.size() == 1 ? "" : "s");
}

std::string health_phrase(const std::vector<stats::Finding>& findings, bool evaluated) {
  size_t problems = 0;
  std::vector<std::string> where;
  for (const auto& f : findings) {
    problems += f.severity == stats::Severity::problem ? 1 : 0;
    where.push_back(f.step ? fmt::format("{} at step {}", f.rule, *f.step) : f.rule);
  }
  if (where.empty()) {
    return evaluated ? "ok" : "no data";
  }
  size_t warnings = where.size() - problems;
  return fmt::format("{} problem{}, {} warning{}: {}", problems, problems == 1 ? "" : "s", warnings,
                     warnings == 1 ? "" : "s", fmt::join(where, ", "));
}

} // namespace seedrun::report
