#include "seedrun/track/log_follower.hpp"

#include "seedrun/track/log_scanner.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>

#include <fmt/format.h>

namespace seedrun::track {
namespace {

constexpr size_t k_chunk = 1 << 20;
// Points stored per append_metrics call (with the offset of the last complete line read): a log
// of 50 million values must not hold them all in memory.
constexpr size_t k_batch = 1 << 16;

// The log, opened once: what is checked (a regular file, its identity and size) is what is read.
// O_NONBLOCK: a FIFO planted at the log's path must not block the open (it is refused below).
class LogFile {
public:
  explicit LogFile(const std::string& path) : m_fd(::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC)) {
    if (m_fd >= 0 && ::fstat(m_fd, &m_st) != 0) {
      close();
    }
  }
  ~LogFile() { close(); }
  LogFile(const LogFile&) = delete;
  LogFile& operator=(const LogFile&) = delete;

  bool opened() const { return m_fd >= 0; }
  bool regular() const { return S_ISREG(m_st.st_mode); }
  long long size() const { return static_cast<long long>(m_st.st_size); }
  std::string identity() const { return fmt::format("{}:{}", m_st.st_dev, m_st.st_ino); }
  // Bytes read at `offset` into buf (0 at the end or on an error).
  size_t read_at(std::string& buf, long long offset) const {
    while (true) {
      ssize_t got = ::pread(m_fd, buf.data(), buf.size(), static_cast<off_t>(offset));
      if (got >= 0 || errno != EINTR) {
        return got > 0 ? static_cast<size_t>(got) : 0;
      }
    }
  }

private:
  void close() {
    if (m_fd >= 0) {
      ::close(m_fd);
      m_fd = -1;
    }
  }
  int m_fd;
  struct stat m_st {};
};

} // namespace

FollowResult follow_log(store::Store& store, store::Run& run, const std::string& metric_name,
                        const std::shared_ptr<const config::MetricPattern>& pattern, bool final_read) {
  FollowResult result;
  LogFile file(run.log_path);
  if (file.opened() && !file.regular()) {
    result.warning = fmt::format("log {} is not a regular file (a FIFO, a directory, a device?): not read",
                                 run.log_path);
    if (final_read) {
      run.log_done = true;
      store.update_run(run);
    }
    return result;
  }
  long long size = file.opened() ? file.size() : 0;
  auto identity = file.opened() ? std::optional<std::string>(file.identity()) : std::nullopt;
  if (!identity) {
    if (run.log_offset > 0) {
      result.warning = fmt::format("log {} disappeared after {} bytes were read", run.log_path, run.log_offset);
      result.lost = true;
    }
    if (final_read) {
      run.log_done = true;
      store.update_run(run);
    }
    return result;
  }
  bool replaced = run.log_identity && *run.log_identity != *identity;
  bool truncated = size < run.log_offset;
  if (replaced || truncated) {
    result.warning = fmt::format("log {} was {} since the last read; read again from the start", run.log_path,
                                 replaced ? "replaced" : "truncated");
    result.lost = replaced;
    store.reset_metrics(run.id);
    run.log_offset = 0;
    run.log_identity.reset();
  }
  LogScanner scanner(pattern);
  std::string buf(k_chunk, '\0');
  long long start = run.log_offset;
  std::vector<store::MetricPoint> points;
  auto collect = [&] {
    for (const auto& v : scanner.take()) {
      points.push_back({v.step, metric_name, v.value});
      result.last_value = v.value;
    }
  };
  for (long long at = start;;) {
    size_t got = file.read_at(buf, at);
    if (got == 0) {
      break;
    }
    at += static_cast<long long>(got);
    scanner.feed(std::string_view(buf.data(), got));
    collect();
    if (points.size() >= k_batch) { // memory stays bounded whatever the log: store what is read so far
      result.new_points += points.size();
      store.append_metrics(run.id, points, start + static_cast<long long>(scanner.consumed()), identity);
      points.clear();
    }
  }
  if (final_read) {
    scanner.finish();
  }
  collect();
  long long new_offset = start + static_cast<long long>(scanner.consumed());
  if (const auto& problem = scanner.first_problem()) {
    size_t lines = scanner.unreadable() + scanner.skipped();
    auto what = fmt::format("log {}: {} line{} skipped, the first at byte {}: {}", run.log_path, lines,
                            lines == 1 ? "" : "s", start + static_cast<long long>(problem->offset), problem->what);
    result.warning = result.warning ? *result.warning + "; " + what : what;
  }
  store.append_metrics(run.id, points, new_offset, identity);
  run.log_offset = new_offset;
  run.log_identity = identity;
  result.new_points += points.size();
  if (final_read) {
    run.log_done = true;
    store.update_run(run);
  }
  return result;
}

} // namespace seedrun::track
