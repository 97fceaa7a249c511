#pragma once
// POSIX-shell-like word splitting and quoting, used only to turn a user's one-line command
// into an argument vector and to write argument vectors into batch scripts. Nothing here
// ever runs a shell.
#include <string>
#include <string_view>
#include <vector>

namespace seedrun::util {

// Splits like sh would (single quotes, double quotes with \" \\ \$ \` escapes, backslash
// outside quotes), without expansion of any kind. Throws seedrun::UsageError on an unclosed
// quote or a trailing backslash.
std::vector<std::string> shell_split(std::string_view line);

// Quotes one word so that sh reads it back as exactly that word ('...' with '\'' for quotes).
std::string shell_quote(std::string_view word);

} // namespace seedrun::util
