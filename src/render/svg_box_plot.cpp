#include "seedrun/render/plots.hpp"

#include <algorithm>
#include <cmath>

namespace seedrun::render {

double quantile_sorted(const std::vector<double>& sorted, double q) {
  if (sorted.empty()) {
    return 0;
  }
  double pos = std::clamp(q, 0.0, 1.0) * static_cast<double>(sorted.size() - 1);
  auto lo = static_cast<size_t>(std::floor(pos));
  size_t hi = std::min(lo + 1, sorted.size() - 1);
  return sorted[lo] + (pos - static_cast<double>(lo)) * (sorted[hi] - sorted[lo]);
}

namespace {

struct BoxStats {
  double q1, median, q3, whisker_lo, whisker_hi;
};

BoxStats box_stats(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  BoxStats b{quantile_sorted(v, 0.25), quantile_sorted(v, 0.5), quantile_sorted(v, 0.75), v.front(), v.back()};
  double reach = 1.5 * (b.q3 - b.q1);
  // Whiskers end at the furthest data points within 1.5 IQR of the box (Tukey).
  b.whisker_lo = *std::find_if(v.begin(), v.end(), [&](double x) { return x >= b.q1 - reach; });
  b.whisker_hi = *std::find_if(v.rbegin(), v.rend(), [&](double x) { return x <= b.q3 + reach; });
  return b;
}

std::vector<double> finite_values(const std::vector<double>& in) {
  std::vector<double> out;
  std::copy_if(in.begin(), in.end(), std::back_inserter(out), [](double x) { return std::isfinite(x); });
  return out;
}

void draw_box(SvgWriter& svg, const Frame& f, const AxisScale& y, double cx, double bw, const BoxStats& b,
              const std::string& color) {
  svg.line(cx, f.y_of(b.whisker_lo, y), cx, f.y_of(b.q1, y), color, 1.5, "whisker");
  svg.line(cx, f.y_of(b.q3, y), cx, f.y_of(b.whisker_hi, y), color, 1.5, "whisker");
  svg.line(cx - bw / 4, f.y_of(b.whisker_lo, y), cx + bw / 4, f.y_of(b.whisker_lo, y), color, 1.5, "whisker");
  svg.line(cx - bw / 4, f.y_of(b.whisker_hi, y), cx + bw / 4, f.y_of(b.whisker_hi, y), color, 1.5, "whisker");
  double top = f.y_of(b.q3, y);
  svg.rect(cx - bw / 2, top, bw, std::max(1.0, f.y_of(b.q1, y) - top), color, "box", color, 1.5, 0.15);
  svg.line(cx - bw / 2, f.y_of(b.median, y), cx + bw / 2, f.y_of(b.median, y), color, 2.5, "median");
}

} // namespace

std::string render_box_plot(const BoxPlotSpec& spec) {
  std::vector<std::string> labels;
  double lo = INFINITY;
  double hi = -INFINITY;
  for (const auto& g : spec.groups) {
    labels.push_back(g.label);
    for (double v : finite_values(g.values)) {
      lo = std::min(lo, v);
      hi = std::max(hi, v);
    }
  }
  CategorySlots slots = category_slots(labels, 70, 900);
  FrameRequest req{.text = spec.text};
  // 5% room above and below so that no dot sits on the frame.
  double pad = lo < hi ? 0.05 * (hi - lo) : 0;
  AxisScale y = lo <= hi ? nice_scale(lo - pad, hi + pad, max_y_ticks(req.plot_h)) : nice_scale(0, 1, 5);
  auto [f, slot] = layout_category_frame(req, labels, slots, y);

  SvgWriter svg(f.width, f.height);
  svg.title(spec.text.title);
  draw_y_axis(svg, f, y);
  for (size_t i = 0; i < spec.groups.size(); ++i) {
    const auto& g = spec.groups[i];
    auto values = finite_values(g.values);
    double cx = f.left + slot * (static_cast<double>(i) + 0.5);
    double bw = std::min(slot * 0.5, 60.0);
    if (values.size() >= 3) {
      draw_box(svg, f, y, cx, bw, box_stats(values), g.color);
    }
    double spread = bw * 0.7;
    for (size_t k = 0; k < values.size(); ++k) {
      double off =
          values.size() == 1 ? 0 : (static_cast<double>(k) / static_cast<double>(values.size() - 1) - 0.5) * spread;
      svg.circle(cx + off, f.y_of(values[k], y), 3.5, g.color, "point", "#ffffff");
    }
    if (values.empty()) {
      svg.text(cx, f.top + f.plot_h / 2, "n/a", {.size = 10, .anchor = Anchor::middle, .fill = "#888888"}, "no-data");
    }
  }
  draw_category_axis(svg, f, labels, slots.rotated);
  draw_chart_text(svg, f, spec.text);
  return svg.finish();
}

} // namespace seedrun::render
