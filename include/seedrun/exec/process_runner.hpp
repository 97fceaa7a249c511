#pragma once
// The seam between seedrun and the processes it starts (training commands, sbatch, sacct,
// squeue, scancel). Arguments are always an argument vector handed to exec(): no shell ever
// sees them, so a value such as "$(rm -rf ~)" reaches the program as that literal string.
// Boost.Process is used by the one implementation in src/exec/process_runner.cpp only.
#include <chrono>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace seedrun::exec {

struct ProcessRequest {
  std::vector<std::string> argv;          // argv[0] is looked up on PATH when it has no '/'
  std::filesystem::path cwd;              // empty: the current directory
  std::map<std::string, std::string> env; // added to (or replacing in) the inherited environment
  std::chrono::milliseconds timeout{0};   // 0: no limit; on expiry the process group is killed
  std::string stdin_data;                 // written to the child's stdin, then closed
};

struct ProcessResult {
  int exit_code = -1; // valid when !signaled && !timed_out
  int signal = 0;     // the terminating signal, when signaled
  bool signaled = false;
  bool timed_out = false;
  std::string out; // captured stdout
  std::string err; // captured stderr
  bool ok() const { return !signaled && !timed_out && exit_code == 0; }
};

struct ExitStatus {
  int exit_code = -1;
  int signal = 0;
  bool signaled = false;
};

// A child started with its own process group, stdout and stderr appended to a file.
class RunningProcess {
public:
  virtual ~RunningProcess() = default;
  // Non-blocking: the exit status once the child has ended, nullopt while it runs.
  virtual std::optional<ExitStatus> poll() = 0;
  // SIGTERM to the child's process group, then SIGKILL after `grace`; returns the final status.
  virtual ExitStatus terminate(std::chrono::milliseconds grace) = 0;
  virtual int pid() const = 0;
};

class ProcessRunner {
public:
  virtual ~ProcessRunner() = default;
  // Runs to completion (or timeout) capturing stdout and stderr. Throws seedrun::Error only
  // when the program cannot be started at all (not found, not executable).
  virtual ProcessResult run(const ProcessRequest& request) = 0;
  // Starts a long-running child whose stdout+stderr go to `output` (appended). The child is
  // sent SIGTERM if seedrun dies (even by kill -9), so training never runs unwatched. Throws
  // seedrun::Error when it cannot be started.
  virtual std::unique_ptr<RunningProcess> spawn(const ProcessRequest& request, const std::filesystem::path& output) = 0;
};

std::unique_ptr<ProcessRunner> make_process_runner();

} // namespace seedrun::exec
