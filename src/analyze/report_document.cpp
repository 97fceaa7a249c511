#include "seedrun/analyze/report_document.hpp"

#include "seedrun/analyze/findings.hpp"
#include "seedrun/analyze/parameters.hpp"
#include "seedrun/analyze/report_health.hpp"
#include "seedrun/analyze/report_ratings.hpp"
#include "seedrun/render/axis.hpp"
#include "seedrun/util/strings.hpp"

#include <algorithm>
#include <fmt/format.h>

namespace seedrun::analyze {

using render::Document;
using render::fixed_decimals;
using render::Table;
namespace {

const PlotFile* plot(const ReportParts& p, const std::string& name) {
  auto it = std::find_if(p.plots.begin(), p.plots.end(), [&](const PlotFile& f) { return f.name == name; });
  return it == p.plots.end() ? nullptr : &*it;
}

const Table* table(const ReportParts& p, const std::string& id) {
  auto it = std::find_if(p.tables.begin(), p.tables.end(), [&](const Table& t) { return t.id == id; });
  return it == p.tables.end() ? nullptr : &*it;
}

void add_figure(Document& d, const ReportParts& p, const std::string& name, const std::string& otherwise) {
  if (const PlotFile* f = plot(p, name)) {
    d.figure(f->caption, "plots/" + f->name + ".svg", f->svg);
  } else if (!otherwise.empty()) {
    d.paragraph(otherwise);
  }
}

void add_table(Document& d, const ReportParts& p, const std::string& id, const std::string& otherwise) {
  if (const Table* t = table(p, id)) {
    d.table(*t);
  } else if (!otherwise.empty()) {
    d.paragraph(otherwise);
  }
}

std::vector<std::string> overview(const AnalysisInput& in) {
  std::vector<std::string> out = in.overview;
  std::vector<std::string> vars;
  for (const auto& p : in.parameter_names) {
    std::vector<std::string> levels;
    for (const auto& a : in.arms) {
      auto it = a.parameters.find(p);
      std::string l = it == a.parameters.end() ? "default" : it->second;
      if (!a.control && std::find(levels.begin(), levels.end(), l) == levels.end()) {
        levels.push_back(l);
      }
    }
    sort_levels(levels);
    vars.push_back(fmt::format("`{}` ({})", p, util::join(levels, ", ")));
  }
  out.push_back("Variables tested: " +
                (vars.empty() ? std::string("none (no run sets a parameter)") : util::join(vars, "; ")));
  size_t controls = std::count_if(in.runs.begin(), in.runs.end(), [](const RunRecord& r) { return r.control; });
  out.push_back(fmt::format("Runs: {} ({} trained, {} control) in {} arm{}", in.runs.size(), in.runs.size() - controls,
                            controls, in.arms.size(), in.arms.size() == 1 ? "" : "s"));
  out.push_back(
      fmt::format("Compared on: {} ({} is better)", in.primary.name, in.primary.higher_is_better ? "higher" : "lower"));
  return out;
}

void training_section(Document& d, const AnalysisInput& in, const Analysis& a, const ReportParts& p) {
  d.heading(2, "Training Results");
  d.heading(3, "Loss Curves");
  add_figure(d, p, "loss_curves", fmt::format("No run has {} points to plot.", in.curve_name));
  if (!in.sweep_prefix) { // a sweep shows them in its own section
    for (const auto& f : p.plots) {
      if (f.name.rfind("metric_", 0) == 0) {
        d.figure(f.caption, "plots/" + f.name + ".svg", f.svg);
      }
    }
  }
  d.heading(3, "Fine-tuning Comparison");
  const Table* ft = table(p, "fine_tuning");
  if (ft != nullptr && !ft->rows.empty()) {
    d.table(*ft);
  } else {
    d.paragraph("No trained run.");
  }
  d.heading(3, "Convergence");
  auto conv = convergence_lines(in, a);
  if (conv.empty()) {
    d.paragraph("No trained run.");
  } else {
    d.bullets(conv);
  }
  d.heading(3, "Training Time");
  d.bullets(training_time_lines(in, a));
}

void evaluation_section(Document& d, const AnalysisInput& in, const Analysis& a, const ReportParts& p) {
  d.heading(2, "Evaluation Results");
  if (table(p, "evaluation") != nullptr) {
    d.heading(3, "Evaluation Comparison");
    add_table(d, p, "evaluation", "");
  }
  d.heading(3, "Final " + in.primary.name + " per Arm");
  add_figure(d, p, "final_metric", fmt::format("No run has a value of {}.", in.primary.name));
  d.heading(3, "Per-seed Values");
  add_figure(d, p, "seeds_box", "No arm has two or more runs with a value, so there is no per-seed plot.");
  d.heading(3, "Parameter Sweep");
  add_figure(d, p, "heatmap", "No heatmap: it needs two parameters that each take at least two levels.");
  d.heading(3, "Best Performers");
  std::vector<std::string> top;
  for (size_t i = 0; i < std::min<size_t>(3, a.ranking.size()); ++i) {
    const auto& r = a.ranking[i];
    top.push_back(fmt::format("{}{}: {} {} (n = {})", r.arm, r.control ? " (control)" : "", in.primary.name,
                              fixed_decimals(*r.summary.mean, in.primary.decimals), r.summary.n));
  }
  if (top.empty()) {
    d.paragraph(fmt::format("No arm has a value of {}.", in.primary.name));
  } else {
    d.numbered(top);
    add_table(d, p, "ranking", "");
  }
}

void statistics_section(Document& d, const AnalysisInput& in, const ReportParts& p) {
  d.heading(2, "Statistical Summary");
  d.paragraph("One row per arm and metric (arms are never pooled). Std is the sample standard deviation (n − 1 "
              "denominator); the 95% CI is Student's t interval of the mean over the arm's runs, kept inside [0, 1] "
              "for proportions (accuracy, balanced accuracy, F1); an arm with one run has none.");
  add_table(d, p, "statistics", "No metric has a value.");
  d.heading(3, "Pairwise Comparisons");
  d.paragraph(fmt::format("For every pair of arms with at least two runs: Δ = mean(better) − mean(worse) of {}, its "
                          "percentile bootstrap 95% CI (10,000 resamples, fixed seed), Welch's t-test with "
                          "Holm–Bonferroni-adjusted p-values over all pairs, and P(better wins) = U / (n₁·n₂), the "
                          "Mann–Whitney probability that a run of the better arm beats one of the other.",
                          in.primary.name));
  add_table(d, p, "pairwise", "Not computed: fewer than two arms have two or more runs with a value.");
  d.heading(3, "Which Parameter Matters Most");
  d.paragraph("The spread is the range of the mean metric across a parameter's levels (each arm's mean counted once).");
  add_table(d, p, "parameters", "No parameter takes two or more levels among the arms with results.");
  d.heading(3, "Cost–Benefit");
  add_table(d, p, "cost_benefit", "No training time is known, so cost per result cannot be computed.");
}

void files_section(Document& d, const ReportParts& p) {
  std::vector<std::string> files = {"`report.md`"};
  if (p.html) {
    files.push_back("`report.html` (the same report in one self-contained file)");
  }
  if (p.json) {
    files.push_back("`analysis.json` (the sweep, health and ratings data)");
  }
  for (const auto& f : p.plots) {
    files.push_back(fmt::format("`plots/{}.svg`", f.name));
  }
  for (const auto& t : p.tables) {
    files.push_back(fmt::format("`tables/{0}.csv`, `tables/{0}.tex`", t.id));
  }
  d.heading(2, "Files");
  d.bullets(files);
}

} // namespace

Document build_document(const AnalysisInput& in, const Analysis& a, const ReportParts& p, util::TimePoint now) {
  Document d;
  d.title = "Experiment Analysis: " + in.name;
  d.paragraph(fmt::format("*Generated by `seedrun analyze` at {} from {}.*", util::iso8601(now), in.source));
  d.heading(2, "Overview");
  d.bullets(overview(in));
  d.heading(2, "Key Findings");
  d.bullets(p.findings);
  training_section(d, in, a, p);
  evaluation_section(d, in, a, p);
  statistics_section(d, in, p);
  sweep_section(d, in, p.plots, p.tables);
  health_section(d, in, p.tables);
  ratings_section(d, in, p.plots, p.tables);
  d.heading(2, "Recommendations");
  auto rec = recommendations(in, a);
  if (rec.empty()) {
    d.paragraph("None: no configuration has results yet.");
  } else {
    d.numbered(rec);
  }
  d.heading(2, "Limitations");
  if (p.limitations.empty()) {
    d.paragraph("None found: every run has its data.");
  } else {
    d.bullets(p.limitations);
  }
  files_section(d, p);
  d.rule();
  d.paragraph(fmt::format("*Generated by seedrun analyze · {}*", util::iso8601(now)));
  return d;
}

} // namespace seedrun::analyze
