// seedrun summarize [DIR] and seedrun eval-log FILE [--binary] --json.
#include "seedrun/cli/commands.hpp"
#include "seedrun/cli/sacct_job_lookup.hpp"
#include "seedrun/summarize/eval_log_json.hpp"
#include "seedrun/summarize/job_lookup.hpp"
#include "seedrun/summarize/summary.hpp"
#include "seedrun/util/error.hpp"
#include "seedrun/util/json.hpp"

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
  fmt::print("{}\n", util::dump_json(j, 2)); // invalid UTF-8 (a Latin-1 file name) becomes U+FFFD
  // Without --binary a readable log's own status (cancelled, started) is the answer; with it,
  // anything but metrics (error, not_binary) is a failure.
  const std::string status = j.value("status", "");
  const bool failed = o.binary ? status != "success" : status == "error";
  return failed ? static_cast<int>(ExitCode::failure) : 0;
}

} // namespace seedrun::cli
