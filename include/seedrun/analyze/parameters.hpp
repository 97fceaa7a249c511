#pragma once
// Parameters of arms: reading them from a campaign's flags, and the two analyses built on them,
// "which parameter matters most" and the heatmap grid of a two-parameter sweep. An arm that does
// not set a parameter is at the level "default" (the baseline runs the command's defaults).
#include "seedrun/analyze/analysis.hpp"

#include <map>
#include <string>
#include <utility>
#include <vector>

namespace seedrun::analyze {

inline constexpr const char* k_default_level = "default";

// Parameters from command-line flags: "--lr 5e-5" and "--lr=5e-5" give lr=5e-5, a flag followed
// by another flag or by nothing gives "true" ("--use_warmup"), "-x 3" gives x=3. Words that are
// not flags and follow no flag are kept as positional "arg1", "arg2" ... In the flags' order; a
// parameter given twice keeps its last value at its first position.
std::vector<std::pair<std::string, std::string>> parameters_from_flags(const std::vector<std::string>& flags);

// Levels in display order: words ("default", "true") first in their given order, then numbers
// ascending.
void sort_levels(std::vector<std::string>& levels);

// Effects of the parameters that take ≥ 2 levels among the non-control ranked arms; largest
// spread first (ties: order of input.parameter_names).
std::vector<ParameterEffect> parameter_effects(const AnalysisInput& input, const std::vector<ArmResult>& ranking);

// The grid of the two requested parameters (or the two varying ones with the most levels); nullopt
// when fewer than two parameters vary. A requested parameter that does not vary adds a sentence to
// `notes` and gives nullopt.
std::optional<HeatmapGrid> heatmap_grid(const AnalysisInput& input, const std::vector<ArmResult>& ranking,
                                        const std::vector<ParameterEffect>& effects,
                                        const std::vector<std::string>& requested, std::vector<std::string>& notes);

} // namespace seedrun::analyze
