#include "seedrun/slurm/job_names.hpp"

#include "seedrun/util/error.hpp"

#include <algorithm>
#include <cctype>
#include <fmt/format.h>

namespace seedrun::slurm {
namespace {

bool bad_char(char c) {
  const auto u = static_cast<unsigned char>(c);
  return c == '|' || c == ',' || std::isspace(u) != 0 || std::iscntrl(u) != 0;
}

std::optional<std::string> part_problem(std::string_view what, std::string_view value) {
  if (value.empty()) {
    return fmt::format("the {} name is empty", what);
  }
  if (std::any_of(value.begin(), value.end(), bad_char)) {
    return fmt::format("the {} name '{}' contains '|', ',', whitespace or a control character", what, value);
  }
  return std::nullopt;
}

} // namespace

std::optional<std::string> job_name_problem(std::string_view campaign, std::string_view arm) {
  if (auto p = part_problem("campaign", campaign)) {
    return p;
  }
  if (auto p = part_problem("arm", arm)) {
    return p;
  }
  if (arm.find('-') != std::string_view::npos) {
    return fmt::format("the arm name '{}' contains '-', which Slurm job names use as the separator "
                       "before the arm (use '_' instead)",
                       arm);
  }
  return std::nullopt;
}

std::string job_name_project(std::string_view name) {
  std::string out(name);
  for (char& c : out) {
    if (bad_char(c) || c == '-') {
      c = '_';
    }
  }
  return out.empty() ? std::string("seedrun") : out;
}

std::string format_job_name(std::string_view pattern, std::string_view project, std::string_view campaign,
                            std::string_view arm) {
  if (auto problem = job_name_problem(campaign, arm)) {
    throw UsageError(fmt::format("cannot name a Slurm job after campaign '{}', arm '{}': {}", campaign, arm, *problem));
  }
  std::string name(pattern);
  const std::string proj = job_name_project(project);
  for (auto [ph, value] :
       {std::pair<std::string_view, std::string_view>{"{project}", proj}, {"{campaign}", campaign}, {"{arm}", arm}}) {
    for (auto pos = name.find(ph); pos != std::string::npos; pos = name.find(ph, pos + value.size())) {
      name.replace(pos, ph.size(), value);
    }
  }
  return name;
}

} // namespace seedrun::slurm
