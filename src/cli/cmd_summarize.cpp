// seedrun summarize [DIR] and seedrun eval-log FILE [--binary] --json.
#include "seedrun/cli/commands.hpp"
#include "seedrun/exec/process_runner.hpp"
#include "seedrun/slurm/slurm_client.hpp"
#include "seedrun/summarize/eval_log_json.hpp"
#include "seedrun/summarize/job_lookup.hpp"
#include "seedrun/summarize/summary.hpp"
#include "seedrun/util/error.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

namespace seedrun::cli {
namespace {

// Job names and elapsed times from ONE sacct call for every job id of the experiment.
class SacctJobLookup final : public summarize::JobLookup {
public:
  std::optional<std::map<std::string, summarize::JobInfo>> lookup(const std::vector<std::string>& ids) override {
    if (ids.empty()) {
      return std::map<std::string, summarize::JobInfo>{};
    }
    try {
      auto runner = exec::make_process_runner();
      slurm::SlurmClientOptions o;
      if (const char* p = std::getenv("SEEDRUN_SACCT")) {
        o.sacct = p;
      }
      auto client = slurm::make_slurm_client(*runner, o);
      auto result = client->query(ids, std::chrono::seconds(30));
      if (result.accounting_disabled) {
        return std::nullopt;
      }
      std::map<std::string, summarize::JobInfo> out;
      for (const auto& row : result.rows) {
        if (row.placeholder) {
          continue;
        }
        summarize::JobInfo info{row.name, row.elapsed_seconds, row.state_text};
        out[row.job_id] = info;
        if (!row.job_id_raw.empty()) {
          out.try_emplace(row.job_id_raw, info);
        }
      }
      return out;
    } catch (const std::exception& e) {
      spdlog::debug("sacct unavailable for summarize: {}", e.what());
      return std::nullopt;
    }
  }
};

} // namespace

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
  SacctJobLookup lookup;
  auto result = summarize::summarize_experiment(dir, lookup, std::chrono::system_clock::now());
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
