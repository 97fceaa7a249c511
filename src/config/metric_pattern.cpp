// Metric patterns on RE2. The only file that includes re2.h: RE2's errors become messages here.
#include "seedrun/config/metric_pattern.hpp"

#include "seedrun/config/config.hpp"
#include "seedrun/util/error.hpp"
#include "seedrun/util/strings.hpp"

#include <array>
#include <fmt/format.h>
#include <re2/re2.h>
#include <vector>

namespace seedrun::config {
namespace {

RE2::Options options() {
  RE2::Options o;
  o.set_log_errors(false); // errors are returned as messages, not printed by RE2
  o.set_max_mem(8 << 20);  // RE2's default; patterns needing more are "too large"
  return o;
}

std::string hint_for(const RE2& re) {
  const auto& arg = re.error_arg();
  if (re.error_code() == RE2::ErrorBadEscape && arg.size() == 2 && arg[1] >= '1' && arg[1] <= '9') {
    return " (RE2 syntax has no backreferences)";
  }
  if (arg.starts_with("(?=") || arg.starts_with("(?!") || arg.starts_with("(?<=") || arg.starts_with("(?<!")) {
    return " (RE2 syntax has no lookahead or lookbehind)";
  }
  if (arg.starts_with("(?<")) {
    return " (a named group is written (?P<name>...))";
  }
  return "";
}

// UTF-8 length of the character starting with `lead` (1 for ASCII and for stray bytes).
size_t char_length(unsigned char lead) {
  if (lead >= 0xf0 && lead <= 0xf7) {
    return 4;
  }
  if (lead >= 0xe0) {
    return lead <= 0xef ? 3 : 1;
  }
  return lead >= 0xc0 ? 2 : 1;
}

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}
bool is_alnum(char c) {
  return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

// Index just past a repetition {n}, {n,} or {n,m} starting at `i`, or i when there is none
// (RE2 then reads '{' as a literal).
size_t skip_repetition(std::string_view p, size_t i) {
  size_t j = i + 1;
  size_t digits = 0;
  while (j < p.size() && is_digit(p[j])) {
    ++j;
    ++digits;
  }
  if (digits == 0) {
    return i;
  }
  if (j < p.size() && p[j] == ',') {
    ++j;
    while (j < p.size() && is_digit(p[j])) {
      ++j;
    }
  }
  return j < p.size() && p[j] == '}' ? j + 1 : i;
}

// Index just past the character class starting at `i` ('[').
size_t skip_class(std::string_view p, size_t i) {
  size_t j = i + 1;
  if (j < p.size() && p[j] == '^') {
    ++j;
  }
  if (j < p.size() && p[j] == ']') {
    ++j; // a ']' first is a literal
  }
  while (j < p.size()) {
    if (p[j] == '\\') {
      j += 2;
    } else if (p[j] == '[' && j + 1 < p.size() && p[j + 1] == ':') {
      auto end = p.find(":]", j + 2);
      j = end == std::string_view::npos ? p.size() : end + 2;
    } else if (p[j] == ']') {
      return j + 1;
    } else {
      ++j;
    }
  }
  return p.size();
}

// Index just past the group starting at `i` ('('), or npos when it does not close.
size_t skip_group(std::string_view p, size_t i) {
  int depth = 0;
  size_t j = i;
  while (j < p.size()) {
    char c = p[j];
    if (c == '\\') {
      j += 2;
      continue;
    }
    if (c == '[') {
      j = skip_class(p, j);
      continue;
    }
    if (c == '(') {
      ++depth;
    } else if (c == ')' && --depth == 0) {
      return j + 1;
    }
    ++j;
  }
  return std::string_view::npos;
}

// Index just past an escape starting at `i` ('\\' followed by a letter or digit) that is not a
// literal character: classes (\d \pL \p{Greek}), anchors (\b \A), codes (\x41 \x{263a} \101).
size_t skip_escape(std::string_view p, size_t i) {
  char e = p[i + 1];
  size_t j = i + 2;
  if ((e == 'p' || e == 'P' || e == 'x') && j < p.size() && p[j] == '{') {
    auto end = p.find('}', j);
    return end == std::string_view::npos ? p.size() : end + 1;
  }
  if (e == 'p' || e == 'P') {
    return std::min(p.size(), j + 1);
  }
  if (e == 'x') {
    return std::min(p.size(), j + 2);
  }
  while (e >= '0' && e <= '7' && j < p.size() && j < i + 4 && p[j] >= '0' && p[j] <= '7') {
    ++j;
  }
  return j;
}

// Why a compiled pattern cannot be a metric pattern, or nullopt.
std::optional<std::string> problem_of(const RE2& re, size_t pattern_size) {
  if (!re.ok()) {
    if (re.error_code() == RE2::ErrorPatternTooLarge) {
      return fmt::format("metric.pattern is too large for the matcher ({} bytes)", pattern_size);
    }
    const auto& what = re.error();
    return fmt::format("metric.pattern is not a valid regular expression (RE2 syntax): {}: '{}'{}",
                       util::abbreviate(what.substr(0, what.find(':'))), util::abbreviate(re.error_arg()),
                       hint_for(re));
  }
  const auto& named = re.NamedCapturingGroups();
  int value_groups = re.NumberOfCapturingGroups() - (named.count("step") != 0 ? 1 : 0);
  if (value_groups < 1) {
    return std::string("metric.pattern must have one capture group around the number, e.g. 'val_loss: ([0-9.]+)'");
  }
  return std::nullopt;
}

} // namespace

std::string required_literal_of(std::string_view p) {
  if (p.find("\\Q") != std::string_view::npos) {
    return ""; // \Q...\E quoting: not worth following
  }
  std::string best;
  std::string run;
  auto flush = [&] {
    if (run.size() > best.size()) {
      best = run;
    }
    run.clear();
  };
  size_t i = 0;
  while (i < p.size()) {
    char c = p[i];
    std::string_view unit; // one literal character, when `c` starts one
    size_t next = i + 1;
    if (c == '\\') {
      if (i + 1 >= p.size()) {
        return "";
      }
      char e = p[i + 1];
      if (is_alnum(e)) {
        flush();
        i = skip_escape(p, i);
        continue;
      }
      if (static_cast<unsigned char>(e) >= 0x80) {
        flush();
        i += 1 + char_length(static_cast<unsigned char>(e));
        continue;
      }
      unit = p.substr(i + 1, 1);
      next = i + 2;
    } else if (c == '[') {
      flush();
      i = skip_class(p, i);
      continue;
    } else if (c == '(') {
      if (p.substr(i, 2) == "(?" && i + 2 < p.size() && p[i + 2] != 'P') {
        auto end = p.find_first_of(":)", i + 2);
        if (end == std::string_view::npos || p.substr(i + 2, end - i - 2).find('i') != std::string_view::npos) {
          return ""; // case-insensitive from here: a byte search would miss "VAL_LOSS"
        }
        if (p[end] == ')') { // (?s) and friends change no literal
          i = end + 1;
          continue;
        }
      }
      flush();
      i = skip_group(p, i);
      if (i == std::string_view::npos) {
        return "";
      }
      continue;
    } else if (c == '|' || c == ')') {
      return ""; // alternation at the top: no single string is required
    } else if (c == '{') {
      flush();
      size_t after = skip_repetition(p, i);
      i = after == i ? i + 1 : after;
      continue;
    } else if (c == '.' || c == '^' || c == '$' || c == '*' || c == '+' || c == '?' || c == '}') {
      flush();
      ++i;
      continue;
    } else {
      size_t len = char_length(static_cast<unsigned char>(c));
      unit = p.substr(i, len);
      next = i + len;
    }
    // The quantifier after a character decides whether the character is required.
    char q = next < p.size() ? p[next] : '\0';
    if (q == '*' || q == '?' || q == '{') {
      flush();
    } else if (q == '+') {
      run += unit;
      flush();
    } else {
      run += unit;
    }
    i = next;
  }
  flush();
  return best;
}

struct MetricPattern::Compiled {
  explicit Compiled(const std::string& pattern) : re(pattern, options()) {}
  RE2 re;
  int groups = 0;
  int step_group = -1; // index of (?P<step>...), or -1
};

MetricPattern::MetricPattern(const std::string& pattern)
    : m_pattern(pattern), m_re(std::make_unique<Compiled>(pattern)) {
  if (auto why = problem_of(m_re->re, pattern.size())) {
    throw UsageError(*why);
  }
  m_re->groups = m_re->re.NumberOfCapturingGroups();
  const auto& named = m_re->re.NamedCapturingGroups();
  if (auto it = named.find("step"); it != named.end()) {
    m_re->step_group = it->second;
  }
  m_literal = required_literal_of(pattern);
  if (m_literal.find_first_of("\r\n") != std::string::npos) {
    m_literal.clear(); // a line never holds one; let RE2 decide
  }
}

MetricPattern::~MetricPattern() = default;

std::optional<std::string> MetricPattern::check(const std::string& pattern) {
  RE2 re(pattern, options());
  return problem_of(re, pattern.size());
}

std::optional<MetricPattern::Match> MetricPattern::match(std::string_view line) const {
  const int n = m_re->groups + 1;
  std::array<re2::StringPiece, 8> small;
  std::vector<re2::StringPiece> large;
  re2::StringPiece* groups = small.data();
  if (n > static_cast<int>(small.size())) {
    large.resize(static_cast<size_t>(n));
    groups = large.data();
  }
  if (!m_re->re.Match(re2::StringPiece(line.data(), line.size()), 0, line.size(), RE2::UNANCHORED, groups, n)) {
    return std::nullopt;
  }
  Match m;
  bool found = false;
  for (int g = 1; g < n; ++g) {
    if (g == m_re->step_group || groups[g].data() == nullptr) {
      continue; // a group that took no part in the match (the other side of an alternation)
    }
    m.value = std::string_view(groups[g].data(), groups[g].size());
    found = true;
    break;
  }
  if (!found) {
    return std::nullopt;
  }
  if (m_re->step_group > 0 && groups[m_re->step_group].data() != nullptr) {
    const auto& s = groups[m_re->step_group];
    m.step = std::string_view(s.data(), s.size());
  }
  return m;
}

std::string default_metric_pattern(const std::string& name) {
  return RE2::QuoteMeta(name) + R"(:\s*)" + number_pattern();
}

} // namespace seedrun::config
