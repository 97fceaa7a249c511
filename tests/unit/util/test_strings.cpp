#include "seedrun/util/atomic_file.hpp"
#include "seedrun/util/error.hpp"
#include "seedrun/util/paths.hpp"
#include "seedrun/util/shell_words.hpp"
#include "seedrun/util/strings.hpp"

#include <doctest/doctest.h>
#include <filesystem>
#include <unistd.h>

namespace fs = std::filesystem;
using namespace seedrun::util;

TEST_CASE("closest_match suggests only plausible typos") {
  std::vector<std::string> keys{"seeds", "metric", "command"};
  CHECK(closest_match("sedes", keys) == std::optional<std::string>("seeds"));
  CHECK(closest_match("metrc", keys) == std::optional<std::string>("metric"));
  CHECK_FALSE(closest_match("zzzzzz", keys).has_value());
}

TEST_CASE("shell_split handles quotes and escapes without expanding anything") {
  CHECK(shell_split(R"(a 'b c' "d \"e\" $x" f\ g)") == std::vector<std::string>{"a", "b c", "d \"e\" $x", "f g"});
  CHECK_THROWS_AS(shell_split("a 'b"), seedrun::UsageError);
  CHECK(shell_quote("plain-word_1.0") == "plain-word_1.0");
  CHECK(shell_quote("it's $(x)") == R"('it'\''s $(x)')");
  CHECK(shell_split(shell_quote("it's $(x); y")) == std::vector<std::string>{"it's $(x); y"});
}

TEST_CASE("parse_double and parse_int accept whole numbers only") {
  CHECK(parse_double("3.25") == std::optional<double>(3.25));
  CHECK_FALSE(parse_double("3.2x").has_value());
  CHECK_FALSE(parse_double("").has_value());
  CHECK(parse_int("-12") == std::optional<long long>(-12));
  CHECK_FALSE(parse_int("12a").has_value());
}

TEST_CASE("remove_inside deletes inside the root and refuses symlinks and escapes") {
  auto root = fs::temp_directory_path() / ("seedrun-paths-" + std::to_string(::getpid()));
  fs::remove_all(root);
  fs::create_directories(root / "ck" / "run1");
  fs::create_directories(root / "outside");
  write_file_atomic(root / "outside" / "keep.txt", "keep");
  fs::create_directory_symlink(root / "outside", root / "ck" / "link");
  CHECK(remove_inside(root / "ck", root / "ck" / "run1"));
  CHECK_FALSE(fs::exists(root / "ck" / "run1"));
  CHECK_THROWS_AS(remove_inside(root / "ck", root / "ck" / "link"), seedrun::Error);
  CHECK_THROWS_AS(remove_inside(root / "ck", root / "ck" / ".." / "outside"), seedrun::Error);
  CHECK_THROWS_AS(remove_inside(root / "ck", root / "ck"), seedrun::Error);
  CHECK(fs::exists(root / "outside" / "keep.txt"));
  fs::remove_all(root);
}

TEST_CASE("write_file_atomic replaces the whole file and leaves no temporary behind") {
  auto dir = fs::temp_directory_path() / ("seedrun-atomic-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  write_file_atomic(dir / "r.md", "one");
  write_file_atomic(dir / "r.md", "two");
  CHECK(read_file(dir / "r.md") == "two");
  int files = 0;
  for ([[maybe_unused]] auto& e : fs::directory_iterator(dir)) {
    ++files;
  }
  CHECK(files == 1);
  fs::remove_all(dir);
}

TEST_CASE("sanitize_name keeps names safe for files and job names") {
  CHECK(sanitize_name("--use_warmup") == "use_warmup");
  CHECK(sanitize_name("--lr_0.001") == "lr_0.001");
  CHECK(sanitize_name("$(rm -rf ~)") == "rm_rf");
}

TEST_CASE("closest_match answers fast for a 1 MB word and says nothing") {
  std::vector<std::string> keys{"seeds", "metric", "command"};
  std::string huge(1 << 20, 'k');
  CHECK_FALSE(closest_match(huge, keys).has_value());
  CHECK(edit_distance("sedes", "seeds") == 1); // a transposition counts once
  CHECK(edit_distance("kitten", "sitting") == 3);
  CHECK(edit_distance("", "abc") == 3);
}

TEST_CASE("abbreviate cuts long input for messages without splitting a UTF-8 character") {
  CHECK(abbreviate("short") == "short");
  CHECK(abbreviate(std::string(100, 'x')) == std::string(64, 'x') + "…");
  std::string accents;
  for (int i = 0; i < 40; ++i) {
    accents += "\xc3\xa9"; // é, two bytes
  }
  auto cut = abbreviate(accents, 5);
  CHECK(cut == "\xc3\xa9\xc3\xa9…"); // 4 bytes: the third é would be cut in half
}

TEST_CASE("first_invalid_utf8 finds the first ill-formed byte and accepts every well-formed form") {
  using seedrun::util::first_invalid_utf8;
  CHECK_FALSE(first_invalid_utf8("").has_value());
  CHECK_FALSE(first_invalid_utf8("--lr=3e-4").has_value());
  CHECK_FALSE(first_invalid_utf8("σ → 😀 caf\xc3\xa9").has_value());
  CHECK_FALSE(first_invalid_utf8("\xf4\x8f\xbf\xbf").has_value());           // U+10FFFF, the last code point
  CHECK(first_invalid_utf8("caf\xe9") == std::optional<size_t>(3));          // Latin-1 é
  CHECK(first_invalid_utf8("ab\xc3") == std::optional<size_t>(2));           // truncated sequence
  CHECK(first_invalid_utf8("\xc0\xaf") == std::optional<size_t>(0));         // overlong '/'
  CHECK(first_invalid_utf8("x\xed\xa0\x80") == std::optional<size_t>(1));    // a surrogate
  CHECK(first_invalid_utf8("\xf4\x90\x80\x80") == std::optional<size_t>(0)); // above U+10FFFF
  CHECK(first_invalid_utf8("ok\x80") == std::optional<size_t>(2));           // a lone continuation
  CHECK(first_invalid_utf8("\xe2\x82x") == std::optional<size_t>(0));        // bad third byte
}
