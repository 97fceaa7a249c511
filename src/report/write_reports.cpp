#include "seedrun/report/reports.hpp"
#include "seedrun/util/atomic_file.hpp"

#include <fmt/format.h>

namespace seedrun::report {

std::string baseline_report_filename(const store::Campaign& baseline) {
  std::string scale = config::scale_label(baseline.train_tokens);
  std::string plain = "baseline_" + scale;
  // baseline_<scale>[_<suffix>] → baseline_variance_<scale>[_<suffix>].md
  std::string suffix = baseline.key.rfind(plain, 0) == 0 ? baseline.key.substr(plain.size()) : "_" + baseline.key;
  return fmt::format("baseline_variance_{}{}.md", scale, suffix);
}

std::filesystem::path baseline_report_path(const config::Config& cfg, const store::Campaign& baseline) {
  return cfg.paths.reports / baseline_report_filename(baseline);
}

std::filesystem::path experiment_report_path(const config::Config& cfg, const std::string& name,
                                             long long train_tokens) {
  return cfg.paths.reports / fmt::format("experiment_{}_{}.md", name, config::scale_label(train_tokens));
}

std::vector<std::filesystem::path> write_reports(const config::Config& cfg, store::Store& store,
                                                 const store::Campaign& campaign, util::TimePoint now) {
  ReportText text;
  std::filesystem::path md_path;
  if (campaign.kind == "baseline") {
    text = baseline_report(campaign, collect_arm(store, campaign, &cfg.metric), now,
                           secondary_metrics(store, cfg, campaign, std::nullopt));
    md_path = baseline_report_path(cfg, campaign);
  } else {
    auto ca = assess_experiment(store, cfg, campaign);
    ca.secondary = secondary_metrics(store, cfg, campaign, ca.baseline);
    text = experiment_report(campaign, ca, now);
    md_path = experiment_report_path(cfg, campaign.name, campaign.train_tokens);
  }
  auto json_path = md_path;
  json_path.replace_extension(".json");
  util::write_file_atomic(json_path, text.json);
  util::write_file_atomic(md_path, text.markdown);
  return {md_path, json_path};
}

} // namespace seedrun::report
