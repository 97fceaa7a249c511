#pragma once
// The analysis input, independent of where it came from: seedrun campaigns in the store
// (campaign_source.hpp) or a fine-tune-and-evaluate experiment directory (experiment_source.hpp).
// Sources only copy numbers they read; nothing here is estimated or filled in. A value that is
// missing stays absent and the source says why in `limitations`.
#include "seedrun/stats/health.hpp"

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace seedrun::report {
struct RatingsReport; // report/ratings_report.hpp
} // namespace seedrun::report

namespace seedrun::analyze {

// A metric the analysis summarizes; `id` is its key in RunRecord::metrics.
struct MetricInfo {
  std::string id;         // "accuracy", "val_loss", "train_minutes"
  std::string name;       // heading and column text: "Accuracy", "val_loss", "Train time (min)"
  std::string axis_label; // with its unit, for plots: "Accuracy (fraction correct)"
  bool higher_is_better = false;
  int decimals = 4;
  // The values the metric can take, when bounded (proportions such as accuracy: [0, 1]);
  // confidence intervals are kept inside it. nullopt: unbounded (a loss, a time).
  std::optional<std::pair<double, double>> range;
};

struct CurvePoint {
  double step = 0;
  double value = 0;
};

// One training run (one seed of one arm, or one row of an experiment's runs list).
struct RunRecord {
  std::string name;
  std::string arm;
  std::optional<long long> seed;
  bool control = false;          // an untrained reference (a base model), not a configuration
  std::string state;             // as the source reports it: COMPLETED, FAILED, RUNNING, N/A ...
  std::vector<CurvePoint> curve; // the loss (or the campaign's metric) against the step
  std::optional<double> final_loss;
  std::optional<double> train_seconds;
  std::map<std::string, double> metrics; // finite values of runs that count, by MetricInfo::id
};

// One row of the evaluation comparison (experiment directories).
struct EvalRow {
  std::string run;
  std::string task;
  std::optional<int> epoch;
  std::optional<double> accuracy;
  std::optional<double> balanced_accuracy;
  std::optional<double> f1;
  std::optional<long long> samples;
  std::string note;
};

// A configuration: the runs sharing it differ only in their seed.
struct ArmInfo {
  std::string name;
  std::map<std::string, std::string> parameters;
  bool control = false;
};

// A run's training health (docs/health.md) as `seedrun refresh` cached it; `run` is the
// RunRecord's name.
struct RunHealthInfo {
  std::string run;
  bool evaluated = false; // some rule had data
  std::vector<stats::Finding> findings;
  std::string checked_at; // ISO 8601
};

// A further metric logged by the runs (a `metrics:` entry other than the ranked one): its points
// per run, by RunRecord name, for curves overlaid in a sweep.
struct ExtraMetric {
  std::string name;
  std::vector<std::pair<std::string, std::vector<CurvePoint>>> runs;
};

struct AnalysisInput {
  std::string name;                         // experiment or campaign names, for the title
  std::string source;                       // where the numbers came from, one sentence
  std::vector<std::string> overview;        // source-specific overview bullets
  std::vector<std::string> parameter_names; // in order of first appearance
  std::vector<ArmInfo> arms;                // presentation order
  std::vector<RunRecord> runs;              // presentation order
  std::vector<EvalRow> evals;               // empty when the source has no evaluations
  MetricInfo primary;                       // the metric arms are ranked and compared on
  std::vector<MetricInfo> metrics;          // everything summarized, primary first
  std::string curve_name = "Training loss"; // what RunRecord::curve holds
  std::string curve_axis_label = "Training loss";
  std::string step_axis_label = "Training step (optimizer steps)";
  std::vector<std::string> limitations; // missing or excluded data, one sentence each
  // Optional sections: when empty the report is exactly what it was without them.
  std::optional<std::string> sweep_prefix; // analyze --sweep: the prefix campaign names matched
  std::vector<ExtraMetric> extra_metrics;  // sweeps: the other metrics' curves
  std::vector<RunHealthInfo> health;       // runs whose health was checked
  // analyze --matches: ratings against fixed references (report/ratings_report.hpp)
  std::shared_ptr<const report::RatingsReport> ratings;
};

} // namespace seedrun::analyze
