// seedrun analyze [CAMPAIGN... | DIR]
#include "seedrun/analyze/analyze.hpp"
#include "seedrun/analyze/sources.hpp"
#include "seedrun/cli/commands.hpp"
#include "seedrun/cli/context.hpp"
#include "seedrun/cli/sacct_job_lookup.hpp"
#include "seedrun/track/health_refresh.hpp"
#include "seedrun/util/error.hpp"
#include "seedrun/util/strings.hpp"

#include <fmt/format.h>

namespace seedrun::cli {
namespace {

analyze::AnalyzeOptions to_options(const DirOptions& o) {
  analyze::AnalyzeOptions a;
  a.html = o.html;
  if (o.curves == "lines" || (o.curves.empty() && !o.sweep.empty())) {
    a.curves = analyze::CurveMode::lines; // a sweep overlays every run
  } else if (!o.curves.empty() && o.curves != "band") {
    throw UsageError(fmt::format("--curves must be 'band' or 'lines', got '{}'", o.curves));
  }
  a.metric = o.metric;
  a.task = o.task;
  if (!o.heatmap.empty()) {
    a.heatmap = util::split(o.heatmap, ',');
    if (a.heatmap.size() != 2) {
      throw UsageError(fmt::format("--heatmap takes two parameter names, e.g. lora_rank,lr (got '{}')", o.heatmap));
    }
  }
  if (!o.output.empty()) {
    a.output_dir = std::filesystem::absolute(o.output);
  }
  if (o.matches.empty() && (!o.fixed.empty() || o.bootstrap != 1000)) {
    throw UsageError("--fixed and --bootstrap go with --matches FILE (the game results to rate)");
  }
  if (o.bootstrap != 0 && (o.bootstrap < 2 || o.bootstrap > 100000)) {
    throw UsageError(fmt::format("--bootstrap must be 0 (no intervals) or 2 to 100000; got {}", o.bootstrap));
  }
  a.matches = o.matches;
  for (const auto& f : util::split(o.fixed, ',')) {
    if (!util::trim(f).empty()) {
      a.fixed.push_back(util::trim(f));
    }
  }
  a.bootstrap = o.bootstrap;
  return a;
}

void print(const GlobalOptions& g, const analyze::AnalyzeResult& r) {
  fmt::print("{}\n", r.report.string());
  if (r.html) {
    fmt::print("{}\n", r.html->string());
  }
  if (!g.quiet) {
    fmt::print(stderr, "{} files in {}\n", r.files.size(), r.output_dir.string());
    for (const auto& f : r.findings) {
      fmt::print(stderr, "- {}\n", f);
    }
    for (const auto& l : r.limitations) {
      fmt::print(stderr, "limitation: {}\n", l);
    }
  }
}

// --sweep PREFIX: the health of the sweep's runs that no refresh has checked yet is checked
// first (and cached, track/health_refresh.hpp), so the report shows what there is.
int run_sweep(const GlobalOptions& g, const DirOptions& o, const analyze::AnalyzeOptions& options) {
  if (!o.targets.empty()) {
    throw UsageError("--sweep PREFIX selects the campaigns; name no campaign or directory with it");
  }
  if (util::trim(o.sweep).empty()) {
    throw UsageError("--sweep needs a non-empty prefix of campaign names");
  }
  auto ctx = load_context(g);
  std::vector<long long> ids;
  for (const auto& key : analyze::sweep_campaigns(*ctx.store, o.sweep)) {
    ids.push_back(ctx.store->find_campaign(key)->id);
  }
  track::HealthRefresh health(ctx.cfg, *ctx.store, nullptr, ctx.now, true);
  for (const auto& w : health.finish(ids)) {
    fmt::print(stderr, "seedrun: warning: {}\n", w);
  }
  print(g, analyze::analyze_sweep(ctx.cfg, *ctx.store, o.sweep, options, ctx.now));
  return 0;
}

} // namespace

int run_analyze(const GlobalOptions& g, const DirOptions& o) {
  auto options = to_options(o);
  if (!o.sweep.empty()) {
    return run_sweep(g, o, options);
  }
  if (o.targets.size() == 1 && std::filesystem::is_directory(o.targets[0])) {
    std::filesystem::path dir = o.targets[0];
    if (!std::filesystem::is_regular_file(dir / "experiment_summary.yaml")) {
      throw UsageError(fmt::format("{} is a directory without experiment_summary.yaml; name campaigns or an "
                                   "experiment directory (docs/analyze.md)",
                                   dir.string()));
    }
    auto lookup = make_sacct_job_lookup();
    print(g, analyze::analyze_experiment_dir(dir, *lookup, options, util::Clock::now()));
    return 0;
  }
  auto ctx = load_context(g);
  print(g, analyze::analyze_campaigns(ctx.cfg, *ctx.store, o.targets, options, ctx.now));
  return 0;
}

} // namespace seedrun::cli
