#pragma once
// Small string helpers with no knowledge of seedrun.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace seedrun::util {

std::vector<std::string> split(std::string_view text, char sep);
std::string trim(std::string_view text);
std::string join(const std::vector<std::string>& parts, std::string_view sep);
bool starts_with(std::string_view text, std::string_view prefix);

// Levenshtein distance, for "did you mean" suggestions. Memory O(|b|), time O(|a|·|b|).
size_t edit_distance(std::string_view a, std::string_view b);
// The candidate closest to `word` when it is close enough to be a plausible typo. Cheap for a
// long word: candidates whose length differs by more than the typo limit are not compared.
std::optional<std::string> closest_match(std::string_view word, const std::vector<std::string>& candidates);

// `text` itself when it has at most `max_bytes` bytes, else its first `max_bytes` bytes (not
// cutting a UTF-8 character) followed by "…": for echoing user input in messages.
std::string abbreviate(std::string_view text, size_t max_bytes = 64);

// The offset of the first byte that is not part of well-formed UTF-8 (overlong forms,
// surrogates and code points above U+10FFFF are ill-formed too), or nullopt when `text` is valid.
std::optional<size_t> first_invalid_utf8(std::string_view text);

// Strict number parsing: the whole text must be the number.
std::optional<double> parse_double(std::string_view text);
std::optional<long long> parse_int(std::string_view text);

} // namespace seedrun::util
