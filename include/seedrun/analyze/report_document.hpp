#pragma once
// The report's structure (sections in the order of seed 002's report): Overview, Key Findings,
// Training Results (loss curves, fine-tuning comparison, convergence, training time), Evaluation
// Results (evaluation comparison, final metric per arm, per-seed values, parameter sweep, best
// performers), Statistical Summary (pairwise comparisons, which parameter matters most,
// cost–benefit), Recommendations, Limitations, Files.
#include "seedrun/analyze/analysis.hpp"
#include "seedrun/analyze/report_plots.hpp"
#include "seedrun/render/document.hpp"
#include "seedrun/util/time.hpp"

#include <string>
#include <vector>

namespace seedrun::analyze {

struct ReportParts {
  std::vector<PlotFile> plots;
  std::vector<render::Table> tables;
  std::vector<std::string> findings;
  std::vector<std::string> limitations; // input limitations, then analysis and plot notes
  bool html = false;                    // report.html is written too (listed under Files)
  bool json = false;                    // analysis.json is written (sweep or health data)
};

render::Document build_document(const AnalysisInput& in, const Analysis& a, const ReportParts& parts,
                                util::TimePoint now);

} // namespace seedrun::analyze
