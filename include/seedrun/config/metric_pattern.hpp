#pragma once
// A metric pattern (`metric.pattern` in seedrun.yaml), compiled with RE2: matching takes time
// linear in the line, without recursion, whatever the pattern (no catastrophic backtracking).
// This file and metric_pattern.cpp are the only users of RE2.
//
// Syntax: RE2's (https://github.com/google/re2/wiki/Syntax), which is Perl's without
// backreferences and lookaround. The pattern needs at least one capture group; the value is
// the first capture group that took part in the match, ignoring a group named `step`
// (`(?P<step>[0-9]+)`), which, when present, gives the step of the value. docs/config.md.
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace seedrun::config {

class MetricPattern {
public:
  // What one line gave: views into the line passed to match().
  struct Match {
    std::string_view value;
    std::optional<std::string_view> step; // only with a (?P<step>...) group that matched
  };

  // Compiles `pattern`; throws seedrun::UsageError with what is wrong (not valid RE2 syntax,
  // which includes backreferences and lookaround; no capture group; too large).
  explicit MetricPattern(const std::string& pattern);
  ~MetricPattern();
  MetricPattern(const MetricPattern&) = delete;
  MetricPattern& operator=(const MetricPattern&) = delete;

  // Why `pattern` cannot be a metric pattern, or nullopt when it can.
  static std::optional<std::string> check(const std::string& pattern);

  // The first match in `line` (unanchored, like a search), or nullopt.
  std::optional<Match> match(std::string_view line) const;

  // A string every match contains (so a line without it cannot match), or "" when the pattern
  // has none that can be found safely (top-level alternation, case-insensitive flags, ...).
  const std::string& required_literal() const { return m_literal; }
  const std::string& pattern() const { return m_pattern; }

private:
  struct Compiled;
  std::string m_pattern;
  std::string m_literal;
  std::unique_ptr<Compiled> m_re;
};

// `name` with every regex metacharacter escaped, then ":", blanks and a number: the pattern
// used for a metric that has a name and no pattern of its own.
std::string default_metric_pattern(const std::string& name);

// The longest literal string every match of `pattern` (valid RE2 syntax) contains, found by a
// conservative walk over the top level of the pattern; "" when unsure.
std::string required_literal_of(std::string_view pattern);

} // namespace seedrun::config
