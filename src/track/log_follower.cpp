#include "seedrun/track/log_follower.hpp"

#include "seedrun/track/log_scanner.hpp"

#include <algorithm>
#include <cerrno>
#include <condition_variable>
#include <deque>
#include <exception>
#include <fcntl.h>
#include <fmt/format.h>
#include <mutex>
#include <sys/stat.h>
#include <thread>
#include <unistd.h>

namespace seedrun::track {
namespace {

constexpr size_t k_chunk = 1 << 20;
// Smallest read buffer: a log that grows between fstat and read is read in pieces of this size.
constexpr size_t k_min_chunk = 1 << 14;
// Points stored per append_metrics call (with the offset of the last complete line read): a log
// of 50 million values must not hold them all in memory.
constexpr size_t k_batch = 1 << 16;
// From this many new bytes on, one thread reads and scans while the caller's stores the points
// (on two cores a 512 MiB log then costs max(scan, store), not their sum); below it a thread
// costs more than it saves. Batches are smaller there so that both threads keep busy.
constexpr long long k_pipeline_min = 8LL << 20;
constexpr size_t k_pipeline_batch = 1 << 13;
constexpr size_t k_pipeline_depth = 4; // batches waiting to be stored, at most

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
  // Bytes read at `offset` into buf[0, size) (0 at the end or on an error).
  size_t read_at(char* buf, size_t size, long long offset) const {
    while (true) {
      ssize_t got = ::pread(m_fd, buf, size, static_cast<off_t>(offset));
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

// Nothing to read since the last refresh: the log at `path` is the file last read (same
// identity) and not longer than the offset reached. Checked with one stat(), without opening
// the log, so a steady refresh of 100,000 running runs costs one syscall per log. A log that
// was replaced, truncated, vanished or is not a regular file is not "unchanged": follow_log
// reads it and reports that.
bool unchanged_since_last_read(const store::Run& run) {
  struct stat st {};
  if (!run.log_identity || ::stat(run.log_path.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) {
    return false;
  }
  return static_cast<long long>(st.st_size) == run.log_offset &&
         *run.log_identity == fmt::format("{}:{}", st.st_dev, st.st_ino);
}

// One pass over the bytes of a log not read yet: read from `start` to the end, scan, store the
// points in batches each with the offset after its last complete line. Returns the points of
// the last batch, not stored yet (the caller adds the end of file).
// Every scanner sees the same bytes, so they agree on consumed(): the offset is the first's.
struct Pass {
  store::Store& store;
  const LogFile& file;
  std::vector<LogScanner>& scanners;
  const std::vector<LogMetric>& metrics;
  long long run_id;
  long long start;
  const std::optional<std::string>& identity;
  size_t buf_size;
  std::optional<double> last_value;
  size_t stored = 0;

  void feed(std::string_view bytes) {
    for (auto& s : scanners) {
      s.feed(bytes);
    }
  }
  void collect(std::vector<store::MetricPoint>& points) {
    for (size_t i = 0; i < scanners.size(); ++i) {
      for (const auto& v : scanners[i].take()) {
        points.push_back({v.step, metrics[i].name, v.value});
        if (metrics[i].primary) {
          last_value = v.value;
        }
      }
    }
  }
  long long offset() const { return start + static_cast<long long>(scanners.front().consumed()); }
  void store_batch(const std::vector<store::MetricPoint>& points, long long at) {
    stored += points.size();
    store.append_metrics(run_id, points, at, identity);
  }

  std::vector<store::MetricPoint> serial() {
    std::unique_ptr<char[]> buf(new char[buf_size]);
    std::vector<store::MetricPoint> points;
    for (long long at = start;;) {
      size_t got = file.read_at(buf.get(), buf_size, at);
      if (got == 0) {
        break;
      }
      at += static_cast<long long>(got);
      feed(std::string_view(buf.get(), got));
      collect(points);
      if (points.size() >= k_batch) { // memory stays bounded whatever the log: store what is read so far
        store_batch(points, offset());
        points.clear();
      }
    }
    return points;
  }

  // The same on two threads: a reader thread reads and scans (it alone touches the scanner until
  // joined), this thread stores. At most k_pipeline_depth batches wait, so memory stays bounded.
  std::vector<store::MetricPoint> pipelined() {
    struct Batch {
      std::vector<store::MetricPoint> points;
      long long offset;
    };
    std::mutex m;
    std::condition_variable cv;
    std::deque<Batch> queue;
    bool reader_done = false;
    bool stop = false;
    std::exception_ptr reader_error;
    std::vector<store::MetricPoint> tail;
    std::thread reader([&] {
      try {
        std::unique_ptr<char[]> buf(new char[buf_size]);
        std::vector<store::MetricPoint> points;
        for (long long at = start;;) {
          size_t got = file.read_at(buf.get(), buf_size, at);
          if (got == 0) {
            break;
          }
          at += static_cast<long long>(got);
          feed(std::string_view(buf.get(), got));
          collect(points);
          if (points.size() >= k_pipeline_batch) {
            std::unique_lock lock(m);
            cv.wait(lock, [&] { return queue.size() < k_pipeline_depth || stop; });
            if (stop) {
              break;
            }
            queue.push_back({std::move(points), offset()});
            points = {};
            cv.notify_all();
          }
        }
        tail = std::move(points);
      } catch (...) {
        reader_error = std::current_exception();
      }
      std::lock_guard lock(m);
      reader_done = true;
      cv.notify_all();
    });
    try {
      while (true) {
        Batch batch;
        {
          std::unique_lock lock(m);
          cv.wait(lock, [&] { return !queue.empty() || reader_done; });
          if (queue.empty()) {
            break;
          }
          batch = std::move(queue.front());
          queue.pop_front();
          cv.notify_all();
        }
        store_batch(batch.points, batch.offset);
      }
    } catch (...) {
      {
        std::lock_guard lock(m);
        stop = true;
      }
      cv.notify_all();
      reader.join();
      throw;
    }
    reader.join();
    if (reader_error) {
      std::rethrow_exception(reader_error);
    }
    return tail;
  }
};

// The log's last read: nothing of it is read again. Stores the columns follow_log changes
// (offset, identity, log_done), not the whole run.
void mark_read(store::Store& store, store::Run& run) {
  run.log_done = true;
  store.finish_log(run.id, run.log_offset, run.log_identity);
}

} // namespace

FollowResult follow_log(store::Store& store, store::Run& run, const std::string& metric_name,
                        const std::shared_ptr<const config::MetricPattern>& pattern, bool final_read) {
  return follow_log(store, run, std::vector<LogMetric>{{metric_name, pattern, true}}, final_read);
}

FollowResult follow_log(store::Store& store, store::Run& run, const std::vector<LogMetric>& metrics, bool final_read) {
  FollowResult result;
  if (metrics.empty()) { // every metric is read from a file: the log holds none
    if (final_read) {
      mark_read(store, run);
    }
    return result;
  }
  if (!final_read && unchanged_since_last_read(run)) {
    return result; // no new byte: no read, no transaction
  }
  LogFile file(run.log_path);
  if (file.opened() && !file.regular()) {
    result.warning =
        fmt::format("log {} is not a regular file (a FIFO, a directory, a device?): not read", run.log_path);
    if (final_read) {
      mark_read(store, run);
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
      mark_read(store, run);
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
  std::vector<LogScanner> scanners;
  scanners.reserve(metrics.size());
  for (const auto& m : metrics) {
    scanners.emplace_back(m.pattern);
  }
  long long start = run.log_offset;
  long long new_bytes = std::max(size - start, 0LL);
  // Sized to the bytes that are new (not zero-filled): a steady refresh of a log that grew by a
  // line does not touch a megabyte.
  size_t buf_size = std::clamp(static_cast<size_t>(new_bytes), k_min_chunk, k_chunk);
  Pass pass{store, file, scanners, metrics, run.id, start, identity, buf_size, {}, 0};
  long long new_offset = start;
  auto read_and_store = [&] {
    auto points = new_bytes >= k_pipeline_min ? pass.pipelined() : pass.serial();
    if (final_read) {
      for (auto& scanner : scanners) {
        scanner.finish();
      }
    }
    pass.collect(points);
    new_offset = pass.offset();
    if (!points.empty() || new_offset != run.log_offset || identity != run.log_identity || pass.stored > 0) {
      pass.store_batch(points, new_offset); // else nothing to store: no transaction
    }
  };
  if (new_bytes >= k_pipeline_min) {
    store.transaction(read_and_store); // its many small batches commit once (as under a refresh)
  } else {
    read_and_store();
  }
  result.last_value = pass.last_value;
  result.new_points = pass.stored;
  for (size_t i = 0; i < scanners.size(); ++i) {
    const auto& scanner = scanners[i];
    if (const auto& problem = scanner.first_problem()) {
      size_t lines = scanner.unreadable() + scanner.skipped();
      auto what = fmt::format("log {}: {} line{} skipped, the first at byte {}: {}", run.log_path, lines,
                              lines == 1 ? "" : "s", start + static_cast<long long>(problem->offset), problem->what);
      if (metrics.size() > 1) {
        what += fmt::format(" (metric {})", metrics[i].name);
      }
      result.warning = result.warning ? *result.warning + "; " + what : what;
    }
  }
  bool primary_here = std::any_of(metrics.begin(), metrics.end(), [](const LogMetric& m) { return m.primary; });
  bool reset = (replaced || truncated) && primary_here;
  run.log_offset = new_offset;
  run.log_identity = identity;
  // The run as stored now, so the caller need not read it back: its last value of the metric.
  if (result.last_value) {
    run.final_metric = result.last_value;
  } else if (reset) {
    run.final_metric.reset();
  }
  if (final_read) {
    mark_read(store, run);
  }
  return result;
}

} // namespace seedrun::track
