#pragma once
// The variance and verdict reports of seed 003, in markdown with a JSON twin, rebuilt from the
// store every time (never appended to) and written atomically:
//   <reports>/baseline_variance_<scale>.md/.json
//   <reports>/experiment_<name>_<scale>.md/.json
#include "seedrun/config/config.hpp"
#include "seedrun/report/arm_data.hpp"
#include "seedrun/stats/stats.hpp"
#include "seedrun/store/store.hpp"
#include "seedrun/util/time.hpp"

#include <filesystem>
#include <vector>

#include <nlohmann/json_fwd.hpp>

namespace seedrun::report {

// Writes the reports of one campaign; returns the paths written. An experiment whose baseline
// is missing gets a report saying so rather than invented numbers.
std::vector<std::filesystem::path> write_reports(const config::Config& cfg, store::Store& store,
                                                 const store::Campaign& campaign, util::TimePoint now);

// Report texts, separated from the writing for tests.
struct ReportText {
  std::string markdown;
  std::string json;
};
ReportText baseline_report(const store::Campaign& campaign, const ArmData& arm, util::TimePoint now);
ReportText experiment_report(const store::Campaign& campaign, const store::Campaign* baseline_campaign,
                             const ArmData& base, const ArmData& exp, util::TimePoint now);

std::filesystem::path baseline_report_path(const config::Config& cfg, long long train_tokens);
std::filesystem::path experiment_report_path(const config::Config& cfg, const std::string& name,
                                             long long train_tokens);

// The `seedrun compare --json` object: baseline/experiment summaries, delta, sigma_units,
// cohens_d, effect_size, welch_p, ci95, seeds_needed_80, verdict, label (null when undefined).
nlohmann::json comparison_json(const stats::Comparison& c);
// The same comparison as human-readable lines.
std::string comparison_text(const stats::Comparison& c, const std::string& metric);

} // namespace seedrun::report
