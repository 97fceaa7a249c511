#pragma once
// seedrun.yaml, validated. Loading either returns a complete Config or throws
// seedrun::UsageError with `file:line:col: message` (exit code 2); there is no partially valid
// configuration. All paths in a Config are absolute (relative ones are resolved against the
// directory holding the file). docs/config.md documents every key.
#include "seedrun/config/health_options.hpp"

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace seedrun::config {

enum class Goal { minimize, maximize, none }; // none: followed and reported, never judged
enum class ExecutorKind { local, slurm };

// A number as training scripts print it, in one capture group: 2.41, -1e-3, .5, nan, inf, -Infinity.
inline std::string number_pattern() {
  return R"seedrun(([-+]?(?:[0-9]+\.?[0-9]*(?:[eE][-+]?[0-9]+)?|\.[0-9]+(?:[eE][-+]?[0-9]+)?|[nN][aA][nN]|[iI][nN][fF](?:[iI][nN][iI][tT][yY])?)))seedrun";
}

// Where a metric is read (docs/metrics.md): the run's output (`pattern`), a JSON-lines file,
// Hugging Face's trainer_state.json, TensorBoard event files.
enum class MetricSourceKind { pattern, jsonl, hf_trainer_state, tensorboard };
// How a run's points become its one number.
enum class Reduce { last, min, max, mean_last_k };

// `pattern` is RE2 syntax, checked by config/metric_pattern.hpp when the file is read. For the
// other sources it stays the default pattern of `name`.
struct MetricSpec {
  std::string name = "val_loss";
  std::string pattern = "val_loss:\\s*" + number_pattern(); // one capture group
  Goal goal = Goal::minimize;
  MetricSourceKind source = MetricSourceKind::pattern;
  std::string file;              // jsonl: the file; hf_trainer_state: optional, else found under output_dir
  std::string key;               // jsonl, hf_trainer_state: the member read (default: name)
  std::string step_key = "step"; // jsonl
  std::string tag;               // tensorboard: the scalar's tag (default: name)
  std::string dir;               // tensorboard: where event files are searched (default: output_dir)
  Reduce reduce = Reduce::last;
  int reduce_k = 5; // mean_last_k
  bool primary = false;
};

// Seeds are 64-bit (0 to 9223372036854775807): they reach the command as decimal text.
struct SeedSets {
  std::vector<long long> baseline{42, 137, 256, 512, 1024};
  std::vector<long long> experiment{42, 137, 256};
  std::vector<long long> extension{512, 1024};
};

struct Paths {
  std::filesystem::path checkpoints; // default <dir>/checkpoints
  std::filesystem::path reports;     // default <dir>/docs/research
  std::filesystem::path state;       // default <dir>/.seedrun
};

struct SlurmOptions {
  std::filesystem::path template_path; // empty: the built-in default template
  std::string partition;
  std::string time;
  // Resources, each rendered as an #SBATCH line of the batch script (docs/slurm.md); empty or 0:
  // not asked for (Slurm's default). Values are single arguments, never shell text.
  std::string account;
  std::string qos;
  std::string gpus;      // --gpus: "1", "a100:2"
  int cpus_per_task = 0; // --cpus-per-task
  std::string mem;       // --mem: "16G"
  // Shell lines written verbatim into the batch script before the command (module load, source
  // .venv/bin/activate, conda activate): the user's own configuration, run by the job's shell.
  std::vector<std::string> setup;
  // With each array, a small job depending on it (--dependency=afterany) runs `seedrun refresh`
  // for that campaign on the cluster, so reports appear without cron or a waiting seedrun.
  bool refresh_job = true;
  std::vector<std::string> extra_args;
  int max_parallel = 1; // array throttle %N; 1 = sequential, as the seed asks
  // Preemption and time limits (docs/slurm.md "Checkpoint and resume"): requeue lets Slurm (or
  // the trainer, by `scontrol requeue`) start the same job again, its log appended to; signal
  // ("USR1@120") warns the trainer that many seconds before the end, so it can checkpoint.
  bool requeue = false;
  std::string signal; // <name or number>[@<seconds>], sent to the batch shell (the trainer: it execs)
  int max_retries = 2;
  bool retry_timeouts = false;
  int sacct_timeout_seconds = 30;
  std::string job_name_pattern = "seedrun-{project}-{campaign}-{arm}"; // {project} = name:
};

// How the assessment (stats/assessment.hpp) judges: docs/method.md explains each value.
struct VerdictOptions {
  int min_seeds = 2;                   // counted seeds per arm before any verdict
  double alpha = 0.05;                 // Welch/bootstrap confirmation and the detectable effect
  bool extend_when_unconfirmed = true; // a WINNER/LOSER that Welch or the CI does not back runs the extension seeds
};

struct Config {
  std::filesystem::path file; // the seedrun.yaml that was read (empty for defaults)
  std::filesystem::path dir;  // its directory: the working directory of every run
  std::string name = "seedrun";
  std::vector<std::string> command; // template with {seed} {train_tokens} {output_dir} {flags}
  long long train_tokens = 1000000;
  SeedSets seeds;
  MetricSpec metric;               // the primary metric (decides the verdict)
  std::vector<MetricSpec> metrics; // every metric, the primary among them (`metric:` = one entry)
  ExecutorKind executor = ExecutorKind::local;
  int parallel = 1;
  Paths paths;
  bool cleanup_checkpoints = true;
  // When the first seed of an arm fails within fail_fast_seconds, the arm's other seeds are not
  // run: the same command would fail the same way (a typo'd flag, a missing file).
  bool fail_fast = true;
  int fail_fast_seconds = 60;
  VerdictOptions verdict;
  SlurmOptions slurm;
  HealthOptions health; // `seedrun health` (health_options.hpp)
};

// Parses and validates YAML text. `origin` is the path shown in messages and used to resolve
// relative paths.
Config parse_config(const std::string& yaml_text, const std::filesystem::path& origin);

// Reads and parses a file.
Config load_config(const std::filesystem::path& file);

// seedrun.yaml in `start` or the nearest parent directory holding one.
std::optional<std::filesystem::path> find_config(const std::filesystem::path& start);

// "1M" for 1000000, "500K", "1.5M", "2B", "1234".
std::string scale_label(long long train_tokens);

// Expands the command template for one run. `{flags}` standing alone expands to the flags
// (zero or more arguments); flags are appended at the end when the template has no {flags}.
// Every value stays one argument: nothing is split or interpreted.
std::vector<std::string> expand_command(const std::vector<std::string>& tmpl, long long seed, long long train_tokens,
                                        const std::string& output_dir, const std::vector<std::string>& flags);

// Identity of "the same command at the same scale" (used to find a reusable baseline).
std::string command_key(const Config& config);

} // namespace seedrun::config
