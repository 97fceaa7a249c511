// The Bradley–Terry fit: aggregate games into pairs, find the players with a finite maximum
// (strongly connected to the anchors), then Newton's method on them.
#include "seedrun/stats/ratings.hpp"

#include "seedrun/stats/ratings_detail.hpp"

#include <algorithm>
#include <cmath>
#include <unordered_map>

namespace seedrun::stats {

const char* to_string(RatingStatus s) {
  switch (s) {
  case RatingStatus::rated: return "rated";
  case RatingStatus::above: return "unbounded_above";
  case RatingStatus::below: return "unbounded_below";
  case RatingStatus::unconnected: return "unconnected";
  case RatingStatus::absent: return "absent";
  }
  return "absent";
}

namespace detail {

std::vector<PairResult> aggregate(size_t n_players, std::span<const Game> games, std::vector<PlayerRating>& counts) {
  std::unordered_map<uint64_t, size_t> index;
  std::vector<PairResult> pairs;
  for (const auto& g : games) {
    if (g.a < 0 || g.b < 0 || g.a == g.b || static_cast<size_t>(g.a) >= n_players ||
        static_cast<size_t>(g.b) >= n_players || !std::isfinite(g.score_a)) {
      continue;
    }
    double s = std::clamp(g.score_a, 0.0, 1.0);
    int i = std::min(g.a, g.b);
    int j = std::max(g.a, g.b);
    double s_i = g.a == i ? s : 1 - s;
    uint64_t key = static_cast<uint64_t>(i) * n_players + static_cast<uint64_t>(j);
    auto [it, fresh] = index.emplace(key, pairs.size());
    if (fresh) {
      pairs.push_back({i, j, 0, 0});
    }
    pairs[it->second].games += 1;
    pairs[it->second].score_i += s_i;
    for (int p : {g.a, g.b}) {
      double sp = p == g.a ? s : 1 - s;
      auto& c = counts[static_cast<size_t>(p)];
      ++c.games;
      c.wins += sp > 0.75 ? 1 : 0;
      c.losses += sp < 0.25 ? 1 : 0;
      c.draws += sp >= 0.25 && sp <= 0.75 ? 1 : 0;
    }
  }
  return pairs;
}

double log_sigmoid(double x) {
  return x > 0 ? -std::log1p(std::exp(-x)) : x - std::log1p(std::exp(x));
}

double sigmoid(double x) {
  if (x >= 0) {
    return 1 / (1 + std::exp(-x));
  }
  double e = std::exp(x);
  return e / (1 + e);
}

bool cholesky_solve(std::vector<double>& a, std::vector<double>& b, size_t n) {
  for (size_t j = 0; j < n; ++j) {
    double d = a[j * n + j];
    for (size_t k = 0; k < j; ++k) {
      d -= a[j * n + k] * a[j * n + k];
    }
    if (!(d > 0) || !std::isfinite(d)) {
      return false;
    }
    d = std::sqrt(d);
    a[j * n + j] = d;
    for (size_t i = j + 1; i < n; ++i) {
      double v = a[i * n + j];
      for (size_t k = 0; k < j; ++k) {
        v -= a[i * n + k] * a[j * n + k];
      }
      a[i * n + j] = v / d;
    }
  }
  for (size_t i = 0; i < n; ++i) { // L y = b
    double v = b[i];
    for (size_t k = 0; k < i; ++k) {
      v -= a[i * n + k] * b[k];
    }
    b[i] = v / a[i * n + i];
  }
  for (size_t i = n; i-- > 0;) { // Lᵀ x = y
    double v = b[i];
    for (size_t k = i + 1; k < n; ++k) {
      v -= a[k * n + i] * b[k];
    }
    b[i] = v / a[i * n + i];
  }
  return true;
}

} // namespace detail

namespace {

constexpr double k_ln10 = 2.302585092994045684;
constexpr double k_to_natural = k_ln10 / k_elo_scale;

// Log-likelihood of the pairs whose players are both rated, at natural-unit ratings x.
double log_likelihood(const std::vector<detail::PairResult>& pairs, const std::vector<double>& x,
                      const std::vector<char>& in_core) {
  double ll = 0;
  for (const auto& p : pairs) {
    if (!in_core[static_cast<size_t>(p.i)] || !in_core[static_cast<size_t>(p.j)]) {
      continue;
    }
    double d = x[static_cast<size_t>(p.i)] - x[static_cast<size_t>(p.j)];
    ll += p.score_i * detail::log_sigmoid(d) + (p.games - p.score_i) * detail::log_sigmoid(-d);
  }
  return ll;
}

// Newton's method on the free players (free_index[p] ≥ 0); the others in the core are fixed.
void newton(const std::vector<detail::PairResult>& pairs, const std::vector<char>& in_core,
            const std::vector<long>& free_index, size_t n_free, std::vector<double>& x, const FitOptions& o,
            RatingsFit& fit) {
  double ll = log_likelihood(pairs, x, in_core);
  fit.converged = n_free == 0;
  while (!fit.converged && fit.iterations < o.max_iterations) {
    std::vector<double> g(n_free, 0.0);
    std::vector<double> h(n_free * n_free, 0.0);
    for (const auto& p : pairs) {
      auto i = static_cast<size_t>(p.i);
      auto j = static_cast<size_t>(p.j);
      if (!in_core[i] || !in_core[j]) {
        continue;
      }
      double q = detail::sigmoid(x[i] - x[j]);
      double resid = p.score_i - p.games * q;
      double w = p.games * q * (1 - q);
      long fi = free_index[i];
      long fj = free_index[j];
      if (fi >= 0) {
        g[static_cast<size_t>(fi)] += resid;
        h[static_cast<size_t>(fi) * n_free + static_cast<size_t>(fi)] += w;
      }
      if (fj >= 0) {
        g[static_cast<size_t>(fj)] -= resid;
        h[static_cast<size_t>(fj) * n_free + static_cast<size_t>(fj)] += w;
      }
      if (fi >= 0 && fj >= 0) {
        h[static_cast<size_t>(fi) * n_free + static_cast<size_t>(fj)] -= w;
        h[static_cast<size_t>(fj) * n_free + static_cast<size_t>(fi)] -= w;
      }
    }
    if (!detail::cholesky_solve(h, g, n_free)) {
      return; // numerically singular: not converged
    }
    ++fit.iterations;
    // Backtracking: a full Newton step can overshoot far from the maximum.
    double t = 1;
    std::vector<double> trial = x;
    double ll_trial = ll;
    for (int halvings = 0; halvings < 60; ++halvings, t /= 2) {
      for (size_t p = 0; p < x.size(); ++p) {
        if (free_index[p] >= 0) {
          trial[p] = x[p] + t * g[static_cast<size_t>(free_index[p])];
        }
      }
      ll_trial = log_likelihood(pairs, trial, in_core);
      if (ll_trial >= ll - 1e-12 * (1 + std::abs(ll))) {
        break;
      }
    }
    double largest = 0;
    for (double d : g) {
      largest = std::max(largest, std::abs(t * d) / k_to_natural);
    }
    x = trial;
    ll = ll_trial;
    fit.converged = largest < o.tolerance && t == 1;
  }
  fit.log_likelihood = ll;
}

} // namespace

RatingsFit fit_ratings(size_t n_players, std::span<const Game> games, const FitOptions& options) {
  RatingsFit fit;
  fit.players.resize(n_players);
  auto pairs = detail::aggregate(n_players, games, fit.players);
  std::vector<int> pinned;
  for (const auto& a : options.anchors) {
    if (a.player >= 0 && static_cast<size_t>(a.player) < n_players && std::isfinite(a.rating) &&
        fit.players[static_cast<size_t>(a.player)].games > 0) {
      pinned.push_back(a.player);
    }
  }
  auto status = detail::classify(n_players, pairs, fit.players, pinned);
  std::vector<char> in_core(n_players, 0);
  std::vector<long> free_index(n_players, -1);
  std::vector<double> x(n_players, 0.0);
  double start = 0;
  for (const auto& a : options.anchors) {
    if (std::find(pinned.begin(), pinned.end(), a.player) != pinned.end()) {
      x[static_cast<size_t>(a.player)] = a.rating * k_to_natural;
      start = start == 0 ? a.rating * k_to_natural : start;
    }
  }
  size_t n_free = 0;
  bool gauge_fixed = !pinned.empty();
  for (size_t p = 0; p < n_players; ++p) {
    fit.players[p].status = status[p];
    if (status[p] != RatingStatus::rated) {
      continue;
    }
    in_core[p] = 1;
    ++fit.rated;
    bool is_pinned = std::find(pinned.begin(), pinned.end(), static_cast<int>(p)) != pinned.end();
    if (is_pinned) {
      continue;
    }
    if (!gauge_fixed) { // without anchors the first rated player holds 0 while fitting
      gauge_fixed = true;
      continue;
    }
    x[p] = start;
    free_index[p] = static_cast<long>(n_free++);
  }
  newton(pairs, in_core, free_index, n_free, x, options, fit);
  double shift = 0;
  if (pinned.empty() && fit.rated > 0) {
    double sum = 0;
    for (size_t p = 0; p < n_players; ++p) {
      sum += in_core[p] ? x[p] / k_to_natural : 0;
    }
    shift = k_pool_mean - sum / static_cast<double>(fit.rated);
  }
  for (size_t p = 0; p < n_players; ++p) {
    if (in_core[p]) {
      fit.players[p].rating = x[p] / k_to_natural + shift;
    }
  }
  for (const auto& a : options.anchors) { // exact, not x / k_to_natural round-tripped
    if (std::find(pinned.begin(), pinned.end(), a.player) != pinned.end() &&
        fit.players[static_cast<size_t>(a.player)].status == RatingStatus::rated) {
      fit.players[static_cast<size_t>(a.player)].rating = a.rating;
    }
  }
  return fit;
}

std::optional<int> best_player(const RatingsFit& fit, std::span<const int> candidates) {
  std::optional<int> best;
  for (int c : candidates) {
    if (c < 0 || static_cast<size_t>(c) >= fit.players.size()) {
      continue;
    }
    const auto& p = fit.players[static_cast<size_t>(c)];
    if (p.status == RatingStatus::above) {
      if (!best || fit.players[static_cast<size_t>(*best)].status != RatingStatus::above) {
        best = c;
      }
    } else if (p.status == RatingStatus::rated) {
      if (!best || (fit.players[static_cast<size_t>(*best)].status == RatingStatus::rated &&
                    p.rating > fit.players[static_cast<size_t>(*best)].rating)) {
        best = c;
      }
    }
  }
  return best;
}

} // namespace seedrun::stats
