#include "seedrun/slurm/parse_helpers.hpp"

#include <algorithm>
#include <cctype>
#include <fmt/format.h>
#include <spdlog/spdlog.h>

namespace seedrun::slurm {

bool all_digits(std::string_view text) {
  return !text.empty() &&
         std::all_of(text.begin(), text.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; });
}

void note_unreadable(int& count, std::string& first, std::string_view what, size_t line_no, std::string_view line,
                     std::string_view why) {
  ++count;
  constexpr size_t k_shown = 200; // a garbage line can be long; messages stay readable
  std::string shown(line.substr(0, k_shown));
  if (line.size() > k_shown) {
    shown += "...";
  }
  spdlog::debug("{} output line {} skipped ({}): {}", what, line_no, why, shown);
  if (first.empty()) {
    first = fmt::format("line {}: {}: {}", line_no, why, shown);
  }
}

} // namespace seedrun::slurm
