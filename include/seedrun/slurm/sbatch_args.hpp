#pragma once
// sbatch options given for one campaign on the command line (`seedrun experiment
// --sbatch-arg=--gres=gpu:2`). They are kept in <state>/sbatch_args/<campaign key> so every
// later array of that campaign (extension seeds, retries, submitted by refresh, cron or the
// refresh job) gets them too. Each is passed to sbatch as one argument, never through a shell,
// after the configured options, so it wins over slurm.* and the script's #SBATCH lines.
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace seedrun::slurm {

// Why `arg` cannot be an --sbatch-arg, or nullopt: it must be an option ("-x" / "--name=v"),
// one line, and not one seedrun sets itself (--array, --job-name, --output, --dependency,
// --parsable, --wrap, --chdir and their short forms).
std::optional<std::string> sbatch_arg_problem(std::string_view arg);

// Replaces the stored options of a campaign (an empty list removes them).
void save_campaign_sbatch_args(const std::filesystem::path& state_dir, const std::string& campaign_key,
                               const std::vector<std::string>& args);

// The stored options of a campaign; empty when none were given.
std::vector<std::string> load_campaign_sbatch_args(const std::filesystem::path& state_dir,
                                                   const std::string& campaign_key);

} // namespace seedrun::slurm
