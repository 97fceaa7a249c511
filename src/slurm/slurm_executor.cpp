#include "seedrun/slurm/slurm_executor.hpp"

#include "seedrun/slurm/batch_script.hpp"
#include "seedrun/slurm/job_names.hpp"
#include "seedrun/slurm/run_update.hpp"
#include "seedrun/slurm/sbatch_args.hpp"
#include "seedrun/store/run_lifecycle.hpp"
#include "seedrun/util/atomic_file.hpp"
#include "seedrun/util/error.hpp"
#include "seedrun/util/shell_words.hpp"
#include "seedrun/util/strings.hpp"

#include <algorithm>
#include <fmt/format.h>
#include <limits>
#include <map>
#include <set>
#include <spdlog/spdlog.h>

namespace seedrun::slurm {
namespace {

// Tasks in an --array spec we wrote: "0-4%1" → 5, "0-0%1" → 1.
size_t array_size(const std::string& spec) {
  auto dash = spec.find('-');
  auto end = spec.find('%');
  if (dash == std::string::npos) {
    return 1;
  }
  auto last = util::parse_int(spec.substr(dash + 1, end == std::string::npos ? std::string::npos : end - dash - 1));
  return last ? static_cast<size_t>(*last) + 1 : 1;
}

// Slurm job ids grow: order by length, then text ("99" < "100").
bool older_job_id(const std::string& a, const std::string& b) {
  return a.size() != b.size() ? a.size() < b.size() : a < b;
}

// What sbatch prints when Slurm refuses a --dependency. Some versions and sites refuse a job the
// controller no longer holds (it ended more than MinJobAge ago); 22.05 here accepts and ignores
// it (docs/slurm-dev.md).
constexpr std::string_view k_dependency_problem = "Job dependency problem";

// sacct --starttime is this long before the oldest submission asked about: room for clock
// differences between this machine and the controller, at no cost in the search.
constexpr auto k_starttime_margin = std::chrono::hours(24);

class SlurmExecutor final : public exec::Executor {
public:
  SlurmExecutor(const config::Config& cfg, std::unique_ptr<SlurmClient> client, SlurmExecutorOptions options)
      : m_cfg(cfg), m_client(std::move(client)), m_options(std::move(options)) {}

  std::string name() const override { return "slurm"; }
  bool attached() const override { return false; }

  void launch(store::Store& store, const store::Campaign& campaign, const std::string& arm, const std::string& phase,
              const std::vector<exec::RunLaunch>& runs, util::TimePoint now) override;
  void poll(store::Store& store, util::TimePoint now) override;
  void cancel(store::Store& store, const store::Campaign& campaign, store::CancelCause cause, const std::string& reason,
              util::TimePoint now) override;

private:
  // slurm.job_name_pattern (default seedrun-{project}-{campaign}-{arm}), rules checked.
  std::string job_name_for(const std::string& campaign, const std::string& arm) const {
    return format_job_name(m_cfg.slurm.job_name_pattern, m_cfg.name, campaign, arm);
  }

  std::string render_script(const store::Campaign& campaign, const std::string& arm,
                            const std::vector<ScriptTask>& tasks, const std::string& job_name) const;
  void reconcile_intents(store::Store& store, util::TimePoint now);
  std::vector<std::string> sbatch_args(const std::string& campaign_key) const;
  std::optional<std::string> array_to_follow(store::Store& store);
  bool job_finished(const std::string& job_id, util::TimePoint since);
  size_t max_array_tasks();
  size_t submit_room(size_t wanted);
  void launch_arrays(store::Store& store, const store::Campaign& campaign, const std::string& arm,
                     const std::string& phase, const std::vector<exec::RunLaunch>& runs, util::TimePoint now);
  void submit_refresh_job(store::Store& store, store::Submission& sub);
  std::string submit(SubmitRequest& req, store::Submission& sub);

  const config::Config& m_cfg;
  std::unique_ptr<SlurmClient> m_client;
  SlurmExecutorOptions m_options;
  bool m_said_no_accounting = false;
  util::TimePoint m_follow_since{};              // submission time of the array array_to_follow() chose
  bool m_chunking = false;                       // launching the parts of an array above MaxArraySize
  std::optional<std::string> m_chunk_after;      // the previous part
  std::optional<std::optional<int>> m_max_array; // asked once per process
};

std::vector<std::string> SlurmExecutor::sbatch_args(const std::string& campaign_key) const {
  return array_sbatch_args(m_cfg, load_campaign_sbatch_args(m_cfg.paths.state, campaign_key));
}

// "At most one of our arrays runs at a time" when max_parallel is 1: the newest array of this
// state directory (any campaign) that still has an unfinished task, as the store knows it
// after this step's poll. A new array waits for it with --dependency=afterany (afterany: a
// failed or cancelled baseline still releases the experiment, whose verdict then says why).
std::optional<std::string> SlurmExecutor::array_to_follow(store::Store& store) {
  if (m_cfg.slurm.max_parallel != 1) {
    return std::nullopt;
  }
  std::optional<std::string> newest;
  for (const auto& t : unfinished_runs(store)) {
    if (!newest || older_job_id(*newest, t.array_job_id())) {
      newest = t.array_job_id();
      m_follow_since = util::parse_iso8601(t.submitted_at()).value_or(util::Clock::now());
    }
  }
  return newest;
}

// Asks sacct whether every task of `job_id` has ended. No row at all counts as ended: neither
// the controller (which just refused the dependency) nor the accounting knows of it.
bool SlurmExecutor::job_finished(const std::string& job_id, util::TimePoint since) {
  auto result = m_client->query({job_id}, std::chrono::milliseconds(m_cfg.slurm.sacct_timeout_seconds * 1000LL),
                                since - k_starttime_margin);
  return std::all_of(result.rows.begin(), result.rows.end(), [&](const SacctRow& row) {
    bool ours = row.array_job_id == job_id || row.job_id == job_id || row.job_id_raw == job_id;
    return !ours || is_final(row.state);
  });
}

// sbatch, and once more without the dependency when Slurm refuses it because the job we
// follow has already ended (the store had not seen it end yet).
std::string SlurmExecutor::submit(SubmitRequest& req, store::Submission& sub) {
  try {
    return m_client->submit(req);
  } catch (const Error& e) {
    if (req.dependency.empty() || std::string_view(e.what()).find(k_dependency_problem) == std::string_view::npos) {
      throw;
    }
    std::string after = req.dependency.substr(req.dependency.find(':') + 1);
    if (!job_finished(after, m_follow_since)) {
      throw Error(fmt::format("{} (the dependency on job {}, which sacct still shows unfinished)", e.what(), after),
                  e.code());
    }
    spdlog::info("job {} has already ended; submitting {} without a dependency", after, sub.job_name);
    req.dependency.clear();
    sub.message = fmt::format("job {} had already ended: submitted without a dependency", after);
    return m_client->submit(req);
  }
}

std::string SlurmExecutor::render_script(const store::Campaign& campaign, const std::string& arm,
                                         const std::vector<ScriptTask>& tasks, const std::string& job_name) const {
  std::string tmpl =
      m_cfg.slurm.template_path.empty() ? default_template() : util::read_file(m_cfg.slurm.template_path);
  return render_batch_script(m_cfg, tmpl, {m_cfg.dir, campaign.key, arm, m_cfg.slurm.setup}, job_name, tasks);
}

// How many of `wanted` array tasks may be queued now without going over MaxSubmitJobs (sbatch
// refuses a whole array that would), keeping one job for the refresh job when there is one.
size_t SlurmExecutor::submit_room(size_t wanted) {
  auto limit = m_client->submit_limit(m_cfg.slurm.account, m_cfg.slurm.qos);
  if (!limit) {
    return wanted;
  }
  long long room = static_cast<long long>(limit->max_jobs) - limit->queued;
  if (m_cfg.slurm.refresh_job && !m_options.seedrun_binary.empty()) {
    --room;
  }
  auto allowed = static_cast<size_t>(std::clamp<long long>(room, 0, static_cast<long long>(wanted)));
  if (allowed < wanted) {
    spdlog::warn("MaxSubmitJobs is {} and {} of your jobs are queued: submitting {} of {} seeds now; the others "
                 "stay planned until a later refresh finds room",
                 limit->max_jobs, limit->queued, allowed, wanted);
  }
  return allowed;
}

void SlurmExecutor::launch(store::Store& store, const store::Campaign& campaign, const std::string& arm,
                           const std::string& phase, const std::vector<exec::RunLaunch>& runs, util::TimePoint now) {
  if (runs.empty()) {
    return;
  }
  // Under MaxSubmitJobs: what does not fit stays PLANNED; the tracker's next step (refresh, the
  // refresh job of this array, cron or a waiting seedrun) submits it when jobs have ended.
  size_t room = submit_room(runs.size());
  if (room == 0) {
    return;
  }
  if (room < runs.size()) {
    launch_arrays(store, campaign, arm, phase, {runs.begin(), runs.begin() + static_cast<std::ptrdiff_t>(room)}, now);
  } else {
    launch_arrays(store, campaign, arm, phase, runs, now);
  }
}

void SlurmExecutor::launch_arrays(store::Store& store, const store::Campaign& campaign, const std::string& arm,
                                  const std::string& phase, const std::vector<exec::RunLaunch>& runs,
                                  util::TimePoint now) {
  if (size_t limit = max_array_tasks(); runs.size() > limit) {
    // Above MaxArraySize: consecutive arrays of at most `limit` tasks, each after the previous
    // one (--dependency=afterany), so max_parallel still bounds what runs at once.
    m_chunking = true;
    m_chunk_after.reset();
    try {
      for (size_t first = 0; first < runs.size(); first += limit) {
        auto end = std::min(runs.size(), first + limit);
        std::vector<exec::RunLaunch> part(runs.begin() + static_cast<std::ptrdiff_t>(first),
                                          runs.begin() + static_cast<std::ptrdiff_t>(end));
        launch_arrays(store, campaign, arm, phase, part, now);
      }
    } catch (...) {
      m_chunking = false;
      throw;
    }
    m_chunking = false;
    return;
  }
  std::string job_name = job_name_for(campaign.key, arm);
  std::vector<ScriptTask> tasks;
  for (size_t i = 0; i < runs.size(); ++i) {
    tasks.push_back({static_cast<int>(i), runs[i].seed, runs[i].argv});
  }
  auto out_dir = m_cfg.paths.state / "slurm";
  std::filesystem::create_directories(out_dir);
  std::string array = fmt::format("0-{}%{}", runs.size() - 1, m_cfg.slurm.max_parallel);
  // 1. Intent first: a crash after sbatch but before step 3 is reconciled by job name later.
  store::Submission sub;
  sub.campaign_id = campaign.id;
  sub.arm = arm;
  sub.phase = phase;
  sub.job_name = job_name;
  sub.state = "INTENT";
  sub.array_spec = array;
  sub.created_at = util::iso8601(now);
  bool stale = false;
  store.transaction([&] {
    for (const auto& l : runs) { // another process may have submitted them since we looked
      auto r = store.run(l.run_id);
      stale = stale || !r || r->state != store::RunState::planned;
    }
    if (stale) {
      return;
    }
    sub.id = store.insert_submission(sub);
    for (size_t i = 0; i < runs.size(); ++i) {
      auto r = store.run(runs[i].run_id);
      store::mark_submitting(*r, sub.id, static_cast<int>(i));
      store.update_run(*r);
    }
  });
  if (stale) {
    spdlog::debug("runs of {} were submitted by another process; skipping", campaign.key);
    return;
  }
  auto script = m_cfg.paths.state / "jobs" / fmt::format("{}_{}_{}.sbatch", campaign.key, phase, sub.id);
  util::write_file_atomic(script, render_script(campaign, arm, tasks, job_name));
  SubmitRequest req;
  req.script = script;
  req.extra_args = sbatch_args(campaign.key);
  req.job_name = job_name;
  req.array = array;
  req.output = (out_dir / "%x_%A_%a.out").string();
  req.workdir = m_cfg.dir;
  std::string job_id;
  try {
    if (auto after = array_to_follow(store)) {
      req.dependency = "afterany:" + *after;
      sub.message = fmt::format("after job {} (--dependency=afterany, slurm.max_parallel 1)", *after);
    } else if (m_chunking && m_chunk_after) {
      req.dependency = "afterany:" + *m_chunk_after;
      m_follow_since = now;
      sub.message =
          fmt::format("after job {} (--dependency=afterany, the previous part above MaxArraySize)", *m_chunk_after);
    }
    job_id = submit(req, sub); // 2.
  } catch (const Error& e) {
    store.transaction([&] { // nothing is recorded as submitted that was not
      sub.state = "FAILED";
      sub.message = e.what();
      store.update_submission(sub);
      for (const auto& l : runs) {
        auto r = store.run(l.run_id);
        if (!r || r->state != store::RunState::submitting) {
          continue; // cancelled while sbatch ran
        }
        store::release_to_planned(*r);
        store.update_run(*r);
      }
    });
    throw Error(fmt::format("sbatch failed: {}", e.what()), ExitCode::failure);
  }
  int adopted = 0;
  store.transaction([&] { // 3.
    sub.state = "SUBMITTED";
    sub.job_id = job_id;
    store.update_submission(sub);
    adopted = adopt_submission(store, sub, m_cfg);
  });
  if (adopted == 0) { // every run was cancelled while sbatch ran: nothing wants the job
    m_client->cancel({job_id});
    return;
  }
  if (m_chunking) {
    m_chunk_after = job_id;
  }
  submit_refresh_job(store, sub);
}

size_t SlurmExecutor::max_array_tasks() {
  if (!m_max_array) {
    m_max_array = m_client->max_array_size();
    if (*m_max_array) {
      spdlog::debug("MaxArraySize {}", **m_max_array);
    }
  }
  return *m_max_array ? static_cast<size_t>(**m_max_array) : std::numeric_limits<size_t>::max();
}

// The job that moves the campaign forward once the array has ended (slurm.refresh_job): it
// runs `seedrun refresh --after-job <array>` on the cluster with minimal resources in the
// user's partition/account/qos. A failure to submit it is only a warning: cron or `seedrun
// wait` still work.
void SlurmExecutor::submit_refresh_job(store::Store& store, store::Submission& sub) {
  if (!m_cfg.slurm.refresh_job || m_options.seedrun_binary.empty() || !sub.job_id) {
    return;
  }
  auto script = m_cfg.paths.state / "jobs" / fmt::format("refresh_after_{}.sbatch", *sub.job_id);
  util::write_file_atomic(script, refresh_job_script(m_cfg, m_options.seedrun_binary, *sub.job_id));
  SubmitRequest req;
  req.script = script;
  req.job_name = job_name_for(store.find_campaign_by_id(sub.campaign_id)->key, "refresh");
  req.output = (m_cfg.paths.state / "slurm" / "%x_%j.out").string();
  req.workdir = m_cfg.dir;
  req.dependency = "afterany:" + *sub.job_id;
  req.extra_args = refresh_job_args(m_cfg);
  try {
    auto id = m_client->submit(req);
    sub.message = (sub.message ? *sub.message + "; " : std::string()) + fmt::format("refresh job {}", id);
    store.update_submission(sub);
  } catch (const Error& e) {
    spdlog::warn("could not submit the job that refreshes after job {} ({}); `seedrun wait`, `seedrun refresh` "
                 "or cron still move the campaign forward",
                 *sub.job_id, e.what());
  }
}

void SlurmExecutor::reconcile_intents(store::Store& store, util::TimePoint now) {
  std::vector<store::Submission> intents;
  for (const auto& s : store.submissions()) {
    if (s.state == "INTENT") {
      intents.push_back(s);
    }
  }
  if (intents.empty()) {
    return;
  }
  std::vector<std::string> names;
  util::TimePoint oldest = now;
  for (const auto& s : intents) {
    names.push_back(s.job_name);
    if (auto t = util::parse_iso8601(s.created_at)) {
      oldest = std::min(oldest, *t);
    }
  }
  auto found = m_client->query_by_name(names, oldest - std::chrono::minutes(1));
  // Jobs by id with their name and tasks. An intent may only adopt a job of its name that no
  // other submission owns and that has as many tasks as it asked for: the extension array has
  // the same name as the experiment's first array.
  struct Seen {
    std::string name;
    std::set<int> tasks;
  };
  // Oldest first.
  std::map<std::string, Seen, decltype(&older_job_id)> jobs(&older_job_id);
  for (const auto& row : found.rows) {
    if (row.placeholder) {
      continue;
    }
    std::string id =
        !row.array_job_id.empty() ? row.array_job_id : (row.job_id_raw.empty() ? row.job_id : row.job_id_raw);
    auto& seen = jobs[id];
    seen.name = row.name;
    if (row.array_task) {
      seen.tasks.insert(*row.array_task);
    }
    seen.tasks.insert(row.pending_tasks.begin(), row.pending_tasks.end());
  }
  std::set<std::string> claimed;
  for (const auto& s : store.submissions()) {
    if (s.job_id) {
      claimed.insert(*s.job_id);
    }
  }
  std::vector<std::string> unwanted; // adopted jobs whose runs were all cancelled meanwhile
  store.transaction([&] {
    for (auto& s : intents) {
      std::optional<std::string> job;
      size_t want = array_size(s.array_spec);
      for (const auto& [id, seen] : jobs) {
        if (seen.name == s.job_name && claimed.count(id) == 0 && (seen.tasks.empty() || seen.tasks.size() == want)) {
          job = id;
          break;
        }
      }
      auto created = util::parse_iso8601(s.created_at).value_or(now);
      if (job) {
        claimed.insert(*job);
        s.state = "SUBMITTED";
        s.job_id = *job;
        s.message = "reconciled by job name after an interrupted submission";
        store.update_submission(s);
        if (adopt_submission(store, s, m_cfg) == 0) {
          unwanted.push_back(*job);
        }
      } else if (now - created > m_options.intent_grace) {
        s.state = "FAILED";
        s.message = "sbatch never confirmed and no job of this name exists: runs planned again";
        store.update_submission(s);
        release_submission(store, s);
      }
    }
  });
  if (!unwanted.empty()) {
    m_client->cancel(unwanted);
  }
}

void SlurmExecutor::poll(store::Store& store, util::TimePoint now) {
  reconcile_intents(store, now);
  auto tracked = unfinished_runs(store);
  if (tracked.empty()) {
    return; // nothing unfinished: no sacct call at all
  }
  std::set<std::string> ids;
  std::set<std::string> names;
  util::TimePoint oldest = now;
  for (const auto& t : tracked) {
    ids.insert(t.array_job_id());
    names.insert(t.job_name());
    if (auto c = util::parse_iso8601(t.submitted_at())) {
      oldest = std::min(oldest, *c);
    }
  }
  auto timeout = std::chrono::milliseconds(m_cfg.slurm.sacct_timeout_seconds * 1000LL);
  QueryResult result = ids.size() <= m_options.max_ids_per_query
                           ? m_client->query({ids.begin(), ids.end()}, timeout, oldest - k_starttime_margin)
                           : m_client->query_by_name({names.begin(), names.end()}, oldest - std::chrono::minutes(1));
  if (result.accounting_disabled) {
    if (!m_said_no_accounting) {
      spdlog::warn("Slurm accounting storage is disabled: tracking with squeue and the job output files");
      m_said_no_accounting = true;
    }
    auto sq = m_client->squeue({ids.begin(), ids.end()});
    store.transaction([&] { apply_squeue(store, tracked, sq, now); });
    return;
  }
  store.transaction([&] { apply_sacct(store, tracked, result.rows, now); });
}

void SlurmExecutor::cancel(store::Store& store, const store::Campaign& campaign, store::CancelCause cause,
                           const std::string& reason, util::TimePoint now) {
  std::vector<std::string> ids;
  std::vector<store::Run> to_mark;
  for (const auto& r : store.runs(campaign.id)) {
    if (store::is_final(r.state) || r.state == store::RunState::planned) {
      continue;
    }
    if (r.job_id) {
      ids.push_back(*r.job_id);
    }
    to_mark.push_back(r);
  }
  m_client->cancel(ids);
  store.transaction([&] {
    for (auto r : to_mark) {
      store::mark_cancelled(r, cause, reason, now);
      store.update_run(r);
    }
  });
}

} // namespace

std::vector<std::string> array_sbatch_args(const config::Config& cfg, const std::vector<std::string>& campaign_args) {
  std::vector<std::string> args;
  if (!cfg.slurm.partition.empty()) {
    args.push_back("--partition=" + cfg.slurm.partition);
  }
  if (!cfg.slurm.time.empty()) {
    args.push_back("--time=" + cfg.slurm.time);
  }
  if (cfg.slurm.requeue) {
    // A requeued job writes to the same output file: appended, the tracker goes on reading it
    // where it stopped; truncated, it would look like a replaced log and the seed would not count.
    args.emplace_back("--requeue");
    args.emplace_back("--open-mode=append");
  } else {
    args.emplace_back("--no-requeue");
  }
  if (!cfg.slurm.signal.empty()) {
    args.push_back("--signal=B:" + cfg.slurm.signal); // B: the batch shell, which execs the trainer
  }
  args.insert(args.end(), cfg.slurm.extra_args.begin(), cfg.slurm.extra_args.end());
  args.insert(args.end(), campaign_args.begin(), campaign_args.end());
  return args;
}

std::vector<std::string> refresh_job_args(const config::Config& cfg) {
  std::vector<std::string> args;
  if (!cfg.slurm.partition.empty()) {
    args.push_back("--partition=" + cfg.slurm.partition);
  }
  if (!cfg.slurm.account.empty()) {
    args.push_back("--account=" + cfg.slurm.account);
  }
  if (!cfg.slurm.qos.empty()) {
    args.push_back("--qos=" + cfg.slurm.qos);
  }
  for (const char* a : {"--time=00:15:00", "--ntasks=1", "--cpus-per-task=1", "--mem=512M", "--no-requeue"}) {
    args.emplace_back(a);
  }
  return args;
}

std::string refresh_job_script(const config::Config& cfg, const std::string& seedrun_binary,
                               const std::string& job_id) {
  return fmt::format("#!/bin/sh\n"
                     "# seedrun: runs once job {0} has ended (--dependency=afterany). It moves every active\n"
                     "# campaign forward (reports, extension seeds, retries) without cron or a waiting seedrun,\n"
                     "# refreshing until sacct shows the tasks of job {0} final.\n"
                     "cd {1} || exit 1\n"
                     "exec {2} --config {3} refresh --after-job {0}\n",
                     job_id, util::shell_quote(cfg.dir.string()), util::shell_quote(seedrun_binary),
                     util::shell_quote(std::filesystem::absolute(cfg.file).string()));
}

SubmissionPreview preview_submission(const config::Config& cfg, const std::string& campaign_key, const std::string& arm,
                                     const std::vector<ScriptTask>& tasks,
                                     const std::vector<std::string>& campaign_args) {
  SubmissionPreview p;
  std::string job_name = format_job_name(cfg.slurm.job_name_pattern, cfg.name, campaign_key, arm);
  std::string tmpl = cfg.slurm.template_path.empty() ? default_template() : util::read_file(cfg.slurm.template_path);
  p.script = render_batch_script(cfg, tmpl, {cfg.dir, campaign_key, arm, cfg.slurm.setup}, job_name, tasks);
  SubmitRequest req;
  req.script = cfg.paths.state / "jobs" / fmt::format("{}_<phase>_<n>.sbatch", campaign_key);
  req.extra_args = array_sbatch_args(cfg, campaign_args);
  req.job_name = job_name;
  req.array = fmt::format("0-{}%{}", tasks.empty() ? 0 : tasks.size() - 1, cfg.slurm.max_parallel);
  req.output = (cfg.paths.state / "slurm" / "%x_%A_%a.out").string();
  req.workdir = cfg.dir;
  p.sbatch_argv = sbatch_argv("sbatch", req);
  return p;
}

std::unique_ptr<exec::Executor> make_slurm_executor(const config::Config& cfg, std::unique_ptr<SlurmClient> client,
                                                    SlurmExecutorOptions options) {
  return std::make_unique<SlurmExecutor>(cfg, std::move(client), std::move(options));
}

std::unique_ptr<exec::Executor> make_slurm_executor(const config::Config& cfg, exec::ProcessRunner& runner) {
  SlurmClientOptions o;
  if (const char* p = std::getenv("SEEDRUN_SBATCH")) {
    o.sbatch = p;
  }
  if (const char* p = std::getenv("SEEDRUN_SACCT")) {
    o.sacct = p;
  }
  if (const char* p = std::getenv("SEEDRUN_SQUEUE")) {
    o.squeue = p;
  }
  if (const char* p = std::getenv("SEEDRUN_SCANCEL")) {
    o.scancel = p;
  }
  if (const char* p = std::getenv("SEEDRUN_SCONTROL")) {
    o.scontrol = p;
  }
  if (const char* p = std::getenv("SEEDRUN_SACCTMGR")) {
    o.sacctmgr = p;
  }
  o.timeout = std::chrono::seconds(cfg.slurm.sacct_timeout_seconds);
  SlurmExecutorOptions eo;
  std::error_code ec;
  auto self = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    eo.seedrun_binary = self.string();
  }
  if (const char* g = std::getenv("SEEDRUN_INTENT_GRACE_SECONDS")) { // for tests of crash recovery
    eo.intent_grace = std::chrono::seconds(std::atoi(g));
  }
  return make_slurm_executor(cfg, make_slurm_client(runner, o), eo);
}

} // namespace seedrun::slurm
