// The only file that knows Boost.Process. Children get their own process group so that a
// timeout or Ctrl-C ends the whole tree (a trainer's data loaders included), and their output
// goes to files rather than pipes: nothing can deadlock on a full pipe, and a log survives
// seedrun itself being killed.
#include "seedrun/exec/process_runner.hpp"

#include "seedrun/util/atomic_file.hpp"
#include "seedrun/util/error.hpp"

#include <boost/process.hpp>
#include <boost/process/extend.hpp>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <fmt/format.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

namespace bp = boost::process;

namespace seedrun::exec {
namespace {

using namespace std::chrono_literals;

// Runs in the child between fork and exec: new process group, stdout/stderr onto `fd`.
struct ChildSetup : bp::extend::handler {
  int out_fd = -1;
  int err_fd = -1;
  char** envp = nullptr; // the child's whole environment, built before fork
  pid_t die_with = 0;    // when set: the child gets SIGTERM if this parent dies (local training)
  template <typename Executor> void on_exec_setup(Executor& exec) const {
    ::setpgid(0, 0);
    if (die_with != 0) {
      ::prctl(PR_SET_PDEATHSIG, SIGTERM);
      if (::getppid() != die_with) { // the parent died before prctl took effect
        ::_exit(143);
      }
    }
    if (envp != nullptr) {
      exec.env = envp;
    }
    if (out_fd >= 0) {
      ::dup2(out_fd, STDOUT_FILENO);
    }
    if (err_fd >= 0) {
      ::dup2(err_fd, STDERR_FILENO);
    }
  }
};

boost::filesystem::path resolve_program(const ProcessRequest& req) {
  if (req.argv.empty()) {
    throw Error("internal: empty argument vector");
  }
  const std::string& prog = req.argv.front();
  if (prog.find('/') != std::string::npos) {
    std::filesystem::path p(prog);
    if (p.is_relative() && !req.cwd.empty()) {
      p = req.cwd / p;
    }
    if (::access(p.c_str(), X_OK) != 0) {
      throw Error(fmt::format("cannot run '{}': {}", prog, std::strerror(errno)));
    }
    return boost::filesystem::path(p.string());
  }
  std::vector<boost::filesystem::path> dirs;
  auto path_it = req.env.find("PATH");
  std::string path_value =
      path_it != req.env.end() ? path_it->second : (std::getenv("PATH") ? std::getenv("PATH") : "");
  size_t start = 0;
  while (start <= path_value.size()) {
    size_t colon = path_value.find(':', start);
    std::string d = path_value.substr(start, colon == std::string::npos ? std::string::npos : colon - start);
    dirs.emplace_back(d.empty() ? "." : d);
    if (colon == std::string::npos) {
      break;
    }
    start = colon + 1;
  }
  auto found = bp::search_path(prog, dirs);
  if (found.empty()) {
    throw Error(fmt::format("cannot run '{}': not found on PATH", prog));
  }
  return found;
}

// The inherited environment with the request's variables added or replaced. Built by hand:
// Boost 1.74's environment lookup reads past the end of its strings (found by ASan).
class ChildEnvironment {
public:
  explicit ChildEnvironment(const ProcessRequest& req) {
    for (char** e = environ; e != nullptr && *e != nullptr; ++e) {
      std::string entry = *e;
      auto eq = entry.find('=');
      if (eq != std::string::npos && req.env.count(entry.substr(0, eq)) == 0) {
        m_entries.push_back(std::move(entry));
      }
    }
    for (const auto& [k, v] : req.env) {
      m_entries.push_back(k + "=" + v);
    }
    for (auto& entry : m_entries) {
      m_pointers.push_back(entry.data());
    }
    m_pointers.push_back(nullptr);
  }
  char** envp() { return m_pointers.data(); }

private:
  std::vector<std::string> m_entries;
  std::vector<char*> m_pointers;
};

ExitStatus decode(int native) {
  ExitStatus st;
  if (WIFSIGNALED(native)) {
    st.signaled = true;
    st.signal = WTERMSIG(native);
  } else {
    st.exit_code = WEXITSTATUS(native);
  }
  return st;
}

int open_append(const std::filesystem::path& p) {
  int fd = ::open(p.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (fd < 0) {
    throw Error(fmt::format("cannot open {}: {}", p.string(), std::strerror(errno)));
  }
  return fd;
}

class BoostRunningProcess final : public RunningProcess {
public:
  explicit BoostRunningProcess(bp::child child) : m_child(std::move(child)), m_pid(m_child.id()) {}
  ~BoostRunningProcess() override {
    if (!m_status) {
      terminate(2s);
    }
  }

  std::optional<ExitStatus> poll() override {
    if (m_status) {
      return m_status;
    }
    std::error_code ec;
    if (!m_child.running(ec)) {
      m_status = decode(m_child.native_exit_code());
    }
    return m_status;
  }

  ExitStatus terminate(std::chrono::milliseconds grace) override {
    if (poll()) {
      return *m_status;
    }
    ::kill(-m_pid, SIGTERM);
    auto deadline = std::chrono::steady_clock::now() + grace;
    while (std::chrono::steady_clock::now() < deadline) {
      if (poll()) {
        return *m_status;
      }
      std::this_thread::sleep_for(20ms);
    }
    ::kill(-m_pid, SIGKILL);
    std::error_code ec;
    m_child.wait(ec);
    m_status = decode(m_child.native_exit_code());
    return *m_status;
  }

  int pid() const override { return m_pid; }

private:
  bp::child m_child;
  int m_pid;
  std::optional<ExitStatus> m_status;
};

// An unnamed temporary file: created with mkostemp (never an existing file) and unlinked at
// once, so a seedrun killed with -9 leaves nothing behind that a later process (same pid)
// could append to.
int anonymous_file() {
  auto tmpl = (std::filesystem::temp_directory_path() / "seedrun-capture-XXXXXX").string();
  int fd = ::mkostemp(tmpl.data(), O_CLOEXEC);
  if (fd < 0) {
    throw Error(fmt::format("cannot create a temporary file in {}: {}", std::filesystem::temp_directory_path().string(),
                            std::strerror(errno)));
  }
  ::unlink(tmpl.c_str());
  return fd;
}

std::string read_all(int fd) {
  std::string out;
  ::lseek(fd, 0, SEEK_SET);
  char buf[65536];
  while (true) {
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) {
      continue;
    }
    if (n <= 0) {
      break;
    }
    out.append(buf, static_cast<size_t>(n));
  }
  return out;
}

class BoostProcessRunner final : public ProcessRunner {
public:
  ProcessResult run(const ProcessRequest& req) override {
    int out_fd = anonymous_file();
    int err_fd = anonymous_file();
    ChildEnvironment env(req);
    ChildSetup setup;
    setup.out_fd = out_fd;
    setup.err_fd = err_fd;
    setup.envp = env.envp();
    ProcessResult result;
    try {
      bp::opstream in;
      std::vector<std::string> args(req.argv.begin() + 1, req.argv.end());
      bp::child child(resolve_program(req), bp::args = args,
                      bp::start_dir = req.cwd.empty() ? std::string(".") : req.cwd.string(), bp::std_in < in, setup);
      in << req.stdin_data;
      in.flush();
      in.pipe().close();
      BoostRunningProcess proc(std::move(child));
      auto deadline = std::chrono::steady_clock::now() + req.timeout;
      std::optional<ExitStatus> st;
      while (!(st = proc.poll())) {
        if (req.timeout.count() > 0 && std::chrono::steady_clock::now() >= deadline) {
          ::kill(-proc.pid(), SIGKILL);
          st = proc.terminate(0ms);
          result.timed_out = true;
          break;
        }
        std::this_thread::sleep_for(2ms);
      }
      result.exit_code = st->exit_code;
      result.signal = st->signal;
      result.signaled = st->signaled;
    } catch (const bp::process_error& e) {
      ::close(out_fd);
      ::close(err_fd);
      throw Error(fmt::format("cannot run '{}': {}", req.argv.front(), e.what()));
    } catch (...) {
      ::close(out_fd);
      ::close(err_fd);
      throw;
    }
    result.out = read_all(out_fd);
    result.err = read_all(err_fd);
    ::close(out_fd);
    ::close(err_fd);
    return result;
  }

  std::unique_ptr<RunningProcess> spawn(const ProcessRequest& req, const std::filesystem::path& output) override {
    int fd = open_append(output);
    ChildEnvironment env(req);
    ChildSetup setup;
    setup.out_fd = fd;
    setup.err_fd = fd;
    setup.envp = env.envp();
    setup.die_with = ::getpid(); // training must not outlive a seedrun killed with -9
    try {
      std::vector<std::string> args(req.argv.begin() + 1, req.argv.end());
      bp::child child(resolve_program(req), bp::args = args,
                      bp::start_dir = req.cwd.empty() ? std::string(".") : req.cwd.string(), bp::std_in < bp::null,
                      setup);
      ::close(fd);
      return std::make_unique<BoostRunningProcess>(std::move(child));
    } catch (const bp::process_error& e) {
      ::close(fd);
      throw Error(fmt::format("cannot run '{}': {}", req.argv.front(), e.what()));
    }
  }
};

} // namespace

std::unique_ptr<ProcessRunner> make_process_runner() {
  return std::make_unique<BoostProcessRunner>();
}

} // namespace seedrun::exec
