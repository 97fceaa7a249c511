#pragma once
// `seedrun analyze [CAMPAIGN... | DIR]`: an analysis report with plots, CSV and LaTeX tables for
// seedrun campaigns (read from the store) or for a fine-tune-and-evaluate experiment directory
// (experiment_summary.yaml, the seed-001 layout). docs/analyze.md describes every output.
//
//   <out>/report.md             the report, plots embedded as links to plots/*.svg
//   <out>/report.html           with --html: the same content in one self-contained file
//   <out>/plots/*.svg           loss_curves, final_metric, heatmap, seeds_box
//   <out>/tables/*.csv, *.tex   fine_tuning, evaluation, ranking, statistics, pairwise,
//                               parameters, cost_benefit
//
// <out> is <reports dir>/analysis for campaigns and <DIR>/analysis for an experiment directory.
// Every run is rewritten from the data (idempotent); files of a previous analysis that this one
// does not produce (e.g. a heatmap that no longer applies) are removed, and nothing else is.
// Bad or partial data never stops the analysis: what is missing is listed under "Limitations".
// Errors: seedrun::UsageError for an unknown campaign, metric or missing experiment_summary.yaml;
// seedrun::Error when the output cannot be written.
#include "seedrun/analyze/analysis.hpp"
#include "seedrun/analyze/report_plots.hpp"
#include "seedrun/config/config.hpp"
#include "seedrun/render/document.hpp"
#include "seedrun/store/store.hpp"
#include "seedrun/summarize/job_lookup.hpp"
#include "seedrun/util/time.hpp"

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace seedrun::analyze {

struct AnalyzeOptions {
  CurveMode curves = CurveMode::band;
  bool html = false;
  // The metric arms are ranked on. Experiment directories: accuracy (default), balanced_accuracy,
  // f1, final_loss, train_minutes. Campaigns: the campaigns' metric (default) or wall_time.
  std::string metric;
  std::string task;                 // experiment directories: the task compared ("" = the first)
  std::vector<std::string> heatmap; // two parameter names, or empty for the automatic choice
  std::filesystem::path output_dir; // empty: the default location (see above)
  // --matches FILE: a Ratings section from the game results (docs/health.md, "Ratings"):
  // `fixed` as `seedrun ratings --fixed`, `bootstrap` resamples (0: none), `ratings_seed`.
  std::filesystem::path matches;
  std::vector<std::string> fixed;
  int bootstrap = 1000;
  unsigned long long ratings_seed = 20240601;
};

struct AnalyzeResult {
  std::filesystem::path output_dir;
  std::filesystem::path report;               // <out>/report.md
  std::optional<std::filesystem::path> html;  // <out>/report.html when requested
  std::vector<std::filesystem::path> files;   // every file written, report first
  std::vector<std::filesystem::path> removed; // stale files of an earlier analysis
  std::vector<std::string> findings;
  std::vector<std::string> limitations;
  std::string markdown;
};

// analyze --sweep PREFIX: the campaigns whose name or key starts with `prefix`, side by side
// (sources.hpp sweep_input; the Sweep section of report_health.hpp). Throws seedrun::UsageError
// when no campaign matches.
AnalyzeResult analyze_sweep(const config::Config& cfg, store::Store& store, const std::string& prefix,
                            const AnalyzeOptions& options, util::TimePoint now);

// Campaigns by key or name; an empty list analyses every campaign in the store.
AnalyzeResult analyze_campaigns(const config::Config& cfg, store::Store& store,
                                const std::vector<std::string>& campaign_keys, const AnalyzeOptions& options,
                                util::TimePoint now);

// An experiment directory; training times come from Slurm accounting through `jobs` (the CLI
// passes its sacct lookup). Without accounting the times are reported missing.
AnalyzeResult analyze_experiment_dir(const std::filesystem::path& dir, summarize::JobLookup& jobs,
                                     const AnalyzeOptions& options, util::TimePoint now);
AnalyzeResult analyze_experiment_dir(const std::filesystem::path& dir, const AnalyzeOptions& options,
                                     util::TimePoint now);

// Everything an analysis writes, before writing: relative path → content.
struct AnalysisOutput {
  Analysis analysis;
  render::Document document;
  std::vector<std::pair<std::string, std::string>> files; // "report.md", "plots/x.svg", ...
  std::vector<std::string> findings;
  std::vector<std::string> limitations;
};

// Builds the analysis, plots, tables and report of `input` (pure, no I/O).
AnalysisOutput build_analysis(const AnalysisInput& input, const AnalyzeOptions& options, util::TimePoint now);

// Writes `output` under `dir` (each file atomically) and removes stale files of earlier analyses.
AnalyzeResult write_analysis(const std::filesystem::path& dir, const AnalysisOutput& output);

// Chooses the primary metric among `input.metrics` by id ("" keeps the source's default); throws
// seedrun::UsageError naming the available metrics when `id` is unknown.
void select_primary_metric(AnalysisInput& input, const std::string& id);

} // namespace seedrun::analyze
