#pragma once
// The assessment of a stored campaign: the store's numbers through stats::assess(). The
// tracker (finishing, extending), the report writer, `status`, `experiment` and `analyze` all
// call these, so a verdict is never computed twice and never read stale from the store.
#include "seedrun/config/config.hpp"
#include "seedrun/report/arm_data.hpp"
#include "seedrun/report/secondary_metrics.hpp"
#include "seedrun/stats/assessment.hpp"
#include "seedrun/store/store.hpp"

#include <optional>
#include <string>
#include <vector>

namespace seedrun::report {

stats::AssessmentPolicy policy_of(const config::Config& cfg);
stats::Goal goal_of(const store::Campaign& c);

// The baseline an experiment is judged against (same command identity and scale).
std::optional<store::Campaign> baseline_for(store::Store& store, const store::Campaign& experiment);

struct CampaignAssessment {
  std::optional<store::Campaign> baseline; // nullopt: no baseline for this command and scale
  ArmData base, exp;
  stats::Assessment a;
  // The other metrics of `metrics:` (secondary_metrics.hpp): filled by the report writer only,
  // so the tracker's frequent assessments read no more than the primary.
  std::vector<SecondaryMetric> secondary;
  // `seedrun plan`'s second figure, while the experiment has not run its extension seeds: the
  // smallest |d| the counted seeds plus the configured extension seeds would detect.
  int extension_seeds = 0;
  std::optional<double> detectable_d_with_extension;
  // INCOMPLETE reasons gain "no baseline" when there is none.
  std::string headline(const std::string& metric) const { return a.headline(metric); }
};

CampaignAssessment assess_experiment(store::Store& store, const config::Config& cfg, const store::Campaign& experiment);

// A baseline is usable when every planned seed is final and at least min_seeds counted.
struct BaselineAssessment {
  ArmData arm;
  bool usable = false;
  std::vector<std::string> reasons; // why it is not usable
  std::string headline() const;     // "baseline_1M: 5 of 5 seeds counted" or the reasons
  std::string key;
};

BaselineAssessment assess_baseline(store::Store& store, const config::Config& cfg, const store::Campaign& baseline);

} // namespace seedrun::report
