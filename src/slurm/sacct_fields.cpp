#include "seedrun/slurm/sacct_fields.hpp"

#include "seedrun/slurm/parse_helpers.hpp"
#include "seedrun/util/strings.hpp"

namespace seedrun::slurm {
namespace {

std::optional<long long> whole(std::string_view s) {
  if (!all_digits(s) || s.size() > 12) {
    return std::nullopt;
  }
  return util::parse_int(s);
}

// "SS" or "SS.mmm", below 60.
std::optional<double> seconds_part(std::string_view s) {
  auto dot = s.find('.');
  auto secs = whole(s.substr(0, dot));
  if (!secs || *secs >= 60) {
    return std::nullopt;
  }
  double value = static_cast<double>(*secs);
  if (dot != std::string_view::npos) {
    auto frac = s.substr(dot + 1);
    if (!all_digits(frac)) {
      return std::nullopt;
    }
    value += *util::parse_double("0." + std::string(frac));
  }
  return value;
}

} // namespace

std::optional<double> parse_slurm_duration(std::string_view text) {
  long long days = 0;
  const bool with_days = text.find('-') != std::string_view::npos;
  if (auto dash = text.find('-'); dash != std::string_view::npos) {
    auto d = whole(text.substr(0, dash));
    if (!d) {
      return std::nullopt;
    }
    days = *d;
    text = text.substr(dash + 1);
  }
  auto parts = util::split(text, ':');
  const bool with_hours = parts.size() == 3;
  if ((parts.size() != 2 && !with_hours) || (with_days && !with_hours) || text.starts_with('-')) {
    return std::nullopt;
  }
  long long hours = 0;
  if (with_hours) {
    auto h = whole(parts[0]);
    if (!h) {
      return std::nullopt;
    }
    hours = *h;
  }
  auto minutes = whole(parts[parts.size() - 2]);
  auto secs = seconds_part(parts.back());
  if (!minutes || *minutes >= 60 || !secs) {
    return std::nullopt;
  }
  return static_cast<double>(((days * 24 + hours) * 60 + *minutes) * 60) + *secs;
}

std::optional<ExitCodeSignal> parse_exit_code(std::string_view text) {
  auto colon = text.find(':');
  if (colon == std::string_view::npos) {
    return std::nullopt;
  }
  auto code = text.substr(0, colon);
  bool negative = code.starts_with('-');
  auto magnitude = whole(negative ? code.substr(1) : code);
  auto sig = whole(text.substr(colon + 1));
  if (!magnitude || !sig || *magnitude > 1000000 || *sig > 1000) {
    return std::nullopt;
  }
  return ExitCodeSignal{static_cast<int>(negative ? -*magnitude : *magnitude), static_cast<int>(*sig)};
}

} // namespace seedrun::slurm
