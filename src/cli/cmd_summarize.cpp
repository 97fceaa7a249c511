// seedrun summarize [DIR] and seedrun eval-log FILE [--binary] --json.
#include "seedrun/cli/commands.hpp"
#include "seedrun/cli/sacct_job_lookup.hpp"
#include "seedrun/summarize/eval_log_json.hpp"
#include "seedrun/summarize/job_lookup.hpp"
#include "seedrun/summarize/summary.hpp"
#include "seedrun/util/error.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace seedrun::cli {

int run_summarize(const GlobalOptions& g, const DirOptions& o) {
  if (o.targets.size() > 1) {
    throw UsageError("summarize takes one experiment directory");
  }
  std::filesystem::path dir = o.targets.empty() ? std::filesystem::current_path() : std::filesystem::path(o.targets[0]);
  if (!std::filesystem::is_regular_file(dir / "experiment_summary.yaml")) {
    throw UsageError(fmt::format("{} has no experiment_summary.yaml: run summarize in an experiment directory or "
                                 "pass its path (docs/summarize.md)",
                                 std::filesystem::absolute(dir).string()));
  }
  auto lookup = make_sacct_job_lookup();
  auto result = summarize::summarize_experiment(dir, *lookup, std::chrono::system_clock::now());
  if (!result.ok) {
    throw Error(result.error);
  }
  if (!g.quiet) {
    fmt::print("{}\n{}\n", result.summary_path.string(), result.log_path.string());
    fmt::print(stderr, "{}/{} runs complete\n", result.complete_runs, result.total_runs);
  }
  return 0;
}

int run_eval_log(const GlobalOptions&, const EvalLogOptions& o) {
  auto j = summarize::eval_log_json(o.file, o.binary);
  fmt::print("{}\n", j.dump(2));
  return j.value("status", "") == "error" ? static_cast<int>(ExitCode::failure) : 0;
}

} // namespace seedrun::cli
