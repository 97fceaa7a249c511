// Text and JSON of `seedrun health` (health_report.hpp).
#include "seedrun/report/health_report.hpp"

#include "seedrun/util/json.hpp"
#include "seedrun/util/strings.hpp"
#include "seedrun/util/time.hpp"

#include <chrono>
#include <cmath>
#include <fmt/format.h>

namespace seedrun::report {
namespace {

const char* severity_name(stats::Severity s) {
  return s == stats::Severity::problem ? "problem" : "warning";
}

const char* status_name(stats::RuleCheck::Status s) {
  switch (s) {
  case stats::RuleCheck::Status::ok: return "ok";
  case stats::RuleCheck::Status::miss: return "miss";
  case stats::RuleCheck::Status::no_data: break;
  }
  return "no_data";
}

std::string iso(double t) {
  auto tp = util::TimePoint(std::chrono::duration_cast<util::Clock::duration>(std::chrono::duration<double>(t)));
  return util::iso8601(tp);
}

std::optional<std::string> iso_of(const std::optional<double>& t) {
  return t ? std::optional<std::string>(iso(*t)) : std::nullopt;
}

std::string where(const stats::Finding& f) {
  if (f.step) {
    return fmt::format("step {}", *f.step);
  }
  if (f.time_from && f.time_to) {
    return fmt::format("{} .. {}", iso(*f.time_from), iso(*f.time_to));
  }
  return "-";
}

std::string value_text(double v) {
  if (std::isnan(v)) {
    return "nan";
  }
  if (std::isinf(v)) {
    return v > 0 ? "inf" : "-inf";
  }
  return fmt::format("{:.4g}", v);
}

// A non-finite value as JSON: null for a threshold, the word for a value (NaN is the answer).
nlohmann::json value_json(double v) {
  return std::isfinite(v) ? nlohmann::json(v) : nlohmann::json(value_text(v));
}

nlohmann::json finding_json(const stats::Finding& f) {
  return {{"rule", f.rule},
          {"metric", f.metric},
          {"severity", severity_name(f.severity)},
          {"step", util::json_or_null(f.step)},
          {"first_step", util::json_or_null(f.first_step)},
          {"last_step", util::json_or_null(f.last_step)},
          {"time_from", util::json_or_null(iso_of(f.time_from))},
          {"time_to", util::json_or_null(iso_of(f.time_to))},
          {"value", value_json(f.value)},
          {"threshold", util::json_or_null(std::optional<double>(f.threshold))},
          {"count", f.count},
          {"rule_text", f.rule_text},
          {"action", f.action},
          {"detail", f.detail}};
}

// The rule as passing reads: "KL stable", "finite loss".
std::string check_label(const stats::RuleCheck& c) {
  if (c.rule == "nonfinite") {
    return fmt::format("finite {}", c.metric);
  }
  const std::pair<const char*, const char*> labels[] = {
      {"kl_spike", "no KL spike"},    {"kl_stable", "KL stable"},
      {"grad_norm", "grad norm"},     {"loss_not_decreasing", "loss decreasing"},
      {"rollout_p95", "rollout p95"}, {"extraction_rate", "extraction rate"},
      {"error_rate", "error rate"}};
  for (const auto& [rule, label] : labels) {
    if (c.rule == rule) {
      return label;
    }
  }
  return c.rule;
}

void run_text(const RunHealth& run, std::string& out) {
  out += fmt::format("{}: {}\n", run.label,
                     healthy(run) ? (run.result.findings.empty() ? "healthy" : "healthy, with warnings") : "UNHEALTHY");
  if (run.dir != run.label) {
    out += fmt::format("  files: {}\n", run.dir);
  }
  for (const auto& f : run.result.findings) {
    out += fmt::format("  {:<7}  {:<20} {:<12} {:>10}  {}\n",
                       f.severity == stats::Severity::problem ? "PROBLEM" : "warning", f.metric, where(f),
                       value_text(f.value), f.detail);
    out += fmt::format("           rule: {}; action: {}\n", f.rule_text, f.action);
  }
  std::vector<std::string> ok;
  std::vector<std::string> no_data;
  for (const auto& c : run.result.checks) {
    auto name = check_label(c);
    if (c.status == stats::RuleCheck::Status::ok) {
      ok.push_back(name);
    } else if (c.status == stats::RuleCheck::Status::no_data) {
      no_data.push_back(c.note.empty() ? name : fmt::format("{} ({})", name, c.note));
    }
  }
  if (!ok.empty()) {
    out += fmt::format("  ok: {}\n", util::join(ok, ", "));
  }
  if (!no_data.empty()) {
    out += fmt::format("  not evaluated: {}\n", util::join(no_data, ", "));
  }
  for (const auto& w : run.warnings) {
    out += fmt::format("  note: {}\n", w);
  }
}

} // namespace

nlohmann::json health_finding_json(const stats::Finding& f) {
  return finding_json(f);
}

bool healthy(const RunHealth& r) {
  for (const auto& f : r.result.findings) {
    if (f.severity == stats::Severity::problem) {
      return false;
    }
  }
  return true;
}

std::string health_text(const HealthReport& r) {
  std::string out;
  if (r.window && r.window_from) {
    out += fmt::format("events of the last {} (since {})\n\n", *r.window, *r.window_from);
  }
  if (r.runs.empty()) {
    out += "no runs to check\n";
  }
  for (size_t i = 0; i < r.runs.size(); ++i) {
    if (i > 0) {
      out += "\n";
    }
    run_text(r.runs[i], out);
  }
  return out;
}

nlohmann::json health_json(const HealthReport& r) {
  const auto& t = r.thresholds;
  nlohmann::json j{{"generated_at", r.generated_at},
                   {"window", util::json_or_null(r.window)},
                   {"window_from", util::json_or_null(r.window_from)},
                   {"thresholds",
                    {{"kl_metric", t.kl_metric},
                     {"kl_stable_below", t.kl_stable_below},
                     {"kl_spike_above", t.kl_spike_above},
                     {"grad_norm_metric", t.grad_norm_metric},
                     {"grad_norm_below", t.grad_norm_below},
                     {"loss_metric", t.loss_metric},
                     {"loss_evals", t.loss_evals},
                     {"finite_metrics", t.finite_metrics},
                     {"rollout_p95_below_seconds", t.rollout_p95_below_seconds},
                     {"extraction_rate_above", t.extraction_rate_above},
                     {"error_rate_below", t.error_rate_below}}},
                   {"runs", nlohmann::json::array()}};
  for (const auto& run : r.runs) {
    nlohmann::json rj{{"label", run.label},
                      {"dir", run.dir},
                      {"campaign", util::json_or_null(run.campaign)},
                      {"arm", util::json_or_null(run.arm)},
                      {"seed", util::json_or_null(run.seed)},
                      {"healthy", healthy(run)},
                      {"events_file", run.events_file},
                      {"events", run.events},
                      {"events_outside_window", run.events_outside_window},
                      {"findings", nlohmann::json::array()},
                      {"checks", nlohmann::json::array()},
                      {"warnings", run.warnings}};
    for (const auto& f : run.result.findings) {
      rj["findings"].push_back(finding_json(f));
    }
    for (const auto& c : run.result.checks) {
      rj["checks"].push_back({{"rule", c.rule},
                              {"metric", c.metric},
                              {"status", status_name(c.status)},
                              {"value", util::json_or_null(c.value)},
                              {"n", c.n},
                              {"note", c.note}});
    }
    j["runs"].push_back(std::move(rj));
  }
  return j;
}

} // namespace seedrun::report
