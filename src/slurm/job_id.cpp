#include "seedrun/slurm/job_id.hpp"

#include "seedrun/slurm/parse_helpers.hpp"
#include "seedrun/util/strings.hpp"

#include <algorithm>
#include <cctype>

namespace seedrun::slurm {
namespace {

std::optional<int> small_int(std::string_view s) {
  if (!all_digits(s) || s.size() > 9) {
    return std::nullopt;
  }
  return static_cast<int>(*util::parse_int(s));
}

// "5-7", "5-15:2" or "5" appended to `out`; false when malformed or too large.
bool expand_range(std::string_view item, std::vector<int>& out) {
  int step = 1;
  if (auto colon = item.find(':'); colon != std::string_view::npos) {
    auto s = small_int(item.substr(colon + 1));
    if (!s || *s == 0) {
      return false;
    }
    step = *s;
    item = item.substr(0, colon);
  }
  auto dash = item.find('-');
  auto first = small_int(item.substr(0, dash));
  auto last = dash == std::string_view::npos ? first : small_int(item.substr(dash + 1));
  if (!first || !last || *last < *first) {
    return false;
  }
  if ((*last - *first) / step + out.size() >= static_cast<size_t>(k_max_pending_tasks)) {
    return false;
  }
  for (int t = *first; t <= *last; t += step) {
    out.push_back(t);
  }
  return true;
}

} // namespace

std::optional<std::vector<int>> expand_task_list(std::string_view list) {
  if (auto pct = list.find('%'); pct != std::string_view::npos) {
    if (!all_digits(list.substr(pct + 1))) {
      return std::nullopt;
    }
    list = list.substr(0, pct);
  }
  std::vector<int> out;
  for (const auto& item : util::split(list, ',')) {
    if (!expand_range(item, out)) {
      return std::nullopt;
    }
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

std::optional<JobIdParts> parse_job_id(std::string_view text) {
  JobIdParts parts;
  size_t n = 0;
  while (n < text.size() && std::isdigit(static_cast<unsigned char>(text[n])) != 0) {
    ++n;
  }
  if (n == 0) {
    return std::nullopt;
  }
  parts.job = std::string(text.substr(0, n));
  std::string_view rest = text.substr(n);
  if (rest.starts_with('_')) {
    parts.array_job_id = parts.job;
    rest.remove_prefix(1);
    if (rest.starts_with('[')) {
      auto close = rest.find(']');
      if (close == std::string_view::npos) {
        return std::nullopt;
      }
      auto tasks = expand_task_list(rest.substr(1, close - 1));
      if (!tasks) {
        return std::nullopt;
      }
      parts.pending_tasks = std::move(*tasks);
      rest.remove_prefix(close + 1);
    } else {
      size_t d = 0;
      while (d < rest.size() && std::isdigit(static_cast<unsigned char>(rest[d])) != 0) {
        ++d;
      }
      auto task = small_int(rest.substr(0, d));
      if (!task) {
        return std::nullopt;
      }
      parts.array_task = *task;
      rest.remove_prefix(d);
    }
  }
  if (rest.starts_with('+') && parts.array_job_id.empty()) {
    auto dot = rest.find('.');
    parts.het_suffix = std::string(rest.substr(1, dot == std::string_view::npos ? rest.npos : dot - 1));
    if (!all_digits(parts.het_suffix)) {
      return std::nullopt;
    }
    rest.remove_prefix(1 + parts.het_suffix.size());
  }
  if (rest.starts_with('.') && rest.size() > 1) {
    parts.step = std::string(rest.substr(1));
    return parts;
  }
  if (!rest.empty()) {
    return std::nullopt;
  }
  return parts;
}

} // namespace seedrun::slurm
