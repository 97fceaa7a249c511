#pragma once
// An advisory lock on a file (flock). The kernel releases it when the process dies, so a lock
// left by a killed process never blocks anyone: there is no stale-lock cleanup to get wrong.
#include <filesystem>

namespace seedrun::util {

class FileLock {
public:
  enum class Mode { try_once, wait };
  // Acquires the lock or, with try_once, reports it busy via held() == false.
  FileLock(const std::filesystem::path& path, Mode mode);
  ~FileLock();
  FileLock(const FileLock&) = delete;
  FileLock& operator=(const FileLock&) = delete;
  bool held() const { return m_held; }

private:
  int m_fd = -1;
  bool m_held = false;
};

} // namespace seedrun::util
