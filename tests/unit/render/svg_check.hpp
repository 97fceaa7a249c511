#pragma once
// Test helpers: render an SVG to PNG with rsvg-convert (librsvg) through the ProcessRunner, and
// read the PNG's size, so tests check that a plot parses and is drawn at its declared size.
// SEEDRUN_ANALYZE_KEEP=<dir> keeps the SVG and PNG files there for looking at them.
// rsvg-convert is started with posix_spawnp (no shell), so unit_render links render only.
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <random>
#include <spawn.h>
#include <string>
#include <sys/wait.h>
#include <unistd.h>

namespace seedrun::render::testing {

// A fresh directory under the system temp dir, removed on destruction.
class ScratchDir {
public:
  ScratchDir() {
    std::random_device rd;
    m_path =
        std::filesystem::temp_directory_path() / ("seedrun-analyze-" + std::to_string(rd()) + std::to_string(rd()));
    std::filesystem::create_directories(m_path);
  }
  ~ScratchDir() {
    std::error_code ec;
    std::filesystem::remove_all(m_path, ec);
  }
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;
  const std::filesystem::path& path() const { return m_path; }

private:
  std::filesystem::path m_path;
};

inline std::string slurp(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

inline void spit(const std::filesystem::path& p, const std::string& text) {
  std::filesystem::create_directories(p.parent_path());
  std::ofstream(p, std::ios::binary) << text;
}

struct PngInfo {
  bool ok = false;
  std::string error;
  unsigned width = 0;
  unsigned height = 0;
};

// Converts `svg_file` to a PNG beside it and reads the PNG header (signature, IHDR size).
inline PngInfo render_png(const std::filesystem::path& svg_file) {
  PngInfo info;
  auto png = std::filesystem::path(svg_file).replace_extension(".png");
  std::string out = png.string();
  std::string in = svg_file.string();
  std::string args[] = {"rsvg-convert", "--format", "png", "--output", out, in};
  char* argv[] = {args[0].data(), args[1].data(), args[2].data(), args[3].data(),
                  args[4].data(), args[5].data(), nullptr};
  pid_t pid = 0;
  if (int rc = posix_spawnp(&pid, argv[0], nullptr, nullptr, argv, environ); rc != 0) {
    info.error = "rsvg-convert could not be started: " + std::to_string(rc);
    return info;
  }
  int status = 0;
  if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    info.error = "rsvg-convert failed (status " + std::to_string(status) + ")";
    return info;
  }
  std::string data = slurp(png);
  if (data.size() < 24 || data.compare(0, 8, "\x89PNG\r\n\x1a\n") != 0 || data.compare(12, 4, "IHDR") != 0) {
    info.error = "not a PNG";
    return info;
  }
  auto be32 = [&](size_t at) {
    return (static_cast<unsigned>(static_cast<unsigned char>(data[at])) << 24) |
           (static_cast<unsigned>(static_cast<unsigned char>(data[at + 1])) << 16) |
           (static_cast<unsigned>(static_cast<unsigned char>(data[at + 2])) << 8) |
           static_cast<unsigned>(static_cast<unsigned char>(data[at + 3]));
  };
  info.width = be32(16);
  info.height = be32(20);
  info.ok = true;
  if (const char* keep = std::getenv("SEEDRUN_ANALYZE_KEEP")) {
    std::filesystem::create_directories(keep);
    std::filesystem::copy_file(svg_file, std::filesystem::path(keep) / svg_file.filename(),
                               std::filesystem::copy_options::overwrite_existing);
    std::filesystem::copy_file(png, std::filesystem::path(keep) / png.filename(),
                               std::filesystem::copy_options::overwrite_existing);
  }
  return info;
}

// With SEEDRUN_ANALYZE_KEEP=<dir>, copies the analysis directory `from` to <dir>/<name>.
inline void keep_tree(const std::filesystem::path& from, const std::string& name) {
  if (const char* keep = std::getenv("SEEDRUN_ANALYZE_KEEP")) {
    auto to = std::filesystem::path(keep) / name;
    std::filesystem::remove_all(to);
    std::filesystem::create_directories(to);
    std::filesystem::copy(from, to, std::filesystem::copy_options::recursive);
  }
}

// Occurrences of `needle` in `hay`.
inline size_t count_of(const std::string& hay, const std::string& needle) {
  size_t n = 0;
  for (size_t at = hay.find(needle); at != std::string::npos; at = hay.find(needle, at + needle.size())) {
    ++n;
  }
  return n;
}

// The value of attribute `name` of the root <svg> element, as a number.
inline double root_attribute(const std::string& svg, const std::string& name) {
  auto end = svg.find('>');
  auto at = svg.find(" " + name + "=\"");
  if (at == std::string::npos || at > end) {
    return -1;
  }
  return std::stod(svg.substr(at + name.size() + 3));
}

} // namespace seedrun::render::testing
