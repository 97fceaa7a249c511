#pragma once
// The batch script of one array submission: the user's template with its placeholders filled,
// then seedrun's part, which maps $SLURM_ARRAY_TASK_ID to one run's argument vector. Every
// value is single-quoted for the shell that runs the script, so a flag such as
// `$(touch /tmp/x); x` reaches the training command as that literal string.
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

// The built-in job_templates/default.sbatch (compiled in, so seedrun needs no data files).
const std::string& default_template();

// Fills {name} placeholders from `values`; a line holding a placeholder whose value is empty
// is dropped. {seedrun_commands} is replaced by `commands` (appended when absent).
std::string render_template(const std::string& tmpl, const std::map<std::string, std::string>& values,
                            const std::string& commands);

// seedrun's part of the script: cd into `workdir`, pick the task's argv, exec it.
std::string task_commands(const std::filesystem::path& workdir, const std::vector<ScriptTask>& tasks);

} // namespace seedrun::slurm
