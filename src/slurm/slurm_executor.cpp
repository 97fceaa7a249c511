#include "seedrun/slurm/slurm_executor.hpp"

#include "seedrun/slurm/batch_script.hpp"
#include "seedrun/slurm/job_names.hpp"
#include "seedrun/slurm/run_update.hpp"
#include "seedrun/util/atomic_file.hpp"
#include "seedrun/util/error.hpp"
#include "seedrun/util/strings.hpp"

#include <algorithm>
#include <map>
#include <set>

#include <fmt/format.h>
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

class SlurmExecutor final : public exec::Executor {
public:
  SlurmExecutor(const config::Config& cfg, std::unique_ptr<SlurmClient> client, SlurmExecutorOptions options)
    : m_cfg(cfg), m_client(std::move(client)), m_options(options) {}

  std::string name() const override { return "slurm"; }
  bool attached() const override { return false; }

  void launch(store::Store& store, const store::Campaign& campaign, const std::string& arm, const std::string& phase,
              const std::vector<exec::RunLaunch>& runs, util::TimePoint now) override;
  void poll(store::Store& store, util::TimePoint now) override;
  void cancel(store::Store& store, const store::Campaign& campaign, const std::string& reason,
              util::TimePoint now) override;

private:
  // The configured pattern (default seedrun-{campaign}-{arm}), with the job-name rules checked.
  std::string job_name_for(const std::string& campaign, const std::string& arm) const {
    if (auto problem = job_name_problem(campaign, arm)) {
      throw UsageError(*problem);
    }
    std::string name = m_cfg.slurm.job_name_pattern;
    for (auto [ph, value] : {std::pair<std::string, std::string>{"{campaign}", campaign}, {"{arm}", arm}}) {
      for (auto pos = name.find(ph); pos != std::string::npos; pos = name.find(ph, pos + value.size())) {
        name.replace(pos, ph.size(), value);
      }
    }
    return name;
  }

  std::string render_script(const store::Campaign& campaign, const std::string& arm,
                            const std::vector<ScriptTask>& tasks, const std::string& job_name) const;
  void reconcile_intents(store::Store& store, util::TimePoint now);
  std::vector<std::string> sbatch_args() const;
  std::optional<std::string> array_to_follow(store::Store& store) const;
  bool job_finished(const std::string& job_id);
  std::string submit(SubmitRequest& req, store::Submission& sub);

  const config::Config& m_cfg;
  std::unique_ptr<SlurmClient> m_client;
  SlurmExecutorOptions m_options;
  bool m_said_no_accounting = false;
};

std::vector<std::string> SlurmExecutor::sbatch_args() const {
  std::vector<std::string> args;
  if (!m_cfg.slurm.partition.empty()) {
    args.push_back("--partition=" + m_cfg.slurm.partition);
  }
  if (!m_cfg.slurm.time.empty()) {
    args.push_back("--time=" + m_cfg.slurm.time);
  }
  args.push_back(m_cfg.slurm.requeue ? "--requeue" : "--no-requeue");
  args.insert(args.end(), m_cfg.slurm.extra_args.begin(), m_cfg.slurm.extra_args.end());
  return args;
}

// "At most one of our arrays runs at a time" when max_parallel is 1: the newest array of this
// state directory (any campaign) that still has an unfinished task, as the store knows it
// after this step's poll. A new array waits for it with --dependency=afterany (afterany: a
// failed or cancelled baseline still releases the experiment, whose verdict then says why).
std::optional<std::string> SlurmExecutor::array_to_follow(store::Store& store) const {
  if (m_cfg.slurm.max_parallel != 1) {
    return std::nullopt;
  }
  std::optional<std::string> newest;
  for (const auto& t : unfinished_runs(store)) {
    if (!newest || older_job_id(*newest, t.array_job_id)) {
      newest = t.array_job_id;
    }
  }
  return newest;
}

// Asks sacct whether every task of `job_id` has ended. No row at all counts as ended: neither
// the controller (which just refused the dependency) nor the accounting knows of it.
bool SlurmExecutor::job_finished(const std::string& job_id) {
  auto result = m_client->query({job_id}, std::chrono::milliseconds(m_cfg.slurm.sacct_timeout_seconds * 1000LL));
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
    if (!job_finished(after)) {
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
  std::string tmpl = m_cfg.slurm.template_path.empty() ? default_template() : util::read_file(m_cfg.slurm.template_path);
  std::map<std::string, std::string> values{{"partition", m_cfg.slurm.partition},
                                            {"time", m_cfg.slurm.time},
                                            {"campaign", campaign.key},
                                            {"arm", arm},
                                            {"job_name", job_name}};
  return render_template(tmpl, values, task_commands(m_cfg.dir, tasks));
}

void SlurmExecutor::launch(store::Store& store, const store::Campaign& campaign, const std::string& arm,
                           const std::string& phase, const std::vector<exec::RunLaunch>& runs, util::TimePoint now) {
  if (runs.empty()) {
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
      stale = stale || !r || r->state != store::run_state::planned;
    }
    if (stale) {
      return;
    }
    sub.id = store.insert_submission(sub);
    for (size_t i = 0; i < runs.size(); ++i) {
      auto r = store.run(runs[i].run_id);
      r->state = store::run_state::submitting;
      r->submission_id = sub.id;
      r->array_index = static_cast<int>(i);
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
  req.extra_args = sbatch_args();
  req.job_name = job_name;
  req.array = array;
  req.output = (out_dir / "%x_%A_%a.out").string();
  req.workdir = m_cfg.dir;
  std::string job_id;
  try {
    if (auto after = array_to_follow(store)) {
      req.dependency = "afterany:" + *after;
      sub.message = fmt::format("after job {} (--dependency=afterany, slurm.max_parallel 1)", *after);
    }
    job_id = submit(req, sub); // 2.
  } catch (const Error& e) {
    store.transaction([&] { // nothing is recorded as submitted that was not
      sub.state = "FAILED";
      sub.message = e.what();
      store.update_submission(sub);
      for (const auto& l : runs) {
        auto r = store.run(l.run_id);
        if (!r || r->state != store::run_state::submitting) {
          continue; // cancelled while sbatch ran
        }
        r->state = store::run_state::planned;
        r->submission_id.reset();
        r->array_index.reset();
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
    std::string id = !row.array_job_id.empty() ? row.array_job_id : (row.job_id_raw.empty() ? row.job_id : row.job_id_raw);
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
    ids.insert(t.array_job_id);
    names.insert(t.job_name);
    if (auto c = util::parse_iso8601(t.submitted_at)) {
      oldest = std::min(oldest, *c);
    }
  }
  auto timeout = std::chrono::milliseconds(m_cfg.slurm.sacct_timeout_seconds * 1000LL);
  QueryResult result = ids.size() <= m_options.max_ids_per_query
                           ? m_client->query({ids.begin(), ids.end()}, timeout)
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

void SlurmExecutor::cancel(store::Store& store, const store::Campaign& campaign, const std::string& reason,
                           util::TimePoint now) {
  std::vector<std::string> ids;
  std::vector<store::Run> to_mark;
  for (const auto& r : store.runs(campaign.id)) {
    if (store::is_final_run_state(r.state) || r.state == store::run_state::planned) {
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
      r.state = store::run_state::cancelled;
      r.reason = reason;
      r.ended_at = util::iso8601(now);
      store.update_run(r);
    }
  });
}

} // namespace

std::unique_ptr<exec::Executor> make_slurm_executor(const config::Config& cfg, std::unique_ptr<SlurmClient> client,
                                                    SlurmExecutorOptions options) {
  return std::make_unique<SlurmExecutor>(cfg, std::move(client), options);
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
  o.timeout = std::chrono::seconds(cfg.slurm.sacct_timeout_seconds);
  SlurmExecutorOptions eo;
  if (const char* g = std::getenv("SEEDRUN_INTENT_GRACE_SECONDS")) { // for tests of crash recovery
    eo.intent_grace = std::chrono::seconds(std::atoi(g));
  }
  return make_slurm_executor(cfg, make_slurm_client(runner, o), eo);
}

} // namespace seedrun::slurm
