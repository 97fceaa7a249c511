#pragma once
// The numbers of an analysis, computed from an AnalysisInput with the stats component: arms
// ranked on the primary metric, pairwise tests, which parameter matters most, the heatmap grid
// of a two-parameter sweep, cost per training minute, convergence per run and the statistical
// summary table. Pure: no I/O, no clock. Undefined values are nullopt, never NaN.
#include "seedrun/analyze/convergence.hpp"
#include "seedrun/analyze/model.hpp"
#include "seedrun/stats/describe.hpp"
#include "seedrun/stats/hypothesis.hpp"

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace seedrun::analyze {

// One arm's values of the primary metric.
struct ArmResult {
  std::string arm;
  bool control = false;
  std::vector<double> values; // the counted runs, in run order
  stats::Summary summary;
  std::optional<std::pair<double, double>> ci95; // bounded_mean_ci95 of values
  std::optional<double> mean_train_minutes;      // over the counted runs that have a time
  size_t runs = 0;                               // all runs of the arm, counted or not
};

// Arm `better` (ranked higher) against arm `worse`; both have ≥ 2 values.
struct PairResult {
  std::string better;
  std::string worse;
  double delta = 0;                              // mean(better) − mean(worse)
  std::optional<std::pair<double, double>> ci95; // bootstrap CI of delta (stats::bootstrap_ci_delta)
  std::optional<stats::WelchTest> welch;
  std::optional<double> p_holm;   // Holm–Bonferroni over all pairs with a p-value
  std::optional<double> p_better; // P(a run of `better` beats one of `worse`)
};

struct LevelMean {
  std::string level;
  double mean = 0; // mean of the arm means at this level
  size_t arms = 0;
};

// A parameter that takes ≥ 2 levels among the (non-control) arms with values.
struct ParameterEffect {
  std::string parameter;
  std::vector<LevelMean> levels; // words ("default") in order of appearance, then numbers ascending
  double spread = 0;             // max − min of the level means
  std::string best_level;
};

struct HeatmapGrid {
  std::string x_parameter;
  std::string y_parameter;
  std::vector<std::string> x_levels;
  std::vector<std::string> y_levels;
  std::vector<std::vector<std::optional<double>>> cells; // [y][x]: mean of the arm means
  bool averaged_over_others = false;                     // more than two parameters vary
};

struct CostRow {
  std::string arm;
  double mean_metric = 0;
  double mean_minutes = 0;
  std::optional<double> metric_per_minute; // for higher-is-better metrics and minutes > 0
};

// One row of the statistical summary: a metric over one arm (arms are never pooled).
struct SummaryRow {
  std::string metric; // MetricInfo::name
  std::string group;  // an arm's name
  int decimals = 4;
  stats::Summary summary;
  std::optional<std::pair<double, double>> ci95;
};

struct Analysis {
  std::vector<ArmResult> ranking;          // arms with ≥ 1 value, best first (ties by name)
  std::vector<std::string> empty_arms;     // arms without any value
  std::vector<PairResult> pairs;           // ranking order: (1,2), (1,3), ..., (2,3) ...
  std::vector<ParameterEffect> parameters; // largest spread first
  std::optional<HeatmapGrid> heatmap;
  std::vector<CostRow> cost;            // ranking order, arms with a training time
  std::vector<Convergence> convergence; // one per input run, same order
  std::vector<SummaryRow> summary;
  std::vector<std::string> notes; // problems found while analysing (unknown heatmap parameter ...)
};

// `heatmap_params`: two parameter names to cross, or empty to take the two varying parameters with
// the most levels (ties: order of first appearance).
Analysis analyze_input(const AnalysisInput& input, const std::vector<std::string>& heatmap_params);

// Student t 95% interval of the mean (stats::mean_ci95: n ≥ 2), kept inside `range` when the
// metric is bounded: a proportion's interval never leaves [0, 1] (values 0.875 and 1.0 give
// [0.1434, 1], not [0.1434, 1.7316]). nullopt for fewer than two values.
std::optional<std::pair<double, double>> bounded_mean_ci95(const std::vector<double>& values,
                                                           const std::optional<std::pair<double, double>>& range);

// Arms sorted best first for a metric's direction (ties by name).
void rank_arms(std::vector<ArmResult>& arms, bool higher_is_better);

// True when every text parses as a number (then levels sort numerically).
bool all_numeric(const std::vector<std::string>& texts);

} // namespace seedrun::analyze
