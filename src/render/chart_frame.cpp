#include "seedrun/render/chart.hpp"

#include <algorithm>
#include <array>
#include <cmath>

namespace seedrun::render {
namespace {

constexpr double k_line_height = 1.25; // text box height per px of font size
constexpr double k_legend_row = 18;
constexpr double k_legend_swatch = 22;
constexpr double k_tick_len = 5;
constexpr double k_sin45 = 0.70710678118654752;

double max_width(const std::vector<std::string>& labels, double size) {
  double w = 0;
  for (const auto& l : labels) {
    w = std::max(w, text_width(l, size));
  }
  return w;
}

double legend_width(const std::vector<LegendItem>& items) {
  if (items.empty()) {
    return 0;
  }
  double w = 0;
  for (const auto& i : items) {
    w = std::max(w, text_width(i.label, k_legend_size));
  }
  return 20 + k_legend_swatch + 6 + w;
}

double top_of_plot(const ChartText& t) {
  double top = k_margin + k_title_size * k_line_height;
  if (!t.subtitle.empty()) {
    top += 4 + k_subtitle_size * k_line_height;
  }
  return top + 14;
}

} // namespace

double Frame::x_of(double v, const AxisScale& s) const {
  double t = s.hi > s.lo ? (v - s.lo) / (s.hi - s.lo) : 0.5;
  return left + std::clamp(std::isfinite(t) ? t : 0.0, 0.0, 1.0) * plot_w;
}

double Frame::y_of(double v, const AxisScale& s) const {
  double t = s.hi > s.lo ? (v - s.lo) / (s.hi - s.lo) : 0.5;
  return bottom() - std::clamp(std::isfinite(t) ? t : 0.0, 0.0, 1.0) * plot_h;
}

Frame layout_frame(const FrameRequest& r) {
  Frame f;
  f.plot_w = std::max({r.plot_w, text_width(r.text.x_label, k_axis_label_size) + 20});
  f.plot_h = std::max({r.plot_h, text_width(r.text.y_label, k_axis_label_size) + 20,
                       static_cast<double>(r.legend.size()) * k_legend_row + 4});
  f.top = top_of_plot(r.text);
  double y_axis = k_axis_label_size * k_line_height + 8 + max_width(r.y_tick_labels, k_tick_size) + k_tick_len + 4;
  f.left = std::max(k_margin + y_axis, r.min_left);
  double x_axis = r.x_axis_height > 0 ? r.x_axis_height : k_tick_len + 4 + k_tick_size * k_line_height;
  double right = legend_width(r.legend) + r.right_extra + k_margin;
  double text_need =
      std::max(text_width(r.text.title, k_title_size, true), text_width(r.text.subtitle, k_subtitle_size));
  double available = f.left + f.plot_w + right - 2 * k_margin;
  if (text_need > available) {
    f.plot_w += text_need - available;
  }
  f.width = std::ceil(f.left + f.plot_w + right);
  f.height = std::ceil(f.top + f.plot_h + x_axis + 8 + k_axis_label_size * k_line_height + k_margin);
  return f;
}

int max_y_ticks(double plot_h) {
  return std::max(3, static_cast<int>(plot_h / 45) + 1);
}

AxisScale fit_x_scale(double lo, double hi, double plot_w) {
  for (int n = std::max(2, static_cast<int>(plot_w / 50) + 1);; --n) {
    AxisScale s = nice_scale(lo, hi, n);
    double spacing = s.ticks.size() > 1 ? plot_w / static_cast<double>(s.ticks.size() - 1) : plot_w;
    if (n == 2 || spacing >= max_width(s.labels, k_tick_size) + 12) {
      return s;
    }
  }
}

void draw_chart_text(SvgWriter& svg, const Frame& f, const ChartText& t) {
  double y = k_margin + k_title_size * k_line_height / 2;
  svg.text(k_margin, y, t.title, {.size = k_title_size, .bold = true}, "title");
  if (!t.subtitle.empty()) {
    y += k_title_size * k_line_height / 2 + 4 + k_subtitle_size * k_line_height / 2;
    svg.text(k_margin, y, t.subtitle, {.size = k_subtitle_size, .fill = "#555555"}, "subtitle");
  }
  double label_y = f.height - k_margin - k_axis_label_size * k_line_height / 2;
  svg.text(f.left + f.plot_w / 2, label_y, t.x_label, {.size = k_axis_label_size, .anchor = Anchor::middle},
           "axis-label");
  svg.text(k_margin + k_axis_label_size * k_line_height / 2, f.top + f.plot_h / 2, t.y_label,
           {.size = k_axis_label_size, .anchor = Anchor::middle, .rotate = -90}, "axis-label");
}

void draw_y_axis(SvgWriter& svg, const Frame& f, const AxisScale& s) {
  for (size_t i = 0; i < s.ticks.size(); ++i) {
    double y = f.y_of(s.ticks[i], s);
    svg.line(f.left, y, f.right(), y, "#e6e6e6", 1, "grid");
    svg.line(f.left - k_tick_len, y, f.left, y, "#444444", 1, "tick");
    svg.text(f.left - k_tick_len - 4, y, s.labels[i], {.size = k_tick_size, .anchor = Anchor::end}, "tick-label");
  }
  svg.line(f.left, f.top, f.left, f.bottom(), "#444444", 1, "axis");
}

void draw_x_axis(SvgWriter& svg, const Frame& f, const AxisScale& s) {
  double label_y = f.bottom() + k_tick_len + 4 + k_tick_size * k_line_height / 2;
  for (size_t i = 0; i < s.ticks.size(); ++i) {
    double x = f.x_of(s.ticks[i], s);
    svg.line(x, f.bottom(), x, f.bottom() + k_tick_len, "#444444", 1, "tick");
    svg.text(x, label_y, s.labels[i], {.size = k_tick_size, .anchor = Anchor::middle}, "tick-label");
  }
  svg.line(f.left, f.bottom(), f.right(), f.bottom(), "#444444", 1, "axis");
}

void draw_category_axis(SvgWriter& svg, const Frame& f, const std::vector<std::string>& labels, bool rotated) {
  double slot = labels.empty() ? f.plot_w : f.plot_w / static_cast<double>(labels.size());
  for (size_t i = 0; i < labels.size(); ++i) {
    double x = f.left + slot * (static_cast<double>(i) + 0.5);
    svg.line(x, f.bottom(), x, f.bottom() + k_tick_len, "#444444", 1, "tick");
    if (rotated) {
      svg.text(x, f.bottom() + k_tick_len + 8, labels[i], {.size = k_tick_size, .anchor = Anchor::end, .rotate = -45},
               "tick-label");
    } else {
      svg.text(x, f.bottom() + k_tick_len + 4 + k_tick_size * k_line_height / 2, labels[i],
               {.size = k_tick_size, .anchor = Anchor::middle}, "tick-label");
    }
  }
  svg.line(f.left, f.bottom(), f.right(), f.bottom(), "#444444", 1, "axis");
}

double category_axis_height(const std::vector<std::string>& labels, bool rotated) {
  if (!rotated) {
    return k_tick_len + 4 + k_tick_size * k_line_height;
  }
  return k_tick_len + 8 + max_width(labels, k_tick_size) * k_sin45 + k_tick_size;
}

CategorySlots category_slots(const std::vector<std::string>& labels, double min_slot, double max_plot_w) {
  CategorySlots c;
  c.slot = std::max(min_slot, max_width(labels, k_tick_size) + 12);
  if (c.slot * static_cast<double>(labels.size()) > max_plot_w) {
    c.rotated = true;
    c.slot = std::max(min_slot, k_tick_size * 2);
  }
  return c;
}

CategoryFrame layout_category_frame(FrameRequest req, const std::vector<std::string>& labels,
                                    const CategorySlots& slots, const AxisScale& y) {
  req.plot_w = std::max(240.0, slots.slot * static_cast<double>(std::max<size_t>(1, labels.size())));
  req.y_tick_labels = y.labels;
  req.x_axis_height = category_axis_height(labels, slots.rotated);
  if (slots.rotated && !labels.empty()) {
    req.min_left = text_width(labels.front(), k_tick_size) * 0.7071 - slots.slot / 2 + k_margin;
  }
  CategoryFrame out;
  out.frame = layout_frame(req);
  out.slot = labels.empty() ? out.frame.plot_w : out.frame.plot_w / static_cast<double>(labels.size());
  return out;
}

void draw_legend(SvgWriter& svg, const Frame& f, const std::vector<LegendItem>& items) {
  double x = f.right() + 20;
  for (size_t i = 0; i < items.size(); ++i) {
    const auto& it = items[i];
    double y = f.top + k_legend_row * (static_cast<double>(i) + 0.5);
    switch (it.mark) {
    case LegendMark::line: svg.line(x, y, x + k_legend_swatch, y, it.color, 2.5, "legend-mark", it.dash); break;
    case LegendMark::band:
      svg.rect(x, y - 6, k_legend_swatch, 12, it.color, "legend-mark", "", 0, 0.25);
      svg.line(x, y, x + k_legend_swatch, y, it.color, 2, "legend-mark", it.dash);
      break;
    case LegendMark::swatch: svg.rect(x + 4, y - 6, 14, 12, it.color, "legend-mark"); break;
    case LegendMark::dot: svg.circle(x + k_legend_swatch / 2, y, 4, it.color, "legend-mark"); break;
    }
    svg.text(x + k_legend_swatch + 6, y, it.label, {.size = k_legend_size}, "legend");
  }
}

std::string palette_color(size_t i) {
  static constexpr std::array<const char*, 10> k_colors = {"#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00",
                                                           "#56B4E9", "#000000", "#8C564B", "#7F7F7F", "#BCBD22"};
  return k_colors[i % k_colors.size()];
}

std::string palette_dash(size_t i) {
  static constexpr std::array<const char*, 4> k_dashes = {"", "6 3", "2 3", "8 3 2 3"};
  return k_dashes[(i / 10) % k_dashes.size()];
}

} // namespace seedrun::render
