#include "seedrun/util/log_tail.hpp"

#include <doctest/doctest.h>
#include <filesystem>
#include <fstream>
#include <unistd.h>

using seedrun::util::tail_lines;

namespace {

std::filesystem::path write_temp(const std::string& text) {
  auto p = std::filesystem::temp_directory_path() / ("seedrun_tail_" + std::to_string(::getpid()) + ".log");
  std::ofstream(p, std::ios::binary) << text;
  return p;
}

} // namespace

TEST_CASE("the last lines of a log are returned without colour codes or progress rewrites") {
  auto p = write_temp("step 1\nstep 2\r\x1b[31mTraceback (most recent call last):\x1b[0m\n"
                      "  File \"train.py\", line 3\nNameError: name 'x' is not defined\n\n");
  auto lines = tail_lines(p, 3);
  REQUIRE(lines.size() == 3);
  CHECK(lines[0] == "Traceback (most recent call last):");
  CHECK(lines[1] == "  File \"train.py\", line 3");
  CHECK(lines[2] == "NameError: name 'x' is not defined");
  std::filesystem::remove(p);
}

TEST_CASE("a huge log is read only at its end and a line cut by the byte limit is dropped") {
  std::string text(1 << 20, 'x');
  text += "\nlast line\n";
  auto p = write_temp(text);
  auto lines = tail_lines(p, 5, 1024);
  REQUIRE(lines.size() == 1);
  CHECK(lines[0] == "last line");
  std::filesystem::remove(p);
}

TEST_CASE("a missing log has no tail") {
  CHECK(tail_lines("/nonexistent/seedrun/log").empty());
}
