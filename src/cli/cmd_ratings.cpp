// seedrun ratings MATCHES.jsonl [--fixed base_model,chaos_bot] [--bootstrap N] [--seed N] [--json]
// [--output DIR]: Bradley–Terry ratings against fixed references (docs/health.md).
#include "seedrun/cli/commands.hpp"
#include "seedrun/render/plots.hpp"
#include "seedrun/report/ratings_report.hpp"
#include "seedrun/stats/matches.hpp"
#include "seedrun/util/atomic_file.hpp"
#include "seedrun/util/error.hpp"
#include "seedrun/util/json.hpp"
#include "seedrun/util/strings.hpp"

#include <cmath>
#include <fmt/format.h>
#include <optional>
#include <spdlog/spdlog.h>
#include <utility>

namespace seedrun::cli {
namespace {

constexpr int k_max_bootstrap = 100000;

void warn_problems(const stats::MatchesData& data) {
  for (const auto& p : data.problems) {
    spdlog::warn("{}", p);
  }
  if (data.unreadable > data.problems.size()) {
    spdlog::warn("... and {} more unreadable lines", data.unreadable - data.problems.size());
  }
}

std::optional<double> rated(const stats::PlayerRating& p) {
  return p.status == stats::RatingStatus::rated ? std::optional<double>(p.rating) : std::nullopt;
}

// One curve over the trajectory steps where `value` has a finite value.
template <class F>
render::CurveSeries curve(const report::RatingsReport& r, std::string label, std::string color, F value) {
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
std::pair<std::string, std::string> trajectory_charts(const report::RatingsReport& r) {
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

} // namespace

int run_ratings(const GlobalOptions& g, const RatingsOptions& o) {
  if (o.bootstrap != 0 && (o.bootstrap < 2 || o.bootstrap > k_max_bootstrap)) {
    throw UsageError(
        fmt::format("--bootstrap must be 0 (no intervals) or 2 to {}; got {}", k_max_bootstrap, o.bootstrap));
  }
  auto data = stats::read_matches(o.matches);
  warn_problems(data);
  if (data.fatal) {
    throw Error(*data.fatal);
  }
  report::RatingsRequest request;
  request.source = o.matches.string();
  for (const auto& f : util::split(o.fixed, ',')) {
    if (!util::trim(f).empty()) {
      request.fixed.push_back(util::trim(f));
    }
  }
  request.bootstrap = o.bootstrap;
  request.seed = o.seed;
  auto r = report::build_ratings_report(std::move(data), request);
  if (!r.fit.converged) {
    spdlog::warn("the fit did not converge in {} iterations; the ratings are not the maximum", r.fit.iterations);
  }
  auto json = report::ratings_json(r);
  auto markdown = report::ratings_markdown(r);
  if (!o.output.empty()) {
    std::error_code ec;
    std::filesystem::create_directories(o.output, ec);
    if (ec) {
      throw Error(fmt::format("cannot create {}: {}", o.output.string(), ec.message()));
    }
    util::write_file_atomic(o.output / "ratings.json", util::dump_json(json, 2) + "\n");
    util::write_file_atomic(o.output / "ratings.md", markdown);
    auto [ratings_svg, gap_svg] = trajectory_charts(r);
    util::write_file_atomic(o.output / "ratings_trajectory.svg", ratings_svg);
    if (!gap_svg.empty()) {
      util::write_file_atomic(o.output / "ratings_gap.svg", gap_svg);
    }
    if (!g.quiet) {
      fmt::print(stderr, "wrote {}\n", (o.output / "ratings.md").string());
    }
  }
  fmt::print("{}", o.json ? util::dump_json(json, 2) + "\n" : markdown);
  return 0;
}

} // namespace seedrun::cli
