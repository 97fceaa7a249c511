#pragma once
// Which filesystem a path lives on, for choices that are unsafe on network filesystems
// (SQLite's WAL needs shared memory that NFS, Lustre, GPFS and BeeGFS do not provide).
#include <filesystem>
#include <string>

namespace seedrun::util {

struct FilesystemKind {
  std::string name;     // "ext4", "nfs", "lustre", ... or "unknown"
  bool network = false; // true for NFS, Lustre, GPFS, BeeGFS, CIFS/SMB, FUSE
};

FilesystemKind filesystem_kind(const std::filesystem::path& path);

} // namespace seedrun::util
