#pragma once
// The one markdown table writer of seedrun: the seed-003 reports, summary.md and the analysis
// report all write their tables through these functions. The files keep the layouts their seeds
// fixed, so the writer takes the differences as arguments instead of imposing one look:
// which characters a cell may not hold (CellEscape) and how many dashes each column's rule has.
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace seedrun::render {

// What is done to a cell's text before it goes between the '|' of a row.
enum class CellEscape {
  none,             // written as given: the caller's cells never hold '|' or a line break
  pipe,             // '|' → "\|"
  pipe_and_newline, // '|' → "\|", and CR and LF → ' ' (cells quoting log messages)
};

// "| a | b |\n": each cell between one space on either side, escaped as `escape` says.
std::string markdown_row(const std::vector<std::string>& cells, CellEscape escape = CellEscape::pipe);

// The line under the header: `dashes[i]` dashes for column i, then a ':' when `right[i]` (a
// right-aligned column; columns beyond `right` are left-aligned): {3, 3}, {false, true} → "|---|---:|".
std::string markdown_rule(const std::vector<size_t>& dashes, const std::vector<bool>& right = {});

// Per column, as many dashes as its header cell is wide with its two spaces ("| Run |" over
// "|-----|"), counting UTF-8 code points.
std::vector<size_t> dashes_under(const std::vector<std::string>& header);

// `text` with `escape` applied (exposed for tests).
std::string markdown_cell(std::string_view text, CellEscape escape);

} // namespace seedrun::render
