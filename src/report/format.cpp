#include "seedrun/report/format.hpp"

#include "seedrun/render/markdown.hpp"

#include <cmath>
#include <fmt/format.h>
#include <vector>

namespace seedrun::report {

std::string fixed(std::optional<double> v, int decimals, const std::string& missing) {
  if (!v || !std::isfinite(*v)) {
    return missing;
  }
  double x = *v;
  if (x == 0) {
    x = 0; // no "-0.0000"
  }
  auto s = fmt::format("{:.{}f}", x, decimals);
  if (s.find_first_not_of("-0.") == std::string::npos && s.front() == '-') {
    s.erase(0, 1);
  }
  return s;
}

std::string signed_percent(std::optional<double> v, const std::string& missing) {
  if (!v || !std::isfinite(*v)) {
    return missing;
  }
  return fmt::format("{:+.1f}%", *v);
}

std::string md_row(const std::vector<std::string>& cells) {
  return render::markdown_row(cells, render::CellEscape::none);
}

} // namespace seedrun::report
