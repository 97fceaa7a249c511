#include "seedrun/summarize/job_lookup.hpp"

#include <cctype>
#include <charconv>

namespace seedrun::summarize {
namespace {

bool is_digit(char c) {
  return std::isdigit(static_cast<unsigned char>(c)) != 0;
}

} // namespace

std::optional<std::string> job_id_from_file_name(const std::string& file_name) {
  constexpr std::string_view k_prefix = "slurm-";
  constexpr std::string_view k_suffix = ".out";
  if (!file_name.starts_with(k_prefix) || !file_name.ends_with(k_suffix) ||
      file_name.size() <= k_prefix.size() + k_suffix.size()) {
    return std::nullopt;
  }
  std::string id = file_name.substr(k_prefix.size(), file_name.size() - k_prefix.size() - k_suffix.size());
  size_t underscores = 0;
  for (char c : id) {
    if (c == '_') {
      ++underscores;
    } else if (!is_digit(c)) {
      return std::nullopt;
    }
  }
  if (underscores > 1 || id.front() == '_' || id.back() == '_') {
    return std::nullopt;
  }
  return id;
}

std::optional<int> epoch_from_job_name(const std::string& job_name) {
  size_t end = job_name.size();
  size_t begin = end;
  while (begin > 0 && is_digit(job_name[begin - 1]) && end - begin < 9) {
    --begin;
  }
  if (begin == end) {
    return std::nullopt;
  }
  std::string_view head(job_name.data(), begin);
  if (head.ends_with("_") || head.ends_with("-")) {
    head.remove_suffix(1);
  }
  for (std::string_view word : {"epoch", "ep"}) {
    if (head.ends_with(word)) {
      std::string_view before = head.substr(0, head.size() - word.size());
      if (before.empty() || before.back() == '-' || before.back() == '_') {
        int epoch = 0; // at most 9 digits, so it fits; from_chars never throws
        std::from_chars(job_name.data() + begin, job_name.data() + end, epoch);
        return epoch;
      }
    }
  }
  return std::nullopt;
}

} // namespace seedrun::summarize
