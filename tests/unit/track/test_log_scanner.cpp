#include "seedrun/config/config.hpp"
#include "seedrun/track/log_scanner.hpp"

#include <doctest/doctest.h>

#include <cmath>

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
