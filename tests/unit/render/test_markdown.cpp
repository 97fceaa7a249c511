#include "seedrun/render/markdown.hpp"

#include <doctest/doctest.h>

using namespace seedrun::render;

TEST_CASE("a markdown row puts one space on either side of each cell") {
  CHECK(markdown_row({"Run", "Type"}) == "| Run | Type |\n");
  CHECK(markdown_row({"a", ""}) == "| a |  |\n");
  CHECK(markdown_row({}) == "|\n");
}

TEST_CASE("cells are escaped as the caller asks") {
  SUBCASE("none writes the text as given") {
    CHECK(markdown_row({"x | y", "a\nb"}, CellEscape::none) == "| x | y | a\nb |\n");
  }
  SUBCASE("pipe escapes the column separator only") {
    CHECK(markdown_row({"x | y", "a\nb"}, CellEscape::pipe) == "| x \\| y | a\nb |\n");
  }
  SUBCASE("pipe_and_newline also turns line breaks into spaces") {
    CHECK(markdown_row({"x | y", "a\r\nb"}, CellEscape::pipe_and_newline) == "| x \\| y | a  b |\n");
  }
}

TEST_CASE("the rule under the header has the given dashes and marks right-aligned columns") {
  CHECK(markdown_rule({3, 3, 3}, {false, true}) == "|---|---:|---|\n");
  CHECK(markdown_rule({5, 6}) == "|-----|------|\n");
}

TEST_CASE("dashes under a header are as wide as each cell with its padding, in code points") {
  CHECK(dashes_under({"Run", "Fine-tuning", "Δ mean"}) == std::vector<size_t>{5, 13, 8});
  CHECK(markdown_rule(dashes_under({"Run", "Type"})) == "|-----|------|\n");
}
