#pragma once
// The seedrun store: one SQLite file at <state>/seedrun.db holding campaigns, runs (one row per
// attempt of a seed), metric points read from logs, and Slurm submissions. Every mutating
// method runs in a transaction; a caller that needs several changes to land together wraps
// them in Store::transaction(). The schema is versioned with PRAGMA user_version and migrated
// forward on open (src/store/migrations.cpp).
#include "seedrun/store/domain.hpp"
#include "seedrun/store/sqlite.hpp"
#include "seedrun/util/time.hpp"

#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace seedrun::store {

struct Campaign {
  long long id = 0;
  std::string key;  // unique: <name>_<scale>
  std::string name; // "baseline" or the experiment's name
  std::string kind; // "baseline" | "experiment"
  std::vector<std::string> flags;
  // The link between an experiment and its baseline: a baseline's key (its identity key; for
  // baselines recorded before identities, the hash of command, scale and metric), and for an
  // experiment the key of the baseline it is judged against. find_baseline() looks it up.
  std::string command_key;
  std::vector<std::string> command;
  long long train_tokens = 0;
  std::string metric;
  Goal goal = Goal::minimize;
  std::string executor;
  CampaignState state = CampaignState::active;
  std::optional<std::string> verdict;
  std::string config_path;
  util::TimePoint created_at;
  util::TimePoint updated_at;
  // Which code the campaign ran (track/baseline_identity.hpp): the 16-hex key and the JSON
  // document (command, file hashes, git state, executor). Absent for campaigns recorded before
  // seedrun kept identities.
  std::optional<std::string> identity_key;
  std::optional<std::string> identity;
  // Absent: ran here. "imported:<path>": read back from a report's JSON twin.
  std::optional<std::string> origin;
};

struct Run {
  long long id = 0;
  long long campaign_id = 0;
  std::string arm; // "baseline" | "experiment"
  long long seed = 0;
  std::string phase; // "initial" | "extension"
  int attempt = 1;
  bool superseded = false; // a later attempt replaced this one
  RunState state = RunState::planned;
  std::optional<std::string> reason;
  std::optional<CancelCause> cancel_cause; // set with state CANCELLED
  std::optional<int> exit_code;
  std::optional<int> signal;
  // Seconds precision, as stored (ISO 8601 text in the database, parsed once when read).
  std::optional<util::TimePoint> started_at;
  std::optional<util::TimePoint> ended_at;
  std::optional<double> wall_time;
  std::string log_path;
  long long log_offset = 0;
  std::optional<std::string> log_identity; // inode:device of the log when last read
  bool log_done = false;                   // the whole log of a finished run has been read
  std::optional<std::string> warning;      // e.g. the log was truncated and re-read
  // The log vanished or was replaced while the run was live: the last value read may not be the
  // trainer's last, so the run is listed but not counted.
  bool metric_unreliable = false;
  std::string output_dir;
  // Whether output_dir existed before seedrun planned this run (nullopt: recorded before
  // seedrun kept this). Only directories seedrun created are ever removed.
  std::optional<bool> output_dir_preexisted;
  bool checkpoint_cleaned = false;
  std::optional<long long> submission_id;
  std::optional<int> array_index;
  std::optional<std::string> job_id;
  std::optional<double> final_metric; // last value of the campaign's metric, if any
};

struct MetricPoint {
  std::optional<long long> step;
  std::string name;
  double value = 0; // may be non-finite
};

struct Submission {
  long long id = 0;
  long long campaign_id = 0;
  std::string arm;
  std::string phase;
  std::string job_name;
  std::string state; // INTENT | SUBMITTED | FAILED
  std::optional<std::string> job_id;
  std::string array_spec;
  std::string created_at;
  std::optional<std::string> message;
};

class Store {
public:
  // Opens or creates <state_dir>/seedrun.db, migrating the schema. Uses WAL on local
  // filesystems and a rollback journal on network filesystems (NFS, Lustre, GPFS, BeeGFS).
  static std::unique_ptr<Store> open(const std::filesystem::path& state_dir);

  void transaction(const std::function<void()>& fn) { m_db.transaction(fn); }
  Database& db() { return m_db; }
  const std::string& journal_mode() const { return m_journal_mode; }
  const std::string& filesystem() const { return m_filesystem; }

  // Campaigns
  std::optional<Campaign> find_campaign(const std::string& key_or_name);
  std::optional<Campaign> find_campaign_by_id(long long id);
  std::optional<Campaign> find_baseline(const std::string& command_key, long long train_tokens);
  // The newest baseline at this scale whose identity key is `identity_key`.
  std::optional<Campaign> find_baseline_by_identity(const std::string& identity_key, long long train_tokens);
  // Records the identity of a campaign (a baseline recorded before identities, adopted).
  void set_campaign_identity(long long id, const std::string& identity_key, const std::string& identity);
  std::vector<Campaign> campaigns();
  long long insert_campaign(const Campaign& c);
  // Only track/lifecycle.cpp calls this: the campaign transitions live there.
  void set_campaign_state(long long id, CampaignState state, const std::optional<std::string>& verdict,
                          util::TimePoint now);

  // Runs: current() excludes superseded attempts.
  std::vector<Run> runs(long long campaign_id, bool include_superseded = false);
  std::optional<Run> run(long long run_id);
  // Current attempts Slurm has not finished (PENDING, RUNNING, REQUEUED, SUSPENDED) of every
  // campaign, each handed to `fn` as it is read, in no particular order. An idle tick reads
  // these through the index on state, not every run ever stored (100,000 finished runs:
  // 0.5-1.1 s and 128 MB before), and a caller that keeps a part of each need not hold every
  // whole run at once.
  void each_waiting_run(const std::function<void(Run&&)>& fn);
  int count_waiting_runs(); // how many each_waiting_run hands over
  // The current attempts of a campaign in `state` (PLANNED ones to launch): a steady refresh of
  // 10,000 running runs need not read them all again to find none.
  std::vector<Run> runs_in_state(long long campaign_id, RunState state);
  // At most `limit` current attempts of a campaign with an id above `after_id`, by id: a
  // refresh walks 100,000 runs a page at a time instead of holding them all.
  std::vector<Run> runs_after(long long campaign_id, long long after_id, int limit);
  int count_runs(long long campaign_id, bool include_superseded = false);
  // True when a current attempt of the campaign was interrupted (run_lifecycle's interrupted():
  // CANCELLED with a cause is_interruption() names): one query, no run read.
  bool has_interrupted_runs(long long campaign_id);
  // True when every current attempt of the campaign has ended and its log was read to the end
  // (log_done): one EXISTS query, no run read.
  bool settled(long long campaign_id);
  long long insert_run(const Run& r);
  void update_run(const Run& r); // every mutable column
  // What the scheduler says of a run (state, cancel cause, start, end, wall time, exit code,
  // signal, reason), written only if the stored run is still a current attempt in `expected`
  // state: a compare-and-set, so an answer asked for before `seedrun cancel` ran in another
  // terminal cannot undo the cancel, and no run has to be read back first. False when it was not.
  bool update_scheduler_state(const Run& r, RunState expected);
  void supersede_run(long long run_id);

  // Appends points read from a log and moves the log offset in one transaction, so a crash
  // can neither lose nor duplicate points.
  void append_metrics(long long run_id, const std::vector<MetricPoint>& points, long long new_offset,
                      const std::optional<std::string>& log_identity);
  // Forgets the points read from a run's log (it was truncated or replaced) and resets the
  // offset. Points of metrics read from files (those with a cursor, below) stay: their files
  // did not go back.
  void reset_metrics(long long run_id);
  // The log's last read: its offset and identity, and log_done (nothing of it is read again).
  void finish_log(long long run_id, long long offset, const std::optional<std::string>& log_identity);
  // The cursor a file source of the run (metric `name`) returned last, as text; nullopt when
  // it was never read.
  std::optional<std::string> metric_cursor(long long run_id, const std::string& name);
  // Stores points read from a file source and its new cursor in one transaction (a crash can
  // neither lose nor duplicate points). `reset`: the source went back, so the metric's earlier
  // points are forgotten first.
  void append_source_points(long long run_id, const std::string& name, const std::vector<MetricPoint>& points,
                            const std::string& cursor, bool reset);
  // The last value of every metric of a run (by name, in name order): what `status` shows.
  std::vector<MetricPoint> latest_metric_points(long long run_id);
  std::vector<MetricPoint> metric_points(long long run_id, const std::string& name);

  // Slurm submissions
  long long insert_submission(const Submission& s);
  void update_submission(const Submission& s);
  std::vector<Submission> submissions(std::optional<long long> campaign_id = std::nullopt);

private:
  explicit Store(const std::filesystem::path& db_path) : m_db(db_path) {}
  std::string m_journal_mode;
  std::string m_filesystem;
  Database m_db;
};

} // namespace seedrun::store
