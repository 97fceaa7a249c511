#include "seedrun/stats/bootstrap.hpp"
#include "seedrun/stats/ratings.hpp"
#include "seedrun/stats/ratings_detail.hpp"

#include <cmath>
#include <doctest/doctest.h>
#include <limits>
#include <optional>
#include <vector>

using namespace seedrun::stats;

namespace {

void play(std::vector<Game>& games, int a, int b, int wins, int draws, int losses,
          std::optional<long long> step = std::nullopt) {
  for (int k = 0; k < wins; ++k) {
    games.push_back({a, b, 1.0, step});
  }
  for (int k = 0; k < draws; ++k) {
    games.push_back({a, b, 0.5, step});
  }
  for (int k = 0; k < losses; ++k) {
    games.push_back({b, a, 1.0, step}); // from the winner's side: the reader's other spelling
  }
}

double expected_score(const RatingsFit& fit, const std::vector<Game>& games, int player) {
  double e = 0;
  for (const auto& g : games) {
    if (g.a != player && g.b != player) {
      continue;
    }
    int other = g.a == player ? g.b : g.a;
    double d = fit.players[static_cast<size_t>(player)].rating - fit.players[static_cast<size_t>(other)].rating;
    e += 1 / (1 + std::pow(10.0, -d / 400));
  }
  return e;
}

double actual_score(const std::vector<Game>& games, int player) {
  double s = 0;
  for (const auto& g : games) {
    s += g.a == player ? g.score_a : g.b == player ? 1 - g.score_a : 0;
  }
  return s;
}

} // namespace

TEST_CASE("two players: the rating gap is 400·log10 of the win odds") {
  std::vector<Game> games;
  play(games, 0, 1, 3, 0, 1);
  auto fit = fit_ratings(2, games, {.anchors = {{1, 1000}}});
  REQUIRE(fit.converged);
  CHECK(fit.players[1].rating == 1000.0);
  CHECK(fit.players[0].rating == doctest::Approx(1000 + 400 * std::log10(3.0)).epsilon(1e-12));
  CHECK(fit.players[0].wins == 3);
  CHECK(fit.players[0].losses == 1);
  CHECK(fit.players[0].games == 4);
  CHECK(fit.rated == 2);
}

TEST_CASE("a draw counts as half a win") {
  std::vector<Game> games;
  play(games, 0, 1, 1, 2, 0); // score 2 of 3: odds 2
  auto fit = fit_ratings(2, games, {.anchors = {{1, 1500}}});
  REQUIRE(fit.converged);
  CHECK(fit.players[0].rating - 1500 == doctest::Approx(400 * std::log10(2.0)).epsilon(1e-12));
  CHECK(fit.players[0].draws == 2);
}

TEST_CASE("at the maximum every rated player's expected score equals its actual score") {
  std::vector<Game> games;
  play(games, 0, 1, 7, 2, 3);
  play(games, 1, 2, 5, 1, 4);
  play(games, 2, 3, 2, 0, 6);
  play(games, 3, 0, 4, 3, 4);
  play(games, 0, 2, 9, 0, 1);
  auto fit = fit_ratings(4, games, {.anchors = {{3, 1000}}});
  REQUIRE(fit.converged);
  CHECK(fit.iterations < 20);
  for (int p = 0; p < 3; ++p) {
    CHECK(expected_score(fit, games, p) == doctest::Approx(actual_score(games, p)).epsilon(1e-9));
  }
  SUBCASE("without anchors the same differences, the mean at 1000") {
    auto pool = fit_ratings(4, games);
    REQUIRE(pool.converged);
    double mean = 0;
    for (const auto& p : pool.players) {
      mean += p.rating / 4;
    }
    CHECK(mean == doctest::Approx(1000).epsilon(1e-12));
    CHECK(pool.players[0].rating - pool.players[2].rating ==
          doctest::Approx(fit.players[0].rating - fit.players[2].rating).epsilon(1e-9));
  }
}

TEST_CASE("players without a finite maximum are reported, not rated") {
  std::vector<Game> games;
  play(games, 0, 1, 3, 1, 2); // 0 and 1 rated
  play(games, 2, 0, 5, 0, 0); // 2 beat everyone it met: above
  play(games, 3, 1, 0, 0, 4); // 3 lost every game: below
  play(games, 4, 5, 1, 0, 1); // 4 and 5 only met each other: unconnected
  auto fit = fit_ratings(7, games, {.anchors = {{0, 1000}}});
  REQUIRE(fit.converged);
  CHECK(fit.players[0].status == RatingStatus::rated);
  CHECK(fit.players[1].status == RatingStatus::rated);
  CHECK(fit.players[1].rating == doctest::Approx(1000 - 400 * std::log10(3.5 / 2.5)).epsilon(1e-12));
  CHECK(fit.players[2].status == RatingStatus::above);
  CHECK(fit.players[3].status == RatingStatus::below);
  CHECK(fit.players[4].status == RatingStatus::unconnected);
  CHECK(fit.players[5].status == RatingStatus::unconnected);
  CHECK(fit.players[6].status == RatingStatus::absent);
  CHECK(std::string(to_string(RatingStatus::above)) == "unbounded_above");
  std::vector<int> all{0, 1, 2, 3};
  CHECK(best_player(fit, all) == 2);
}

TEST_CASE("two pinned references bound a player that beat one and lost to the other") {
  std::vector<Game> games;
  play(games, 2, 1, 4, 0, 0); // beat the weak reference every time
  play(games, 2, 0, 0, 0, 4); // lost to the strong one every time
  auto fit = fit_ratings(3, games, {.anchors = {{0, 1200}, {1, 800}}});
  REQUIRE(fit.converged);
  CHECK(fit.players[2].status == RatingStatus::rated);
  CHECK(fit.players[2].rating == doctest::Approx(1000).epsilon(1e-9)); // symmetric
  CHECK(fit.players[0].rating == 1200.0);
  CHECK(fit.players[1].rating == 800.0);
  SUBCASE("with only one pinned the same games leave it unbounded") {
    auto one = fit_ratings(3, games, {.anchors = {{0, 1200}}});
    CHECK(one.players[2].status == RatingStatus::below);
    CHECK(one.players[1].status == RatingStatus::below);
  }
}

TEST_CASE("the largest component is rated when there is no anchor") {
  std::vector<Game> games;
  play(games, 0, 1, 1, 0, 1);
  play(games, 2, 3, 1, 0, 1);
  play(games, 3, 4, 2, 0, 1);
  auto fit = fit_ratings(5, games);
  CHECK(fit.players[0].status == RatingStatus::unconnected);
  CHECK(fit.players[2].status == RatingStatus::rated);
  CHECK(fit.rated == 3);
}

TEST_CASE("invalid games are ignored, an empty input rates nobody") {
  std::vector<Game> games{
      {0, 0, 1.0, {}}, {0, 9, 1.0, {}}, {-1, 0, 1.0, {}}, {0, 1, std::numeric_limits<double>::quiet_NaN(), {}}};
  auto fit = fit_ratings(2, games);
  CHECK(fit.rated == 0);
  CHECK(fit.players[0].games == 0);
  auto none = fit_ratings(0, {});
  CHECK(none.players.empty());
  CHECK(none.converged);
}

TEST_CASE("a long chain of players neither overflows the stack nor fails to converge") {
  std::vector<Game> games;
  const int n = 400;
  for (int p = 0; p + 1 < n; ++p) {
    play(games, p, p + 1, 2, 0, 1);
  }
  auto fit = fit_ratings(n, games, {.anchors = {{0, 1000}}});
  REQUIRE(fit.converged);
  CHECK(fit.rated == static_cast<size_t>(n));
  CHECK(fit.players[n - 1].rating == doctest::Approx(1000 - (n - 1) * 400 * std::log10(2.0)).epsilon(1e-9));
}

TEST_CASE("the Cholesky solver solves and refuses what is not positive definite") {
  std::vector<double> a{4, 2, 2, 3};
  std::vector<double> b{2, 1};
  REQUIRE(detail::cholesky_solve(a, b, 2));
  CHECK(b[0] == doctest::Approx(0.5));
  CHECK(b[1] == doctest::Approx(0.0));
  std::vector<double> singular{1, 1, 1, 1};
  std::vector<double> c{1, 1};
  CHECK_FALSE(detail::cholesky_solve(singular, c, 2));
  CHECK(detail::log_sigmoid(-800) == doctest::Approx(-800));
  CHECK(detail::sigmoid(-800) >= 0.0);
}

TEST_CASE("bootstrap intervals are deterministic for a seed and bracket the estimate") {
  std::vector<Game> games;
  play(games, 0, 1, 30, 5, 15);
  play(games, 1, 2, 20, 10, 20);
  play(games, 2, 0, 10, 4, 30);
  FitOptions o{.anchors = {{2, 1000}}};
  auto fit = fit_ratings(3, games, o);
  auto a = bootstrap_ratings(3, games, o, 300, 7, 0.95, std::make_pair(0, 2));
  auto b = bootstrap_ratings(3, games, o, 300, 7, 0.95, std::make_pair(0, 2));
  auto c = bootstrap_ratings(3, games, o, 300, 8);
  REQUIRE(a.players[0].low);
  CHECK(*a.players[0].low == *b.players[0].low);
  CHECK(*a.players[0].high == *b.players[0].high);
  CHECK(*a.players[0].low != *c.players[0].low);
  CHECK(*a.players[0].low < fit.players[0].rating);
  CHECK(*a.players[0].high > fit.players[0].rating);
  CHECK(*a.players[2].low == 1000.0); // the anchor does not move
  CHECK(*a.players[2].high == 1000.0);
  CHECK(a.players[0].used == 300);
  REQUIRE(a.gap);
  CHECK(*a.gap->low == doctest::Approx(*a.players[0].low - 1000));
  CHECK(a.not_converged == 0);
  CHECK(bootstrap_ratings(3, games, o, 1, 7).resamples == 0);
}

TEST_CASE("an unbounded replicate makes that side of the interval infinite") {
  std::vector<Game> games;
  play(games, 0, 1, 1, 0, 0);
  play(games, 1, 0, 1, 0, 8); // 0 won 9 of 10
  auto boot = bootstrap_ratings(2, games, {.anchors = {{1, 1000}}}, 200, 1);
  REQUIRE(boot.players[0].high);
  CHECK(std::isinf(*boot.players[0].high));
  CHECK(std::isfinite(*boot.players[0].low));
}

TEST_CASE("the trajectory refits the games up to each step") {
  std::vector<Game> games;
  // The policy's checkpoints (players 2, 3, 4) get stronger against the fixed references 0, 1.
  play(games, 2, 0, 5, 0, 5, 100);
  play(games, 2, 1, 6, 0, 4, 100);
  play(games, 3, 0, 7, 0, 3, 200);
  play(games, 3, 1, 8, 0, 2, 200);
  play(games, 3, 2, 6, 0, 4, 200);
  play(games, 4, 0, 9, 0, 1, 300);
  play(games, 4, 1, 9, 0, 1, 300);
  play(games, 4, 3, 7, 0, 3, 300);
  play(games, 0, 1, 5, 0, 5); // no step: counts everywhere
  FitOptions o{.anchors = {{0, 1000}}};
  auto traj = rating_trajectory(5, games, o);
  REQUIRE(traj.size() == 3);
  CHECK(traj[0].step == 100);
  CHECK(traj[0].games == 30);
  CHECK(traj[2].games == games.size());
  CHECK(traj[0].fit.players[4].status == RatingStatus::absent);
  for (const auto& t : traj) {
    CHECK(t.fit.players[0].rating == 1000.0); // the anchored frame
  }
  // the last point is the fit of all games
  auto all = fit_ratings(5, games, o);
  CHECK(traj[2].fit.players[4].rating == doctest::Approx(all.players[4].rating).epsilon(1e-12));
  // the gap best − base_model grows
  std::vector<int> ckpts{2, 3, 4};
  double gap_first = traj[0].fit.players[2].rating - traj[0].fit.players[0].rating;
  auto best = best_player(traj[2].fit, ckpts);
  REQUIRE(best == 4);
  double gap_last = traj[2].fit.players[4].rating - traj[2].fit.players[0].rating;
  CHECK(gap_last > gap_first + 200);
  auto capped = rating_trajectory(5, games, o, 2);
  REQUIRE(capped.size() == 2);
  CHECK(capped[0].step == 100);
  CHECK(capped[1].step == 300);
  CHECK(rating_trajectory(5, games, o, 0).empty());
}
