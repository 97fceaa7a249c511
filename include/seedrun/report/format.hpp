#pragma once
// Number formatting shared by the reports: fixed decimals, and a clear word instead of NaN.
#include <optional>
#include <string>
#include <vector>

namespace seedrun::report {

// "3.2080"; `missing` when the value is absent or not finite.
std::string fixed(std::optional<double> v, int decimals = 4, const std::string& missing = "n/a");
// "+1.5%" / "-3.0%".
std::string signed_percent(std::optional<double> v, const std::string& missing = "n/a");
// A markdown table row from cells, through render's writer; cells are written as given (the
// seed-003 layout: no escaping, so a caller must not pass '|' or a line break).
std::string md_row(const std::vector<std::string>& cells);

} // namespace seedrun::report
