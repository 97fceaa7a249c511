#include "seedrun/render/plots.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <fmt/format.h>

namespace seedrun::render {
namespace {

constexpr double k_cell_h = 36;
constexpr double k_value_size = 12;
constexpr double k_bar_w = 16;
constexpr int k_bar_steps = 64;

struct Rgb {
  double r, g, b;
};

// viridis (van der Walt & Smith, matplotlib) sampled at nine points, interpolated linearly.
constexpr std::array<Rgb, 9> k_viridis = {{{68, 1, 84},
                                           {71, 44, 122},
                                           {59, 81, 139},
                                           {44, 113, 142},
                                           {33, 144, 141},
                                           {39, 173, 129},
                                           {92, 200, 99},
                                           {170, 220, 50},
                                           {253, 231, 37}}};

Rgb viridis(double t) {
  t = std::clamp(std::isfinite(t) ? t : 0.0, 0.0, 1.0) * (k_viridis.size() - 1);
  auto i = std::min(static_cast<size_t>(t), k_viridis.size() - 2);
  double u = t - static_cast<double>(i);
  const Rgb& a = k_viridis[i];
  const Rgb& b = k_viridis[i + 1];
  return {a.r + u * (b.r - a.r), a.g + u * (b.g - a.g), a.b + u * (b.b - a.b)};
}

std::string hex(Rgb c) {
  auto v = [](double x) { return static_cast<int>(std::lround(std::clamp(x, 0.0, 255.0))); };
  return fmt::format("#{:02x}{:02x}{:02x}", v(c.r), v(c.g), v(c.b));
}

// Relative luminance (sRGB, ITU-R BT.709 weights on linearized channels).
double luminance(Rgb c) {
  auto lin = [](double x) {
    x /= 255;
    return x <= 0.04045 ? x / 12.92 : std::pow((x + 0.055) / 1.055, 2.4);
  };
  return 0.2126 * lin(c.r) + 0.7152 * lin(c.g) + 0.0722 * lin(c.b);
}

bool finite(const std::optional<double>& v) {
  return v && std::isfinite(*v);
}

// The cells row by row, each with its value (or "n/a") in a colour readable on it.
void draw_cells(SvgWriter& svg, const Frame& f, const HeatmapSpec& spec, const AxisScale& scale) {
  double cw = f.plot_w / static_cast<double>(std::max<size_t>(1, spec.x_levels.size()));
  double ch = f.plot_h / static_cast<double>(std::max<size_t>(1, spec.y_levels.size()));
  for (size_t r = 0; r < spec.y_levels.size(); ++r) {
    double y = f.top + ch * static_cast<double>(r);
    svg.text(f.left - 8, y + ch / 2, spec.y_levels[r], {.size = k_tick_size, .anchor = Anchor::end}, "tick-label");
    for (size_t c = 0; c < spec.x_levels.size(); ++c) {
      double x = f.left + cw * static_cast<double>(c);
      std::optional<double> v = r < spec.cells.size() && c < spec.cells[r].size() ? spec.cells[r][c] : std::nullopt;
      if (!finite(v)) {
        svg.rect(x, y, cw, ch, "#f2f2f2", "cell", "#ffffff", 2);
        svg.text(x + cw / 2, y + ch / 2, "n/a", {.size = k_value_size, .anchor = Anchor::middle, .fill = "#888888"},
                 "cell-value");
        continue;
      }
      Rgb color = viridis((*v - scale.lo) / (scale.hi - scale.lo));
      svg.rect(x, y, cw, ch, hex(color), "cell", "#ffffff", 2);
      std::string ink = luminance(color) < 0.35 ? "#ffffff" : "#111111";
      svg.text(x + cw / 2, y + ch / 2, fixed_decimals(*v, spec.decimals),
               {.size = k_value_size, .anchor = Anchor::middle, .fill = ink}, "cell-value");
    }
  }
}

// The colour bar right of the cells, with nice ticks and its caption turned 90°.
void draw_colorbar(SvgWriter& svg, const Frame& f, const AxisScale& scale, double label_w, const std::string& caption) {
  double bx = f.right() + 24;
  for (int i = 0; i < k_bar_steps; ++i) {
    double t0 = static_cast<double>(i) / k_bar_steps;
    double y = f.bottom() - (t0 + 1.0 / k_bar_steps) * f.plot_h;
    svg.rect(bx, y, k_bar_w, f.plot_h / k_bar_steps + 0.5, hex(viridis(t0 + 0.5 / k_bar_steps)), "colorbar");
  }
  svg.rect(bx, f.top, k_bar_w, f.plot_h, "none", "colorbar-frame", "#444444", 1);
  for (size_t i = 0; i < scale.ticks.size(); ++i) {
    double y = f.y_of(scale.ticks[i], scale);
    svg.line(bx + k_bar_w, y, bx + k_bar_w + 4, y, "#444444", 1, "tick");
    svg.text(bx + k_bar_w + 7, y, scale.labels[i], {.size = k_tick_size}, "tick-label");
  }
  double caption_x = bx + k_bar_w + 8 + label_w + 10 + k_axis_label_size * 0.6;
  svg.text(caption_x, f.top + f.plot_h / 2, caption,
           {.size = k_axis_label_size, .anchor = Anchor::middle, .rotate = 90}, "axis-label");
}

} // namespace

std::string render_heatmap(const HeatmapSpec& spec) {
  double lo = INFINITY;
  double hi = -INFINITY;
  double widest = text_width("n/a", k_value_size);
  for (const auto& row : spec.cells) {
    for (const auto& c : row) {
      if (finite(c)) {
        lo = std::min(lo, *c);
        hi = std::max(hi, *c);
        widest = std::max(widest, text_width(fixed_decimals(*c, spec.decimals), k_value_size));
      }
    }
  }
  bool any = lo <= hi;
  AxisScale scale = any ? nice_scale(lo, hi, 6) : nice_scale(0, 1, 6);
  double bar_labels = 0;
  for (const auto& l : scale.labels) {
    bar_labels = std::max(bar_labels, text_width(l, k_tick_size));
  }
  CategorySlots slots = category_slots(spec.x_levels, std::max(60.0, widest + 16), 900);
  auto rows = static_cast<double>(std::max<size_t>(1, spec.y_levels.size()));
  auto cols = static_cast<double>(std::max<size_t>(1, spec.x_levels.size()));
  FrameRequest req{.text = spec.text, .plot_w = slots.slot * cols, .plot_h = k_cell_h * rows};
  req.plot_h = std::max(req.plot_h, text_width(spec.value_label, k_axis_label_size) + 10);
  req.y_tick_labels = spec.y_levels;
  req.x_axis_height = category_axis_height(spec.x_levels, slots.rotated);
  req.right_extra = 24 + k_bar_w + 8 + bar_labels + 10 + k_axis_label_size * 1.25;
  Frame f = layout_frame(req);

  SvgWriter svg(f.width, f.height);
  svg.title(spec.text.title);
  draw_cells(svg, f, spec, scale);
  draw_category_axis(svg, f, spec.x_levels, slots.rotated);

  draw_colorbar(svg, f, scale, bar_labels, spec.value_label);
  draw_chart_text(svg, f, spec.text);
  return svg.finish();
}

} // namespace seedrun::render
