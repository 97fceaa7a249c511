#pragma once
// Read-only access to ZIP archives (inspect-ai `.eval` logs are ZIP files of JSON members), and a
// small writer used to build such archives in tests and fixtures. libzip is used by the one
// implementation file src/summarize/zip_archive.cpp only; nothing here throws: every failure is
// a value carrying a message that names the archive and, where relevant, the member.
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace seedrun::summarize {

// The contents of one member, or why it could not be read.
struct ZipMember {
  std::optional<std::string> data; // nullopt on failure
  std::string error;               // set when data is nullopt
};

// An open archive. Move-only; closing happens in the destructor.
class ZipArchive {
public:
  // Opens `path` for reading. On failure (missing file, not a ZIP, truncated central directory)
  // returns nullptr and sets `error` to a sentence naming the path.
  static std::unique_ptr<ZipArchive> open(const std::filesystem::path& path, std::string& error);

  ~ZipArchive();
  ZipArchive(const ZipArchive&) = delete;
  ZipArchive& operator=(const ZipArchive&) = delete;

  const std::filesystem::path& path() const { return m_path; }
  // Member names in archive order (directories included, as stored).
  const std::vector<std::string>& names() const { return m_names; }
  bool contains(const std::string& name) const;

  // Reads one member whole. A member is refused, before anything is allocated, when its declared
  // uncompressed size exceeds `max_bytes`; the declared size is not trusted either: the data is
  // read in 64 KiB chunks and reading stops as soon as more than `max_bytes` came out, so memory
  // never exceeds what the member really holds, capped at `max_bytes` (a guard against
  // decompression bombs and lying headers). A size mismatch, CRC or inflate failure is reported,
  // not thrown.
  ZipMember read(const std::string& name, unsigned long long max_bytes = k_default_max_member_bytes) const;

  // 256 MiB: inspect-ai writes one member per sample plus a header and summaries; a real member
  // is kilobytes to a few megabytes. Change it here (one constant) if real logs ever need more.
  static constexpr unsigned long long k_default_max_member_bytes = 256ULL << 20;

  // All read() calls of one archive together return at most this many bytes (1 GiB by default),
  // so many members that each stay under the member limit cannot add up to an exhausted memory;
  // a read that would pass it is refused with a message, like an oversized member.
  static constexpr unsigned long long k_default_max_total_bytes = 1ULL << 30;
  void set_total_limit(unsigned long long bytes) { m_total_limit = bytes; }
  unsigned long long bytes_read() const { return m_bytes_read; }

private:
  struct Handle;
  ZipArchive(std::filesystem::path path, std::unique_ptr<Handle> handle, std::vector<std::string> names);

  std::filesystem::path m_path;
  std::unique_ptr<Handle> m_handle;
  std::vector<std::string> m_names;
  unsigned long long m_total_limit = k_default_max_total_bytes;
  mutable unsigned long long m_bytes_read = 0;
};

// Writes a new archive at `path` (replacing any file there) holding `members` as
// {name, content} pairs, deflate-compressed as inspect-ai writes them. Returns an empty string
// on success, otherwise the reason it failed.
std::string write_zip_archive(const std::filesystem::path& path,
                              const std::vector<std::pair<std::string, std::string>>& members);

} // namespace seedrun::summarize
