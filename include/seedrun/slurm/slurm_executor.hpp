#pragma once
// Runs campaigns on Slurm: one `sbatch --parsable` job array per arm submission (task index →
// seed, throttle %max_parallel), tracked by ONE sacct call per poll for every unfinished job.
// Submission is crash-safe: the intent (job name, array, runs) is stored before sbatch runs;
// a poll that finds an intent without a job id reconciles it by job name with sacct, so a
// crash between sbatch and the store never submits twice.
#include "seedrun/config/config.hpp"
#include "seedrun/exec/executor.hpp"
#include "seedrun/exec/process_runner.hpp"
#include "seedrun/slurm/batch_script.hpp"
#include "seedrun/slurm/slurm_client.hpp"

#include <memory>

namespace seedrun::slurm {

struct SlurmExecutorOptions {
  // An intent younger than this is not declared lost yet (sacct lags sbatch by up to ~5 s).
  std::chrono::seconds intent_grace{60};
  // Above this many job ids, query by campaign names + start time instead of -j.
  size_t max_ids_per_query = 400;
  // The seedrun the refresh job runs (slurm.refresh_job); empty: no refresh job is submitted.
  std::string seedrun_binary;
};

std::unique_ptr<exec::Executor> make_slurm_executor(const config::Config& cfg, exec::ProcessRunner& runner);

// The sbatch options of every array, after --job-name/--array/--output/--chdir/--dependency:
// partition, time, requeue, slurm.extra_args, then the campaign's --sbatch-arg values (last, so
// they win).
std::vector<std::string> array_sbatch_args(const config::Config& cfg, const std::vector<std::string>& campaign_args);

// The sbatch options of the refresh job submitted with every array (slurm.refresh_job):
// the user's partition, account and qos, one CPU, 512M, 15 minutes, no requeue.
std::vector<std::string> refresh_job_args(const config::Config& cfg);
// Its script: `cd <project> && exec <seedrun> --config <file> refresh --after-job <job_id>`.
std::string refresh_job_script(const config::Config& cfg, const std::string& seedrun_binary, const std::string& job_id);

// What launch() would submit for `tasks` of a campaign, without submitting anything: the exact
// sbatch argv (the script's path with <phase>_<n> standing for the parts known only then) and
// the batch script. For --dry-run.
struct SubmissionPreview {
  std::vector<std::string> sbatch_argv;
  std::string script;
};
SubmissionPreview preview_submission(const config::Config& cfg, const std::string& campaign_key, const std::string& arm,
                                     const std::vector<ScriptTask>& tasks,
                                     const std::vector<std::string>& campaign_args);
std::unique_ptr<exec::Executor> make_slurm_executor(const config::Config& cfg, std::unique_ptr<SlurmClient> client,
                                                    SlurmExecutorOptions options = {});

} // namespace seedrun::slurm
