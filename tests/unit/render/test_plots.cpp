#include "seedrun/render/plots.hpp"
#include "svg_check.hpp"

#include <algorithm>
#include <cmath>
#include <doctest/doctest.h>

using namespace seedrun::render;
using namespace seedrun::render::testing;

namespace {

// Renders to PNG and checks the PNG has the SVG's declared size and the SVG holds no NaN.
void check_renders(const std::string& svg, const std::string& name) {
  ScratchDir dir;
  auto file = dir.path() / (name + ".svg");
  spit(file, svg);
  PngInfo png = render_png(file);
  REQUIRE_MESSAGE(png.ok, png.error);
  CHECK(png.width == static_cast<unsigned>(root_attribute(svg, "width")));
  CHECK(png.height == static_cast<unsigned>(root_attribute(svg, "height")));
  CHECK(svg.find("nan") == std::string::npos);
  CHECK(svg.find("inf") == std::string::npos);
}

std::vector<double> curve(double start, double end, int n, double wiggle) {
  std::vector<double> v;
  for (int i = 0; i < n; ++i) {
    double t = static_cast<double>(i) / (n - 1);
    v.push_back(end + (start - end) * std::exp(-5 * t) + wiggle * std::sin(i * 1.7));
  }
  return v;
}

std::vector<double> steps(int n, double every) {
  std::vector<double> v;
  for (int i = 1; i <= n; ++i) {
    v.push_back(i * every);
  }
  return v;
}

} // namespace

TEST_CASE("a line chart has its title, axis labels, one polyline per series, a band and a legend") {
  LineChartSpec spec;
  spec.text = {"Training loss vs step", "mean ± 1 σ over seeds", "Training step (optimizer steps)",
               "Training loss (cross-entropy)"};
  auto x = steps(50, 20);
  auto mean = curve(2.4, 0.9, 50, 0.01);
  std::vector<double> lo, hi;
  for (double m : mean) {
    lo.push_back(m - 0.05);
    hi.push_back(m + 0.05);
  }
  spec.series.push_back({"rank8_lr1e-5 (3 seeds)", palette_color(0), "", 2, 1, x, mean, lo, hi});
  spec.series.push_back({"rank16_lr5e-5", palette_color(1), "", 2, 1, x, curve(2.5, 0.7, 50, 0.03), {}, {}});
  auto with_nan = curve(2.6, 1.2, 50, 0.02);
  with_nan[10] = NAN;
  spec.series.push_back({"diverged", palette_color(2), "", 2, 1, x, with_nan, {}, {}});
  std::string svg = render_line_chart(spec);
  CHECK(count_of(svg, "class=\"title\"") == 1);
  CHECK(count_of(svg, "class=\"axis-label\"") == 2);
  CHECK(count_of(svg, "class=\"series\"") == 3);
  CHECK(count_of(svg, "class=\"band\"") == 1);
  CHECK(count_of(svg, "class=\"legend\"") == 3);
  CHECK(svg.find(">Training step (optimizer steps)<") != std::string::npos);
  CHECK(svg.find(">1000<") != std::string::npos); // x ticks at round steps
  check_renders(svg, "line_chart");
}

TEST_CASE("a line chart without data still renders its frame and says so") {
  LineChartSpec spec;
  spec.text = {"Training loss vs step", "", "Step", "Loss"};
  spec.series.push_back({"empty", palette_color(0), "", 2, 1, {}, {}, {}, {}});
  std::string svg = render_line_chart(spec);
  CHECK(count_of(svg, "class=\"no-data\"") == 1);
  check_renders(svg, "line_empty");
}

TEST_CASE("a bar chart draws a bar and an error bar per arm, bars from zero") {
  BarChartSpec spec;
  spec.text = {"Final accuracy per arm", "mean ± 1 σ over seeds", "Arm", "Accuracy (fraction correct)"};
  spec.bars = {{"baseline", 0.712, 0.011, "n=5", palette_color(0)},
               {"rank8_lr1e-5", 0.84, 0.02, "n=3", palette_color(1)},
               {"rank16_lr5e-5", 0.861, std::nullopt, "n=1", palette_color(2)},
               {"failed_arm", std::nullopt, std::nullopt, "n=0", palette_color(3)}};
  std::string svg = render_bar_chart(spec);
  CHECK(count_of(svg, "class=\"bar\"") == 3);
  CHECK(count_of(svg, "class=\"errorbar\"") == 6);
  CHECK(count_of(svg, "class=\"bar-missing\"") == 1);
  CHECK(svg.find(">0.0<") != std::string::npos);
  CHECK(svg.find(">0.840<") != std::string::npos);
  check_renders(svg, "bar_chart");
}

TEST_CASE("many long category names are turned so they do not overlap") {
  BarChartSpec spec;
  spec.text = {"Final val_loss per arm", "", "Arm", "val_loss"};
  for (int i = 0; i < 14; ++i) {
    spec.bars.push_back({"experiment_with_long_name_" + std::to_string(i), 3.2 - 0.01 * i, 0.01, "n=3",
                         palette_color(static_cast<size_t>(i))});
  }
  std::string svg = render_bar_chart(spec);
  CHECK(count_of(svg, "rotate(-45") == 14);
  check_renders(svg, "bar_chart_rotated");
}

TEST_CASE("a heatmap writes each value in its cell and has a colour bar") {
  HeatmapSpec spec;
  spec.text = {"Accuracy by LoRA rank × learning rate", "mean over seeds", "learning_rate", "lora_rank"};
  spec.value_label = "Accuracy (fraction correct)";
  spec.x_levels = {"1e-5", "5e-5", "1e-4"};
  spec.y_levels = {"4", "8", "16", "32"};
  spec.cells = {{0.71, 0.74, 0.70}, {0.78, 0.83, 0.80}, {0.81, 0.86, std::nullopt}, {0.80, 0.85, 0.79}};
  std::string svg = render_heatmap(spec);
  CHECK(count_of(svg, "class=\"cell\"") == 12);
  CHECK(count_of(svg, "class=\"cell-value\"") == 12);
  CHECK(svg.find(">0.860<") != std::string::npos);
  CHECK(svg.find(">n/a<") != std::string::npos);
  CHECK(count_of(svg, "class=\"colorbar\"") == 64);
  check_renders(svg, "heatmap");
}

TEST_CASE("a box plot has a box for three or more values and a dot per value") {
  BoxPlotSpec spec;
  spec.text = {"val_loss per seed", "box: quartiles, whiskers: 1.5 IQR", "Arm", "val_loss (as logged)"};
  spec.groups = {{"baseline (n=5)", {3.21, 3.22, 3.20, 3.21, 3.20}, palette_color(0)},
                 {"warmup (n=3)", {3.15, 3.16, 3.15}, palette_color(1)},
                 {"lr_high (n=2)", {3.30, NAN, 3.28}, palette_color(2)},
                 {"failed (n=0)", {}, palette_color(3)}};
  std::string svg = render_box_plot(spec);
  CHECK(count_of(svg, "class=\"box\"") == 2);
  CHECK(count_of(svg, "class=\"median\"") == 2);
  CHECK(count_of(svg, "class=\"point\"") == 10);
  check_renders(svg, "box_plot");
}

TEST_CASE("quantiles interpolate linearly as numpy does") {
  std::vector<double> v = {1, 2, 3, 4};
  CHECK(quantile_sorted(v, 0.25) == doctest::Approx(1.75));
  CHECK(quantile_sorted(v, 0.5) == doctest::Approx(2.5));
  CHECK(quantile_sorted(v, 1) == 4);
}

TEST_CASE("decimation keeps each bucket's extremes") {
  std::vector<double> x, y;
  for (int i = 0; i < 5000; ++i) {
    x.push_back(i);
    y.push_back(i == 2500 ? 10.0 : 1.0);
  }
  decimate(x, y, 1000);
  CHECK(x.size() <= 1000);
  CHECK(std::find(y.begin(), y.end(), 10.0) != y.end());
}
