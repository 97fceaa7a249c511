#pragma once
// A table of the analysis and its three renderings: markdown (in report.md), CSV (tables/*.csv,
// RFC 4180, numbers at full precision so they can be re-analysed) and LaTeX (tables/*.tex, a
// booktabs `table` environment with the same cells as the markdown).
#include <optional>
#include <string>
#include <vector>

namespace seedrun::render {

// A cell's text as the report prints it, and for numbers the exact value the CSV writes.
struct Cell {
  std::string text;
  std::optional<double> number;
};

// Cell from a number printed with `decimals` decimals, "n/a" (and an empty CSV field) when it is
// absent or not finite.
Cell number_cell(std::optional<double> v, int decimals);
// Cell for a p-value: four decimals from 0.001 on, two significant digits below ("4.97e-05"), so a
// small p is never printed as 0.0000.
Cell p_value_cell(std::optional<double> p);
// Cell from text.
Cell text_cell(std::string text);

struct Table {
  std::string id;      // file stem: tables/<id>.csv, tables/<id>.tex
  std::string caption; // LaTeX caption
  std::vector<std::string> header;
  std::vector<bool> numeric; // per column: right-aligned
  std::vector<std::vector<Cell>> rows;
};

// "| a | b |" rows with a "|---|--:|" alignment line; '|' in cells is escaped.
std::string to_markdown(const Table& t);
// Header line, then rows; numbers written with the shortest text that reads back exactly.
std::string to_csv(const Table& t);
// \begin{table} ... \end{table}; needs \usepackage{booktabs}. Special characters are escaped and
// σ, ±, Δ, ×, ≥, ≤, – and — become their LaTeX forms.
std::string to_latex(const Table& t);

// LaTeX-escaped text (exposed for tests).
std::string latex_escape(const std::string& text);

} // namespace seedrun::render
