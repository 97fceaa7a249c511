#include "seedrun/render/plots.hpp"

#include <algorithm>
#include <cmath>

namespace seedrun::render {
namespace {

constexpr double k_max_plot_w = 900;
constexpr double k_value_size = 10;

bool finite(const std::optional<double>& v) {
  return v && std::isfinite(*v);
}

double error_of(const BarItem& b) {
  return finite(b.error) ? std::abs(*b.error) : 0.0;
}

std::string value_text(const BarItem& b, int decimals) {
  return finite(b.value) ? fixed_decimals(*b.value, decimals) : "n/a";
}

// One bar from zero to its value, its error bar, and its value and annotation above.
void draw_bar(SvgWriter& svg, const Frame& f, const AxisScale& y, double cx, double bw, const BarItem& b,
              int decimals) {
  double zero = f.y_of(0, y);
  if (!finite(b.value)) {
    svg.text(cx, zero - 10, "n/a", {.size = k_value_size, .anchor = Anchor::middle, .fill = "#888888"}, "bar-missing");
    return;
  }
  double top = f.y_of(*b.value, y);
  svg.rect(cx - bw / 2, std::min(top, zero), bw, std::abs(zero - top), b.color, "bar");
  double text_from = *b.value >= 0 ? top : zero;
  if (finite(b.error)) {
    double e = error_of(b);
    double y1 = f.y_of(*b.value - e, y);
    double y2 = f.y_of(*b.value + e, y);
    svg.line(cx, y1, cx, y2, "#222222", 1.5, "errorbar");
    svg.line(cx - 6, y1, cx + 6, y1, "#222222", 1.5, "errorbar");
    svg.line(cx - 6, y2, cx + 6, y2, "#222222", 1.5, "errorbar");
    text_from = std::min(text_from, y2);
  }
  svg.text(cx, text_from - 9, value_text(b, decimals), {.size = k_value_size, .anchor = Anchor::middle}, "bar-value");
  if (!b.annotation.empty()) {
    svg.text(cx, text_from - 22, b.annotation, {.size = k_value_size, .anchor = Anchor::middle, .fill = "#555555"},
             "bar-note");
  }
}

} // namespace

std::string render_bar_chart(const BarChartSpec& spec) {
  double lo = 0;
  double hi = 0;
  double widest_value = 0;
  std::vector<std::string> labels;
  for (const auto& b : spec.bars) {
    labels.push_back(b.label);
    widest_value = std::max(
        {widest_value, text_width(value_text(b, spec.decimals), k_value_size), text_width(b.annotation, k_value_size)});
    if (finite(b.value)) {
      lo = std::min(lo, *b.value - error_of(b));
      hi = std::max(hi, *b.value + error_of(b));
    }
  }
  // Headroom for the two lines of text above the tallest bar.
  double span = hi - lo > 0 ? hi - lo : 1;
  hi += hi > 0 || lo == 0 ? 0.15 * span : 0;
  lo -= lo < 0 ? 0.15 * span : 0;

  CategorySlots slots = category_slots(labels, std::max(48.0, widest_value + 10), k_max_plot_w);
  FrameRequest req{.text = spec.text};
  AxisScale y = nice_scale(lo, hi, max_y_ticks(req.plot_h));
  auto [f, slot] = layout_category_frame(req, labels, slots, y);

  SvgWriter svg(f.width, f.height);
  svg.title(spec.text.title);
  draw_y_axis(svg, f, y);
  double zero = f.y_of(0, y);
  for (size_t i = 0; i < spec.bars.size(); ++i) {
    double cx = f.left + slot * (static_cast<double>(i) + 0.5);
    draw_bar(svg, f, y, cx, std::min(slot * 0.6, 80.0), spec.bars[i], spec.decimals);
  }
  if (lo < 0) {
    svg.line(f.left, zero, f.right(), zero, "#444444", 1, "zero-line");
  }
  draw_category_axis(svg, f, labels, slots.rotated);
  draw_chart_text(svg, f, spec.text);
  return svg.finish();
}

} // namespace seedrun::render
