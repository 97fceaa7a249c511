#include "seedrun/exec/process_runner.hpp"
#include "seedrun/util/atomic_file.hpp"
#include "seedrun/util/error.hpp"

#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <doctest/doctest.h>
#include <filesystem>
#include <thread>
#include <unistd.h>

namespace fs = std::filesystem;
using namespace seedrun;
using namespace std::chrono_literals;

TEST_CASE("run captures stdout, stderr and the exit code, and passes arguments literally") {
  auto runner = exec::make_process_runner();
  exec::ProcessRequest req;
  req.argv = {"/bin/sh", "-c", "printf '%s' \"$1\"; echo err >&2; exit 3", "sh", "$(touch /tmp/x); x"};
  auto r = runner->run(req);
  CHECK(r.exit_code == 3);
  CHECK(r.out == "$(touch /tmp/x); x");
  CHECK(r.err == "err\n");
  CHECK_FALSE(r.ok());
}

TEST_CASE("run reports a signal, a timeout, stdin and environment overrides") {
  auto runner = exec::make_process_runner();
  exec::ProcessRequest kill_req;
  kill_req.argv = {"/bin/sh", "-c", "kill -9 $$"};
  auto killed = runner->run(kill_req);
  CHECK(killed.signaled);
  CHECK(killed.signal == SIGKILL);

  exec::ProcessRequest slow;
  slow.argv = {"/bin/sleep", "30"};
  slow.timeout = 300ms;
  auto t0 = std::chrono::steady_clock::now();
  auto timed = runner->run(slow);
  CHECK(timed.timed_out);
  CHECK(std::chrono::steady_clock::now() - t0 < 5s);

  exec::ProcessRequest io;
  io.argv = {"/bin/sh", "-c", "cat; printf ' %s' \"$SEEDRUN_TEST_VAR\""};
  io.stdin_data = "hello";
  io.env["SEEDRUN_TEST_VAR"] = "set";
  CHECK(runner->run(io).out == "hello set");
}

TEST_CASE("a missing program is an error naming it") {
  auto runner = exec::make_process_runner();
  exec::ProcessRequest req;
  req.argv = {"seedrun-no-such-program-xyz"};
  CHECK_THROWS_WITH_AS(runner->run(req), doctest::Contains("not found on PATH"), Error);
}

TEST_CASE("captures leave no files behind, so a later process can never read stale output") {
  auto dir = fs::temp_directory_path() / ("seedrun-pr-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  ::setenv("TMPDIR", dir.c_str(), 1);
  auto runner = exec::make_process_runner();
  exec::ProcessRequest req;
  req.argv = {"/bin/echo", "x"};
  CHECK(runner->run(req).out == "x\n");
  ::unsetenv("TMPDIR");
  CHECK(fs::is_empty(dir));
  fs::remove_all(dir);
}

namespace {

// Processes of process group `pgid` that are not zombies, read from /proc/<pid>/stat.
int live_members(int pgid) {
  int n = 0;
  for (const auto& e : fs::directory_iterator("/proc")) {
    std::string name = e.path().filename().string();
    if (name.find_first_not_of("0123456789") != std::string::npos) {
      continue;
    }
    std::string stat;
    try {
      stat = util::read_file(e.path() / "stat");
    } catch (const Error&) {
      continue;
    }
    auto close = stat.rfind(')');
    if (close == std::string::npos) {
      continue;
    }
    char state = 0;
    int ppid = 0, pgrp = 0;
    if (std::sscanf(stat.c_str() + close + 2, "%c %d %d", &state, &ppid, &pgrp) == 3 && pgrp == pgid && state != 'Z') {
      ++n;
    }
  }
  return n;
}

} // namespace

TEST_CASE("spawn appends output to a file and terminate ends the process group") {
  auto dir = fs::temp_directory_path() / ("seedrun-spawn-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  auto runner = exec::make_process_runner();
  exec::ProcessRequest req;
  req.argv = {"/bin/sh", "-c", "echo started; sleep 30 & wait"};
  auto proc = runner->spawn(req, dir / "log");
  for (int i = 0; i < 100 && util::read_file(dir / "log").empty(); ++i) {
    std::this_thread::sleep_for(20ms);
  }
  CHECK_FALSE(proc->poll().has_value());
  auto st = proc->terminate(2s);
  CHECK(st.signaled);
  CHECK(util::read_file(dir / "log") == "started\n");
  // The whole group is gone, the background sleep too (zombies waiting for init do not count).
  bool alive = true;
  for (int i = 0; i < 100 && alive; ++i) {
    alive = live_members(proc->pid()) > 0;
    if (alive) {
      std::this_thread::sleep_for(20ms);
    }
  }
  CHECK_FALSE(alive);
  fs::remove_all(dir);
}
