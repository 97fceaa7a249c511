#pragma once
// The batch script of one array submission: the user's template with its placeholders filled,
// #SBATCH lines for the configured resources, the user's setup lines, then seedrun's part, which
// maps $SLURM_ARRAY_TASK_ID to one run's argument vector. Every argument of the command is
// single-quoted for the shell that runs the script, so a flag such as `$(touch /tmp/x); x`
// reaches the training command as that literal string. Setup lines (slurm.setup) are the
// user's own configuration and are written as they are; nothing typed on the command line
// ever becomes shell text.
#include "seedrun/config/config.hpp"

#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace seedrun::slurm {

struct ScriptTask {
  int index = 0;
  long long seed = 0;
  std::vector<std::string> argv;
};

// What every task of one array shares.
struct ScriptContext {
  std::filesystem::path workdir;  // cd here first
  std::string campaign;           // exported as SEEDRUN_CAMPAIGN
  std::string arm;                // exported as SEEDRUN_ARM
  std::vector<std::string> setup; // shell lines run before the command (slurm.setup)
};

// The built-in job_templates/default.sbatch (compiled in, so seedrun needs no data files).
const std::string& default_template();

// Fills {name} placeholders from `values`; a line holding a placeholder whose value is empty
// is dropped. {seedrun_commands} is replaced by `commands` (appended when absent).
std::string render_template(const std::string& tmpl, const std::map<std::string, std::string>& values,
                            const std::string& commands);

// The configured resources as {placeholder, sbatch option}: {"account", "--account=ml"},
// {"gpus", "--gpus=a100:2"}, ... in a fixed order; unset ones are left out.
std::vector<std::pair<std::string, std::string>> resource_options(const config::SlurmOptions& slurm);

// Inserts `#SBATCH <option>` lines into `script` after its leading comment block (the shebang
// and any #SBATCH lines: Slurm reads directives only before the first command).
std::string insert_directives(const std::string& script, const std::vector<std::string>& options);

// seedrun's part of the script: cd into the workdir, the setup lines, pick the task's argv,
// export SEEDRUN_SEED / SEEDRUN_CAMPAIGN / SEEDRUN_ARM, exec the command.
std::string task_commands(const ScriptContext& ctx, const std::vector<ScriptTask>& tasks);

// The whole script for one array: `tmpl` rendered with partition, time, the resources,
// campaign, arm, job_name and project; a resource the template has no placeholder for gets an
// #SBATCH line of its own.
std::string render_batch_script(const config::Config& cfg, const std::string& tmpl, const ScriptContext& ctx,
                                const std::string& job_name, const std::vector<ScriptTask>& tasks);

} // namespace seedrun::slurm
