#pragma once
// The parts every analysis chart shares: where the plot area goes given its texts, the axes with
// their ticks and labels, the legend, and the colour palette. Layout is computed from measured
// text widths (text_width) so that titles, tick labels and legend entries never overlap: when
// something does not fit, the canvas grows rather than the text shrinking.
#include "seedrun/render/axis.hpp"
#include "seedrun/render/svg.hpp"

#include <string>
#include <vector>

namespace seedrun::render {

inline constexpr double k_margin = 16;
inline constexpr double k_title_size = 16;
inline constexpr double k_subtitle_size = 12;
inline constexpr double k_axis_label_size = 13;
inline constexpr double k_tick_size = 11;
inline constexpr double k_legend_size = 11;

// The words around a chart. Axis labels carry their unit, e.g. "Training step (optimizer steps)".
struct ChartText {
  std::string title{};
  std::string subtitle{}; // optional second line: what error bars or bands mean, n
  std::string x_label{};
  std::string y_label{};
};

enum class LegendMark { line, band, swatch, dot };

struct LegendItem {
  std::string label{};
  std::string color{};
  LegendMark mark = LegendMark::line;
  std::string dash{};
};

// Canvas size and the plot area inside it.
struct Frame {
  double width = 0;
  double height = 0;
  double left = 0;
  double top = 0;
  double plot_w = 0;
  double plot_h = 0;
  double right() const { return left + plot_w; }
  double bottom() const { return top + plot_h; }
  // Pixel position of a value on a scale (values outside the scale are clamped to the plot).
  double x_of(double v, const AxisScale& s) const;
  double y_of(double v, const AxisScale& s) const;
};

// What the layout needs to know to place the plot area.
struct FrameRequest {
  ChartText text{};
  double plot_w = 560;
  double plot_h = 320;
  std::vector<std::string> y_tick_labels{};
  double x_axis_height = 0; // room below the plot for x tick labels (without the axis label)
  std::vector<LegendItem> legend{};
  double right_extra = 0; // room right of the plot for something else (the heatmap's colour bar)
  double min_left = 0;    // the plot's left edge at least this far right (rotated labels reach left)
};

// The frame for `r`: margins from the texts, the plot widened until the title fits, the canvas
// tall enough for the legend.
Frame layout_frame(const FrameRequest& r);

// The largest tick count a vertical axis of `plot_h` px shows comfortably (one per ~45 px).
int max_y_ticks(double plot_h);

// A numeric x scale for [lo, hi] on `plot_w` px whose tick labels leave at least 12 px between
// neighbours.
AxisScale fit_x_scale(double lo, double hi, double plot_w);

// Title, subtitle and the two axis labels.
void draw_chart_text(SvgWriter& svg, const Frame& f, const ChartText& text);
// Left axis with ticks, labels and light horizontal grid lines.
void draw_y_axis(SvgWriter& svg, const Frame& f, const AxisScale& s);
// Bottom axis with numeric ticks and labels.
void draw_x_axis(SvgWriter& svg, const Frame& f, const AxisScale& s);
// Bottom axis with one label centred under each of `labels.size()` equal slots; labels are
// turned 45° when `rotated`.
void draw_category_axis(SvgWriter& svg, const Frame& f, const std::vector<std::string>& labels, bool rotated);
// The legend, right of the plot area, one entry per line.
void draw_legend(SvgWriter& svg, const Frame& f, const std::vector<LegendItem>& items);

// Room below the plot that category labels need: one line, or their rotated extent.
double category_axis_height(const std::vector<std::string>& labels, bool rotated);
// Slot width for categories so that a horizontal label fits in `min_slot` or more px, and
// whether the labels must be rotated because that would make the plot wider than `max_plot_w`.
struct CategorySlots {
  double slot = 0;
  bool rotated = false;
};
CategorySlots category_slots(const std::vector<std::string>& labels, double min_slot, double max_plot_w);

// The frame of a chart with one slot per label along x (bars, boxes) and `y` along y: sets the
// plot width from `slots`, the y tick labels and the room the category labels need. `req`
// carries the text (and the plot height). Returns the frame and the width of one slot.
struct CategoryFrame {
  Frame frame;
  double slot = 0;
};
CategoryFrame layout_category_frame(FrameRequest req, const std::vector<std::string>& labels,
                                    const CategorySlots& slots, const AxisScale& y);

// Colours distinguishable with the common colour-vision deficiencies (Okabe & Ito, then
// Tableau), cycling; the dash pattern tells apart entries that share a colour after a cycle.
std::string palette_color(size_t i);
std::string palette_dash(size_t i);

} // namespace seedrun::render
