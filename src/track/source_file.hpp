#pragma once
// Private to the metric sources (metric_source.cpp and the *_source.cpp files): a file opened
// once and read with pread, and the three readers' constructors.
#include "seedrun/track/metric_source.hpp"

#include <cerrno>
#include <fcntl.h>
#include <fmt/format.h>
#include <string>
#include <sys/stat.h>
#include <unistd.h>

namespace seedrun::track::detail {

// A file opened once: what is checked (a regular file, its identity, size and mtime) is what is
// read. O_NONBLOCK: a FIFO planted at the path must not block the open (it is refused).
class SourceFile {
public:
  explicit SourceFile(const std::filesystem::path& path)
      : m_fd(::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC)) {
    if (m_fd >= 0 && (::fstat(m_fd, &m_st) != 0 || !S_ISREG(m_st.st_mode))) {
      m_irregular = m_fd >= 0;
      close();
    }
  }
  ~SourceFile() { close(); }
  SourceFile(const SourceFile&) = delete;
  SourceFile& operator=(const SourceFile&) = delete;

  // Open and a regular file.
  bool ok() const { return m_fd >= 0; }
  // Something is there but it is not a regular file (a directory, a FIFO).
  bool irregular() const { return m_irregular; }
  long long size() const { return static_cast<long long>(m_st.st_size); }
  long long mtime_ns() const {
    return static_cast<long long>(m_st.st_mtim.tv_sec) * 1000000000LL + m_st.st_mtim.tv_nsec;
  }
  std::string identity() const { return fmt::format("{}:{}", m_st.st_dev, m_st.st_ino); }
  // Up to `buf.size()` bytes at `offset`; the count read (0 at the end or on an error).
  size_t read_at(std::string& buf, long long offset) const {
    size_t total = 0;
    while (total < buf.size()) {
      ssize_t got =
          ::pread(m_fd, buf.data() + total, buf.size() - total, static_cast<off_t>(offset) + static_cast<off_t>(total));
      if (got < 0 && errno == EINTR) {
        continue;
      }
      if (got <= 0) {
        break;
      }
      total += static_cast<size_t>(got);
    }
    return total;
  }

private:
  void close() {
    if (m_fd >= 0) {
      ::close(m_fd);
      m_fd = -1;
    }
  }
  int m_fd;
  bool m_irregular = false;
  struct stat m_st {};
};

// Appends `what` to the read's warning (the first problem of each kind is worth telling).
inline void add_warning(SourceRead& read, const std::string& what) {
  read.warning = read.warning ? *read.warning + "; " + what : what;
}

std::unique_ptr<MetricSource> make_jsonl_source(const config::MetricSpec& spec, const SourceContext& context);
std::unique_ptr<MetricSource> make_trainer_state_source(const config::MetricSpec& spec, const SourceContext& context);
std::unique_ptr<MetricSource> make_tensorboard_source(const config::MetricSpec& spec, const SourceContext& context);

} // namespace seedrun::track::detail
