#include "seedrun/analyze/report_plots.hpp"

#include "seedrun/render/plots.hpp"

#include <algorithm>
#include <cmath>
#include <fmt/format.h>
#include <map>

namespace seedrun::analyze {

using render::BarChartSpec;
using render::BarItem;
using render::BoxPlotSpec;
using render::CurveSeries;
using render::HeatmapSpec;
using render::LineChartSpec;
using render::palette_color;
using render::palette_dash;
using render::render_bar_chart;
using render::render_box_plot;
using render::render_heatmap;
using render::render_line_chart;

std::string arm_color(const AnalysisInput& in, const std::string& arm) {
  for (size_t i = 0; i < in.arms.size(); ++i) {
    if (in.arms[i].name == arm) {
      return in.arms[i].control ? "#999999" : palette_color(i);
    }
  }
  return "#444444";
}

namespace {

std::string arm_dash(const AnalysisInput& in, const std::string& arm) {
  for (size_t i = 0; i < in.arms.size(); ++i) {
    if (in.arms[i].name == arm) {
      return palette_dash(i);
    }
  }
  return "";
}

bool has_finite_point(const RunRecord& r) {
  return std::any_of(r.curve.begin(), r.curve.end(),
                     [](const CurvePoint& p) { return std::isfinite(p.step) && std::isfinite(p.value); });
}

// The arm's runs with a drawable curve; `counted`: only those with a value of the primary metric
// (the runs the statistics use), or only those without.
std::vector<const RunRecord*> curves_of(const AnalysisInput& in, const std::string& arm, std::optional<bool> counted) {
  std::vector<const RunRecord*> out;
  for (const auto& r : in.runs) {
    bool is_counted = r.metrics.contains(in.primary.id);
    if (r.arm == arm && has_finite_point(r) && (!counted || *counted == is_counted)) {
      out.push_back(&r);
    }
  }
  return out;
}

CurveSeries run_series(const AnalysisInput& in, const RunRecord& r, std::string label, double width) {
  CurveSeries s;
  s.label = std::move(label);
  s.color = arm_color(in, r.arm);
  s.dash = arm_dash(in, r.arm);
  s.width = width;
  for (const auto& p : r.curve) {
    s.x.push_back(p.step);
    s.y.push_back(p.value);
  }
  return s;
}

// Mean and ±σ at the steps every run logged; empty when they share fewer than two steps.
CurveSeries band_series(const AnalysisInput& in, const std::string& arm, const std::vector<const RunRecord*>& runs) {
  std::map<double, std::vector<double>> at;
  for (const auto* r : runs) {
    std::map<double, double> last; // a step logged twice counts once, with its last value
    for (const auto& p : r->curve) {
      if (std::isfinite(p.step) && std::isfinite(p.value)) {
        last[p.step] = p.value;
      }
    }
    for (const auto& [step, v] : last) {
      at[step].push_back(v);
    }
  }
  CurveSeries s;
  s.label = fmt::format("{} (mean of {} seeds)", arm, runs.size());
  s.color = arm_color(in, arm);
  s.dash = arm_dash(in, arm);
  for (const auto& [step, vs] : at) {
    if (vs.size() != runs.size()) {
      continue;
    }
    double n = static_cast<double>(vs.size());
    double mean = 0;
    for (double v : vs) {
      mean += v / n;
    }
    double ss = 0;
    for (double v : vs) {
      ss += (v - mean) * (v - mean);
    }
    double sd = std::sqrt(ss / (n - 1));
    s.x.push_back(step);
    s.y.push_back(mean);
    s.lower.push_back(mean - sd);
    s.upper.push_back(mean + sd);
  }
  return s;
}

// A band for the arm's counted runs (when there are two or more sharing steps), thin lines for the rest.
bool add_band_arm(const AnalysisInput& in, const ArmInfo& arm, LineChartSpec& spec, std::vector<std::string>& notes) {
  auto counted = curves_of(in, arm.name, true);
  bool band = false;
  if (counted.size() >= 2) {
    CurveSeries b = band_series(in, arm.name, counted);
    if (b.x.size() >= 2) {
      spec.series.push_back(std::move(b));
      band = true;
    } else {
      notes.push_back(fmt::format("The seeds of {} logged different steps, so the loss plot shows them as separate "
                                  "lines instead of a band.",
                                  arm.name));
    }
  }
  auto rest = band ? curves_of(in, arm.name, false) : curves_of(in, arm.name, std::nullopt);
  for (size_t i = 0; i < rest.size(); ++i) {
    std::string label;
    if (i == 0) {
      label = band ? arm.name + " (runs not counted)"
                   : (rest.size() > 1 ? fmt::format("{} ({} runs)", arm.name, rest.size()) : rest[0]->name);
    }
    spec.series.push_back(run_series(in, *rest[i], label, band || rest.size() > 1 ? 1.2 : 2));
    if (band) {
      spec.series.back().dash = "4 3";
    }
  }
  return band;
}

std::optional<PlotFile> loss_plot(const AnalysisInput& in, CurveMode mode, std::vector<std::string>& notes) {
  LineChartSpec spec;
  bool any_band = false;
  for (const auto& arm : in.arms) {
    if (mode == CurveMode::band) {
      any_band = add_band_arm(in, arm, spec, notes) || any_band;
      continue;
    }
    auto runs = curves_of(in, arm.name, std::nullopt);
    for (size_t i = 0; i < runs.size(); ++i) {
      std::string label =
          i > 0 ? "" : (runs.size() > 1 ? fmt::format("{} ({} runs)", arm.name, runs.size()) : runs[i]->name);
      spec.series.push_back(run_series(in, *runs[i], label, runs.size() > 1 ? 1.2 : 2));
    }
  }
  if (spec.series.empty()) {
    return std::nullopt;
  }
  spec.text = {in.curve_name + " vs step",
               any_band ? "Line: mean over the counted seeds; band: ± 1 σ (sample) at the steps they all logged"
                        : "One line per run, coloured by arm",
               in.step_axis_label, in.curve_axis_label};
  return PlotFile{"loss_curves", in.curve_name + " vs step, all runs overlaid", render_line_chart(spec)};
}

PlotFile bar_plot(const AnalysisInput& in, const Analysis& a) {
  BarChartSpec spec;
  spec.decimals = std::min(in.primary.decimals, 3);
  bool seeds = false;
  for (const auto& arm : in.arms) {
    auto it = std::find_if(a.ranking.begin(), a.ranking.end(), [&](const ArmResult& r) { return r.arm == arm.name; });
    BarItem b{arm.name, std::nullopt, std::nullopt, "n=0", arm_color(in, arm.name)};
    if (it != a.ranking.end()) {
      b.value = it->summary.mean;
      b.error = it->summary.std;
      b.annotation = fmt::format("n={}", it->summary.n);
      seeds = seeds || it->summary.n >= 2;
    }
    spec.bars.push_back(b);
  }
  spec.text = {"Final " + in.primary.name + " per arm",
               seeds ? "Bars: mean over seeds; error bars: ± 1 σ (sample); n: runs counted"
                     : "One run per arm: no error bars; n: runs counted",
               "Arm", in.primary.axis_label};
  return {"final_metric", "Final " + in.primary.name + " per arm", render_bar_chart(spec)};
}

PlotFile heatmap_plot(const AnalysisInput& in, const HeatmapGrid& g) {
  HeatmapSpec spec;
  spec.text = {fmt::format("{} by {} × {}", in.primary.name, g.y_parameter, g.x_parameter),
               g.averaged_over_others ? "Mean over seeds, averaged over the other parameters" : "Mean over seeds",
               g.x_parameter, g.y_parameter};
  spec.value_label = in.primary.axis_label;
  spec.x_levels = g.x_levels;
  spec.y_levels = g.y_levels;
  spec.cells = g.cells;
  spec.decimals = std::min(in.primary.decimals, 3);
  return {"heatmap", fmt::format("{} by {} and {}", in.primary.name, g.y_parameter, g.x_parameter),
          render_heatmap(spec)};
}

PlotFile box_plot(const AnalysisInput& in, const Analysis& a) {
  BoxPlotSpec spec;
  for (const auto& arm : in.arms) {
    auto it = std::find_if(a.ranking.begin(), a.ranking.end(), [&](const ArmResult& r) { return r.arm == arm.name; });
    std::vector<double> values = it == a.ranking.end() ? std::vector<double>{} : it->values;
    spec.groups.push_back({fmt::format("{} (n={})", arm.name, values.size()), values, arm_color(in, arm.name)});
  }
  spec.text = {in.primary.name + " per seed",
               "Dots: one run each; box: quartiles and median (n ≥ 3); whiskers: furthest values within 1.5 IQR", "Arm",
               in.primary.axis_label};
  return {"seeds_box", in.primary.name + " per seed and arm", render_box_plot(spec)};
}

} // namespace

std::vector<PlotFile> build_plots(const AnalysisInput& in, const Analysis& a, CurveMode mode,
                                  std::vector<std::string>& notes) {
  std::vector<PlotFile> out;
  if (auto p = loss_plot(in, mode, notes)) {
    out.push_back(std::move(*p));
  } else {
    notes.push_back(fmt::format("No run has {} points, so there is no loss plot.", in.curve_name));
  }
  if (!a.ranking.empty()) {
    out.push_back(bar_plot(in, a));
  }
  if (a.heatmap) {
    out.push_back(heatmap_plot(in, *a.heatmap));
  }
  bool seeds = std::any_of(a.ranking.begin(), a.ranking.end(), [](const ArmResult& r) { return r.values.size() >= 2; });
  if (seeds) {
    out.push_back(box_plot(in, a));
  }
  return out;
}

} // namespace seedrun::analyze
