#include "seedrun/util/log_tail.hpp"

#include <algorithm>
#include <fstream>

namespace seedrun::util {
namespace {

// Drops ESC [ ... final-byte sequences and other control bytes; keeps tabs.
std::string printable(const std::string& line) {
  std::string out;
  out.reserve(line.size());
  for (size_t i = 0; i < line.size(); ++i) {
    auto c = static_cast<unsigned char>(line[i]);
    if (c == 0x1b) {
      if (i + 1 < line.size() && line[i + 1] == '[') {
        i += 2;
        while (i < line.size() && !(line[i] >= 0x40 && line[i] <= 0x7e)) {
          ++i;
        }
      }
      continue;
    }
    if (c < 0x20 && c != '\t') {
      continue;
    }
    out.push_back(static_cast<char>(c));
  }
  constexpr size_t k_max_line = 400;
  if (out.size() > k_max_line) {
    out = out.substr(0, k_max_line) + "…";
  }
  return out;
}

} // namespace

std::vector<std::string> tail_lines(const std::filesystem::path& file, size_t max_lines, size_t max_bytes) {
  std::ifstream in(file, std::ios::binary | std::ios::ate);
  if (!in) {
    return {};
  }
  auto size = static_cast<size_t>(std::max<std::streamoff>(in.tellg(), 0));
  size_t take = std::min(size, max_bytes);
  std::string buf(take, '\0');
  in.seekg(static_cast<std::streamoff>(size - take));
  in.read(buf.data(), static_cast<std::streamsize>(take));
  buf.resize(static_cast<size_t>(std::max<std::streamsize>(in.gcount(), 0)));
  std::vector<std::string> lines;
  size_t start = 0;
  for (size_t i = 0; i <= buf.size(); ++i) {
    if (i == buf.size() || buf[i] == '\n' || buf[i] == '\r') {
      if (i > start) {
        auto line = printable(buf.substr(start, i - start));
        if (!line.empty()) {
          lines.push_back(std::move(line));
        }
      }
      start = i + 1;
    }
  }
  if (take < size && !lines.empty()) {
    lines.erase(lines.begin()); // cut mid-line by the byte limit
  }
  if (lines.size() > max_lines) {
    lines.erase(lines.begin(), lines.end() - static_cast<std::ptrdiff_t>(max_lines));
  }
  return lines;
}

} // namespace seedrun::util
