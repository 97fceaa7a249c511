#include "seedrun/slurm/sbatch.hpp"

#include "seedrun/slurm/parse_helpers.hpp"
#include "seedrun/util/strings.hpp"

#include <algorithm>
#include <cctype>
#include <fmt/format.h>

namespace seedrun::slurm {

SbatchParse parse_sbatch_parsable(std::string_view text) {
  SbatchParse out;
  const std::string line = util::trim(text);
  if (line.empty()) {
    out.error = "sbatch printed no job id";
    return out;
  }
  const auto semi = line.find(';');
  const std::string id = line.substr(0, semi);
  const bool digits = all_digits(id);
  const std::string cluster = semi == std::string::npos ? std::string() : line.substr(semi + 1);
  const bool cluster_ok = std::none_of(cluster.begin(), cluster.end(), [](char c) {
    return std::isspace(static_cast<unsigned char>(c)) != 0 || c == ';';
  });
  if (!digits || !cluster_ok || (semi != std::string::npos && cluster.empty())) {
    out.error = fmt::format("sbatch printed '{}' where a job id was expected", line);
    return out;
  }
  out.job_id = id;
  out.cluster = cluster;
  return out;
}

} // namespace seedrun::slurm
