#pragma once
// Runs campaigns on Slurm: one `sbatch --parsable` job array per arm submission (task index →
// seed, throttle %max_parallel), tracked by ONE sacct call per poll for every unfinished job.
// Submission is crash-safe: the intent (job name, array, runs) is stored before sbatch runs;
// a poll that finds an intent without a job id reconciles it by job name with sacct, so a
// crash between sbatch and the store never submits twice.
#include "seedrun/config/config.hpp"
#include "seedrun/exec/executor.hpp"
#include "seedrun/exec/process_runner.hpp"
#include "seedrun/slurm/slurm_client.hpp"

#include <memory>

namespace seedrun::slurm {

struct SlurmExecutorOptions {
  // An intent younger than this is not declared lost yet (sacct lags sbatch by up to ~5 s).
  std::chrono::seconds intent_grace{60};
  // Above this many job ids, query by campaign names + start time instead of -j.
  size_t max_ids_per_query = 400;
};

std::unique_ptr<exec::Executor> make_slurm_executor(const config::Config& cfg, exec::ProcessRunner& runner);
std::unique_ptr<exec::Executor> make_slurm_executor(const config::Config& cfg, std::unique_ptr<SlurmClient> client,
                                                    SlurmExecutorOptions options = {});

} // namespace seedrun::slurm
