#include "seedrun/cli/sacct_job_lookup.hpp"

#include "seedrun/exec/process_runner.hpp"
#include "seedrun/slurm/slurm_client.hpp"

#include <cstdlib>
#include <spdlog/spdlog.h>

namespace seedrun::cli {
namespace {

// What a Slurm job state means for the summary's fine-tuning status: still running while Slurm
// may run it again, CANCELLED for a preemption, FAILED for every failure of job or machine.
summarize::JobOutcome outcome_of(slurm::JobState s) {
  using slurm::JobState;
  using summarize::JobOutcome;
  switch (s) {
  case JobState::running:
  case JobState::completing:
  case JobState::configuring:
  case JobState::suspended:
  case JobState::requeued:
  case JobState::resizing:
  case JobState::stopped: return JobOutcome::running;
  case JobState::pending: return JobOutcome::pending;
  case JobState::timeout: return JobOutcome::timeout;
  case JobState::cancelled:
  case JobState::preempted: return JobOutcome::cancelled;
  case JobState::completed: return JobOutcome::completed;
  case JobState::failed:
  case JobState::node_fail:
  case JobState::boot_fail:
  case JobState::out_of_memory:
  case JobState::deadline: return JobOutcome::failed;
  case JobState::revoked:
  case JobState::special_exit:
  case JobState::unknown: return JobOutcome::none;
  }
  return JobOutcome::none;
}

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
        summarize::JobInfo info{row.name, row.elapsed_seconds, row.state_text, outcome_of(row.state)};
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

std::unique_ptr<summarize::JobLookup> make_sacct_job_lookup() {
  return std::make_unique<SacctJobLookup>();
}

} // namespace seedrun::cli
