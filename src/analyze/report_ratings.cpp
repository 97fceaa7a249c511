// The Ratings section of the analysis report (report_ratings.hpp).
#include "seedrun/analyze/report_ratings.hpp"

#include "seedrun/report/ratings_charts.hpp"
#include "seedrun/report/ratings_report.hpp"
#include "seedrun/util/strings.hpp"

#include <algorithm>
#include <cmath>
#include <fmt/format.h>
#include <numeric>

namespace seedrun::analyze {

using render::Cell;
using render::number_cell;
using render::Table;
using render::text_cell;
namespace {

// An Elo value: one decimal, ±∞ written as such, "n/a" when absent.
Cell elo_cell(std::optional<double> v) {
  if (v && std::isinf(*v)) {
    return text_cell(*v > 0 ? "+∞" : "−∞");
  }
  return number_cell(v, 1);
}

std::optional<double> rating_of(const stats::PlayerRating& p) {
  switch (p.status) {
  case stats::RatingStatus::rated: return p.rating;
  case stats::RatingStatus::above: return HUGE_VAL;
  case stats::RatingStatus::below: return -HUGE_VAL;
  default: return std::nullopt;
  }
}

std::string signed_elo(std::optional<double> v) {
  if (!v) {
    return "n/a";
  }
  if (std::isinf(*v)) {
    return *v > 0 ? "+∞" : "−∞";
  }
  return fmt::format("{:+.1f}", *v);
}

} // namespace

std::optional<Table> ratings_table(const AnalysisInput& in) {
  if (!in.ratings) {
    return std::nullopt;
  }
  const auto& r = *in.ratings;
  Table t;
  t.id = "ratings";
  t.caption = "Bradley–Terry ratings on the Elo scale";
  t.header = {"Player", "Role", "Elo", "95% CI low", "95% CI high", "Games", "Score"};
  t.numeric = {false, false, true, true, true, true, true};
  std::vector<size_t> order(r.data.players.size());
  std::iota(order.begin(), order.end(), size_t{0});
  auto key = [&](size_t p) { return rating_of(r.fit.players[p]).value_or(-HUGE_VAL); };
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return key(a) > key(b); });
  for (size_t p : order) {
    const auto& pr = r.fit.players[p];
    std::optional<double> low;
    std::optional<double> high;
    if (p < r.boot.players.size()) {
      low = r.boot.players[p].low;
      high = r.boot.players[p].high;
    }
    double score = pr.games > 0 ? (pr.wins + 0.5 * pr.draws) / pr.games : 0;
    t.rows.push_back({text_cell(r.data.players[p]),
                      text_cell(r.is_reference(static_cast<int>(p)) ? "reference" : "checkpoint"),
                      elo_cell(rating_of(pr)), elo_cell(low), elo_cell(high),
                      Cell{std::to_string(pr.games), static_cast<double>(pr.games)},
                      Cell{fmt::format("{:.1f}%", 100 * score), score}});
  }
  return t;
}

std::optional<Table> rating_signal_table(const AnalysisInput& in) {
  if (!in.ratings) {
    return std::nullopt;
  }
  auto signal = report::learning_signal(*in.ratings);
  if (!signal) {
    return std::nullopt;
  }
  Table t;
  t.id = "rating_signal";
  t.caption = "Learning signal against the fixed references";
  t.header = {"Signal", fmt::format("Step {}", signal->first_step), fmt::format("Step {}", signal->last_step), "Change",
              "Reading"};
  t.numeric = {false, true, true, true, false};
  for (const auto& row : signal->rows) {
    std::optional<double> change;
    if (row.first && row.last && std::isfinite(*row.first) && std::isfinite(*row.last)) {
      change = *row.last - *row.first;
    }
    // The gap (the last row) is a difference: signed, as in `seedrun ratings`.
    auto value = [&](std::optional<double> v) {
      return &row == &signal->rows.back() && v && std::isfinite(*v) ? Cell{signed_elo(v), *v} : elo_cell(v);
    };
    t.rows.push_back({text_cell(row.signal), value(row.first), value(row.last),
                      change ? Cell{signed_elo(change), *change} : text_cell("n/a"), text_cell(row.reading)});
  }
  return t;
}

std::vector<PlotFile> ratings_plots(const AnalysisInput& in) {
  std::vector<PlotFile> out;
  if (!in.ratings || in.ratings->trajectory.empty()) {
    return out;
  }
  auto [ratings_svg, gap_svg] = report::ratings_charts(*in.ratings);
  out.push_back({"ratings_trajectory", "Ratings over training: references and checkpoints", ratings_svg});
  if (!gap_svg.empty()) {
    out.push_back({"ratings_gap", "Best checkpoint minus the first reference over training", gap_svg});
  }
  return out;
}

std::optional<std::string> ratings_finding(const AnalysisInput& in) {
  if (!in.ratings) {
    return std::nullopt;
  }
  auto signal = report::learning_signal(*in.ratings);
  if (!signal) {
    return std::nullopt;
  }
  const auto& gap = signal->rows.back();
  return fmt::format("Learning signal: {} went from {} to {} Elo between steps {} and {}: {}.", gap.signal,
                     signed_elo(gap.first), signed_elo(gap.last), signal->first_step, signal->last_step, gap.reading);
}

void ratings_section(render::Document& d, const AnalysisInput& in, const std::vector<PlotFile>& plots,
                     const std::vector<Table>& tables) {
  if (!in.ratings) {
    return;
  }
  const auto& r = *in.ratings;
  d.heading(2, "Ratings");
  std::vector<std::string> anchors;
  for (const auto& a : r.anchors) {
    anchors.push_back(fmt::format("{} = {:.1f}", r.data.players[static_cast<size_t>(a.player)], a.rating));
  }
  d.paragraph(fmt::format(
      "{} games between {} players from `{}`{}: Bradley–Terry maximum likelihood on the Elo scale (400 points = odds "
      "10 : 1, a draw half a win), {}{}. See docs/health.md, \"Ratings\".",
      r.data.games.size(), r.data.players.size(), r.source,
      r.data.unreadable > 0 ? fmt::format(" ({} lines unreadable, skipped)", r.data.unreadable) : "",
      anchors.empty() ? std::string("no fixed reference (the rated players average 1000)")
                      : "anchored at " + util::join(anchors, ", "),
      r.boot.resamples > 0
          ? fmt::format("; 95% intervals from {} bootstrap resamples (seed {})", r.boot.resamples, r.seed)
          : ""));
  if (!r.fit.converged) {
    d.paragraph(fmt::format("**The fit did not converge in {} iterations; the ratings are not the maximum.**",
                            r.fit.iterations));
  }
  for (const char* id : {"ratings", "rating_signal"}) {
    for (const auto& t : tables) {
      if (t.id == id) {
        if (t.id == "rating_signal") {
          auto signal = report::learning_signal(r);
          d.heading(3, "Learning Signal (fixed references)");
          d.paragraph(fmt::format("References falling and the gap growing mean the policy learns; changes within "
                                  "±{:.1f} Elo (half the 95% interval of the gap) read as flat.",
                                  signal ? signal->noise : 0.0));
        }
        d.table(t);
      }
    }
  }
  for (const auto& p : plots) {
    if (p.name.rfind("ratings_", 0) == 0) {
      d.figure(p.caption, "plots/" + p.name + ".svg", p.svg);
    }
  }
}

} // namespace seedrun::analyze
