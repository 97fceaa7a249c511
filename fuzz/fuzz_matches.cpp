// MATCHES.jsonl (seedrun ratings' reader) and the Bradley–Terry fit on what it read: never
// throws or crashes; every game names two different known players with a score of 0, ½ or 1;
// reading the bytes from a file (in blocks) gives the same games as parsing them as a string;
// the fit's rated players have finite ratings, the anchor keeps its value.
#include "fuzz_support.hpp"
#include "seedrun/stats/matches.hpp"
#include "seedrun/stats/ratings.hpp"

#include <cmath>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace seedrun::stats;
  std::string text = seedrun::fuzz::expand({reinterpret_cast<const char*>(data), size});
  MatchesData d = parse_matches(text, "m.jsonl");
  SEEDRUN_FUZZ_CHECK(d.unreadable <= d.lines);
  SEEDRUN_FUZZ_CHECK(d.games.size() <= d.lines);
  SEEDRUN_FUZZ_CHECK(d.problems.size() <= k_max_problems && d.problems.size() <= d.unreadable);
  SEEDRUN_FUZZ_CHECK(d.players.size() <= k_max_players);
  for (const auto& g : d.games) {
    SEEDRUN_FUZZ_CHECK(g.a != g.b && g.a >= 0 && g.b >= 0);
    SEEDRUN_FUZZ_CHECK(static_cast<size_t>(g.a) < d.players.size() && static_cast<size_t>(g.b) < d.players.size());
    SEEDRUN_FUZZ_CHECK(g.score_a == 0.0 || g.score_a == 0.5 || g.score_a == 1.0);
  }
  auto path = seedrun::fuzz::scratch_dir() / "matches.jsonl";
  seedrun::fuzz::write_file(path, text);
  MatchesData f = read_matches(path);
  SEEDRUN_FUZZ_CHECK(f.games.size() == d.games.size() && f.players == d.players && f.unreadable == d.unreadable);
  if (d.players.size() <= 40 && d.games.size() <= 4000 && !d.games.empty()) {
    FitOptions o{.anchors = {{0, 1000}}};
    RatingsFit fit = fit_ratings(d.players.size(), d.games, o);
    SEEDRUN_FUZZ_CHECK(fit.players[0].status == RatingStatus::rated && fit.players[0].rating == 1000.0);
    for (const auto& p : fit.players) {
      SEEDRUN_FUZZ_CHECK(p.status != RatingStatus::rated || std::isfinite(p.rating));
    }
    SEEDRUN_FUZZ_CHECK(fit.converged);
  }
  return 0;
}
