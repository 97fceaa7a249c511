#pragma once
// The seam between seedrun and the Slurm commands. The real client only builds argument
// vectors, runs them through exec::ProcessRunner (no shell) and hands the output to the pure
// parsers in sacct.hpp, squeue.hpp and sbatch.hpp; fakes of this interface are for faults
// and scale. Every failure to get an answer from Slurm (program missing, non-zero exit,
// timeout, output that cannot be read at all) throws seedrun::Error with
// ExitCode::slurm_unreachable; nothing is retried here.
#include "seedrun/exec/process_runner.hpp"
#include "seedrun/slurm/sacct.hpp"
#include "seedrun/slurm/squeue.hpp"
#include "seedrun/util/time.hpp"

#include <chrono>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace seedrun::slurm {

struct SubmitRequest {
  std::filesystem::path script;        // the batch script, sbatch's last argument
  std::vector<std::string> extra_args; // verbatim, after the options below (so they win) and
                                       // before the script ("--partition=debug")
  std::string job_name;                // --job-name=; empty: not passed
  std::string array;                   // --array= ("0-4%1"); empty: not an array job
  std::string output;                  // --output= ("/x/slurm-%A_%a.out"); empty: Slurm's default
  std::filesystem::path workdir;       // --chdir= and sbatch's own cwd; empty: the current dir
  std::string dependency;              // --dependency= ("afterany:123"); empty: not passed
};

// The argv of `sbatch --parsable` for `request` (program first, the script last): the options
// above in this order, then extra_args. Every element is one argument; no shell is involved.
std::vector<std::string> sbatch_argv(const std::string& program, const SubmitRequest& request);

// MaxArraySize from the text of `scontrol show config` ("MaxArraySize            = 1001");
// nullopt when there is no such line or its value is not a positive number.
std::optional<int> parse_max_array_size(std::string_view scontrol_config);

// How many jobs this user may still queue: MaxSubmitJobs counts every array task as one job,
// and sbatch refuses a whole array that would go over it.
struct SubmitLimit {
  int max_jobs = 0; // the smallest limit that applies (association or QOS)
  int queued = 0;   // the user's jobs squeue lists now (pending, running, ...), array tasks one each
};

// The smallest positive number among the lines of `sacctmgr -n -P ... format=MaxSubmit` (an
// empty line is "no limit"); nullopt when no line sets one.
std::optional<int> parse_max_submit(std::string_view sacctmgr_output);

struct QueryResult {
  // sacct said "Slurm accounting storage is disabled": rows is empty, ask squeue() instead.
  bool accounting_disabled = false;
  std::vector<SacctRow> rows;
  int unreadable_lines = 0;     // lines skipped because they could not be read
  std::string first_unreadable; // the first of them with the reason
};

class SlurmClient {
public:
  virtual ~SlurmClient() = default;

  // Submits one batch job (or array) with sbatch --parsable and returns its job id ("123").
  // On a non-zero exit the Error's message is sbatch's stderr verbatim (trailing newlines
  // removed). A timeout is an Error too, whose message warns that the job may exist anyway.
  // A --dependency Slurm refuses fails with "Job dependency problem" in the message.
  virtual std::string submit(const SubmitRequest& request) = 0;

  // One `sacct -X --parsable2 --noheader --format=<k_sacct_format> --starttime=<t> -j <ids>`
  // call, t = `start_time` (local time; no job submitted before it is needed) or, when nullopt,
  // one year before now: without --starttime, sacct -j searches the whole accounting history,
  // which is slow on large clusters. Array ids return all their tasks. Jobs sacct does not know
  // yet are simply absent (see sacct.hpp for placeholder rows). An empty `job_ids` returns an
  // empty result without calling sacct. Accounting disabled is not an error but sets
  // accounting_disabled. Throws when sacct fails, hangs past `timeout`, or prints lines none
  // of which can be read.
  virtual QueryResult query(const std::vector<std::string>& job_ids, std::chrono::milliseconds timeout,
                            std::optional<util::TimePoint> start_time = std::nullopt) = 0;

  // The same for jobs with any of `names` submitted since `start_time` (sacct --name=
  // --starttime=, local time). Placeholder rows never match a name filter (NOTES 18).
  virtual QueryResult query_by_name(const std::vector<std::string>& names, util::TimePoint start_time) = 0;

  // `squeue -h --states=all -o '%i|%j|%T' -j <ids>`: the fallback when accounting is disabled.
  // Jobs squeue no longer knows (finished more than MinJobAge ago) are absent; "Invalid job id
  // specified" yields an empty result. Empty `job_ids` returns an empty result.
  virtual SqueueParse squeue(const std::vector<std::string>& job_ids) = 0;

  // scancel <ids>. Ending an already finished job is not an error. Empty `job_ids` does nothing.
  virtual void cancel(const std::vector<std::string>& job_ids) = 0;

  // MaxArraySize from `scontrol show config` (array indices run from 0 to MaxArraySize - 1).
  // nullopt when it cannot be read (scontrol missing or failing, no such line): callers then
  // submit as they would without a limit. Never throws. Fakes need not implement it.
  virtual std::optional<int> max_array_size() { return std::nullopt; }

  // MaxSubmitJobs for the current user: the smallest of the user's associations' MaxSubmitJobs
  // (only `account`'s when one is given) and the MaxSubmitJobsPerUser of `qos` ("normal" when
  // empty), from sacctmgr; with the user's queued jobs from `squeue -h -r -u <user>`. nullopt
  // when no limit is set or it cannot be read (then nothing is held back). Never throws.
  virtual std::optional<SubmitLimit> submit_limit(const std::string& account, const std::string& qos) {
    (void)account;
    (void)qos;
    return std::nullopt;
  }
};

struct SlurmClientOptions {
  // Program names or paths, so tests can point at fakes.
  std::string sbatch = "sbatch";
  std::string sacct = "sacct";
  std::string squeue = "squeue";
  std::string scancel = "scancel";
  std::string scontrol = "scontrol";
  std::string sacctmgr = "sacctmgr";
  // Limit for sbatch, squeue, scancel and query_by_name (query() takes its own).
  std::chrono::milliseconds timeout{30000};
  // Added to the environment of every call (e.g. SLURM_CONF). SLURM_TIME_FORMAT=standard is
  // always set so that times are ISO 8601 whatever the user's environment says.
  std::map<std::string, std::string> env;
};

// The real client. `runner` must outlive it.
std::unique_ptr<SlurmClient> make_slurm_client(exec::ProcessRunner& runner, SlurmClientOptions options = {});

} // namespace seedrun::slurm
