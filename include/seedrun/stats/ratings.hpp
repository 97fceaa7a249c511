#pragma once
// Bradley–Terry ratings on the Elo scale, fitted by maximum likelihood (docs/health.md,
// "Ratings"). Pure functions without I/O.
//
// Model: P(a beats b) = 1 / (1 + 10^((r_b − r_a) / 400)). A game gives player a the score
// 1 (win), 0.5 (draw) or 0 (loss); a draw counts as half a win and half a loss, so the
// log-likelihood of a game is s·log P(a beats b) + (1 − s)·log P(b beats a).
//
// Ratings are defined up to a constant, so the fit is anchored: every Anchor's rating is held
// at its value (the others are free), or, without anchors, the mean of the rated players is
// k_pool_mean.
//
// A finite maximum exists only where the results link players both ways. With an edge i → j
// whenever i scored against j (a win or a draw), the anchors merged into one node, the rated
// players are the strongly connected component of the anchors (without anchors: the largest
// component). Every other player is reported, never given an invented number: above (it
// reaches the rated players by wins but they never score against it: its MLE is +∞), below
// (the reverse: −∞), or unconnected (no path either way: any rating fits equally well).
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace seedrun::stats {

inline constexpr double k_elo_scale = 400.0; // points per factor 10 in the odds
inline constexpr double k_pool_mean = 1000.0;

// One game between players a and b (indices into the caller's player table, a ≠ b).
struct Game {
  int a = 0;
  int b = 0;
  double score_a = 0;              // 1 win, 0.5 draw, 0 loss, from a's side
  std::optional<long long> step{}; // training step of the checkpoint; none: counts at every step
};

struct Anchor {
  int player = 0;
  double rating = k_pool_mean;
};

enum class RatingStatus {
  rated,       // finite maximum-likelihood rating
  above,       // unbounded above: beat the rated players' chain, never lost back
  below,       // unbounded below
  unconnected, // no results linking it to the rated players
  absent,      // played no game (in this window)
};

const char* to_string(RatingStatus s);

struct PlayerRating {
  RatingStatus status = RatingStatus::absent;
  double rating = 0; // Elo, meaningful only when status == rated
  int games = 0;
  int wins = 0;
  int draws = 0;
  int losses = 0;
};

struct FitOptions {
  std::vector<Anchor> anchors{}; // empty: the rated players average k_pool_mean
  int max_iterations = 200;
  double tolerance = 1e-9; // Elo points: converged when the largest Newton step is smaller
};

struct RatingsFit {
  std::vector<PlayerRating> players{}; // indexed like the caller's player table
  bool converged = false;
  int iterations = 0;
  double log_likelihood = 0; // of the games between rated players, natural log
  size_t rated = 0;
};

// The maximum-likelihood ratings of `n_players` players from `games`. Newton's method on the
// rated players with a backtracking line search (the log-likelihood is concave, so each step
// increases it); converged is false only if max_iterations ran out. Games naming a player
// outside [0, n_players) or a player against itself are ignored. Anchors on players without
// games are ignored; anchors on unrated players keep their value but are reported as such.
RatingsFit fit_ratings(size_t n_players, std::span<const Game> games, const FitOptions& options = {});

// Percentile bootstrap of the ratings: `resamples` times, the games are drawn with replacement
// (splitmix64 from `seed`, so the same seed gives the same intervals everywhere) and refitted.
// Per player, the interval is the (1 ∓ level)/2 percentiles (numpy's linear interpolation) of
// its replicate ratings, where an unbounded replicate counts as ±∞; replicates in which the
// player is absent or unconnected are left out and counted.
struct RatingInterval {
  std::optional<double> low, high; // ±infinity when the tail is unbounded; none: no replicate
  int used = 0;                    // replicates that rated it (or found it unbounded)
};
struct BootstrapRatings {
  std::vector<RatingInterval> players{};
  std::optional<RatingInterval> gap{}; // of rating(gap_best) − rating(gap_reference), if asked
  int resamples = 0;
  int not_converged = 0;
};
BootstrapRatings bootstrap_ratings(size_t n_players, std::span<const Game> games, const FitOptions& options,
                                   int resamples, uint64_t seed, double level = 0.95,
                                   std::optional<std::pair<int, int>> gap_pair = std::nullopt);

// The ratings as training went on: for every distinct step s of the games, the fit of the
// games with step ≤ s (and those without a step), anchored like `options`. At most
// `max_points` steps are used (evenly spaced, always including the last). The frame the
// report shows them in is chosen by the caller (report/ratings_report.hpp).
struct TrajectoryPoint {
  long long step = 0;
  size_t games = 0;
  RatingsFit fit{};
};
std::vector<TrajectoryPoint> rating_trajectory(size_t n_players, std::span<const Game> games, const FitOptions& options,
                                               size_t max_points = 200);

// The strongest rated player among `candidates` (by rating; ties: the lower index), or the
// one unbounded above; none when no candidate is rated or above.
std::optional<int> best_player(const RatingsFit& fit, std::span<const int> candidates);

} // namespace seedrun::stats
