#include "seedrun/util/filesystem_kind.hpp"

#include <cstdlib>
#include <sys/vfs.h>

namespace seedrun::util {

FilesystemKind filesystem_kind(const std::filesystem::path& path) {
  // Lets tests exercise the network-filesystem branch on a local disk.
  if (const char* forced = std::getenv("SEEDRUN_FORCE_FSTYPE")) {
    std::string f = forced;
    return {f, f != "ext4" && f != "tmpfs" && f != "xfs" && f != "btrfs"};
  }
  struct statfs st {};
  if (::statfs(path.c_str(), &st) != 0) {
    return {"unknown", false};
  }
  switch (static_cast<unsigned long>(st.f_type)) {
  case 0x6969UL: return {"nfs", true};
  case 0x0BD00BD0UL: return {"lustre", true};
  case 0x47504653UL: return {"gpfs", true};
  case 0x19830326UL: return {"beegfs", true};
  case 0xFF534D42UL: return {"cifs", true};
  case 0xFE534D42UL: return {"smb2", true};
  case 0x65735546UL: return {"fuse", true};
  case 0xEF53UL: return {"ext4", false};
  case 0x01021994UL: return {"tmpfs", false};
  case 0x58465342UL: return {"xfs", false};
  case 0x9123683EUL: return {"btrfs", false};
  case 0x794C7630UL: return {"overlayfs", false};
  default: return {"other", false};
  }
}

} // namespace seedrun::util
