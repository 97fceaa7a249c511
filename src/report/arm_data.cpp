#include "seedrun/report/arm_data.hpp"

#include "seedrun/report/secondary_metrics.hpp"
#include "seedrun/store/run_lifecycle.hpp"
#include "seedrun/util/log_tail.hpp"

#include <cmath>
#include <fmt/format.h>

namespace seedrun::report {
namespace {

std::string why(const store::Run& r) {
  return r.reason ? *r.reason : std::string("no reason recorded");
}

// One run of the arm: its SeedResult, and the arm's lists it belongs in.
void add_seed(store::Store& store, const store::Campaign& campaign, const config::MetricSpec* primary, bool reduced,
              const store::Run& r, ArmData& arm) {
  SeedResult s;
  s.seed = r.seed;
  s.attempt = r.attempt;
  s.state = r.state;
  s.metric = r.final_metric;
  if (reduced && r.final_metric) {
    s.metric = reduce_points(store.metric_points(r.id, campaign.metric), primary->reduce, primary->reduce_k);
  }
  s.wall_time = r.wall_time;
  s.reason = r.reason;
  s.phase = r.phase;
  s.unreliable = r.metric_unreliable;
  s.log_path = r.log_path;
  bool final_state = store::is_final(r.state);
  if (!final_state) {
    arm.all_final = false;
  }
  if (store::counts(r) && s.metric && std::isfinite(*s.metric)) {
    s.counted = true;
    arm.metric.push_back(*s.metric);
    if (s.wall_time) {
      arm.wall_time.push_back(*s.wall_time);
    }
  } else if (r.state == store::RunState::completed && s.unreliable) {
    arm.notes.push_back(fmt::format("seed {}: its log vanished or was replaced while it ran, so the last {} read "
                                    "({}) may not be its final value: excluded from the statistics",
                                    s.seed, campaign.metric, s.metric ? fmt::format("{:.4f}", *s.metric) : "none"));
  } else if (r.state == store::RunState::completed && s.metric) {
    arm.notes.push_back(fmt::format("seed {}: {} {} is {}: excluded from the statistics", s.seed,
                                    reduced ? "reduced" : "final", campaign.metric,
                                    std::isnan(*s.metric) ? "nan" : "infinite"));
  } else if (final_state) {
    arm.notes.push_back(fmt::format("seed {} {} ({}): excluded from the statistics", s.seed, r.state, why(r)));
  }
  if (r.warning) {
    arm.log_warnings.push_back(fmt::format("seed {}: {}", r.seed, *r.warning));
  }
  if (final_state && !s.counted && !arm.first_failure) {
    arm.first_failure = FailureDetail{s.seed, r.state, why(r), r.log_path, util::tail_lines(r.log_path)};
  }
  arm.seeds.push_back(std::move(s));
}

} // namespace

ArmData collect_arm(store::Store& store, const store::Campaign& campaign, const config::MetricSpec* primary) {
  bool reduced = primary && primary->name == campaign.metric && primary->reduce != config::Reduce::last;
  ArmData arm;
  arm.all_final = true;
  arm.attempts = store.count_runs(campaign.id, true);
  arm.seeds.reserve(static_cast<size_t>(store.count_runs(campaign.id)));
  // A page of runs at a time: a baseline of 100,000 seeds keeps its SeedResults, not every
  // whole run as well.
  constexpr int k_page = 2048;
  for (long long after = 0;;) {
    auto page = store.runs_after(campaign.id, after, k_page);
    if (page.empty()) {
      break;
    }
    after = page.back().id;
    for (const auto& r : page) {
      add_seed(store, campaign, primary, reduced, r, arm);
    }
  }
  return arm;
}

stats::ArmEvidence evidence_of(const ArmData& arm) {
  stats::ArmEvidence e;
  e.values = arm.metric;
  e.planned = static_cast<int>(arm.seeds.size());
  for (const auto& s : arm.seeds) {
    if (store::is_final(s.state)) {
      ++e.final;
      if (!s.counted) {
        e.failed_seeds.push_back(s.seed);
      }
    }
  }
  return e;
}

std::string failure_text(const FailureDetail& f) {
  std::string out = fmt::format("seed {} {} ({})", f.seed, f.state, f.reason);
  if (!f.tail.empty()) {
    out += fmt::format("; last lines of {}:", f.log_path);
    for (const auto& line : f.tail) {
      out += "\n    " + line;
    }
  }
  return out;
}

} // namespace seedrun::report
