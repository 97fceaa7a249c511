#pragma once
// The variance and verdict reports of seed 003, in markdown with a JSON twin, rebuilt from the
// store every time (never appended to) and written atomically:
//   <reports>/baseline_variance_<scale>.md/.json
//   <reports>/experiment_<name>_<scale>.md/.json
#include "seedrun/config/config.hpp"
#include "seedrun/report/arm_data.hpp"
#include "seedrun/report/assessment.hpp"
#include "seedrun/stats/stats.hpp"
#include "seedrun/store/store.hpp"
#include "seedrun/util/time.hpp"

#include <filesystem>
#include <nlohmann/json_fwd.hpp>
#include <vector>

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
// `secondary`: the campaign's other metrics (secondary_metrics() with the baseline as its
// `experiment`): a row each in the statistics table and an entry each in the JSON.
ReportText baseline_report(const store::Campaign& campaign, const ArmData& arm, util::TimePoint now,
                           const std::vector<SecondaryMetric>& secondary = {});
ReportText experiment_report(const store::Campaign& campaign, const CampaignAssessment& ca, util::TimePoint now);

// <reports>/baseline_variance_<scale>.md for the campaign baseline_<scale> (the first baseline
// at a scale), baseline_variance_<scale>_<suffix>.md for baseline_<scale>_<suffix> (another
// command or other code at the same scale): one file per baseline, never shared.
std::filesystem::path baseline_report_path(const config::Config& cfg, const store::Campaign& baseline);
// The file name alone (what an experiment report links).
std::string baseline_report_filename(const store::Campaign& baseline);
// "command `...`; code 1a2b3c4d (train.py); git 0badc0de (+dirty); executor local" from the
// campaign's stored identity, or a sentence saying it was recorded before identities.
std::string identity_line(const store::Campaign& campaign);
// The identity as stored (JSON object), plus "origin"; null when absent.
nlohmann::json identity_json(const store::Campaign& campaign);
// The experiment report's identity paragraph: the experiment's code and its baseline's report
// file (linked), warning when the baseline ran other code (--reuse-baseline).
std::string identity_lines(const store::Campaign& experiment, const store::Campaign* baseline);
std::filesystem::path experiment_report_path(const config::Config& cfg, const std::string& name,
                                             long long train_tokens);

// The `seedrun compare --json` object: baseline/experiment summaries, delta, sigma_units,
// cohens_d, effect_size, welch_p, ci95, seeds_needed_80, verdict, label (null when undefined).
nlohmann::json comparison_json(const stats::Comparison& c);
// The same comparison as human-readable lines.
std::string comparison_text(const stats::Comparison& c, const std::string& metric);

} // namespace seedrun::report
