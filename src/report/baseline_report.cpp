#include "seedrun/report/format.hpp"
#include "seedrun/report/report_parts.hpp"
#include "seedrun/report/reports.hpp"
#include "seedrun/util/json.hpp"

#include <cmath>
#include <fmt/format.h>
#include <fmt/ranges.h>
#include <nlohmann/json.hpp>

namespace seedrun::report {

using util::json_or_null;

nlohmann::json summary_json(const stats::Summary& s) {
  return {{"n", s.n},
          {"mean", json_or_null(s.mean)},
          {"std", json_or_null(s.std)},
          {"min", json_or_null(s.min)},
          {"max", json_or_null(s.max)}};
}

namespace {

nlohmann::json seed_json(const SeedResult& s, const std::string& metric) {
  return {{"seed", s.seed},       {"attempt", s.attempt},           {"phase", s.phase},
          {"state", s.state},     {metric, json_or_null(s.metric)}, {"wall_time", json_or_null(s.wall_time)},
          {"counted", s.counted}, {"unreliable", s.unreliable},     {"reason", json_or_null(s.reason)}};
}

std::string dump(const nlohmann::json& j) {
  return j.dump(2, ' ', false, nlohmann::json::error_handler_t::replace);
}

// The report's JSON text with its top-level "seeds" array written one seed at a time, byte for
// byte what dump() of the whole document gives: a baseline of 100,000 seeds never holds them
// as one JSON tree (~0.7 KB a seed, 72 MB). The document carries a placeholder string there,
// found by its key at the top level's indentation (a string value cannot hold a raw newline).
std::string dump_with_seeds(nlohmann::json doc, const ArmData& arm, const std::string& metric) {
  const std::string placeholder = "\x01seeds\x01";
  doc["seeds"] = placeholder;
  std::string text = dump(doc);
  const std::string field = "\n  \"seeds\": " + dump(nlohmann::json(placeholder));
  size_t at = text.find(field);
  if (at == std::string::npos) { // cannot happen; the whole tree then, as before
    doc["seeds"] = seeds_json(arm, metric);
    return dump(doc);
  }
  size_t value_at = at + field.size() - dump(nlohmann::json(placeholder)).size();
  std::string out;
  // Reserved, not filled: pages never written are not resident, and the text is never copied
  // to a larger buffer on the way (a seed is ~250 bytes of it).
  out.reserve(text.size() + 512 * arm.seeds.size() + 16);
  out.append(text, 0, value_at);
  if (arm.seeds.empty()) {
    out += "[]";
  }
  for (size_t i = 0; i < arm.seeds.size(); ++i) {
    std::string element = dump(seed_json(arm.seeds[i], metric)); // indented as at depth 0
    out += i == 0 ? "[\n    " : "    ";
    for (char c : element) {
      out += c;
      if (c == '\n') {
        out += "    "; // two levels deeper: inside the document, inside the array
      }
    }
    out += i + 1 < arm.seeds.size() ? ",\n" : "\n  ]";
  }
  out.append(text, at + field.size());
  return out;
}

} // namespace

nlohmann::json seeds_json(const ArmData& arm, const std::string& metric) {
  auto out = nlohmann::json::array();
  for (const auto& s : arm.seeds) {
    out.push_back(seed_json(s, metric));
  }
  return out;
}

std::string stats_table(const std::string& metric, const stats::Summary& m, const stats::Summary& w) {
  std::string out = "| Metric | Mean | Std | Min | Max |\n|--------|------|-----|-----|-----|\n";
  out += md_row({metric, fixed(m.mean), fixed(m.std, 4, m.n < 2 ? "n/a (n<2)" : "n/a"), fixed(m.min), fixed(m.max)});
  out += md_row({"wall_time (s)", fixed(w.mean, 2), fixed(w.std, 2, w.n < 2 ? "n/a (n<2)" : "n/a"), fixed(w.min, 2),
                 fixed(w.max, 2)});
  return out;
}

std::string seeds_table(const std::string& metric, const std::vector<std::pair<std::string, const ArmData*>>& arms) {
  std::string out = fmt::format("| Arm | Seed | Attempt | State | {} | wall_time (s) | Counted |\n", metric);
  out += "|-----|------|---------|-------|------|---------------|---------|\n";
  for (const auto& [label, arm] : arms) {
    for (const auto& s : arm->seeds) {
      std::string value =
          s.metric ? (std::isfinite(*s.metric) ? fixed(s.metric) : (std::isnan(*s.metric) ? "nan" : "inf")) : "-";
      out += md_row({label, std::to_string(s.seed), std::to_string(s.attempt), std::string(to_string(s.state)), value,
                     fixed(s.wall_time, 2, "-"), s.counted ? "yes" : "no"});
    }
  }
  return out;
}

ReportText baseline_report(const store::Campaign& campaign, const ArmData& arm, util::TimePoint now,
                           const std::vector<SecondaryMetric>& secondary) {
  auto m = stats::describe(arm.metric);
  auto w = stats::describe(arm.wall_time);
  std::string scale = config::scale_label(campaign.train_tokens);
  std::string md = fmt::format("# Baseline Variance: {} tokens\n\n", scale);
  md += fmt::format("**Campaign:** `{}` | **Command:** `{}` | **Generated:** {}\n\n", campaign.key,
                    fmt::join(campaign.command, " "), util::iso8601(now));
  md += "**Identity:** " + identity_line(campaign) + "\n\n";
  md += arm.metric.size() == arm.seeds.size()
            ? fmt::format("## Baseline Statistics (N={} runs)\n\n", m.n)
            : fmt::format("## Baseline Statistics (N={} runs; {} of {} seeds not counted, listed below)\n\n", m.n,
                          arm.seeds.size() - arm.metric.size(), arm.seeds.size());
  md += stats_table(campaign.metric, m, w) + secondary_rows(secondary); // no row with one metric
  md += "\nσ is the sample standard deviation (n−1 denominator).\n\n";
  md += "## Significance Thresholds\n\n";
  if (m.std && *m.std > 0) {
    bool lower = campaign.goal != store::Goal::maximize;
    md += fmt::format("- 1σ = {}: a difference smaller than this is noise.\n", fixed(m.std));
    md += fmt::format("- 2σ = {}: an experiment must reach {} {} {} to be declared a winner; between 1σ and 2σ "
                      "is suggestive but inconclusive.\n\n",
                      fixed(2 * *m.std), campaign.metric, lower ? "≤" : "≥",
                      fixed(lower ? *m.mean - 2 * *m.std : *m.mean + 2 * *m.std));
  } else {
    md += m.n < 2 ? "- Fewer than two completed seeds: σ is undefined, so no threshold can be given.\n\n"
                  : "- σ is zero: every seed gave the same value, so seed noise could not be measured.\n\n";
  }
  md += "## Per-seed Results\n\n" + seeds_table(campaign.metric, {{"baseline", &arm}});
  if (!arm.notes.empty()) {
    md += "\n## Excluded Runs\n\n";
    for (const auto& n : arm.notes) {
      md += "- " + n + "\n";
    }
    if (arm.first_failure) {
      md += fmt::format("\nFirst failing seed: seed {} {} ({})", arm.first_failure->seed, arm.first_failure->state,
                        arm.first_failure->reason);
      if (!arm.first_failure->tail.empty()) {
        md += fmt::format(". Last lines of `{}`:\n\n```\n{}\n```\n", arm.first_failure->log_path,
                          fmt::join(arm.first_failure->tail, "\n"));
      } else {
        md += "; its log is empty or gone.\n";
      }
    }
  }
  if (!arm.log_warnings.empty()) {
    md += "\n## Log Warnings\n\n";
    for (const auto& warning : arm.log_warnings) {
      md += "- " + warning + "\n";
    }
  }
  md += fmt::format("\nAttempts recorded: {}.\n", arm.attempts);
  nlohmann::json j = {
      {"schema", "seedrun.baseline_report/1"},
      {"campaign", campaign.key},
      {"scale", scale},
      {"train_tokens", campaign.train_tokens},
      {"command", campaign.command},
      {"identity", identity_json(campaign)},
      {"metric", {{"name", campaign.metric}, {"goal", campaign.goal}}},
      {"generated_at", util::iso8601(now)},
      {"baseline", summary_json(m)},
      {"wall_time", summary_json(w)},
      {"thresholds",
       {{"sigma1", json_or_null(m.std)}, {"sigma2", json_or_null(m.std ? std::optional(2 * *m.std) : std::nullopt)}}},
      {"seeds", nullptr}, // written by dump_with_seeds
      {"excluded", arm.notes},
      {"log_warnings", arm.log_warnings},
      {"attempts", arm.attempts}};
  if (!secondary.empty()) { // absent with one metric: the JSON stays as it was
    j["secondary_metrics"] = secondary_arm_json(secondary);
  }
  return {md, dump_with_seeds(std::move(j), arm, campaign.metric) + "\n"};
}

} // namespace seedrun::report
