#include "seedrun/report/arm_data.hpp"

#include <cmath>

#include <fmt/format.h>

namespace seedrun::report {

ArmData collect_arm(store::Store& store, const store::Campaign& campaign) {
  ArmData arm;
  arm.all_final = true;
  arm.attempts = static_cast<int>(store.runs(campaign.id, true).size());
  for (const auto& r : store.runs(campaign.id)) {
    SeedResult s;
    s.seed = r.seed;
    s.attempt = r.attempt;
    s.state = r.state;
    s.metric = r.final_metric;
    s.wall_time = r.wall_time;
    s.reason = r.reason;
    s.phase = r.phase;
    if (!store::is_final_run_state(r.state)) {
      arm.all_final = false;
    }
    if (r.state == store::run_state::completed) {
      if (s.metric && std::isfinite(*s.metric)) {
        s.counted = true;
        arm.metric.push_back(*s.metric);
        if (s.wall_time) {
          arm.wall_time.push_back(*s.wall_time);
        }
      } else if (s.metric) {
        arm.notes.push_back(fmt::format("seed {}: final {} is {}: excluded from the statistics", s.seed,
                                        campaign.metric, std::isnan(*s.metric) ? "nan" : "infinite"));
      }
    } else if (store::is_final_run_state(r.state)) {
      arm.notes.push_back(fmt::format("seed {} {}{}: excluded from the statistics", s.seed, r.state,
                                      r.reason ? fmt::format(" ({})", *r.reason) : std::string()));
    }
    arm.seeds.push_back(std::move(s));
  }
  return arm;
}

} // namespace seedrun::report
