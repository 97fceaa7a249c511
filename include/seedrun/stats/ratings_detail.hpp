#pragma once
// The building blocks of fit_ratings (stats/ratings.hpp), exposed for the unit tests only.
#include "seedrun/stats/ratings.hpp"

#include <span>
#include <vector>

namespace seedrun::stats::detail {

// All games between players i < j: how many, and i's total score (draws count 0.5).
struct PairResult {
  int i = 0;
  int j = 0;
  double games = 0;
  double score_i = 0;
};

// The pairs of the valid games (see fit_ratings), and each player's games, wins, draws and
// losses added to `counts` (size n_players).
std::vector<PairResult> aggregate(size_t n_players, std::span<const Game> games, std::vector<PlayerRating>& counts);

// Each player's status: rated for the strongly connected component (edge i → j when i scored
// against j) holding the `pinned` players, merged into one node; without pinned players the
// largest component (ties: the one with the lowest player index). Then above / below /
// unconnected by reachability to and from that component, absent for players without games.
std::vector<RatingStatus> classify(size_t n_players, const std::vector<PairResult>& pairs,
                                   const std::vector<PlayerRating>& counts, const std::vector<int>& pinned);

// Solves A x = b in place (b becomes x) for symmetric positive definite A (n×n, row-major,
// overwritten by its Cholesky factor). False when A is not numerically positive definite.
bool cholesky_solve(std::vector<double>& a, std::vector<double>& b, size_t n);

double log_sigmoid(double x);
double sigmoid(double x);

} // namespace seedrun::stats::detail
