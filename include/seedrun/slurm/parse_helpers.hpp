#pragma once
// Helpers shared by the Slurm output parsers: CRLF-tolerant line splitting that skips blank
// lines, the "skip, log at debug, count" treatment of lines a parser cannot read, and digit
// checks.
#include <string>
#include <string_view>

namespace seedrun::slurm {

// Calls fn(line_number, line) for every non-blank line (1-based numbers, '\r' stripped).
template <class Fn> void for_each_line(std::string_view text, Fn&& fn) {
  size_t line_no = 0;
  while (!text.empty()) {
    auto nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    text = nl == std::string_view::npos ? std::string_view() : text.substr(nl + 1);
    ++line_no;
    if (line.ends_with('\r')) {
      line.remove_suffix(1);
    }
    if (line.find_first_not_of(" \t") != std::string_view::npos) {
      fn(line_no, line);
    }
  }
}

// True when `text` is non-empty and only ASCII digits.
bool all_digits(std::string_view text);

// Counts a skipped line, remembers the first one as "line N: <why>: <line>" and logs it at
// debug level under `what` ("sacct", "squeue").
void note_unreadable(int& count, std::string& first, std::string_view what, size_t line_no, std::string_view line,
                     std::string_view why);

} // namespace seedrun::slurm
