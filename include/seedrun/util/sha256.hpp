#pragma once
// SHA-256 (FIPS 180-4), for content identities (which code a baseline ran). Not used for
// anything secret: it only has to be stable across machines, versions and runs, which
// std::hash is not. Output is lowercase hex.
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

namespace seedrun::util {

class Sha256 {
public:
  Sha256();
  void update(std::string_view bytes);
  std::string hex(); // finishes; the object must not be updated afterwards

private:
  void block(const unsigned char* p);
  uint32_t m_h[8];
  unsigned char m_buf[64];
  size_t m_buf_len = 0;
  uint64_t m_total = 0;
};

std::string sha256_hex(std::string_view bytes);

// The content hash of a file. Files up to `full_limit` bytes are hashed whole; larger ones by
// their size and their first and last `sample` bytes (`sampled` says so), so a 20 GB dataset
// named on a command line costs milliseconds. Throws seedrun::Error when it cannot be read.
struct FileHash {
  std::string hex;
  unsigned long long size = 0;
  bool sampled = false;
};
FileHash sha256_file(const std::filesystem::path& file, unsigned long long full_limit = 64ULL << 20,
                     unsigned long long sample = 8ULL << 20);

} // namespace seedrun::util
