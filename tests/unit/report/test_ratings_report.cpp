#include "seedrun/report/ratings_report.hpp"
#include "seedrun/stats/matches.hpp"
#include "seedrun/util/error.hpp"

#include <cmath>
#include <doctest/doctest.h>
#include <string>

using namespace seedrun;

namespace {

// ckpt_100 and ckpt_200 against base_model and chaos_bot; ckpt_200 is stronger; ckpt_300 won
// its only games (unbounded above).
stats::MatchesData league() {
  std::string text;
  auto game = [&](const char* a, const char* b, const char* outcome, int step) {
    text += std::string("{\"players\": [\"") + a + "\", \"" + b + "\"], \"outcome\": \"" + outcome + "\"" +
            (step > 0 ? ", \"step\": " + std::to_string(step) : std::string()) + "}\n";
  };
  for (int k = 0; k < 3; ++k) {
    game("ckpt_100", "base_model", k == 0 ? "win" : "loss", 100);
    game("ckpt_100", "chaos_bot", k < 2 ? "win" : "loss", 100);
    game("ckpt_200", "base_model", k < 2 ? "win" : "loss", 200);
    game("ckpt_200", "chaos_bot", k < 2 ? "win" : "draw", 200);
    game("ckpt_200", "ckpt_100", k < 2 ? "win" : "loss", 200);
    game("base_model", "chaos_bot", k < 2 ? "win" : "loss", 0);
  }
  game("ckpt_300", "base_model", "win", 300);
  return stats::parse_matches(text, "league.jsonl");
}

report::RatingsReport build(std::vector<std::string> fixed, int bootstrap = 0) {
  report::RatingsRequest req;
  req.source = "league.jsonl";
  req.fixed = std::move(fixed);
  req.bootstrap = bootstrap;
  return report::build_ratings_report(league(), req);
}

int index_of(const report::RatingsReport& r, const std::string& name) {
  for (size_t i = 0; i < r.data.players.size(); ++i) {
    if (r.data.players[i] == name) {
      return static_cast<int>(i);
    }
  }
  return -1;
}

} // namespace

TEST_CASE("--fixed names without ratings hold the first at 1000; name=rating pins every named one") {
  auto r = build({"base_model", "chaos_bot"});
  REQUIRE(r.anchors.size() == 1);
  CHECK(r.anchors[0].player == index_of(r, "base_model"));
  CHECK(r.anchors[0].rating == 1000.0);
  CHECK(r.fit.players[static_cast<size_t>(index_of(r, "base_model"))].rating == 1000.0);
  CHECK(r.is_reference(index_of(r, "chaos_bot")));
  CHECK(r.checkpoints().size() == 3);

  auto pinned = build({"base_model=1100", "chaos_bot=900"});
  REQUIRE(pinned.anchors.size() == 2);
  CHECK(pinned.fit.players[static_cast<size_t>(index_of(pinned, "chaos_bot"))].rating == 900.0);
  CHECK(pinned.fit.players[static_cast<size_t>(index_of(pinned, "base_model"))].rating == 1100.0);

  auto none = build({});
  CHECK(none.anchors.empty());
  CHECK(none.checkpoints().size() == 5);
}

TEST_CASE("--fixed mistakes are usage errors a user can act on") {
  CHECK_THROWS_WITH_AS(build({"base_modl"}), doctest::Contains("did you mean 'base_model'"), UsageError);
  CHECK_THROWS_WITH_AS(build({"base_model=high"}), doctest::Contains("needs a rating"), UsageError);
  CHECK_THROWS_WITH_AS(build({"=1000"}), doctest::Contains("no player name"), UsageError);
  CHECK_THROWS_WITH_AS(build({"base_model", "base_model"}), doctest::Contains("twice"), UsageError);
  report::RatingsRequest req;
  CHECK_THROWS_WITH_AS(report::build_ratings_report(stats::parse_matches("junk\n", "x"), req),
                       doctest::Contains("holds no readable game"), Error);
}

TEST_CASE("the JSON: unbounded players are null with their status, the trajectory is in the policy frame") {
  auto r = build({"base_model", "chaos_bot"}, 50);
  auto j = report::ratings_json(r);
  CHECK(j["games"] == 19);
  CHECK(j["anchors"][0]["player"] == "base_model");
  bool seen = false;
  for (const auto& p : j["players"]) {
    if (p["player"] == "ckpt_300") {
      seen = true;
      CHECK(p["status"] == "unbounded_above");
      CHECK(p["rating"].is_null());
      CHECK(p["ci_high"] == "inf");
      CHECK(p["role"] == "checkpoint");
      CHECK(p["first_step"] == 300);
    }
  }
  CHECK(seen);
  CHECK(j["gap"]["best"] == "ckpt_300");
  CHECK(j["gap"]["value"] == "inf");
  const auto& points = j["trajectory"]["points"];
  REQUIRE(points.size() == 3);
  CHECK(points[0]["frame_player"] == "ckpt_100");
  CHECK(points[0]["ratings"]["ckpt_100"] == 1000.0);
  CHECK(points[1]["frame_player"] == "ckpt_200");
  CHECK(points[1]["ratings"]["ckpt_200"] == 1000.0);
  CHECK(points[2]["frame_player"] == "ckpt_200"); // ckpt_300 is not rated
  CHECK(points[2]["unrated"]["ckpt_300"] == "unbounded_above");
  // the gap is frame-free: at step 200 it equals the fit of the games up to 200 anchored at base_model
  double gap = points[1]["gap"].get<double>();
  CHECK(gap == doctest::Approx(points[1]["ratings"]["ckpt_200"].get<double>() -
                               points[1]["ratings"]["base_model"].get<double>()));
  CHECK(gap > 0);
}

TEST_CASE("the markdown names every player, explains the unbounded and shows the signal") {
  auto r = build({"base_model", "chaos_bot"}, 50);
  auto md = report::ratings_markdown(r);
  CHECK(md.find("# Ratings: league.jsonl") == 0);
  CHECK(md.find("19 games between 5 players") != std::string::npos);
  CHECK(md.find("anchored at base_model = 1000.0") != std::string::npos);
  CHECK(md.find("| ckpt_300 | checkpoint | +∞ |") != std::string::npos);
  CHECK(md.find("- ckpt_300: unbounded above") != std::string::npos);
  CHECK(md.find("## Learning signal (fixed references)") != std::string::npos);
  CHECK(md.find("| base_model Elo |") != std::string::npos);
  CHECK(md.find("## Trajectory over checkpoints") != std::string::npos);
  CHECK(md.find("| ckpt_100 | 100 | 1000.0 |") != std::string::npos); // older checkpoint, then at 1000
  auto plain = report::ratings_markdown(build({}));
  CHECK(plain.find("no fixed reference: the rated players average 1000") != std::string::npos);
  CHECK(plain.find("## Learning signal") == std::string::npos);
}
