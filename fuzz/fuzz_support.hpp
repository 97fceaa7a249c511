#pragma once
// Shared by the fuzz targets: an input expander that lets a small fuzz input stand for a long
// or deeply nested one (the crashes of issue 9 needed 40,000-character lines and 300,000
// nested brackets, far beyond what libFuzzer's max_len lets it write byte by byte), a scratch
// directory per fuzzing process, and a check that fails loudly.
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>
#include <unistd.h>

namespace seedrun::fuzz {

// Bytes "\x00\xfeR" + count (3 bytes, little-endian) + length (1 byte) + segment are replaced
// by the segment repeated `count` times. The result is capped at k_max_expanded bytes, so a
// 20-byte input can become a 512 KiB line or a 500,000-deep bracket nest (issue 9 needed
// 40,000 characters and 300,000 brackets); a larger cap makes every expanded input slow.
inline constexpr size_t k_max_expanded = size_t{512} << 10;

inline std::string expand(std::string_view in) {
  static constexpr std::string_view k_marker{"\x00\xfeR", 3};
  std::string out;
  size_t i = 0;
  while (i < in.size() && out.size() < k_max_expanded) {
    size_t at = in.find(k_marker, i);
    if (at == std::string_view::npos || at + 7 > in.size()) {
      out.append(in.substr(i));
      break;
    }
    out.append(in.substr(i, at - i));
    const auto* p = reinterpret_cast<const unsigned char*>(in.data() + at + 3);
    size_t count = p[0] | (size_t{p[1]} << 8) | (size_t{p[2]} << 16);
    size_t len = p[3];
    std::string_view segment = in.substr(at + 7, len);
    // Doubling: a few appends however many repetitions (this runs on every input).
    size_t total = std::min(count * segment.size(), k_max_expanded - out.size());
    size_t first = out.size();
    out.append(segment.substr(0, total));
    while (out.size() - first < total) {
      size_t have = out.size() - first;
      out.append(out, first, std::min(have, total - have));
    }
    i = at + 7 + segment.size();
  }
  if (out.size() > k_max_expanded) {
    out.resize(k_max_expanded);
  }
  return out;
}

// A directory private to this fuzzing process, removed at exit.
inline const std::filesystem::path& scratch_dir() {
  static const std::filesystem::path dir = [] {
    auto d = std::filesystem::temp_directory_path() / ("seedrun-fuzz-" + std::to_string(::getpid()));
    std::filesystem::create_directories(d);
    std::atexit([] {
      std::error_code ec;
      std::filesystem::remove_all(
          std::filesystem::temp_directory_path() / ("seedrun-fuzz-" + std::to_string(::getpid())), ec);
    });
    return d;
  }();
  return dir;
}

inline void write_file(const std::filesystem::path& path, std::string_view bytes, bool append = false) {
  std::ofstream out(path, std::ios::binary | (append ? std::ios::app : std::ios::trunc));
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

// A property the reader must hold; failing it is a finding like a crash.
#define SEEDRUN_FUZZ_CHECK(cond)                                                                                       \
  do {                                                                                                                 \
    if (!(cond)) {                                                                                                     \
      std::fprintf(stderr, "fuzz check failed: %s (%s:%d)\n", #cond, __FILE__, __LINE__);                              \
      std::abort();                                                                                                    \
    }                                                                                                                  \
  } while (0)

} // namespace seedrun::fuzz
