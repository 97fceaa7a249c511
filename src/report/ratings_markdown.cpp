// The ratings report as markdown: the table of players, the learning signal of the fixed
// references (seed 000: references falling, the gap best − base_model growing) and the
// trajectory over checkpoints.
#include "seedrun/report/format.hpp"
#include "seedrun/report/ratings_report.hpp"
#include "seedrun/util/strings.hpp"

#include <algorithm>
#include <cmath>
#include <fmt/format.h>

namespace seedrun::report {
namespace {

std::string elo(std::optional<double> v) {
  if (v && std::isinf(*v)) {
    return *v > 0 ? "+∞" : "−∞";
  }
  return fixed(v, 1);
}

std::string signed_elo(std::optional<double> v) {
  if (v && std::isfinite(*v)) {
    return fmt::format("{:+.1f}", *v);
  }
  return elo(v);
}

std::string status_word(stats::RatingStatus s) {
  switch (s) {
  case stats::RatingStatus::above: return "unbounded above: beat every rated player it met, directly or through others";
  case stats::RatingStatus::below: return "unbounded below: never scored against the rated players";
  case stats::RatingStatus::unconnected: return "unconnected: no games link it to the rated players";
  default: return "no games";
  }
}

std::optional<double> rated(const stats::PlayerRating& p) {
  return p.status == stats::RatingStatus::rated ? std::optional<double>(p.rating) : std::nullopt;
}

// "falling", "rising" or "flat" for a change in Elo points: within ±noise is flat.
std::string direction(double change, double noise) {
  return change < -noise ? "falling" : change > noise ? "rising" : "flat";
}

// How large a change must be to read as one: half the width of the final gap's bootstrap 95%
// interval (the typical uncertainty of a checkpoint's rating), else 5 Elo points.
double noise_level(const RatingsReport& r) {
  if (r.boot.gap && r.boot.gap->low && r.boot.gap->high && std::isfinite(*r.boot.gap->low) &&
      std::isfinite(*r.boot.gap->high)) {
    return std::max(5.0, (*r.boot.gap->high - *r.boot.gap->low) / 2);
  }
  return 5.0;
}

void players_table(std::string& md, const RatingsReport& r) {
  std::vector<size_t> order(r.data.players.size());
  for (size_t p = 0; p < order.size(); ++p) {
    order[p] = p;
  }
  auto key = [&](size_t p) {
    const auto& pr = r.fit.players[p];
    return pr.status == stats::RatingStatus::rated   ? pr.rating
           : pr.status == stats::RatingStatus::above ? INFINITY
                                                     : -INFINITY;
  };
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return key(a) > key(b); });
  md += md_row({"Player", "Role", "Elo", "95% CI", "Games", "W–D–L", "Score"});
  md += "|---|---|---:|---|---:|---|---:|\n";
  std::string unrated;
  for (size_t p : order) {
    const auto& pr = r.fit.players[p];
    std::string ci = "n/a";
    if (p < r.boot.players.size() && r.boot.players[p].low) {
      ci = fmt::format("[{}, {}]", elo(r.boot.players[p].low), elo(r.boot.players[p].high));
    }
    std::string rating = pr.status == stats::RatingStatus::rated   ? elo(pr.rating)
                         : pr.status == stats::RatingStatus::above ? "+∞"
                         : pr.status == stats::RatingStatus::below ? "−∞"
                                                                   : "n/a";
    double score = pr.games > 0 ? (pr.wins + 0.5 * pr.draws) / pr.games : 0;
    md += md_row({r.data.players[p], r.is_reference(static_cast<int>(p)) ? "reference" : "checkpoint", rating, ci,
                  std::to_string(pr.games), fmt::format("{}–{}–{}", pr.wins, pr.draws, pr.losses),
                  fmt::format("{:.1f}%", 100 * score)});
    if (pr.status != stats::RatingStatus::rated) {
      unrated += fmt::format("- {}: {}\n", r.data.players[p], status_word(pr.status));
    }
  }
  if (!unrated.empty()) {
    md += "\nWithout a finite rating (the maximum likelihood is at infinity or anywhere):\n\n" + unrated;
  }
}

void signal_section(std::string& md, const RatingsReport& r) {
  if (r.references.empty()) {
    return;
  }
  const std::string& base = r.data.players[static_cast<size_t>(r.references.front().player)];
  md += "\n## Learning signal (fixed references)\n\n";
  if (auto gap = r.gap_of(r.fit); gap.value) {
    std::string ci = r.boot.gap && r.boot.gap->low
                         ? fmt::format(" (95% CI [{}, {}])", signed_elo(r.boot.gap->low), signed_elo(r.boot.gap->high))
                         : "";
    md += fmt::format("Best checkpoint − {} over all games: {} Elo{}, best: {}.\n\n", base, signed_elo(gap.value), ci,
                      r.data.players[static_cast<size_t>(*gap.best)]);
  }
  if (r.trajectory.empty()) {
    md += "No game has a step, so there is no trajectory over checkpoints.\n";
    return;
  }
  const auto& first = r.trajectory.front();
  const auto& last = r.trajectory.back();
  const double noise = noise_level(r);
  md += fmt::format("Changes within ±{:.1f} Elo (half the 95% interval of the gap) read as flat.\n\n", noise);
  md += md_row({"Signal", fmt::format("Step {}", first.step), fmt::format("Step {}", last.step), "Change", "Reading"});
  md += "|---|---:|---:|---:|---|\n";
  for (const auto& ref : r.references) {
    auto a = rated(first.fit.players[static_cast<size_t>(ref.player)]);
    auto b = rated(last.fit.players[static_cast<size_t>(ref.player)]);
    std::string change = a && b ? signed_elo(*b - *a) : "n/a";
    std::string reading = a && b ? direction(*b - *a, noise) : "n/a";
    if (reading == "falling") {
      reading += " (good: the policy exploits it)";
    } else if (reading != "n/a") {
      reading += " (bad: no progress against it)";
    }
    md += md_row({r.data.players[static_cast<size_t>(ref.player)] + " Elo", elo(a), elo(b), change, reading});
  }
  auto g0 = r.gap_of(first.fit).value;
  auto g1 = r.gap_of(last.fit).value;
  bool both = g0 && g1 && std::isfinite(*g0) && std::isfinite(*g1);
  std::string reading = "n/a";
  if (both) {
    auto d = direction(*g1 - *g0, noise);
    reading = d == "rising" ? "growing (good)" : d == "falling" ? "shrinking (bad)" : "flat (bad: no clear progress)";
  }
  md += md_row(
      {"Best checkpoint − " + base, signed_elo(g0), signed_elo(g1), both ? signed_elo(*g1 - *g0) : "n/a", reading});
}

void trajectory_section(std::string& md, const RatingsReport& r) {
  if (r.trajectory.empty()) {
    return;
  }
  md += fmt::format("\n## Trajectory over checkpoints\n\nAt each step, the games up to that step are refitted and "
                    "shown with the newest checkpoint at {:.0f}: a reference or an older checkpoint falls when the "
                    "policy pulls away from it, and stays flat when the policy does not improve. Differences (the "
                    "gap) do not depend on the frame.\n\n",
                    stats::k_pool_mean);
  std::vector<std::string> head{"Step", "Games", "Newest (at 1000)"};
  std::string align = "|---:|---:|---|";
  for (const auto& ref : r.references) {
    head.push_back(r.data.players[static_cast<size_t>(ref.player)]);
    align += "---:|";
  }
  head.insert(head.end(), {"Best checkpoint", "Best Elo"});
  align += "---|---:|";
  if (!r.references.empty()) {
    head.push_back("Gap");
    align += "---:|";
  }
  md += md_row(head) + align + "\n";
  for (size_t k = 0; k < r.trajectory.size(); ++k) {
    const auto& t = r.trajectory[k];
    std::vector<std::string> row{std::to_string(t.step), std::to_string(t.games),
                                 r.newest[k] ? r.data.players[static_cast<size_t>(*r.newest[k])] : "n/a"};
    for (const auto& ref : r.references) {
      row.push_back(elo(rated(t.fit.players[static_cast<size_t>(ref.player)])));
    }
    auto gap = r.gap_of(t.fit);
    row.push_back(gap.best ? r.data.players[static_cast<size_t>(*gap.best)] : "n/a");
    row.push_back(gap.best ? elo(rated(t.fit.players[static_cast<size_t>(*gap.best)])) : "n/a");
    if (!r.references.empty()) {
      row.push_back(signed_elo(gap.value));
    }
    md += md_row(row);
  }
  // Older checkpoints: their rating when they appeared against the last step.
  std::string rows;
  const auto& last = r.trajectory.back();
  for (int p : r.checkpoints()) {
    const auto& fs = r.first_step[static_cast<size_t>(p)];
    if (!fs || *fs >= last.step) {
      continue;
    }
    auto at = std::find_if(r.trajectory.begin(), r.trajectory.end(), [&](const auto& t) { return t.step >= *fs; });
    auto then = at == r.trajectory.end() ? std::nullopt : rated(at->fit.players[static_cast<size_t>(p)]);
    auto now = rated(last.fit.players[static_cast<size_t>(p)]);
    rows += md_row({r.data.players[static_cast<size_t>(p)], std::to_string(*fs), elo(then), elo(now),
                    then && now ? signed_elo(*now - *then) : "n/a"});
  }
  if (!rows.empty()) {
    md += fmt::format("\nOlder checkpoints (falling = newer ones beat them):\n\n");
    md += md_row({"Checkpoint", "First step", "Elo then", fmt::format("Elo at step {}", last.step), "Change"});
    md += "|---|---:|---:|---:|---:|\n" + rows;
  }
}

} // namespace

std::optional<LearningSignal> learning_signal(const RatingsReport& r) {
  if (r.references.empty() || r.trajectory.empty()) {
    return std::nullopt;
  }
  const auto& first = r.trajectory.front();
  const auto& last = r.trajectory.back();
  LearningSignal out{first.step, last.step, noise_level(r), {}};
  for (const auto& ref : r.references) {
    auto a = rated(first.fit.players[static_cast<size_t>(ref.player)]);
    auto b = rated(last.fit.players[static_cast<size_t>(ref.player)]);
    std::string reading = a && b ? direction(*b - *a, out.noise) : "n/a";
    if (reading == "falling") {
      reading += " (good: the policy exploits it)";
    } else if (reading != "n/a") {
      reading += " (bad: no progress against it)";
    }
    out.rows.push_back({r.data.players[static_cast<size_t>(ref.player)] + " Elo", a, b, reading});
  }
  auto g0 = r.gap_of(first.fit).value;
  auto g1 = r.gap_of(last.fit).value;
  std::string reading = "n/a";
  if (g0 && g1 && std::isfinite(*g0) && std::isfinite(*g1)) {
    auto d = direction(*g1 - *g0, out.noise);
    reading = d == "rising" ? "growing (good)" : d == "falling" ? "shrinking (bad)" : "flat (bad: no clear progress)";
  }
  out.rows.push_back(
      {"Best checkpoint − " + r.data.players[static_cast<size_t>(r.references.front().player)], g0, g1, reading});
  return out;
}

std::string ratings_markdown(const RatingsReport& r) {
  std::string md = fmt::format("# Ratings: {}\n\n", r.source);
  md += fmt::format("{} games between {} players", r.data.games.size(), r.data.players.size());
  md += r.data.unreadable > 0 ? fmt::format(" ({} of {} lines unreadable, skipped).", r.data.unreadable, r.data.lines)
                              : ".";
  md += " Bradley–Terry maximum likelihood on the Elo scale (400 points = odds 10 : 1; a draw counts half a win), ";
  if (r.anchors.empty()) {
    md += fmt::format("no fixed reference: the rated players average {:.0f}.", stats::k_pool_mean);
  } else {
    std::vector<std::string> parts;
    for (const auto& a : r.anchors) {
      parts.push_back(fmt::format("{} = {}", r.data.players[static_cast<size_t>(a.player)], elo(a.rating)));
    }
    md += "anchored at " + util::join(parts, ", ") + ".";
  }
  if (r.boot.resamples > 0) {
    md += fmt::format(" 95% intervals: percentile bootstrap over games, {} resamples, seed {}.", r.boot.resamples,
                      r.seed);
  }
  if (!r.fit.converged) {
    md += fmt::format(" **The fit did not converge in {} iterations; the numbers are not the maximum.**",
                      r.fit.iterations);
  }
  md += "\n\n";
  players_table(md, r);
  signal_section(md, r);
  trajectory_section(md, r);
  return md;
}

} // namespace seedrun::report
