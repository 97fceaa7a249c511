#include "seedrun/slurm/sbatch_args.hpp"

#include "seedrun/util/atomic_file.hpp"
#include "seedrun/util/strings.hpp"

#include <algorithm>
#include <array>
#include <fmt/format.h>

namespace seedrun::slurm {
namespace {

std::filesystem::path args_file(const std::filesystem::path& state_dir, const std::string& key) {
  return state_dir / "sbatch_args" / key;
}

} // namespace

std::optional<std::string> sbatch_arg_problem(std::string_view arg) {
  if (arg.size() < 2 || arg[0] != '-') {
    return fmt::format("--sbatch-arg '{}' is not an sbatch option (e.g. --sbatch-arg=--gres=gpu:2)",
                       util::abbreviate(arg));
  }
  if (std::any_of(arg.begin(), arg.end(), [](char c) { return c == '\n' || c == '\r' || c == '\0'; })) {
    return fmt::format("--sbatch-arg '{}' must be one line", util::abbreviate(arg));
  }
  constexpr std::array<std::string_view, 7> k_long{"--array",    "--job-name", "--output", "--dependency",
                                                   "--parsable", "--wrap",     "--chdir"};
  constexpr std::array<std::string_view, 5> k_short{"-a", "-J", "-o", "-d", "-D"};
  auto name = arg.substr(0, arg.find('='));
  bool ours = std::find(k_long.begin(), k_long.end(), name) != k_long.end();
  for (auto s : k_short) {
    ours = ours || (arg.starts_with(s) && !arg.starts_with("--"));
  }
  if (ours) {
    return fmt::format("--sbatch-arg '{}': seedrun sets {} itself (it names, numbers and tracks the jobs)",
                       util::abbreviate(arg), name);
  }
  return std::nullopt;
}

void save_campaign_sbatch_args(const std::filesystem::path& state_dir, const std::string& campaign_key,
                               const std::vector<std::string>& args) {
  auto file = args_file(state_dir, campaign_key);
  if (args.empty()) {
    std::error_code ec;
    std::filesystem::remove(file, ec);
    return;
  }
  std::filesystem::create_directories(file.parent_path());
  util::write_file_atomic(file, util::join(args, "\n") + "\n");
}

std::vector<std::string> load_campaign_sbatch_args(const std::filesystem::path& state_dir,
                                                   const std::string& campaign_key) {
  auto file = args_file(state_dir, campaign_key);
  std::error_code ec;
  if (!std::filesystem::is_regular_file(file, ec)) {
    return {};
  }
  std::vector<std::string> out;
  for (auto& line : util::split(util::read_file(file), '\n')) {
    if (!line.empty()) {
      out.push_back(line);
    }
  }
  return out;
}

} // namespace seedrun::slurm
