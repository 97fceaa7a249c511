#pragma once
// Path safety for the one destructive thing seedrun does: removing checkpoint directories.
#include <filesystem>
#include <string>

namespace seedrun::util {

// True when `path`, with every symlink and '..' resolved, is strictly inside `root` (also
// resolved). A path that does not exist resolves as far as it exists.
bool is_strictly_inside(const std::filesystem::path& root, const std::filesystem::path& path);

// Removes `path` recursively only if it is strictly inside `root` and is not itself a
// symlink; throws seedrun::Error naming both paths otherwise. Returns false if it was absent.
bool remove_inside(const std::filesystem::path& root, const std::filesystem::path& path);

// Characters safe in file and job names: [A-Za-z0-9._] kept, everything else becomes '_',
// runs of '_' collapse, leading/trailing '_' are trimmed.
std::string sanitize_name(std::string_view text);

} // namespace seedrun::util
