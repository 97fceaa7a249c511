#pragma once
// Files that readers must never see half-written (reports, summaries, plots) are written to a
// temporary file in the same directory, fsynced, then renamed over the target, and the
// directory is fsynced so the rename survives a crash. On any failure (disk full, permission)
// the temporary is removed, the old file is left intact, and seedrun::Error is thrown.
#include <filesystem>
#include <string_view>

namespace seedrun::util {

void write_file_atomic(const std::filesystem::path& path, std::string_view content);

// Reads a whole file; throws seedrun::Error naming the path when it cannot.
std::string read_file(const std::filesystem::path& path);

} // namespace seedrun::util
