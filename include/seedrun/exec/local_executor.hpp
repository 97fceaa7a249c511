#pragma once
// Runs training commands as child processes of seedrun, at most `parallel` at a time, each
// with stdout+stderr appended to its log file and its own process group. Queued runs wait in
// state PENDING. Wall time is measured with a monotonic clock.
#include "seedrun/exec/executor.hpp"
#include "seedrun/exec/process_runner.hpp"

#include <chrono>
#include <deque>
#include <map>
#include <memory>

namespace seedrun::exec {

class LocalExecutor final : public Executor {
public:
  LocalExecutor(ProcessRunner& runner, std::filesystem::path workdir, int parallel);
  ~LocalExecutor() override;

  std::string name() const override { return "local"; }
  void launch(store::Store& store, const store::Campaign& campaign, const std::string& arm, const std::string& phase,
              const std::vector<RunLaunch>& runs, util::TimePoint now) override;
  void poll(store::Store& store, util::TimePoint now) override;
  void cancel(store::Store& store, const store::Campaign& campaign, store::CancelCause cause, const std::string& reason,
              util::TimePoint now) override;
  bool attached() const override { return true; }

  // Runs started or queued by this process and not yet finished.
  size_t active() const { return m_running.size() + m_queue.size(); }
  // Seconds since the run started, for progress display; negative when not running here.
  double elapsed_seconds(long long run_id) const;

private:
  struct Active {
    std::unique_ptr<RunningProcess> process;
    std::chrono::steady_clock::time_point started;
    long long campaign_id = 0;
  };
  struct Queued {
    RunLaunch launch;
    long long campaign_id = 0;
    std::string campaign_key; // SEEDRUN_CAMPAIGN
    std::string arm;          // SEEDRUN_ARM
  };
  void start_queued(store::Store& store, util::TimePoint now);

  ProcessRunner& m_runner;
  std::filesystem::path m_workdir;
  int m_parallel;
  std::deque<Queued> m_queue;
  std::map<long long, Active> m_running;
};

} // namespace seedrun::exec
