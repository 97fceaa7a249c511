#include "seedrun/exec/local_executor.hpp"

#include "seedrun/store/run_lifecycle.hpp"
#include "seedrun/util/error.hpp"

#include <csignal>
#include <fmt/format.h>
#include <spdlog/spdlog.h>

namespace seedrun::exec {
namespace {

using namespace std::chrono_literals;

void finish_run(store::Store& store, long long run_id, const ExitStatus& st, double wall, util::TimePoint now) {
  auto run = store.run(run_id);
  if (!run) {
    return;
  }
  store::mark_exited(*run, {st.signaled, st.signal, st.exit_code, wall}, now);
  store.update_run(*run);
}

} // namespace

LocalExecutor::LocalExecutor(ProcessRunner& runner, std::filesystem::path workdir, int parallel)
    : m_runner(runner), m_workdir(std::move(workdir)), m_parallel(std::max(1, parallel)) {}

LocalExecutor::~LocalExecutor() {
  for (auto& [id, a] : m_running) {
    a.process->terminate(2s);
  }
}

void LocalExecutor::launch(store::Store& store, const store::Campaign& campaign, const std::string& arm,
                           const std::string& /*phase*/, const std::vector<RunLaunch>& runs, util::TimePoint now) {
  for (const auto& l : runs) {
    auto run = store.run(l.run_id);
    if (!run) {
      continue;
    }
    store::mark_pending(*run);
    store.update_run(*run);
    m_queue.push_back({l, campaign.id, campaign.key, arm});
  }
  start_queued(store, now);
}

void LocalExecutor::start_queued(store::Store& store, util::TimePoint now) {
  while (!m_queue.empty() && static_cast<int>(m_running.size()) < m_parallel) {
    Queued q = std::move(m_queue.front());
    m_queue.pop_front();
    auto run = store.run(q.launch.run_id);
    if (!run) {
      continue;
    }
    std::error_code ec;
    std::filesystem::create_directories(q.launch.log_path.parent_path(), ec);
    std::filesystem::remove(q.launch.log_path, ec); // a fresh attempt starts a fresh log
    std::filesystem::create_directories(q.launch.output_dir.parent_path(), ec);
    ProcessRequest req;
    req.argv = q.launch.argv;
    req.cwd = m_workdir;
    req.env["SEEDRUN_SEED"] = std::to_string(q.launch.seed); // the same three as on Slurm (batch_script.cpp)
    req.env["SEEDRUN_CAMPAIGN"] = q.campaign_key;
    req.env["SEEDRUN_ARM"] = q.arm;
    req.env["PYTHONUNBUFFERED"] = "1";
    run->log_path = q.launch.log_path.string();
    run->log_offset = 0;
    run->log_identity.reset();
    try {
      auto proc = m_runner.spawn(req, q.launch.log_path);
      store::mark_started(*run, now);
      store.update_run(*run);
      spdlog::debug("started run {} (seed {}) pid {}", run->id, run->seed, proc->pid());
      m_running.emplace(run->id, Active{std::move(proc), std::chrono::steady_clock::now(), q.campaign_id});
    } catch (const Error& e) {
      store::mark_start_failed(*run, e.what(), now);
      store.update_run(*run);
    }
  }
}

void LocalExecutor::poll(store::Store& store, util::TimePoint now) {
  for (auto it = m_running.begin(); it != m_running.end();) {
    auto st = it->second.process->poll();
    if (!st) {
      ++it;
      continue;
    }
    double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - it->second.started).count();
    finish_run(store, it->first, *st, wall, now);
    it = m_running.erase(it);
  }
  start_queued(store, now);
}

void LocalExecutor::cancel(store::Store& store, const store::Campaign& campaign, store::CancelCause cause,
                           const std::string& reason, util::TimePoint now) {
  for (auto it = m_running.begin(); it != m_running.end();) {
    if (it->second.campaign_id != campaign.id) {
      ++it;
      continue;
    }
    it->second.process->terminate(5s);
    auto run = store.run(it->first);
    if (run) {
      store::mark_cancelled(*run, cause, reason, now);
      run->wall_time = std::chrono::duration<double>(std::chrono::steady_clock::now() - it->second.started).count();
      store.update_run(*run);
    }
    it = m_running.erase(it);
  }
  std::deque<Queued> keep;
  for (auto& q : m_queue) {
    if (q.campaign_id != campaign.id) {
      keep.push_back(std::move(q));
      continue;
    }
    auto run = store.run(q.launch.run_id);
    if (run) {
      store::mark_cancelled(*run, cause, reason + " (before it started)");
      store.update_run(*run);
    }
  }
  m_queue = std::move(keep);
}

double LocalExecutor::elapsed_seconds(long long run_id) const {
  auto it = m_running.find(run_id);
  if (it == m_running.end()) {
    return -1;
  }
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - it->second.started).count();
}

} // namespace seedrun::exec
