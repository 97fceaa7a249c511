#pragma once
// The four analysis charts as SVG text: loss curves, bars with error bars, a heatmap of a
// two-parameter sweep, and a box/strip plot of per-seed values. Each takes a plain spec and
// returns a complete, self-contained <svg> document; the same spec always gives the same bytes.
// Non-finite values in a spec are skipped (and missing cells say "n/a"), never drawn at NaN.
#include "seedrun/render/chart.hpp"

#include <optional>
#include <string>
#include <vector>

namespace seedrun::render {

// One curve. With `lower`/`upper` (same length as `x`) a shaded band is drawn under the line.
struct CurveSeries {
  std::string label; // legend text; "" keeps the series out of the legend
  std::string color;
  std::string dash;
  double width = 2;
  double opacity = 1;
  std::vector<double> x, y;
  std::vector<double> lower, upper;
};

struct LineChartSpec {
  ChartText text;
  std::vector<CurveSeries> series;
};

std::string render_line_chart(const LineChartSpec& spec);

struct BarItem {
  std::string label;
  std::optional<double> value;
  std::optional<double> error; // half-length of the error bar (e.g. one σ)
  std::string annotation;      // small text above the bar, e.g. "n=3"
  std::string color;
};

struct BarChartSpec {
  ChartText text;
  std::vector<BarItem> bars;
  int decimals = 3; // of the value printed above each bar
};

// Bars start at zero (a bar's length is its value); the y axis includes zero and every error bar.
std::string render_bar_chart(const BarChartSpec& spec);

struct HeatmapSpec {
  ChartText text;
  std::string value_label; // the colour bar's caption, with unit
  std::vector<std::string> x_levels, y_levels;
  std::vector<std::vector<std::optional<double>>> cells; // [y][x]
  int decimals = 3;
};

// Cells coloured on the viridis scale between the smallest and largest value, each with its value
// written in it (white on dark cells, black on light ones), and a colour bar with nice ticks.
std::string render_heatmap(const HeatmapSpec& spec);

struct BoxGroup {
  std::string label;
  std::vector<double> values;
  std::string color;
};

struct BoxPlotSpec {
  ChartText text;
  std::vector<BoxGroup> groups;
};

// Per group: every value as a dot (spread sideways deterministically), and from three values on a
// box from the first to the third quartile (numpy's linear interpolation) with the median and
// whiskers to the furthest values within 1.5 IQR.
std::string render_box_plot(const BoxPlotSpec& spec);

// Quantile q ∈ [0, 1] of sorted values by linear interpolation (numpy's default).
double quantile_sorted(const std::vector<double>& sorted, double q);

// Reduces a long series to at most `max_points` points, keeping the minimum and maximum of each
// bucket in their order, so spikes (oscillation) stay visible.
void decimate(std::vector<double>& x, std::vector<double>& y, size_t max_points);

} // namespace seedrun::render
