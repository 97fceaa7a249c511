#include "seedrun/config/config.hpp"
#include "seedrun/config/metric_pattern.hpp"
#include "seedrun/util/error.hpp"

#include <chrono>
#include <doctest/doctest.h>
#include <random>

using seedrun::config::MetricPattern;
using seedrun::config::required_literal_of;

namespace {

std::string problem(const std::string& pattern) {
  return MetricPattern::check(pattern).value_or("no problem");
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

double seconds_to_match(const MetricPattern& p, const std::string& line) {
  auto t0 = std::chrono::steady_clock::now();
  (void)p.match(line);
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

} // namespace

TEST_CASE("what RE2 cannot express is refused with a hint, never accepted and failed later") {
  CHECK(contains(problem(R"((a)\1 ([0-9]+))"), "no backreferences"));
  CHECK(contains(problem(R"(val_loss(?=:) ([0-9]+))"), "no lookahead or lookbehind"));
  CHECK(contains(problem(R"((?<step>\d+) ([0-9]+))"), "(?P<name>...)"));
  CHECK(contains(problem("loss("), "not a valid regular expression (RE2 syntax): missing ): 'loss('"));
  CHECK_THROWS_AS(MetricPattern("val_loss: [0-9"), seedrun::UsageError);
}

TEST_CASE("a pattern needs a capture group for the value besides the step group") {
  CHECK(contains(problem("val_loss: [0-9.]+"), "must have one capture group around the number"));
  CHECK(contains(problem(R"(step (?P<step>\d+) val_loss: [0-9.]+)"), "must have one capture group"));
  CHECK(problem(R"(step (?P<step>\d+) val_loss: ([0-9.]+))") == "no problem");
}

TEST_CASE("a huge pattern is refused and is not echoed whole") {
  std::string huge = "(" + std::string(1 << 20, 'a') + "{1000}){1000}";
  auto why = problem(huge);
  CHECK(why != "no problem");
  CHECK(why.size() < 300);
}

TEST_CASE("the value is the first group that took part in the match and the step group gives the step") {
  MetricPattern alt(R"((?:(a+)+$)|val_loss: ([0-9.]+))");
  auto m = alt.match("epoch 3 val_loss: 2.5");
  REQUIRE(m);
  CHECK(m->value == "2.5");
  CHECK_FALSE(m->step);
  auto a = alt.match("aaaa");
  REQUIRE(a);
  CHECK(a->value == "aaaa"); // the first alternative took part: its group is the value
  MetricPattern stepped(R"(it (?P<step>\d+) .* loss=([0-9.]+))");
  auto s = stepped.match("it 120 | lr 0.1 | loss=3.25");
  REQUIRE(s);
  CHECK(s->value == "3.25");
  CHECK(s->step == std::optional<std::string_view>("120"));
  CHECK_FALSE(stepped.match("no metric here"));
}

TEST_CASE("the catastrophic pattern of issue 9 and a 40,000-character line match in linear time") {
  MetricPattern cat(R"((?:(a+)+$)|val_loss: ([0-9.]+))");
  CHECK(seconds_to_match(cat, std::string(30, 'a') + "!") < 0.5);
  CHECK(seconds_to_match(cat, std::string(100000, 'a') + "!") < 0.5);
  MetricPattern greedy(R"(.*val_loss: ([0-9.]+))");
  std::string line = std::string(40000, '{') + " val_loss: 2.25";
  CHECK(seconds_to_match(greedy, line) < 0.5);
  REQUIRE(greedy.match(line));
  CHECK(greedy.match(line)->value == "2.25");
}

TEST_CASE("a metric name is escaped in the default pattern") {
  MetricPattern p(seedrun::config::default_metric_pattern("loss(")); // no throw: '(' is quoted
  auto m = p.match("loss(: 1.5");
  REQUIRE(m);
  CHECK(m->value == "1.5");
  CHECK_FALSE(MetricPattern(seedrun::config::default_metric_pattern("a.b")).match("axb: 1"));
}

TEST_CASE("the required literal is the longest string every match must contain") {
  CHECK(required_literal_of(seedrun::config::MetricSpec{}.pattern) == "val_loss:");
  CHECK(required_literal_of(R"(.*val_loss: ([0-9.]+))") == "val_loss: ");
  CHECK(required_literal_of(R"(Step \d+ \| val_loss: ([0-9.]+))") == " | val_loss: ");
  CHECK(required_literal_of(R"((?:(a+)+$)|val_loss: ([0-9.]+))") == ""); // alternation at the top
  CHECK(required_literal_of(R"((?i)val_loss: ([0-9.]+))") == "");        // case-insensitive
  CHECK(required_literal_of(R"(lossy?: ([0-9]+))") == "loss");           // y is optional
  CHECK(required_literal_of(R"(x{2}abc ([0-9]+))") == "abc ");           // not "2}"
  CHECK(required_literal_of(R"(ab+c ([0-9]+))") == "ab");
  CHECK(required_literal_of(R"(\p{Greek}\x{263a}\d\pN loss ([0-9]+))") == " loss ");
  CHECK(required_literal_of(R"([)(|x]+ loss ([0-9]+))") == " loss ");
  CHECK(required_literal_of("\xc3\xa9t\xc3\xa9? ([0-9]+)") == "\xc3\xa9t"); // é? drops the whole é
  CHECK(required_literal_of(R"(a\.b\Q.*\E ([0-9]+))") == "");
}

TEST_CASE("a line without the required literal never matches (matching lines, randomly edited)") {
  // Each pattern with a line it matches; random edits of the line sometimes keep the match and
  // sometimes break the literal: a match must never lack the literal.
  const std::vector<std::pair<std::string, std::string>> cases{
      {R"(val_loss:\s*([0-9.]+))", "Step 3 | val_loss: 2.5"},
      {R"(.*va(l_)?loss: ([0-9.]+))", "x valoss: 1"},
      {R"(l+o*s?s{1,2}: ([0-9]))", "llss: 7"},
      {R"(a[b:]c\.d ([0-9]))", "a:c.d 1"},
      {R"((?s)x.y(z) w)", "xayz w"},
      {R"(\bab ?c\Bd\b ([0-9]))", "ab cd 1"},
      {R"(^ab(c|d)e$)", "abde"},
      {R"(a{0}b{2,}c ([a-c]))", "bbbc a"},
      {R"((?U)ab+?c (x))", "abbc x"},
      {R"(\x61b\141c (.))", "abac z"},
      {R"((?P<step>\d) ab: (\d))", "7 ab: 1"},
      {"caf\xc3\xa9? (\\d)", "caf\xc3\xa9 1"},
  };
  const std::string alphabet = "abcdlosvxyz_:. 019\xc3\xa9";
  std::mt19937 rng(9);
  size_t matched = 0;
  size_t without_literal = 0;
  for (const auto& entry : cases) {
    const std::string& pat = entry.first;
    const std::string& example = entry.second;
    MetricPattern p(pat);
    const auto& lit = p.required_literal();
    INFO("pattern " << pat);
    REQUIRE(p.match(example));
    for (int i = 0; i < 3000; ++i) {
      std::string line = example;
      for (int edits = 1 + static_cast<int>(rng() % 3); edits > 0; --edits) {
        size_t at = line.empty() ? 0 : rng() % line.size();
        char c = alphabet[rng() % alphabet.size()];
        switch (rng() % 3) {
        case 0: line.insert(at, 1, c); break;
        case 1:
          if (!line.empty()) {
            line.erase(at, 1);
          }
          break;
        default:
          if (!line.empty()) {
            line[at] = c;
          }
          break;
        }
      }
      without_literal += line.find(lit) == std::string::npos ? 1 : 0;
      if (p.match(line)) {
        ++matched;
        INFO("pattern " << pat << " line '" << line << "' literal '" << lit << "'");
        CHECK(line.find(lit) != std::string::npos);
      }
    }
  }
  CHECK(matched > 2000);
  CHECK(without_literal > 5000);
}
