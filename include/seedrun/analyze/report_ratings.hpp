#pragma once
// The analysis report's Ratings section (analyze --matches FILE, docs/analyze.md): Bradley–Terry
// ratings against fixed references fitted by report/ratings_report.hpp, the seed's learning signal
// (references falling, the gap best checkpoint − base_model growing) and the two trajectory
// charts of `seedrun ratings`. Without ratings in the input nothing is added.
#include "seedrun/analyze/analysis.hpp"
#include "seedrun/analyze/report_plots.hpp"
#include "seedrun/render/document.hpp"
#include "seedrun/render/table.hpp"

#include <optional>
#include <string>
#include <vector>

namespace seedrun::analyze {

// id ratings: Player, Role, Elo, 95% CI low, 95% CI high, Games, Score (strongest first).
std::optional<render::Table> ratings_table(const AnalysisInput& in);
// id rating_signal: Signal, Elo at the first step, at the last step, Change, Reading.
std::optional<render::Table> rating_signal_table(const AnalysisInput& in);
// ratings_trajectory (and ratings_gap with a fixed reference).
std::vector<PlotFile> ratings_plots(const AnalysisInput& in);
// "Learning signal: best checkpoint − base_model went from +73.9 to +256.3 Elo (growing (good))."
std::optional<std::string> ratings_finding(const AnalysisInput& in);

void ratings_section(render::Document& d, const AnalysisInput& in, const std::vector<PlotFile>& plots,
                     const std::vector<render::Table>& tables);

} // namespace seedrun::analyze
