// The summarize command's core: load the design, scan, render, write summary.md and the log.
#include "seedrun/summarize/summary.hpp"
#include "seedrun/util/atomic_file.hpp"
#include "seedrun/util/error.hpp"
#include "seedrun/util/time.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

namespace seedrun::summarize {
namespace {

std::vector<std::string> stamp(const std::vector<LogEntry>& entries, std::chrono::system_clock::time_point now) {
  const std::string ts = util::iso8601(now);
  std::vector<std::string> lines;
  for (const auto& e : entries) {
    std::string details = e.details;
    std::replace(details.begin(), details.end(), '\n', ' ');
    lines.push_back(fmt::format("[{}] {}: {}", ts, e.action, details));
  }
  return lines;
}

std::vector<LogEntry> closing_entries(const SummaryResult& r, const std::filesystem::path& summary_path) {
  const auto& scan = r.scan;
  auto losses = std::count_if(scan.training.begin(), scan.training.end(),
                              [](const TrainingResult& t) { return t.log && t.log->last; });
  auto accuracies =
      std::count_if(scan.evals.begin(), scan.evals.end(), [](const EvalResult& e) { return e.ok() && e.accuracy; });
  long long warnings = 0;
  long long errors = 0;
  for (const auto& e : scan.log) {
    warnings += e.details.starts_with("WARNING: ") || e.details.find(": WARNING: ") != std::string::npos;
    errors += e.details.starts_with("ERROR: ") || e.details.find(": ERROR: ") != std::string::npos;
  }
  return {{"GENERATE_SUMMARY", fmt::format("{}: {} runs, {}/{} complete, {} evaluation results{}",
                                           summary_path.string(), r.total_runs, r.complete_runs, r.total_runs,
                                           scan.evals.size(), r.no_results ? ", no run produced results" : "")},
          {"COMPLETE", fmt::format("{} loss values, {} accuracy values extracted; {} warnings, {} errors", losses,
                                   accuracies, warnings, errors)}};
}

// Files we write are never written through a link someone planted: a symbolic link at
// summary.md or at the log is refused (an error naming it, nothing written).
void refuse_symlink(const std::filesystem::path& path) {
  struct stat st {};
  if (::lstat(path.c_str(), &st) == 0 && S_ISLNK(st.st_mode)) {
    std::error_code ec;
    auto target = std::filesystem::read_symlink(path, ec);
    throw Error(fmt::format("{} is a symbolic link{}; summarize does not write through links: remove it and run "
                            "summarize again",
                            path.string(), ec ? "" : " (to " + target.string() + ")"));
  }
}

void write_all(int fd, const std::string& text, const std::filesystem::path& path) {
  const char* p = text.data();
  size_t left = text.size();
  while (left > 0) {
    ssize_t n = ::write(fd, p, left);
    if (n < 0 && errno == EINTR) {
      continue;
    }
    if (n <= 0) {
      throw Error(fmt::format("cannot append to {}: {}", path.string(), std::strerror(errno)));
    }
    p += n;
    left -= static_cast<size_t>(n);
  }
}

} // namespace

// Appends `lines` to the log in one write, so re-runs keep the history and the old content is
// never read back or copied. Opened with O_NOFOLLOW (a symbolic link is refused), created 0644
// less the umask; anything but a regular file with one link (a FIFO, a device, a hard link to
// another file) is refused before a byte is written.
void append_process_log(const std::filesystem::path& path, const std::vector<std::string>& lines) {
  std::error_code ec;
  std::filesystem::create_directories(path.parent_path(), ec);
  if (ec) {
    throw Error(fmt::format("cannot create directory {}: {}", path.parent_path().string(), ec.message()));
  }
  refuse_symlink(path);
  int fd = ::open(path.c_str(), O_RDWR | O_APPEND | O_CREAT | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC, 0644);
  if (fd < 0) {
    if (errno == ELOOP) {
      refuse_symlink(path); // planted between the check and the open
    }
    throw Error(fmt::format("cannot write {}: {}", path.string(), std::strerror(errno)));
  }
  try {
    struct stat st {};
    if (::fstat(fd, &st) != 0) {
      throw Error(fmt::format("cannot write {}: {}", path.string(), std::strerror(errno)));
    }
    if (!S_ISREG(st.st_mode) || st.st_nlink != 1) {
      throw Error(fmt::format("{} is not a regular file with a single link; summarize does not write to it: remove "
                              "it and run summarize again",
                              path.string()));
    }
    std::string text;
    char last = '\n';
    if (st.st_size > 0 && ::pread(fd, &last, 1, st.st_size - 1) == 1 && last != '\n') {
      text += '\n';
    }
    for (const auto& line : lines) {
      text += line + '\n';
    }
    write_all(fd, text, path);
    if (::fsync(fd) != 0) {
      throw Error(fmt::format("cannot write {}: {}", path.string(), std::strerror(errno)));
    }
  } catch (...) {
    ::close(fd);
    throw;
  }
  if (::close(fd) != 0) {
    throw Error(fmt::format("cannot write {}: {}", path.string(), std::strerror(errno)));
  }
}

SummaryResult build_summary(const std::filesystem::path& dir, JobLookup& lookup,
                            std::chrono::system_clock::time_point now) {
  SummaryResult result;
  try {
    ExperimentSpec spec = load_experiment_spec(dir / "experiment_summary.yaml");
    result.scan = scan_experiment(spec, lookup);
    result.total_runs = static_cast<int>(result.scan.runs.size());
    result.complete_runs = static_cast<int>(std::count_if(result.scan.runs.begin(), result.scan.runs.end(),
                                                          [](const RunStatus& r) { return r.complete(); }));
    result.no_results = produced_no_results(result.scan);
    result.markdown = render_summary_markdown(result.scan, now);
    auto entries = result.scan.log;
    auto closing = closing_entries(result, dir / "summary.md");
    entries.insert(entries.end(), closing.begin(), closing.end());
    result.log_lines = stamp(entries, now);
    result.ok = true;
  } catch (const std::exception& e) { // a bad design file, or a bug: reported, never a crash
    result.ok = false;
    result.error = e.what();
    result.log_lines = stamp({{"DISCOVER_EXPERIMENT", "ERROR: " + result.error}}, now);
  }
  return result;
}

SummaryResult summarize_experiment(const std::filesystem::path& dir, JobLookup& lookup,
                                   std::chrono::system_clock::time_point now) {
  SummaryResult result = build_summary(dir, lookup, now);
  std::error_code ec;
  if (!std::filesystem::is_directory(dir, ec)) {
    if (result.error.empty()) {
      result.error = fmt::format("{} is not a directory", dir.string());
    }
    result.ok = false;
    return result;
  }
  try {
    const auto log_path = dir / "logs" / "summarize-experiment.log";
    refuse_symlink(dir / "summary.md");
    refuse_symlink(log_path);
    if (result.ok) {
      util::write_file_atomic(dir / "summary.md", result.markdown);
      result.summary_path = dir / "summary.md";
    }
    append_process_log(log_path, result.log_lines);
    result.log_path = log_path;
  } catch (const std::exception& e) {
    result.ok = false;
    result.error = e.what();
  }
  return result;
}

} // namespace seedrun::summarize
