#include "seedrun/util/atomic_file.hpp"

#include "seedrun/util/error.hpp"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <fmt/format.h>
#include <fstream>
#include <random>
#include <sstream>
#include <unistd.h>

namespace seedrun::util {
namespace {

std::string errno_text() {
  return std::strerror(errno);
}

void fsync_directory(const std::filesystem::path& dir) {
  int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd >= 0) {
    ::fsync(fd); // best effort: some filesystems refuse fsync on directories
    ::close(fd);
  }
}

} // namespace

void write_file_atomic(const std::filesystem::path& path, std::string_view content) {
  auto dir = path.parent_path().empty() ? std::filesystem::path(".") : path.parent_path();
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) {
    throw Error(fmt::format("cannot create directory {}: {}", dir.string(), ec.message()));
  }
  std::random_device rd;
  auto tmp = dir / fmt::format(".{}.tmp.{}.{:x}", path.filename().string(), ::getpid(), rd());
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd < 0) {
    throw Error(fmt::format("cannot write {}: {}", path.string(), errno_text()));
  }
  auto fail = [&](const std::string& why) {
    ::close(fd);
    ::unlink(tmp.c_str());
    throw Error(fmt::format("cannot write {}: {} (the previous file is unchanged)", path.string(), why));
  };
  const char* p = content.data();
  size_t left = content.size();
  while (left > 0) {
    ssize_t n = ::write(fd, p, left);
    if (n < 0) {
      if (errno == EINTR) {
        continue;
      }
      fail(errno_text());
    }
    p += n;
    left -= static_cast<size_t>(n);
  }
  if (::fsync(fd) != 0) {
    fail(errno_text());
  }
  if (::close(fd) != 0) {
    ::unlink(tmp.c_str());
    throw Error(fmt::format("cannot write {}: {}", path.string(), errno_text()));
  }
  if (::rename(tmp.c_str(), path.c_str()) != 0) {
    auto why = errno_text();
    ::unlink(tmp.c_str());
    throw Error(fmt::format("cannot write {}: {}", path.string(), why));
  }
  fsync_directory(dir);
}

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    throw Error(fmt::format("cannot read {}: {}", path.string(), errno_text()));
  }
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

} // namespace seedrun::util
