#pragma once
// Subcommand handlers and their plain option structs. A handler never sees argv; it returns
// the process exit code and writes results to stdout, diagnostics to stderr.
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace seedrun::cli {

struct GlobalOptions {
  std::optional<std::filesystem::path> config; // --config FILE
  bool verbose = false;
  bool quiet = false;
};

struct RunOptions { // baseline, experiment
  bool force = false;
  bool reuse_baseline = false; // judge against a complete baseline of other code (docs/method.md)
  std::vector<std::string> flags;
  std::optional<std::string> name;
  bool no_wait = false;                   // Slurm: submit and return
  bool dry_run = false;                   // print what every seed would run; start nothing, store nothing
  std::optional<std::string> sample_line; // --dry-run: check the metric pattern against it
  std::vector<std::string> sbatch_args;   // Slurm: --sbatch-arg values for this campaign's arrays
};

struct StatusOptions {
  bool json = false;
  bool verbose = false;
  bool health = false; // each started run's training-health findings (docs/health.md)
  std::optional<std::string> campaign;
};

struct ReportOptions {
  std::optional<std::string> campaign;
};

struct CompareOptions {
  std::string baseline;
  std::string experiment;
  bool higher_is_better = false;
  bool json = false;
};

struct CampaignOptions { // refresh, cancel, wait, retry
  std::optional<std::string> campaign;
  std::optional<long long> seed;
  int timeout_seconds = 0;              // wait: 0 = no limit
  std::optional<std::string> after_job; // refresh: the refresh job's array (cmd_refresh_after.cpp)
  int settle_timeout_seconds = 600;     // refresh --after-job: give up waiting for sacct after this
};

struct PlanOptions {
  std::optional<double> sigma;        // σ of the metric; default: the stored baseline's
  std::optional<double> effect;       // in metric units
  std::optional<double> effect_sigma; // in σ
  double power = 0.8;
  bool json = false;
};

struct EvalLogOptions {
  std::filesystem::path file;
  bool binary = false;
  bool json = false;
};

struct RatingsOptions {
  std::filesystem::path matches;
  std::string fixed;    // "base_model,chaos_bot" or "base_model=1000,chaos_bot=850"
  int bootstrap = 1000; // resamples; 0: no intervals
  unsigned long long seed = 20240601;
  bool json = false;
  std::filesystem::path output; // also write ratings.json, ratings.md and the SVG here
};

struct HealthCheckOptions {
  std::vector<std::string> targets;        // CAMPAIGN or CAMPAIGN:SEED (none: every campaign)
  std::vector<std::filesystem::path> dirs; // --dir: folders holding metrics.jsonl / events.jsonl
  std::string last;                        // --last 6h: only events this recent
  bool json = false;
};

struct DirOptions { // summarize, analyze
  std::vector<std::string> targets;
  bool html = false;
  std::string curves;            // analyze: band | lines ("": band, lines for a sweep)
  std::string sweep;             // analyze: the prefix of the campaigns compared (--sweep)
  std::filesystem::path matches; // analyze: game results for a Ratings section
  std::string fixed;             // analyze --matches: fixed references, as seedrun ratings --fixed
  int bootstrap = 1000;          // analyze --matches: bootstrap resamples (0: none)
  std::string metric;            // analyze: the metric arms are ranked on
  std::string task;              // analyze: the task compared (experiment directories)
  std::string heatmap;           // analyze: "param1,param2"
  std::filesystem::path output;  // analyze: output directory
};

int run_baseline(const GlobalOptions& g, const RunOptions& o);
int run_experiment(const GlobalOptions& g, const RunOptions& o);
int run_status(const GlobalOptions& g, const StatusOptions& o);
int run_report(const GlobalOptions& g, const ReportOptions& o);
int run_compare(const GlobalOptions& g, const CompareOptions& o);
int run_refresh(const GlobalOptions& g, const CampaignOptions& o);
int run_refresh_after_job(const GlobalOptions& g, const CampaignOptions& o);
int run_cancel(const GlobalOptions& g, const CampaignOptions& o);
int run_wait(const GlobalOptions& g, const CampaignOptions& o);
int run_retry(const GlobalOptions& g, const CampaignOptions& o);
int run_cron(const GlobalOptions& g);
int run_plan(const GlobalOptions& g, const PlanOptions& o);
int run_eval_log(const GlobalOptions& g, const EvalLogOptions& o);
int run_summarize(const GlobalOptions& g, const DirOptions& o);
int run_analyze(const GlobalOptions& g, const DirOptions& o);
int run_ratings(const GlobalOptions& g, const RatingsOptions& o);
int run_health(const GlobalOptions& g, const HealthCheckOptions& o);

} // namespace seedrun::cli
