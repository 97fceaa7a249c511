#pragma once
// Pieces shared by the baseline and the experiment report (src/report/baseline_report.cpp).
#include "seedrun/report/arm_data.hpp"
#include "seedrun/stats/stats.hpp"

#include <nlohmann/json_fwd.hpp>
#include <string>
#include <utility>
#include <vector>

namespace seedrun::report {

// {"n","mean","std","min","max"}, null where undefined.
nlohmann::json summary_json(const stats::Summary& s);
// One object per seed: seed, attempt, phase, state, the metric, wall_time, counted, reason.
nlohmann::json seeds_json(const ArmData& arm, const std::string& metric);
// The seed-003 "| Metric | Mean | Std | Min | Max |" table for the metric and wall_time.
std::string stats_table(const std::string& metric, const stats::Summary& m, const stats::Summary& w);
// Per-seed rows of one or more arms, labelled.
std::string seeds_table(const std::string& metric, const std::vector<std::pair<std::string, const ArmData*>>& arms);

} // namespace seedrun::report
