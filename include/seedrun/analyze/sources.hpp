#pragma once
// The two sources of an analysis, each turning what it reads into an AnalysisInput and listing
// what is missing as limitations.
#include "seedrun/analyze/model.hpp"
#include "seedrun/config/config.hpp"
#include "seedrun/store/store.hpp"
#include "seedrun/summarize/summary.hpp"

#include <string>
#include <vector>

namespace seedrun::analyze {

// Campaigns by key or name (all campaigns when `keys` is empty); each campaign is one arm, its
// flags are its parameters, each current run attempt one run. The primary metric is the first
// campaign's metric; campaigns measuring another metric are left out and listed. Runs that did
// not complete, or completed without a finite value, are listed and not counted. Throws
// seedrun::UsageError for an unknown campaign or an empty store.
// `extra_metrics`: further metrics whose stored points are copied per run (sweeps). A campaign
// whose runs `seedrun refresh` checked for training health (report/health_cache.hpp) adds them
// to `health`.
AnalysisInput campaign_input(const config::Config& cfg, store::Store& store, const std::vector<std::string>& keys,
                             const std::vector<std::string>& extra_metrics = {});

// Every metric of seedrun.yaml's `metrics:` but the one the first of `keys` is judged on: each
// gets its curves of every run overlaid (plots/metric_<name>.svg). Empty with one metric.
std::vector<std::string> other_metrics(const config::Config& cfg, store::Store& store,
                                       const std::vector<std::string>& keys);

// The keys of the campaigns whose name or key starts with `prefix`, in the store's order.
// Throws seedrun::UsageError naming the campaigns when none does.
std::vector<std::string> sweep_campaigns(store::Store& store, const std::string& prefix);

// analyze --sweep PREFIX: campaign_input over sweep_campaigns(prefix), with every other metric of
// seedrun.yaml's `metrics:` as an extra metric, and `sweep_prefix` set.
AnalysisInput sweep_input(const config::Config& cfg, store::Store& store, const std::string& prefix);

// A scanned experiment directory (summarize::build_summary). Runs whose parameters differ only in
// a seed parameter (seed, random_seed, rng_seed) form one arm; every other run is its own arm.
// The compared scores are those of `task` ("" = the first task of the design with a successful
// evaluation) at the last evaluated epoch of each run. Throws seedrun::UsageError for a task the
// design does not name.
AnalysisInput experiment_input(const summarize::SummaryResult& summary, const std::string& task);

// Part of experiment_input, exposed for tests: one evaluation-table row per run and task (its last
// evaluated epoch, with notes), the scores of `task` as the runs' metrics, and a limitation for
// every evaluation that failed, could not be read or is missing. `in.runs` must already hold the
// scan's runs.
void add_evaluations(AnalysisInput& in, const summarize::ExperimentScan& scan, const std::string& task);

} // namespace seedrun::analyze
