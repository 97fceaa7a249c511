#include "seedrun/config/config.hpp"
#include "seedrun/track/log_scanner.hpp"
#include "seedrun/util/error.hpp"

#include <chrono>
#include <cmath>
#include <doctest/doctest.h>
#include <fmt/format.h>
#include <random>

using seedrun::track::LogScanner;

namespace {
const std::string k_pattern = seedrun::config::MetricSpec{}.pattern;
}

TEST_CASE("the last match wins and steps are kept for curves") {
  LogScanner s(k_pattern);
  s.feed("Step 10 | val_loss: 3.5000 | lr 0.1\nnoise\nStep 20 | val_loss: 3.2500\n");
  auto v = s.take();
  REQUIRE(v.size() == 2);
  CHECK(v[0].step == std::optional<long long>(10));
  CHECK(v[1].value == doctest::Approx(3.25));
  CHECK(v[1].step == std::optional<long long>(20));
}

TEST_CASE("chunks split anywhere, CRLF, tqdm carriage returns and ANSI colours are tolerated") {
  LogScanner s(k_pattern);
  std::string text = "\x1b[32mStep 1 | val_loss: 2.5\x1b[0m\r\n 10%|#  |\r 20%|## |\rStep 2 | val_loss: 2.25\r\n";
  for (char c : text) {
    s.feed(std::string_view(&c, 1));
  }
  auto v = s.take();
  REQUIRE(v.size() == 2);
  CHECK(v[0].value == 2.5);
  CHECK(v[1].value == 2.25);
  CHECK(s.consumed() == text.size());
}

TEST_CASE("a partial last line is kept until finish()") {
  LogScanner s(k_pattern);
  s.feed("val_loss: 1.5");
  CHECK(s.take().empty());
  CHECK(s.consumed() == 0);
  s.finish();
  auto v = s.take();
  REQUIRE(v.size() == 1);
  CHECK(v[0].value == 1.5);
}

TEST_CASE("nan and inf are read as non-finite values, garbage is counted") {
  LogScanner s(k_pattern);
  s.feed("val_loss: nan\nval_loss: inf\nval_loss: -Infinity\nval_loss: nope\n");
  auto v = s.take();
  REQUIRE(v.size() == 3);
  CHECK(std::isnan(v[0].value));
  CHECK(std::isinf(v[1].value));
  CHECK(v[2].value < 0);
  CHECK(s.unreadable() == 0); // "nope" does not match the number pattern at all
}

TEST_CASE("invalid UTF-8 and a 100 KB line do not stop the scanner") {
  LogScanner s(k_pattern);
  std::string big(100 * 1024, 'x');
  big += "\xff\xfe val_loss: 0.75\n";
  s.feed(big);
  auto v = s.take();
  REQUIRE(v.size() == 1);
  CHECK(v[0].value == 0.75);
}

TEST_CASE("consumed() counts bytes of lines completed across chunks, so offsets never re-read a line") {
  LogScanner s(k_pattern);
  s.feed("Step 1 | val_lo");
  CHECK(s.consumed() == 0);
  s.feed("ss: 2.5\nStep 2 | val_loss: 2.4\nStep 3");
  CHECK(s.consumed() == std::string("Step 1 | val_loss: 2.5\nStep 2 | val_loss: 2.4\n").size());
  CHECK(s.take().size() == 2);
}

namespace {

struct Scan {
  std::vector<seedrun::track::ScannedValue> values;
  size_t consumed = 0;
  size_t unreadable = 0;
  size_t skipped = 0;
  std::optional<seedrun::track::ScanProblem> problem;
};

// Feeds `text` cut at `cuts` (ascending offsets), then finish().
Scan scan_in_pieces(const std::string& pattern, const std::string& text, const std::vector<size_t>& cuts) {
  LogScanner s(pattern);
  size_t from = 0;
  for (size_t c : cuts) {
    s.feed(std::string_view(text).substr(from, c - from));
    from = c;
  }
  s.feed(std::string_view(text).substr(from));
  s.finish();
  return {s.take(), s.consumed(), s.unreadable(), s.skipped(), s.first_problem()};
}

double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

} // namespace

TEST_CASE("a 50,000-digit value is counted as unreadable and the lines after it are read") {
  LogScanner s(k_pattern);
  std::string text = "val_loss: 2.5\nval_loss: " + std::string(50000, '7') + "\nval_loss: 1.25\n";
  auto t0 = std::chrono::steady_clock::now();
  s.feed(text);
  CHECK(seconds_since(t0) < 1.0);
  auto v = s.take();
  REQUIRE(v.size() == 2);
  CHECK(v[1].value == 1.25);
  CHECK(s.unreadable() == 1);
  CHECK(s.consumed() == text.size());
  REQUIRE(s.first_problem());
  CHECK(s.first_problem()->offset == 14);
  CHECK(s.first_problem()->what == "a value of 50000 characters is not a number");
}

TEST_CASE("a number too large for a double is unreadable, not infinity") {
  LogScanner s(k_pattern);
  s.feed("val_loss: 1e999\nval_loss: inf\n");
  auto v = s.take();
  REQUIRE(v.size() == 1);
  CHECK(std::isinf(v[0].value));
  CHECK(s.unreadable() == 1);
  CHECK(s.first_problem()->what == "'1e999' is not a number");
}

TEST_CASE("a 40,000-character line with a greedy pattern and the catastrophic pattern are read fast") {
  std::string json(40000, '{');
  SUBCASE(".*val_loss") {
    LogScanner s(".*val_loss: ([0-9.]+)");
    auto t0 = std::chrono::steady_clock::now();
    s.feed(json + " val_loss: 0.5\n" + json + "\n");
    CHECK(seconds_since(t0) < 1.0);
    auto v = s.take();
    REQUIRE(v.size() == 1);
    CHECK(v[0].value == 0.5);
  }
  SUBCASE("(?:(a+)+$)|val_loss") {
    LogScanner s("(?:(a+)+$)|val_loss: ([0-9.]+)");
    auto t0 = std::chrono::steady_clock::now();
    s.feed(std::string(30, 'a') + "!\n" + std::string(40000, 'a') + "!\nStep 3 val_loss: 0.75\n");
    CHECK(seconds_since(t0) < 1.0);
    auto v = s.take();
    REQUIRE(v.size() == 1);
    CHECK(v[0].value == 0.75);
    CHECK(v[0].step == std::optional<long long>(3));
  }
}

TEST_CASE("a line longer than k_max_line is skipped with a problem and the offset moves past it") {
  std::string huge = "val_loss: 9 " + std::string(LogScanner::k_max_line, 'x');
  std::string text = "val_loss: 1.5\n" + huge + "\nval_loss: 0.5\n";
  for (size_t piece : {size_t{1} << 16, text.size()}) {
    CAPTURE(piece);
    std::vector<size_t> cuts;
    for (size_t c = piece; c < text.size(); c += piece) {
      cuts.push_back(c);
    }
    auto r = scan_in_pieces(k_pattern, text, cuts);
    REQUIRE(r.values.size() == 2);
    CHECK(r.values[1].value == 0.5);
    CHECK(r.skipped == 1);
    CHECK(r.consumed == text.size());
    REQUIRE(r.problem);
    CHECK(r.problem->offset == 14);
    CHECK(r.problem->what ==
          fmt::format("a line of {} bytes (the limit is {}) was not scanned", huge.size(), LogScanner::k_max_line));
  }
}

TEST_CASE("a long line that cannot hold the metric is passed over silently") {
  std::string text = std::string(3 * LogScanner::k_max_line, '=') + "\nval_loss: 0.5\n";
  auto whole = scan_in_pieces(k_pattern, text, {});
  auto pieces = scan_in_pieces(k_pattern, text, {1000, LogScanner::k_max_line + 5, 2 * LogScanner::k_max_line});
  for (const auto& r : {whole, pieces}) {
    REQUIRE(r.values.size() == 1);
    CHECK(r.skipped == 0);
    CHECK_FALSE(r.problem);
  }
}

TEST_CASE("a literal split by colour codes is still found, and one split across chunks too") {
  std::string text = "\x1b[1mval_\x1b[0mloss: \x1b[36m2.5\x1b[0m\nxx val_lo";
  LogScanner s(k_pattern);
  s.feed(text);
  s.feed("ss: 1.5\n");
  auto v = s.take();
  REQUIRE(v.size() == 2);
  CHECK(v[0].value == 2.5);
  CHECK(v[1].value == 1.5);
}

TEST_CASE("a (?P<step>...) group gives the step") {
  LogScanner s(R"(it=(?P<step>\d+) .*loss ([0-9.]+))");
  s.feed("it=7 | Step 99 | loss 2.5\n");
  auto v = s.take();
  REQUIRE(v.size() == 1);
  CHECK(v[0].step == std::optional<long long>(7));
}

TEST_CASE("the result does not depend on how the bytes are cut into chunks") {
  std::string text = "Step 1 | val_loss: 3.5\r\n\x1b[32mStep 2 | val_\x1b[0mloss: 3.25\r 10%|#|\r\n";
  text += "val_loss: " + std::string(70, '1') + "\n" + std::string(LogScanner::k_max_line + 10, 'v') + "al_loss: 1\n";
  text += "val_loss: nan\nnoise val_loss:\nval_loss: 1.0e-3";
  for (const std::string& pattern : {k_pattern, std::string("(?:(a+)+$)|val_loss: ([0-9.e-]+)")}) {
    auto whole = scan_in_pieces(pattern, text, {});
    std::mt19937 rng(42);
    for (int trial = 0; trial < 30; ++trial) {
      std::vector<size_t> cuts;
      for (size_t c = rng() % 40; c < text.size(); c += 1 + rng() % (trial < 15 ? 64 : 400000)) {
        cuts.push_back(c);
      }
      auto r = scan_in_pieces(pattern, text, cuts);
      CAPTURE(trial);
      REQUIRE(r.values.size() == whole.values.size());
      for (size_t i = 0; i < r.values.size(); ++i) {
        CHECK(r.values[i].step == whole.values[i].step);
        CHECK((r.values[i].value == whole.values[i].value ||
               (std::isnan(r.values[i].value) && std::isnan(whole.values[i].value))));
      }
      CHECK(r.consumed == whole.consumed);
      CHECK(r.unreadable == whole.unreadable);
      CHECK(r.skipped == whole.skipped);
      REQUIRE(r.problem.has_value() == whole.problem.has_value());
      if (r.problem) {
        CHECK(r.problem->offset == whole.problem->offset);
        CHECK(r.problem->what == whole.problem->what);
      }
    }
    CHECK(whole.values.size() == (pattern == k_pattern ? 4 : 3)); // [0-9.e-]+ does not take "nan"
    CHECK(whole.unreadable == 1);
    CHECK(whole.skipped == 1);
  }
}

TEST_CASE("an invalid pattern is a usage error") {
  CHECK_THROWS_AS(LogScanner("(a)\\1 ([0-9]+)"), seedrun::UsageError);
}

TEST_CASE("the literal prefilter never drops a line that strip-then-match would read (random coloured lines)") {
  // "INFO val_loss: 2.5" with escape sequences (whole or cut) and noise put between random
  // characters, some characters dropped: many lines still read a value after stripping.
  const std::string base = "INFO val_loss: 2.5";
  const std::vector<std::string> noise{"\x1b[1m", "\x1b[0m", "\x1b]0;t\x07", "\x1b(", "\x1b[", "\x1b", "l", "_", " "};
  seedrun::config::MetricPattern pattern(k_pattern);
  std::mt19937 rng(7);
  size_t expected_total = 0;
  size_t hidden = 0; // lines whose raw bytes lack the literal but whose stripped text has it
  for (int trial = 0; trial < 4000; ++trial) {
    std::string line;
    for (char c : base) {
      if (rng() % 3 == 0) {
        line += noise[rng() % noise.size()];
      }
      if (rng() % 20 != 0) {
        line += c;
      }
    }
    auto stripped = seedrun::track::strip_ansi(line);
    auto m = pattern.match(stripped);
    size_t expected = m && seedrun::track::parse_metric_number(m->value) ? 1 : 0;
    expected_total += expected;
    hidden += expected == 1 && line.find("val_loss:") == std::string::npos ? 1 : 0;
    LogScanner s(k_pattern);
    s.feed(line + "\n");
    INFO("line '" << line << "'");
    CHECK(s.take().size() == expected);
  }
  CHECK(expected_total > 200);
  CHECK(hidden > 100);
}

TEST_CASE("a literal split by a chain of escape sequences is found") {
  LogScanner s(k_pattern);
  s.feed("val\x1b[1m\x1b[0m_loss: 2.5\n\x1b[2m10:00\x1b[0m \x1b[32mINFO\x1b[0m step 3 | loss 2.0\n");
  auto v = s.take();
  REQUIRE(v.size() == 1);
  CHECK(v[0].value == 2.5);
}

TEST_CASE("find_step finds what the step regex finds (random lines)") {
  seedrun::config::MetricPattern regex(R"((?:^|[^A-Za-z])(?:[Ss]tep|STEP|[Ii]ter(?:ation)?)\s*[:=#]?\s*(\d+))");
  const std::vector<std::string> pieces{"step", "Step", "STEP", "iter", "Iteration", "ation", "s", "x", ":", "=",
                                        "#",    " ",    "\t",   "12",   "7",         "a",     "I", "|", "\v"};
  std::mt19937 rng(3);
  size_t found = 0;
  for (int trial = 0; trial < 20000; ++trial) {
    std::string line;
    for (size_t k = rng() % 8; k > 0; --k) {
      line += pieces[rng() % pieces.size()];
    }
    auto want = regex.match(line);
    auto got = seedrun::track::find_step(line);
    INFO("line '" << line << "'");
    REQUIRE(got.has_value() == want.has_value());
    if (got) {
      ++found;
      CHECK(*got == want->value);
      CHECK(got->data() == want->value.data()); // the same digits, not only equal ones
    }
  }
  CHECK(found > 1000);
}
