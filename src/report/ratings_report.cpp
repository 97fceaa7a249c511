// Gathering the ratings report (anchors from --fixed, fit, bootstrap, trajectory) and its JSON.
#include "seedrun/report/ratings_report.hpp"

#include "seedrun/util/error.hpp"
#include "seedrun/util/strings.hpp"

#include <algorithm>
#include <cmath>
#include <fmt/format.h>

namespace seedrun::report {
namespace {

int find_player(const stats::MatchesData& data, const std::string& name) {
  for (size_t i = 0; i < data.players.size(); ++i) {
    if (data.players[i] == name) {
      return static_cast<int>(i);
    }
  }
  auto hint = util::closest_match(name, data.players);
  throw UsageError(
      hint ? fmt::format("--fixed: no game in {} names '{}' (did you mean '{}'?)", "the matches file", name, *hint)
           : fmt::format("--fixed: no game in the matches file names '{}'", name));
}

std::vector<Reference> parse_fixed(const stats::MatchesData& data, const std::vector<std::string>& fixed) {
  std::vector<Reference> refs;
  for (const auto& entry : fixed) {
    auto eq = entry.find('=');
    std::string name = util::trim(entry.substr(0, eq));
    if (name.empty()) {
      throw UsageError(fmt::format("--fixed: '{}' has no player name; write NAME or NAME=RATING", entry));
    }
    Reference ref{find_player(data, name), std::nullopt};
    if (eq != std::string::npos) {
      auto v = util::parse_double(util::trim(entry.substr(eq + 1)));
      if (!v || !std::isfinite(*v) || std::abs(*v) > 1e6) {
        throw UsageError(fmt::format("--fixed: '{}' needs a rating (a number), e.g. {}=1000", entry, name));
      }
      ref.pinned = *v;
    }
    for (const auto& r : refs) {
      if (r.player == ref.player) {
        throw UsageError(fmt::format("--fixed names '{}' twice", name));
      }
    }
    refs.push_back(ref);
  }
  return refs;
}

// JSON for a value that may be ±∞: a number, "inf" / "-inf", or null.
nlohmann::json number_or_word(std::optional<double> v) {
  if (!v || std::isnan(*v)) {
    return nullptr;
  }
  if (std::isinf(*v)) {
    return *v > 0 ? "inf" : "-inf";
  }
  return *v;
}

nlohmann::json rating_value(const stats::PlayerRating& p) {
  return p.status == stats::RatingStatus::rated ? nlohmann::json(p.rating) : nlohmann::json(nullptr);
}

// The rated checkpoint whose first game is the latest (ties: more games, then lower index).
std::optional<int> newest_checkpoint(const RatingsReport& r, const stats::RatingsFit& fit) {
  std::optional<int> best;
  for (int c : r.checkpoints()) {
    const auto& p = fit.players[static_cast<size_t>(c)];
    const auto& fs = r.first_step[static_cast<size_t>(c)];
    if (p.status != stats::RatingStatus::rated || !fs) {
      continue;
    }
    if (!best) {
      best = c;
      continue;
    }
    const auto& bfs = *r.first_step[static_cast<size_t>(*best)];
    if (*fs > bfs || (*fs == bfs && p.games > fit.players[static_cast<size_t>(*best)].games)) {
      best = c;
    }
  }
  return best;
}

} // namespace

bool RatingsReport::is_reference(int player) const {
  return std::any_of(references.begin(), references.end(), [&](const Reference& r) { return r.player == player; });
}

std::vector<int> RatingsReport::checkpoints() const {
  std::vector<int> out;
  for (size_t p = 0; p < data.players.size(); ++p) {
    if (!is_reference(static_cast<int>(p))) {
      out.push_back(static_cast<int>(p));
    }
  }
  return out;
}

RatingsReport::Gap RatingsReport::gap_of(const stats::RatingsFit& at) const {
  Gap g;
  g.best = stats::best_player(at, checkpoints());
  if (!g.best || references.empty()) {
    return g;
  }
  auto value = [](const stats::PlayerRating& p) -> std::optional<double> {
    switch (p.status) {
    case stats::RatingStatus::rated: return p.rating;
    case stats::RatingStatus::above: return INFINITY;
    case stats::RatingStatus::below: return -INFINITY;
    default: return std::nullopt;
    }
  };
  auto top = value(at.players[static_cast<size_t>(*g.best)]);
  auto base = value(at.players[static_cast<size_t>(references.front().player)]);
  if (top && base && !(std::isinf(*top) && std::isinf(*base))) {
    g.value = *top - *base;
  }
  return g;
}

RatingsReport build_ratings_report(stats::MatchesData data, const RatingsRequest& request) {
  RatingsReport r;
  r.source = request.source;
  r.data = std::move(data);
  if (r.data.games.empty()) {
    throw Error(fmt::format("{} holds no readable game ({} lines, {} unreadable){}", r.source, r.data.lines,
                            r.data.unreadable,
                            r.data.problems.empty() ? "" : "; the first problem: " + r.data.problems.front()));
  }
  r.references = parse_fixed(r.data, request.fixed);
  bool any_pinned = std::any_of(r.references.begin(), r.references.end(), [](const Reference& x) { return x.pinned; });
  for (auto& ref : r.references) {
    if (ref.pinned) {
      r.anchors.push_back({ref.player, *ref.pinned});
    }
  }
  if (!any_pinned && !r.references.empty()) {
    r.anchors.push_back({r.references.front().player, stats::k_pool_mean});
    r.references.front().pinned = stats::k_pool_mean;
  }
  r.first_step.assign(r.data.players.size(), std::nullopt);
  for (const auto& g : r.data.games) {
    for (int p : {g.a, g.b}) {
      auto& fs = r.first_step[static_cast<size_t>(p)];
      if (g.step && (!fs || *g.step < *fs)) {
        fs = g.step;
      }
    }
  }
  stats::FitOptions options{.anchors = r.anchors};
  const size_t n = r.data.players.size();
  r.fit = stats::fit_ratings(n, r.data.games, options);
  auto ckpts = r.checkpoints();
  r.best = stats::best_player(r.fit, ckpts);
  std::optional<std::pair<int, int>> gap_pair;
  if (r.best && !r.references.empty()) {
    gap_pair = std::make_pair(*r.best, r.references.front().player);
  }
  r.bootstrap = request.bootstrap;
  r.seed = request.seed;
  if (request.bootstrap >= 2) {
    r.boot = stats::bootstrap_ratings(n, r.data.games, options, request.bootstrap, request.seed, 0.95, gap_pair);
  }
  r.trajectory = stats::rating_trajectory(n, r.data.games, options, request.max_trajectory_points);
  for (auto& t : r.trajectory) {
    r.newest.push_back(newest_checkpoint(r, t.fit));
    if (auto c = r.newest.back()) {
      double shift = stats::k_pool_mean - t.fit.players[static_cast<size_t>(*c)].rating;
      for (auto& p : t.fit.players) {
        p.rating += p.status == stats::RatingStatus::rated ? shift : 0;
      }
    }
  }
  return r;
}

nlohmann::json ratings_json(const RatingsReport& r) {
  using nlohmann::json;
  json j;
  j["source"] = r.source;
  j["games"] = r.data.games.size();
  j["lines"] = r.data.lines;
  j["lines_unreadable"] = r.data.unreadable;
  j["problems"] = r.data.problems;
  j["model"] = {{"kind", "bradley_terry_mle"},
                {"scale", stats::k_elo_scale},
                {"base", 10},
                {"draw", "half a win"},
                {"converged", r.fit.converged},
                {"iterations", r.fit.iterations},
                {"log_likelihood", r.fit.log_likelihood}};
  json anchors = json::array();
  for (const auto& a : r.anchors) {
    anchors.push_back({{"player", r.data.players[static_cast<size_t>(a.player)]}, {"rating", a.rating}});
  }
  j["anchors"] = anchors;
  if (anchors.empty()) {
    j["frame"] = fmt::format("rated players average {}", stats::k_pool_mean);
  }
  json refs = json::array();
  for (const auto& ref : r.references) {
    refs.push_back(r.data.players[static_cast<size_t>(ref.player)]);
  }
  j["references"] = refs;
  j["bootstrap"] = {
      {"resamples", r.boot.resamples}, {"seed", r.seed}, {"level", 0.95}, {"not_converged", r.boot.not_converged}};
  json players = json::array();
  for (size_t p = 0; p < r.data.players.size(); ++p) {
    const auto& pr = r.fit.players[p];
    json e{{"player", r.data.players[p]},
           {"role", r.is_reference(static_cast<int>(p)) ? "reference" : "checkpoint"},
           {"status", stats::to_string(pr.status)},
           {"rating", rating_value(pr)},
           {"games", pr.games},
           {"wins", pr.wins},
           {"draws", pr.draws},
           {"losses", pr.losses},
           {"first_step", r.first_step[p] ? json(*r.first_step[p]) : json(nullptr)}};
    if (p < r.boot.players.size()) {
      e["ci_low"] = number_or_word(r.boot.players[p].low);
      e["ci_high"] = number_or_word(r.boot.players[p].high);
    }
    players.push_back(e);
  }
  j["players"] = players;
  if (auto gap = r.gap_of(r.fit); gap.value) {
    j["gap"] = {{"best", r.data.players[static_cast<size_t>(*gap.best)]},
                {"reference", r.data.players[static_cast<size_t>(r.references.front().player)]},
                {"value", number_or_word(gap.value)},
                {"ci_low", r.boot.gap ? number_or_word(r.boot.gap->low) : json(nullptr)},
                {"ci_high", r.boot.gap ? number_or_word(r.boot.gap->high) : json(nullptr)}};
  }
  json traj = json::array();
  for (const auto& t : r.trajectory) {
    json ratings = json::object();
    json status = json::object();
    for (size_t p = 0; p < r.data.players.size(); ++p) {
      const auto& pr = t.fit.players[p];
      if (pr.status == stats::RatingStatus::rated) {
        ratings[r.data.players[p]] = pr.rating;
      } else if (pr.status != stats::RatingStatus::absent) {
        status[r.data.players[p]] = stats::to_string(pr.status);
      }
    }
    json point{{"step", t.step}, {"games", t.games}, {"ratings", ratings}, {"unrated", status}};
    auto k = static_cast<size_t>(&t - r.trajectory.data());
    point["frame_player"] = r.newest[k] ? json(r.data.players[static_cast<size_t>(*r.newest[k])]) : json(nullptr);
    auto [best, gap] = r.gap_of(t.fit);
    point["best"] = best ? json(r.data.players[static_cast<size_t>(*best)]) : json(nullptr);
    point["gap"] = number_or_word(gap);
    traj.push_back(point);
  }
  j["trajectory"] = {
      {"frame", fmt::format("games up to each step; the newest rated checkpoint at {}", stats::k_pool_mean)},
      {"points", traj}};
  return j;
}

} // namespace seedrun::report
