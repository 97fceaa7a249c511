#pragma once
// The plots of the analysis report, built from the input and the analysis: each becomes
// plots/<name>.svg and a figure in the report. A plot whose data is absent is not drawn, and the
// report says why instead.
#include "seedrun/analyze/analysis.hpp"

#include <string>
#include <vector>

namespace seedrun::analyze {

// How seeds of one arm appear on the loss plot: a mean line with a ±1σ band, or one thin line each.
enum class CurveMode { band, lines };

struct PlotFile {
  std::string name;    // file stem: plots/<name>.svg
  std::string caption; // alt text and figure caption
  std::string svg;
};

// loss_curves (when some run has a curve), final_metric (when some arm has a value), heatmap (when
// the analysis has a grid), seeds_box (when some arm has ≥ 2 values). `notes` receives a sentence
// for each plot left out or simplified.
std::vector<PlotFile> build_plots(const AnalysisInput& in, const Analysis& a, CurveMode mode,
                                  std::vector<std::string>& notes);

// Colour of an arm: its position in the input's arm list on the palette, grey for controls.
std::string arm_color(const AnalysisInput& in, const std::string& arm);

} // namespace seedrun::analyze
