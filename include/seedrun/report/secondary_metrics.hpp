#pragma once
// The secondary metrics of an experiment (issue 12): every `metrics:` entry but the primary gets
// the statistics the primary gets (n, mean, std, min, max per arm), Cohen's d and Welch's p, with
// the p-values adjusted by Holm–Bonferroni across the secondary metrics. They are reported,
// never judged: the primary alone decides the verdict and the extension rule.
#include "seedrun/config/config.hpp"
#include "seedrun/stats/describe.hpp"
#include "seedrun/stats/effect.hpp"
#include "seedrun/store/store.hpp"

#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <vector>

namespace seedrun::report {

struct SecondarySeed {
  long long seed = 0;
  std::optional<double> value; // the run's points reduced (nullopt: none read)
};

struct SecondaryMetric {
  std::string name;
  config::Goal goal = config::Goal::none;
  config::Reduce reduce = config::Reduce::last;
  int reduce_k = 5;
  // The seeds counted for the primary metric (completed, reliable, finite final value), each with
  // its value of this metric; the statistics use the finite ones.
  std::vector<SecondarySeed> baseline_seeds, experiment_seeds;
  stats::Summary baseline, experiment;
  std::optional<double> delta; // mean(experiment) − mean(baseline)
  std::optional<double> cohens_d;
  std::optional<double> welch_p;
  std::optional<double> p_holm; // Holm–Bonferroni over the secondary metrics with a Welch p
};

// A run's points as one number (`reduce:`): the last, the smallest, the largest, or the mean of
// the last `k`. A non-finite point makes min, max and the mean non-finite (a diverged run shows as
// one, and describe() leaves it out). nullopt without points.
std::optional<double> reduce_points(const std::vector<store::MetricPoint>& points, config::Reduce reduce, int k);

// The secondary metrics of `experiment` against `baseline` (absent: only the experiment's side,
// which is how a baseline campaign's own metrics are described: pass it as `experiment`), in the
// order of `metrics:`. Empty when the campaign's metric is not the config's primary (a
// campaign of another configuration) or the config follows one metric.
std::vector<SecondaryMetric> secondary_metrics(store::Store& store, const config::Config& cfg,
                                               const store::Campaign& experiment,
                                               const std::optional<store::Campaign>& baseline);

// The report's "## Secondary Metrics" section; "" without secondary metrics (a one-metric report
// stays as it was, byte for byte). `primary`: the verdict's metric, named in the preamble.
std::string secondary_markdown(const std::vector<SecondaryMetric>& metrics, const std::string& primary);
// One row per secondary metric for a one-arm statistics table (the baseline report's), from the
// `experiment` side: "| train_loss (secondary) | mean | std | min | max |".
std::string secondary_rows(const std::vector<SecondaryMetric>& metrics);
// Their JSON for the baseline report: name, secondary, goal, reduce, baseline summary, seeds.
nlohmann::json secondary_arm_json(const std::vector<SecondaryMetric>& metrics);
// The JSON twin: one object per metric (name, goal, reduce, secondary: true, baseline and
// experiment summaries and per-seed values, delta, cohens_d, effect_size, welch_p, p_holm).
nlohmann::json secondary_json(const std::vector<SecondaryMetric>& metrics);

} // namespace seedrun::report
