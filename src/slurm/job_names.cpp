#include "seedrun/slurm/job_names.hpp"

#include "seedrun/slurm/parse_helpers.hpp"
#include "seedrun/util/error.hpp"
#include "seedrun/util/strings.hpp"

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

std::string format_job_name(std::string_view campaign, std::string_view arm) {
  if (auto problem = job_name_problem(campaign, arm)) {
    throw UsageError(fmt::format("cannot name a Slurm job after campaign '{}', arm '{}': {}", campaign, arm, *problem));
  }
  return fmt::format("{}{}-{}", k_job_name_prefix, campaign, arm);
}

std::optional<JobName> parse_job_name(std::string_view name) {
  if (!name.starts_with(k_job_name_prefix)) {
    return std::nullopt;
  }
  name.remove_prefix(k_job_name_prefix.size());
  const auto dash = name.rfind('-');
  if (dash == std::string_view::npos) {
    return std::nullopt;
  }
  JobName out{std::string(name.substr(0, dash)), std::string(name.substr(dash + 1))};
  if (job_name_problem(out.campaign, out.arm)) {
    return std::nullopt;
  }
  return out;
}

std::optional<EvalJobName> parse_eval_job_name(std::string_view name) {
  constexpr std::string_view k_prefix = "eval-";
  if (!name.starts_with(k_prefix)) {
    return std::nullopt;
  }
  name.remove_prefix(k_prefix.size());
  const auto ep = name.rfind("-ep");
  if (ep == std::string_view::npos) {
    return std::nullopt;
  }
  const auto digits = name.substr(ep + 3);
  const bool numeric = all_digits(digits) && digits.size() <= 9;
  const auto middle = name.substr(0, ep);
  const auto dash = middle.find('-');
  if (!numeric || dash == std::string_view::npos || dash == 0 || dash + 1 == middle.size()) {
    return std::nullopt;
  }
  return EvalJobName{std::string(middle.substr(0, dash)), std::string(middle.substr(dash + 1)),
                     static_cast<int>(*util::parse_int(digits))};
}

} // namespace seedrun::slurm
