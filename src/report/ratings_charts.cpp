// The two SVG charts of a ratings report (ratings_charts.hpp), shared by `seedrun ratings
// --output` and the analyze report's Ratings section.
#include "seedrun/report/ratings_charts.hpp"

#include "seedrun/render/plots.hpp"

#include <cmath>
#include <optional>

namespace seedrun::report {
namespace {

std::optional<double> rated(const stats::PlayerRating& p) {
  return p.status == stats::RatingStatus::rated ? std::optional<double>(p.rating) : std::nullopt;
}

// One curve over the trajectory steps where `value` has a finite value.
template <class F> render::CurveSeries curve(const RatingsReport& r, std::string label, std::string color, F value) {
  render::CurveSeries c;
  c.label = std::move(label);
  c.color = std::move(color);
  for (size_t k = 0; k < r.trajectory.size(); ++k) {
    auto v = value(k);
    if (v && std::isfinite(*v)) {
      c.x.push_back(static_cast<double>(r.trajectory[k].step));
      c.y.push_back(*v);
    }
  }
  return c;
}

// The references and every checkpoint over the steps (the policy frame), and the gap.
} // namespace

std::pair<std::string, std::string> ratings_charts(const RatingsReport& r) {
  render::LineChartSpec ratings;
  ratings.text = {"Ratings over training (newest checkpoint at 1000)",
                  "references falling and older checkpoints falling = learning; games up to each step refitted",
                  "Training step of the checkpoint", "Elo (Bradley-Terry, 400 points = odds 10:1)"};
  bool first_ckpt = true;
  for (int p : r.checkpoints()) {
    auto c = curve(r, first_ckpt ? "checkpoints" : "", "#b0b0b0",
                   [&](size_t k) { return rated(r.trajectory[k].fit.players[static_cast<size_t>(p)]); });
    c.width = 1;
    if (!c.x.empty()) {
      ratings.series.push_back(std::move(c));
      first_ckpt = false;
    }
  }
  size_t i = 0;
  for (const auto& ref : r.references) {
    auto c = curve(r, r.data.players[static_cast<size_t>(ref.player)], render::palette_color(i),
                   [&](size_t k) { return rated(r.trajectory[k].fit.players[static_cast<size_t>(ref.player)]); });
    c.dash = render::palette_dash(i++);
    ratings.series.push_back(std::move(c));
  }
  render::LineChartSpec gap;
  std::string base = r.references.empty() ? "" : r.data.players[static_cast<size_t>(r.references.front().player)];
  gap.text = {"Best checkpoint − " + base, "growing = learning; games up to each step refitted",
              "Training step of the checkpoint", "Elo difference"};
  gap.series.push_back(curve(r, "best checkpoint − " + base, render::palette_color(0),
                             [&](size_t k) { return r.gap_of(r.trajectory[k].fit).value; }));
  return {render::render_line_chart(ratings), r.references.empty() ? "" : render::render_line_chart(gap)};
}

} // namespace seedrun::report
