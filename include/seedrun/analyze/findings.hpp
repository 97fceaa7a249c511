#pragma once
// The sentences of the report, each generated from numbers of the Analysis (never written by
// hand): key findings, recommendations, the convergence and training-time bullets. A sentence
// whose numbers are undefined is left out rather than filled with a guess.
#include "seedrun/analyze/analysis.hpp"

#include <string>
#include <vector>

namespace seedrun::analyze {

inline constexpr double k_alpha = 0.05;

std::vector<std::string> key_findings(const AnalysisInput& in, const Analysis& a);
std::vector<std::string> recommendations(const AnalysisInput& in, const Analysis& a);
// "k/n runs converged", then one bullet per fine-tuned run with its convergence phrase.
std::vector<std::string> convergence_lines(const AnalysisInput& in, const Analysis& a);
// Average and range of the training time of completed runs, and its mean per level of each
// parameter that varies.
std::vector<std::string> training_time_lines(const AnalysisInput& in, const Analysis& a);

// "+0.0123" with the metric's decimals.
std::string signed_fixed(double v, int decimals);

} // namespace seedrun::analyze
