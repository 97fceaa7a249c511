#pragma once
// The analysis report's optional sections (docs/analyze.md): Sweep (analyze --sweep PREFIX: every
// run of the matching campaigns side by side, the other metrics' curves overlaid, the best run)
// and Training Health (the findings `seedrun refresh` cached, docs/health.md), and analysis.json
// holding both. An input without a sweep prefix and without health data yields none of them, so
// such a report is byte for byte what it was before these sections existed.
#include "seedrun/analyze/analysis.hpp"
#include "seedrun/analyze/report_plots.hpp"
#include "seedrun/render/document.hpp"
#include "seedrun/render/table.hpp"

#include <optional>
#include <string>
#include <vector>

namespace seedrun::analyze {

// The counted run with the best value of the primary metric (ties: the first listed).
std::optional<size_t> best_run(const AnalysisInput& in);

// id sweep (sweeps only): Run, Campaign, Seed, State, <primary>, Wall time (min), the last value of
// each extra metric, Health.
std::optional<render::Table> sweep_table(const AnalysisInput& in);
// id health (when some checked run had data for a rule): one row per finding (Run, Result, Rule, Metric, Step,
// Value, Threshold, Action; Result is the severity), one "ok" or "no data" row per run without
// findings.
std::optional<render::Table> health_table(const AnalysisInput& in);
// sweep_<metric>: each extra metric's curves, one line per run, coloured by campaign.
std::vector<PlotFile> sweep_plots(const AnalysisInput& in);

// A key-finding sentence on health ("2 of 6 checked runs are unhealthy: ..."); nullopt without data.
std::optional<std::string> health_finding(const AnalysisInput& in);

// The two sections, appended to `d` when they apply.
void sweep_section(render::Document& d, const AnalysisInput& in, const std::vector<PlotFile>& plots,
                   const std::vector<render::Table>& tables);
void health_section(render::Document& d, const AnalysisInput& in, const std::vector<render::Table>& tables);

// analysis.json: the sweep, health and ratings data (`ratings` as `seedrun ratings --json`
// writes it); nullopt when the input has none of them.
std::optional<std::string> analysis_json(const AnalysisInput& in, const std::string& generated_at);

} // namespace seedrun::analyze
