#include "seedrun/render/plots.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace seedrun::render {
namespace {

constexpr size_t k_max_curve_points = 1200;

// A series with its non-finite points removed (a band point needs all four values finite).
CurveSeries finite_only(const CurveSeries& s) {
  CurveSeries out = s;
  out.x.clear();
  out.y.clear();
  out.lower.clear();
  out.upper.clear();
  bool band = s.lower.size() == s.x.size() && s.upper.size() == s.x.size();
  for (size_t i = 0; i < std::min(s.x.size(), s.y.size()); ++i) {
    if (!std::isfinite(s.x[i]) || !std::isfinite(s.y[i])) {
      continue;
    }
    if (band && (!std::isfinite(s.lower[i]) || !std::isfinite(s.upper[i]))) {
      continue;
    }
    out.x.push_back(s.x[i]);
    out.y.push_back(s.y[i]);
    if (band) {
      out.lower.push_back(s.lower[i]);
      out.upper.push_back(s.upper[i]);
    }
  }
  if (!band) {
    decimate(out.x, out.y, k_max_curve_points);
  }
  return out;
}

struct Extent {
  double lo = std::numeric_limits<double>::infinity();
  double hi = -std::numeric_limits<double>::infinity();
  void add(double v) {
    lo = std::min(lo, v);
    hi = std::max(hi, v);
  }
  bool empty() const { return lo > hi; }
};

// Bands first, so that no band covers a line, then the lines (a single point as a dot).
void draw_series(SvgWriter& svg, const Frame& f, const AxisScale& x, const AxisScale& y,
                 const std::vector<CurveSeries>& series) {
  for (const auto& s : series) {
    if (s.lower.empty() || s.x.empty()) {
      continue;
    }
    Points band;
    for (size_t i = 0; i < s.x.size(); ++i) {
      band.emplace_back(f.x_of(s.x[i], x), f.y_of(s.upper[i], y));
    }
    for (size_t i = s.x.size(); i-- > 0;) {
      band.emplace_back(f.x_of(s.x[i], x), f.y_of(s.lower[i], y));
    }
    svg.polygon(band, s.color, 0.2, "band");
  }
  for (const auto& s : series) {
    Points pts;
    for (size_t i = 0; i < s.x.size(); ++i) {
      pts.emplace_back(f.x_of(s.x[i], x), f.y_of(s.y[i], y));
    }
    if (pts.size() == 1) {
      svg.circle(pts[0].first, pts[0].second, 3, s.color, "series");
    } else if (!pts.empty()) {
      svg.polyline(pts, s.color, s.width, "series", s.dash, s.opacity);
    }
  }
}

} // namespace

void decimate(std::vector<double>& x, std::vector<double>& y, size_t max_points) {
  if (x.size() <= max_points || max_points < 4) {
    return;
  }
  size_t buckets = max_points / 2;
  size_t per = (x.size() + buckets - 1) / buckets;
  std::vector<double> nx, ny;
  for (size_t b = 0; b < x.size(); b += per) {
    size_t e = std::min(x.size(), b + per);
    auto lo = static_cast<size_t>(std::min_element(y.begin() + static_cast<long>(b), y.begin() + static_cast<long>(e)) -
                                  y.begin());
    auto hi = static_cast<size_t>(std::max_element(y.begin() + static_cast<long>(b), y.begin() + static_cast<long>(e)) -
                                  y.begin());
    for (size_t i : {std::min(lo, hi), std::max(lo, hi)}) {
      if (nx.empty() || nx.back() != x[i] || ny.back() != y[i]) {
        nx.push_back(x[i]);
        ny.push_back(y[i]);
      }
    }
  }
  x = std::move(nx);
  y = std::move(ny);
}

std::string render_line_chart(const LineChartSpec& spec) {
  std::vector<CurveSeries> series;
  Extent xs, ys;
  std::vector<LegendItem> legend;
  for (const auto& s : spec.series) {
    series.push_back(finite_only(s));
    const auto& c = series.back();
    for (size_t i = 0; i < c.x.size(); ++i) {
      xs.add(c.x[i]);
      ys.add(c.y[i]);
      if (!c.lower.empty()) {
        ys.add(c.lower[i]);
        ys.add(c.upper[i]);
      }
    }
    if (!s.label.empty()) {
      legend.push_back({s.label, s.color, c.lower.empty() ? LegendMark::line : LegendMark::band, s.dash});
    }
  }
  FrameRequest req{.text = spec.text, .legend = legend};
  AxisScale y = ys.empty() ? nice_scale(0, 1, 5) : nice_scale(ys.lo, ys.hi, max_y_ticks(req.plot_h));
  req.y_tick_labels = y.labels;
  Frame f = layout_frame(req);
  AxisScale x = xs.empty() ? fit_x_scale(0, 1, f.plot_w) : fit_x_scale(xs.lo, xs.hi, f.plot_w);

  SvgWriter svg(f.width, f.height);
  svg.title(spec.text.title);
  draw_y_axis(svg, f, y);
  draw_x_axis(svg, f, x);
  draw_series(svg, f, x, y, series);
  if (xs.empty()) {
    svg.text(f.left + f.plot_w / 2, f.top + f.plot_h / 2, "no data",
             {.size = 14, .anchor = Anchor::middle, .fill = "#888888"}, "no-data");
  }
  draw_legend(svg, f, legend);
  draw_chart_text(svg, f, spec.text);
  return svg.finish();
}

} // namespace seedrun::render
