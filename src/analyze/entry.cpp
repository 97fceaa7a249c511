// The two entry points of `seedrun analyze` (analyze.hpp).
#include "seedrun/analyze/analyze.hpp"
#include "seedrun/analyze/sources.hpp"
#include "seedrun/report/ratings_report.hpp"
#include "seedrun/stats/matches.hpp"
#include "seedrun/summarize/summary.hpp"
#include "seedrun/util/error.hpp"
#include "seedrun/util/time.hpp"

#include <fmt/format.h>

namespace seedrun::analyze {
namespace {

// Appends this analysis to {experiment}/logs/analyze-experiment.log (the seed's process log), in
// the `[timestamp] ACTION: details` form of summarize-experiment.log.
void append_log(const std::filesystem::path& dir, const AnalysisInput& in, const AnalyzeResult& r,
                util::TimePoint now) {
  const std::string ts = util::iso8601(now);
  std::vector<std::string> lines;
  lines.push_back(
      fmt::format("[{}] ANALYZE: {} runs in {} arms, ranked on {}", ts, in.runs.size(), in.arms.size(), in.primary.id));
  for (const auto& l : r.limitations) {
    lines.push_back(fmt::format("[{}] LIMITATION: WARNING: {}", ts, l));
  }
  for (const auto& f : r.files) {
    lines.push_back(fmt::format("[{}] WRITE: {}", ts, f.string()));
  }
  for (const auto& f : r.removed) {
    lines.push_back(fmt::format("[{}] REMOVE: {} (not produced by this analysis)", ts, f.string()));
  }
  lines.push_back(fmt::format("[{}] COMPLETE: {}", ts, r.report.string()));
  // never through a planted link, never copying what it points to (summarize's rules)
  summarize::append_process_log(dir / "logs" / "analyze-experiment.log", lines);
}

// --matches: the ratings of the game results, fitted once for the report.
void add_ratings(AnalysisInput& in, const AnalyzeOptions& options) {
  if (options.matches.empty()) {
    return;
  }
  auto data = stats::read_matches(options.matches);
  if (data.fatal) {
    throw Error(*data.fatal);
  }
  report::RatingsRequest request;
  request.source = options.matches.string();
  request.fixed = options.fixed;
  request.bootstrap = options.bootstrap;
  request.seed = options.ratings_seed;
  in.ratings = std::make_shared<const report::RatingsReport>(report::build_ratings_report(std::move(data), request));
}

} // namespace

AnalyzeResult analyze_campaigns(const config::Config& cfg, store::Store& store,
                                const std::vector<std::string>& campaign_keys, const AnalyzeOptions& options,
                                util::TimePoint now) {
  AnalysisInput in = campaign_input(cfg, store, campaign_keys, other_metrics(cfg, store, campaign_keys));
  select_primary_metric(in, options.metric);
  add_ratings(in, options);
  auto dir = options.output_dir.empty() ? cfg.paths.reports / "analysis" : options.output_dir;
  return write_analysis(dir, build_analysis(in, options, now));
}

AnalyzeResult analyze_sweep(const config::Config& cfg, store::Store& store, const std::string& prefix,
                            const AnalyzeOptions& options, util::TimePoint now) {
  AnalysisInput in = sweep_input(cfg, store, prefix);
  select_primary_metric(in, options.metric);
  add_ratings(in, options);
  auto dir = options.output_dir.empty() ? cfg.paths.reports / "analysis" : options.output_dir;
  return write_analysis(dir, build_analysis(in, options, now));
}

AnalyzeResult analyze_experiment_dir(const std::filesystem::path& dir, summarize::JobLookup& jobs,
                                     const AnalyzeOptions& options, util::TimePoint now) {
  auto summary = summarize::build_summary(dir, jobs, now);
  if (!summary.ok) {
    throw UsageError(summary.error);
  }
  AnalysisInput in = experiment_input(summary, options.task);
  select_primary_metric(in, options.metric);
  add_ratings(in, options);
  auto out_dir = options.output_dir.empty() ? dir / "analysis" : options.output_dir;
  AnalyzeResult r = write_analysis(out_dir, build_analysis(in, options, now));
  append_log(dir, in, r, now);
  return r;
}

AnalyzeResult analyze_experiment_dir(const std::filesystem::path& dir, const AnalyzeOptions& options,
                                     util::TimePoint now) {
  summarize::NoJobLookup none;
  return analyze_experiment_dir(dir, none, options, now);
}

} // namespace seedrun::analyze
