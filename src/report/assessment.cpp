#include "seedrun/report/assessment.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

namespace seedrun::report {

stats::AssessmentPolicy policy_of(const config::Config& cfg) {
  stats::AssessmentPolicy p;
  p.min_seeds = cfg.verdict.min_seeds;
  p.alpha = cfg.verdict.alpha;
  p.extend_when_unconfirmed = cfg.verdict.extend_when_unconfirmed;
  return p;
}

stats::Goal goal_of(const store::Campaign& c) {
  return c.goal == store::Goal::maximize ? stats::Goal::maximize : stats::Goal::minimize;
}

std::optional<store::Campaign> baseline_for(store::Store& store, const store::Campaign& experiment) {
  return store.find_baseline(experiment.command_key, experiment.train_tokens);
}

CampaignAssessment assess_experiment(store::Store& store, const config::Config& cfg,
                                     const store::Campaign& experiment) {
  CampaignAssessment ca;
  ca.baseline = baseline_for(store, experiment);
  if (ca.baseline) {
    ca.base = collect_arm(store, *ca.baseline, &cfg.metric);
  }
  ca.exp = collect_arm(store, experiment, &cfg.metric);
  ca.a = stats::assess(evidence_of(ca.base), evidence_of(ca.exp), goal_of(experiment), policy_of(cfg));
  if (!cfg.seeds.extension.empty() && ca.exp.seeds.size() <= cfg.seeds.experiment.size() && ca.a.detectable_d) {
    ca.extension_seeds = static_cast<int>(cfg.seeds.extension.size());
    ca.detectable_d_with_extension =
        stats::detectable_effect(static_cast<int>(ca.a.cmp.baseline.n),
                                 static_cast<int>(ca.a.cmp.experiment.n) + ca.extension_seeds, ca.a.power, ca.a.alpha);
  }
  if (!ca.baseline) {
    ca.a.verdict = stats::Verdict::incomplete;
    ca.a.extension_advised = false;
    ca.a.incomplete_reasons.insert(ca.a.incomplete_reasons.begin(),
                                   "no baseline exists for this command and scale (run `seedrun baseline`)");
  }
  return ca;
}

BaselineAssessment assess_baseline(store::Store& store, const config::Config& cfg, const store::Campaign& baseline) {
  BaselineAssessment b;
  b.key = baseline.key;
  b.arm = collect_arm(store, baseline, &cfg.metric);
  auto e = evidence_of(b.arm);
  if (e.final < e.planned) {
    b.reasons.push_back(fmt::format("{} of {} seeds still running or planned", e.planned - e.final, e.planned));
  }
  if (static_cast<int>(e.values.size()) < cfg.verdict.min_seeds) {
    b.reasons.push_back(fmt::format(
        "{} counted seed{} of {}{}; σ needs at least {}", e.values.size(), e.values.size() == 1 ? "" : "s", e.planned,
        e.failed_seeds.empty() ? std::string() : fmt::format(" (failed: {})", fmt::join(e.failed_seeds, ", ")),
        cfg.verdict.min_seeds));
  }
  b.usable = b.reasons.empty();
  return b;
}

std::string BaselineAssessment::headline() const {
  if (usable) {
    return fmt::format("{}: {} of {} seeds counted", key, arm.metric.size(), arm.seeds.size());
  }
  return fmt::format("{} is not usable: {}", key, fmt::join(reasons, "; "));
}

} // namespace seedrun::report
