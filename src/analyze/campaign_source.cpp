#include "seedrun/analyze/parameters.hpp"
#include "seedrun/analyze/sources.hpp"
#include "seedrun/report/assessment.hpp"
#include "seedrun/report/health_cache.hpp"
#include "seedrun/util/error.hpp"
#include "seedrun/util/strings.hpp"

#include <algorithm>
#include <cmath>
#include <fmt/format.h>

namespace seedrun::analyze {
namespace {

std::vector<store::Campaign> resolve(store::Store& store, const std::vector<std::string>& keys) {
  auto all = store.campaigns();
  if (all.empty()) {
    throw UsageError("the store has no campaigns to analyse (seedrun run records them)");
  }
  if (keys.empty()) {
    return all;
  }
  std::vector<store::Campaign> out;
  for (const auto& k : keys) {
    auto c = store.find_campaign(k);
    if (!c) {
      std::vector<std::string> names;
      for (const auto& a : all) {
        names.push_back(a.key);
        names.push_back(a.name);
      }
      auto hint = util::closest_match(k, names);
      throw UsageError(fmt::format("no campaign '{}'{}", k, hint ? fmt::format(" (did you mean '{}'?)", *hint) : ""));
    }
    if (std::none_of(out.begin(), out.end(), [&](const store::Campaign& x) { return x.id == c->id; })) {
      out.push_back(*c);
    }
  }
  return out;
}

MetricInfo campaign_metric(const store::Campaign& c) {
  return {c.metric, c.metric, c.metric + " (as logged)", c.goal == store::Goal::maximize, 4, std::nullopt};
}

std::string run_problem(const store::Campaign& c, const store::Run& r, const std::string& arm) {
  std::string who = fmt::format("{} seed {}", arm, r.seed);
  if (!store::is_final(r.state)) {
    return fmt::format("{} is {}: not finished, not counted.", who, r.state);
  }
  if (r.state != store::RunState::completed) {
    std::string why =
        r.reason ? fmt::format(" ({})", *r.reason) : (r.exit_code ? fmt::format(" (exit code {})", *r.exit_code) : "");
    return fmt::format("{} {}{}: not counted.", who, r.state, why);
  }
  if (!r.final_metric) {
    return fmt::format("{} completed without a {} value: not counted.", who, c.metric);
  }
  if (!std::isfinite(*r.final_metric)) {
    return fmt::format("{}: final {} is {}: not counted.", who, c.metric,
                       std::isnan(*r.final_metric) ? "nan" : "infinite");
  }
  return "";
}

RunRecord run_record(store::Store& store, const store::Campaign& c, const store::Run& r, const std::string& arm,
                     std::vector<std::string>& limitations) {
  RunRecord rec;
  rec.name = fmt::format("{}-s{}", arm, r.seed);
  rec.arm = arm;
  rec.seed = r.seed;
  rec.state = std::string(to_string(r.state));
  rec.train_seconds = r.wall_time;
  auto points = store.metric_points(r.id, c.metric);
  for (size_t i = 0; i < points.size(); ++i) {
    double step = points[i].step ? static_cast<double>(*points[i].step) : static_cast<double>(i + 1);
    rec.curve.push_back({step, points[i].value});
  }
  if (r.final_metric && std::isfinite(*r.final_metric)) {
    rec.final_loss = r.final_metric;
  }
  auto problem = run_problem(c, r, arm);
  if (!problem.empty()) {
    limitations.push_back(problem);
    return rec;
  }
  rec.metrics[c.metric] = *r.final_metric;
  if (r.wall_time && std::isfinite(*r.wall_time)) {
    rec.metrics["wall_time"] = *r.wall_time / 60;
  } else {
    limitations.push_back(fmt::format("{} seed {} has no wall time: left out of the cost figures.", arm, r.seed));
  }
  return rec;
}

// Arm names: campaign names, or keys where two selected campaigns share a name.
std::vector<std::string> arm_names(const std::vector<store::Campaign>& cs) {
  std::vector<std::string> out;
  for (const auto& c : cs) {
    bool clash = std::count_if(cs.begin(), cs.end(), [&](const store::Campaign& o) { return o.name == c.name; }) > 1;
    out.push_back(clash ? c.key : c.name);
  }
  return out;
}

// The run's points of each extra metric (a sweep's overlaid curves), and its health as the last
// refresh cached it.
void add_run_extras(AnalysisInput& in, store::Store& store, const store::Run& r, const std::string& name,
                    const std::vector<std::string>& extra_metrics, const report::HealthCache& health) {
  for (const auto& metric : extra_metrics) {
    auto it = std::find_if(in.extra_metrics.begin(), in.extra_metrics.end(),
                           [&](const ExtraMetric& m) { return m.name == metric; });
    if (it == in.extra_metrics.end()) {
      in.extra_metrics.push_back({metric, {}});
      it = in.extra_metrics.end() - 1;
    }
    std::vector<CurvePoint> curve;
    auto points = store.metric_points(r.id, metric);
    for (size_t i = 0; i < points.size(); ++i) {
      curve.push_back(
          {points[i].step ? static_cast<double>(*points[i].step) : static_cast<double>(i + 1), points[i].value});
    }
    it->runs.emplace_back(name, std::move(curve));
  }
  if (auto h = health.runs.find(r.id); h != health.runs.end()) {
    in.health.push_back({name, h->second.evaluated, h->second.findings, h->second.checked_at});
  }
}

void add_campaign(AnalysisInput& in, const config::Config& cfg, store::Store& store, const store::Campaign& c,
                  const std::string& arm, const std::vector<std::string>& extra_metrics) {
  ArmInfo info{arm, {}, false};
  for (const auto& [k, v] : parameters_from_flags(c.flags)) {
    info.parameters[k] = v;
    if (std::find(in.parameter_names.begin(), in.parameter_names.end(), k) == in.parameter_names.end()) {
      in.parameter_names.push_back(k);
    }
  }
  in.arms.push_back(info);
  auto runs = store.runs(c.id);
  if (runs.empty()) {
    in.limitations.push_back(fmt::format("Campaign {} has no runs yet.", c.key));
  }
  auto health = report::read_health_cache(report::health_cache_path(cfg.paths.state, c.id));
  for (const auto& r : runs) {
    in.runs.push_back(run_record(store, c, r, arm, in.limitations));
    add_run_extras(in, store, r, in.runs.back().name, extra_metrics, health);
  }
  std::string flags = c.flags.empty() ? "no flags" : "flags `" + util::join(c.flags, " ") + "`";
  // The verdict of the one assessment (the same words as the report and `status`), never the
  // stored string that a baseline re-run may have made stale.
  std::string verdict;
  if (c.kind == "experiment") {
    verdict = ", verdict " + report::assess_experiment(store, cfg, c).headline(c.metric);
  }
  in.overview.push_back(fmt::format("Campaign `{}`: {} ({}), {} run{}, state {}{}", c.key, c.kind, flags, runs.size(),
                                    runs.size() == 1 ? "" : "s", c.state, verdict));
}

} // namespace

AnalysisInput campaign_input(const config::Config& cfg, store::Store& store, const std::vector<std::string>& keys,
                             const std::vector<std::string>& extra_metrics) {
  auto campaigns = resolve(store, keys);
  AnalysisInput in;
  in.primary = campaign_metric(campaigns.front());
  in.metrics = {in.primary, {"wall_time", "wall_time (min)", "Wall time (min)", false, 2, std::nullopt}};
  in.curve_name = in.primary.id;
  in.curve_axis_label = in.primary.id + " (as logged)";
  in.step_axis_label = "Step (as logged by the training command)";
  auto names = arm_names(campaigns);
  std::vector<std::string> keys_used;
  for (size_t i = 0; i < campaigns.size(); ++i) {
    const auto& c = campaigns[i];
    if (c.metric != in.primary.id) {
      in.limitations.push_back(fmt::format("Campaign {} measures {}, not {}: left out of this analysis (analyse it on "
                                           "its own).",
                                           c.key, c.metric, in.primary.id));
      continue;
    }
    keys_used.push_back(c.key);
    add_campaign(in, cfg, store, c, names[i], extra_metrics);
  }
  in.name = keys_used.size() <= 3 ? util::join(keys_used, ", ")
                                  : fmt::format("{} campaigns of {}", keys_used.size(), cfg.name);
  in.source =
      fmt::format("the seedrun store in `{}` (campaigns {})", cfg.paths.state.string(), util::join(keys_used, ", "));
  in.overview.insert(in.overview.begin(),
                     fmt::format("Metric: `{}`, the last value each run logged ({} is better); training tokens: {}",
                                 in.primary.id, in.primary.higher_is_better ? "higher" : "lower",
                                 config::scale_label(campaigns.front().train_tokens)));
  return in;
}

std::vector<std::string> sweep_campaigns(store::Store& store, const std::string& prefix) {
  std::vector<std::string> keys;
  std::vector<std::string> names;
  for (const auto& c : store.campaigns()) {
    names.push_back(c.name);
    if (!prefix.empty() && (c.name.rfind(prefix, 0) == 0 || c.key.rfind(prefix, 0) == 0)) {
      keys.push_back(c.key);
    }
  }
  if (keys.empty()) {
    throw UsageError(fmt::format("--sweep {}: no campaign name or key starts with '{}'{}", prefix, prefix,
                                 names.empty() ? std::string(" (the store has no campaigns)")
                                               : fmt::format(" (campaigns: {})", util::join(names, ", "))));
  }
  return keys;
}

std::vector<std::string> other_metrics(const config::Config& cfg, store::Store& store,
                                       const std::vector<std::string>& keys) {
  std::vector<std::string> extra;
  auto first = resolve(store, keys).front();
  for (const auto& m : cfg.metrics) {
    if (m.name != first.metric) {
      extra.push_back(m.name);
    }
  }
  return extra;
}

AnalysisInput sweep_input(const config::Config& cfg, store::Store& store, const std::string& prefix) {
  auto keys = sweep_campaigns(store, prefix);
  AnalysisInput in = campaign_input(cfg, store, keys, other_metrics(cfg, store, keys));
  in.sweep_prefix = prefix;
  return in;
}

} // namespace seedrun::analyze
