#include "seedrun/stats/matches.hpp"
#include "seedrun/util/error.hpp"

#include <doctest/doctest.h>
#include <filesystem>
#include <fstream>
#include <string>
#include <unistd.h>

using namespace seedrun::stats;

namespace {

bool has_problem(const MatchesData& d, const std::string& text) {
  for (const auto& p : d.problems) {
    if (p.find(text) != std::string::npos) {
      return true;
    }
  }
  return false;
}

std::filesystem::path temp_file(const std::string& name, const std::string& content) {
  auto dir = std::filesystem::temp_directory_path() / ("seedrun-matches-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  auto path = dir / name;
  std::ofstream(path, std::ios::binary) << content;
  return path;
}

} // namespace

TEST_CASE("a well-formed matches file gives players in order of appearance and scores") {
  auto d =
      parse_matches("{\"players\": [\"ckpt_200\", \"base_model\"], \"outcome\": \"win\", \"step\": 200}\n"
                    "\n"
                    "{\"players\": [\"base_model\", \"ckpt_200\"], \"outcome\": \"draw\", \"extra\": {\"x\": [1]}}\r\n"
                    "{\"players\": [\"chaos_bot\", \"ckpt_200\"], \"outcome\": 0, \"step\": 300.0}",
                    "m.jsonl");
  REQUIRE(d.games.size() == 3);
  CHECK(d.lines == 3);
  CHECK(d.unreadable == 0);
  CHECK(d.players == std::vector<std::string>{"ckpt_200", "base_model", "chaos_bot"});
  CHECK(d.games[0].a == 0);
  CHECK(d.games[0].b == 1);
  CHECK(d.games[0].score_a == 1.0);
  CHECK(d.games[0].step == 200);
  CHECK(d.games[1].score_a == 0.5);
  CHECK_FALSE(d.games[1].step.has_value());
  CHECK(d.games[2].score_a == 0.0);
  CHECK(d.games[2].step == 300);
  CHECK_FALSE(d.fatal);
}

TEST_CASE("unusable lines are skipped, counted and described with file:line") {
  std::string text = "not json\n"                                                             // 1
                     "[1]\n"                                                                  // 2
                     "{\"players\": [\"a\"], \"outcome\": \"win\"}\n"                         // 3
                     "{\"players\": [\"a\", 3], \"outcome\": \"win\"}\n"                      // 4
                     "{\"players\": [\"a\", \"a\"], \"outcome\": \"win\"}\n"                  // 5
                     "{\"players\": [\"a\", \"b\"]}\n"                                        // 6
                     "{\"players\": [\"a\", \"b\"], \"outcome\": \"won\"}\n"                  // 7
                     "{\"players\": [\"a\", \"b\"], \"outcome\": 0.7}\n"                      // 8
                     "{\"players\": [\"a\", \"b\"], \"outcome\": true}\n"                     // 9
                     "{\"players\": [\"a\", \"b\"], \"outcome\": \"win\", \"step\": \"x\"}\n" // 10
                     "{\"players\": [\"a\", \"b\"], \"outcome\": \"win\", \"step\": 1.5}\n"   // 11
                     "{\"players\": [\"\", \"b\"], \"outcome\": \"win\"}\n"                   // 12
                     "{\"players\": [\"a\\u00ff\", \"b\"], \"outcome\": \"win\"}\n"           // 13: fine
                     "{\"players\": [\"a\xff\", \"b\"], \"outcome\": \"win\"}\n"              // 14
                     "{\"players\": [\"a\", \"b\"], \"outcome\": \"win\", \"step\": 99999999999999999999}\n"; // 15
  auto d = parse_matches(text, "m.jsonl");
  CHECK(d.lines == 15);
  CHECK(d.games.size() == 1);
  CHECK(d.unreadable == 14);
  CHECK(d.problems.size() == 14);
  CHECK(has_problem(d, "m.jsonl:1: not a JSON object"));
  CHECK(has_problem(d, "m.jsonl:2: not a JSON object (a line must start with '{')"));
  CHECK(has_problem(parse_matches("{\"players\": [\"a\", \"b\"], \"outcome\": \"win\"", "m"), "m:1: not JSON: "));
  CHECK(has_problem(d, "m.jsonl:3: \"players\" must be an array of two names"));
  CHECK(has_problem(d, "m.jsonl:4: \"players\""));
  CHECK(has_problem(d, "m.jsonl:5: \"a\" plays itself"));
  CHECK(has_problem(d, "m.jsonl:6: no \"outcome\""));
  CHECK(has_problem(d, "m.jsonl:7: \"outcome\" is \"won\""));
  CHECK(has_problem(d, "m.jsonl:8: \"outcome\" must be"));
  CHECK(has_problem(d, "m.jsonl:9: \"outcome\" must be"));
  CHECK(has_problem(d, "m.jsonl:10: \"step\" must be an integer"));
  CHECK(has_problem(d, "m.jsonl:11: \"step\" must be an integer"));
  CHECK(has_problem(d, "m.jsonl:12: a player name must have 1 to"));
  CHECK(has_problem(d, "m.jsonl:14: not JSON"));
  CHECK(has_problem(d, "m.jsonl:15: "));
}

TEST_CASE("only the first problems are described, all are counted") {
  std::string text;
  for (int i = 0; i < 50; ++i) {
    text += "garbage\n";
  }
  auto d = parse_matches(text, "m");
  CHECK(d.unreadable == 50);
  CHECK(d.problems.size() == k_max_problems);
}

TEST_CASE("a line longer than the limit is skipped, in a string and in a file") {
  std::string big =
      "{\"players\": [\"a\", \"b\"], \"outcome\": \"win\", \"pad\": \"" + std::string(k_max_match_line, 'x') + "\"}";
  std::string text = big + "\n{\"players\": [\"a\", \"b\"], \"outcome\": \"loss\"}\n" + big;
  auto d = parse_matches(text, "m");
  CHECK(d.games.size() == 1);
  CHECK(d.unreadable == 2);
  CHECK(has_problem(d, "m:1: line of"));
  CHECK(has_problem(d, "m:3: line of"));
  auto path = temp_file("long.jsonl", text);
  auto f = read_matches(path);
  CHECK(f.games.size() == 1);
  CHECK(f.unreadable == 2);
  CHECK(f.lines == 3);
  CHECK(f.games[0].score_a == 0.0);
  CHECK(has_problem(f, ":3: line of " + std::to_string(big.size()) + " bytes"));
  std::filesystem::remove_all(path.parent_path());
}

TEST_CASE("reading a file: the same games as parsing its text; a missing file or a directory is an error") {
  std::string text;
  for (int i = 0; i < 5000; ++i) { // several read blocks
    text += "{\"players\": [\"p" + std::to_string(i % 7) +
            "\", \"q\"], \"outcome\": \"draw\", \"step\": " + std::to_string(i) + "}\n";
  }
  auto path = temp_file("many.jsonl", text);
  auto f = read_matches(path);
  auto s = parse_matches(text, path.string());
  CHECK(f.games.size() == 5000);
  CHECK(f.players == s.players);
  CHECK(f.games.back().step == 4999);
  CHECK_THROWS_AS(read_matches(path.parent_path() / "missing.jsonl"), seedrun::Error);
  CHECK_THROWS_AS(read_matches(path.parent_path()), seedrun::Error);
  std::filesystem::remove_all(path.parent_path());
}

TEST_CASE("more players than the limit stops the reading with an error") {
  std::string text;
  for (size_t i = 0; i <= k_max_players; ++i) {
    text += "{\"players\": [\"p" + std::to_string(i) + "\", \"ref\"], \"outcome\": \"win\"}\n";
  }
  auto d = parse_matches(text, "m");
  REQUIRE(d.fatal);
  CHECK(d.fatal->find("more than 1000 players") != std::string::npos);
  CHECK(d.players.size() == k_max_players);
}

TEST_CASE("deep nesting in an ignored field is refused, not recursed into") {
  std::string deep = "{\"players\": [\"a\", \"b\"], \"outcome\": \"win\", \"x\": " + std::string(5000, '[') +
                     std::string(5000, ']') + "}";
  auto d = parse_matches(deep, "m");
  CHECK(d.games.empty());
  CHECK(has_problem(d, "nesting deeper than"));
}

TEST_CASE("many broken lines are counted without describing each (no exception per line)") {
  std::string text;
  for (int i = 0; i < 100000; ++i) {
    text += i % 3 == 0   ? "x\n"
            : i % 3 == 1 ? "{\"players\": \n"
                         : "{\"a\": [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]}\n";
  }
  auto d = parse_matches(text, "m");
  CHECK(d.unreadable == 100000);
  CHECK(d.problems.size() == k_max_problems);
  CHECK(has_problem(d, "m:3: nesting deeper than 32"));
}
