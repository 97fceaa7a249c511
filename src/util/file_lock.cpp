#include "seedrun/util/file_lock.hpp"

#include "seedrun/util/error.hpp"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <fmt/format.h>
#include <sys/file.h>
#include <unistd.h>

namespace seedrun::util {

FileLock::FileLock(const std::filesystem::path& path, Mode mode) {
  std::error_code ec;
  std::filesystem::create_directories(path.parent_path(), ec);
  m_fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (m_fd < 0) {
    throw Error(fmt::format("cannot open lock file {}: {}", path.string(), std::strerror(errno)));
  }
  int rc = 0;
  do {
    rc = ::flock(m_fd, LOCK_EX | (mode == Mode::try_once ? LOCK_NB : 0));
  } while (rc != 0 && errno == EINTR && mode == Mode::wait);
  m_held = rc == 0;
  if (!m_held && errno != EWOULDBLOCK) {
    throw Error(fmt::format("cannot lock {}: {}", path.string(), std::strerror(errno)));
  }
}

FileLock::~FileLock() {
  if (m_fd >= 0) {
    ::close(m_fd);
  }
}

} // namespace seedrun::util
