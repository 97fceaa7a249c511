#include "seedrun/util/paths.hpp"

#include "seedrun/util/error.hpp"

#include <fmt/format.h>

namespace seedrun::util {

bool is_strictly_inside(const std::filesystem::path& root, const std::filesystem::path& path) {
  std::error_code ec;
  auto r = std::filesystem::weakly_canonical(root, ec);
  if (ec) {
    return false;
  }
  auto p = std::filesystem::weakly_canonical(path, ec);
  if (ec) {
    return false;
  }
  auto rel = p.lexically_relative(r);
  if (rel.empty() || rel == ".") {
    return false;
  }
  return *rel.begin() != "..";
}

bool remove_inside(const std::filesystem::path& root, const std::filesystem::path& path) {
  std::error_code ec;
  auto st = std::filesystem::symlink_status(path, ec);
  if (ec || !std::filesystem::exists(st)) {
    return false;
  }
  if (std::filesystem::is_symlink(st)) {
    throw Error(fmt::format("refusing to remove {}: it is a symlink (checkpoints are only removed inside {})",
                            path.string(), root.string()));
  }
  if (!is_strictly_inside(root, path)) {
    throw Error(
        fmt::format("refusing to remove {}: it resolves outside the checkpoint root {}", path.string(), root.string()));
  }
  std::filesystem::remove_all(path, ec);
  if (ec) {
    throw Error(fmt::format("cannot remove {}: {}", path.string(), ec.message()));
  }
  return true;
}

std::string sanitize_name(std::string_view text) {
  std::string out;
  for (char c : text) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_';
    char ch = ok ? c : '_';
    if (ch == '_' && (out.empty() || out.back() == '_')) {
      continue;
    }
    out += ch;
  }
  while (!out.empty() && (out.back() == '_' || out.back() == '.')) {
    out.pop_back();
  }
  while (!out.empty() && out.front() == '.') {
    out.erase(0, 1);
  }
  return out;
}

} // namespace seedrun::util
