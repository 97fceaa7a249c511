#pragma once
// The last lines of a file, for showing why a run failed. Reads at most `max_bytes` from the
// end whatever the file's size; '\r' progress rewrites count as line ends, ANSI escapes and
// other control characters are dropped and invalid UTF-8 is kept as bytes (callers writing
// JSON replace it). A missing or unreadable file gives an empty list, never an error: the
// tail is a courtesy beside the failure, not the failure itself.
#include <cstddef>
#include <filesystem>
#include <string>
#include <vector>

namespace seedrun::util {

std::vector<std::string> tail_lines(const std::filesystem::path& file, size_t max_lines = 5, size_t max_bytes = 16384);

} // namespace seedrun::util
