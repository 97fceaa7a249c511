// Bootstrap intervals of the ratings and the trajectory over checkpoints: both refit the games
// many times with fit_ratings.
#include "seedrun/stats/bootstrap.hpp"
#include "seedrun/stats/ratings.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace seedrun::stats {
namespace {

constexpr double k_inf = std::numeric_limits<double>::infinity();

// A player's replicate value: its rating, ±∞ when unbounded, nullopt when it has none.
std::optional<double> replicate_value(const PlayerRating& p) {
  switch (p.status) {
  case RatingStatus::rated: return p.rating;
  case RatingStatus::above: return k_inf;
  case RatingStatus::below: return -k_inf;
  default: return std::nullopt;
  }
}

// numpy's linear percentile of sorted values that may hold ±∞: an interpolation touching an
// infinite end is that infinity (the interval is unbounded on that side).
double percentile_inf(const std::vector<double>& sorted, double q) {
  double pos = q * static_cast<double>(sorted.size() - 1);
  auto lo = static_cast<size_t>(std::floor(pos));
  size_t hi = std::min(lo + 1, sorted.size() - 1);
  double frac = pos - static_cast<double>(lo);
  double a = sorted[lo];
  double b = sorted[hi];
  if (std::isinf(a) || frac == 0) {
    return a;
  }
  if (std::isinf(b)) {
    return b;
  }
  double step = frac * (b - a); // separate statement: no FMA contraction (see bootstrap.cpp)
  return a + step;
}

RatingInterval interval(std::vector<double>& values, double level) {
  RatingInterval r;
  r.used = static_cast<int>(values.size());
  if (values.empty()) {
    return r;
  }
  std::sort(values.begin(), values.end());
  double tail = (1 - level) / 2;
  r.low = percentile_inf(values, tail);
  r.high = percentile_inf(values, 1 - tail);
  return r;
}

} // namespace

BootstrapRatings bootstrap_ratings(size_t n_players, std::span<const Game> games, const FitOptions& options,
                                   int resamples, uint64_t seed, double level,
                                   std::optional<std::pair<int, int>> gap_pair) {
  BootstrapRatings out;
  out.players.resize(n_players);
  if (games.empty() || resamples < 2 || !(level > 0 && level < 1)) {
    return out;
  }
  out.resamples = resamples;
  std::vector<std::vector<double>> values(n_players);
  std::vector<double> gaps;
  SplitMix64 rng(seed);
  std::vector<Game> sample(games.size());
  for (int r = 0; r < resamples; ++r) {
    for (auto& g : sample) {
      g = games[rng.below(games.size())];
    }
    auto fit = fit_ratings(n_players, sample, options);
    out.not_converged += fit.converged ? 0 : 1;
    for (size_t p = 0; p < n_players; ++p) {
      if (auto v = replicate_value(fit.players[p])) {
        values[p].push_back(*v);
      }
    }
    if (gap_pair) {
      auto best = replicate_value(fit.players[static_cast<size_t>(gap_pair->first)]);
      auto ref = replicate_value(fit.players[static_cast<size_t>(gap_pair->second)]);
      if (best && ref && !(std::isinf(*best) && std::isinf(*ref))) {
        gaps.push_back(*best - *ref);
      }
    }
  }
  for (size_t p = 0; p < n_players; ++p) {
    out.players[p] = interval(values[p], level);
  }
  if (gap_pair) {
    out.gap = interval(gaps, level);
  }
  return out;
}

std::vector<TrajectoryPoint> rating_trajectory(size_t n_players, std::span<const Game> games, const FitOptions& options,
                                               size_t max_points) {
  std::vector<long long> steps;
  for (const auto& g : games) {
    if (g.step) {
      steps.push_back(*g.step);
    }
  }
  std::sort(steps.begin(), steps.end());
  steps.erase(std::unique(steps.begin(), steps.end()), steps.end());
  if (max_points == 0) {
    return {};
  }
  if (steps.size() > max_points) { // evenly spaced, the last always kept
    std::vector<long long> kept;
    for (size_t k = 0; k < max_points; ++k) {
      size_t at = (steps.size() - 1) - (max_points - 1 - k) * (steps.size() - 1) / std::max<size_t>(max_points - 1, 1);
      if (kept.empty() || kept.back() != steps[at]) {
        kept.push_back(steps[at]);
      }
    }
    steps = kept;
  }
  std::vector<TrajectoryPoint> out;
  std::vector<Game> window;
  for (long long s : steps) {
    window.clear();
    for (const auto& g : games) {
      if (!g.step || *g.step <= s) {
        window.push_back(g);
      }
    }
    TrajectoryPoint point;
    point.step = s;
    point.games = window.size();
    point.fit = fit_ratings(n_players, window, options);
    out.push_back(std::move(point));
  }
  return out;
}

} // namespace seedrun::stats
