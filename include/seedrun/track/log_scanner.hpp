#pragma once
// Reads metric values out of training output as it arrives, in chunks of any size. Training
// logs are hostile: CRLF, tqdm's '\r' rewrites, ANSI colour codes, invalid UTF-8, 'nan' and
// 'inf', numbers of 50,000 digits, lines of megabytes. The scanner splits on '\n' and '\r',
// strips ANSI escape sequences, and applies the metric pattern (config::MetricPattern: RE2,
// linear time) to every logical line; when the line also carries a step ("Step 120 |
// val_loss: 2.41", "step=120", or the pattern's own (?P<step>...) group), the step is kept so
// that curves can be drawn.
//
// Contract (what the fuzz target checks):
// - No input makes it crash, hang or use more than O(k_max_line) memory besides the values.
// - The result does not depend on how the bytes are cut into chunks: values, consumed(),
//   unreadable(), skipped() and first_problem() are the same for any split of the same bytes.
// - Only lines holding the pattern's required literal (or an escape sequence, which may hide
//   it) are matched; the others are skipped at memchr/memmem speed.
// - A line that cannot be read is never fatal: a line longer than k_max_line that could hold
//   the metric is skipped, a match that is not a number (or one that overflows a double, or is
//   longer than k_max_value) is counted; both are reported through first_problem().
#include "seedrun/config/metric_pattern.hpp"

#include <array>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace seedrun::track {

struct ScannedValue {
  std::optional<long long> step;
  double value = 0; // may be nan/inf: the caller decides what to do with non-finite values
};

// A line the scanner could not read.
struct ScanProblem {
  size_t offset = 0; // of the line's first byte, counted from the first byte fed
  std::string what;  // "a line of 2097152 bytes (the limit is 1048576) was not scanned"
};

// Finds one fixed string in text, many times, without per-call setup (used for the pattern's
// required literal).
class LiteralFinder {
public:
  explicit LiteralFinder(std::string needle) : m_needle(std::move(needle)) {}
  // The first position in text[from, to) where the needle starts, or npos.
  size_t find(std::string_view text, size_t from, size_t to) const;

private:
  std::string m_needle;
};

class LogScanner {
public:
  static constexpr size_t k_max_line = 1 << 20;
  static constexpr size_t k_max_value = 64; // a captured value longer than this is not a number

  // Compiles `pattern` (throws seedrun::UsageError when it is not a valid metric pattern).
  explicit LogScanner(const std::string& pattern);
  // With a pattern compiled once by the caller (compiling costs more than scanning a log).
  explicit LogScanner(std::shared_ptr<const config::MetricPattern> pattern);

  // Feeds raw bytes; complete lines are scanned now, a trailing partial line is kept (at most
  // k_max_line bytes of it).
  void feed(std::string_view bytes);
  // Scans the pending partial line (end of file for a finished run).
  void finish();

  // Values found since the last take(), in order.
  std::vector<ScannedValue> take();
  // Bytes consumed into complete lines so far (an offset safe to resume from).
  size_t consumed() const { return m_consumed; }
  // Lines that matched the pattern but whose capture was not a number.
  size_t unreadable() const { return m_unreadable; }
  // Lines longer than k_max_line that were not scanned.
  size_t skipped() const { return m_skipped; }
  // The first unreadable or skipped line, if any.
  const std::optional<ScanProblem>& first_problem() const { return m_first_problem; }

private:
  // Scans the complete lines of bytes[begin, end) (end is just past a line end).
  void scan_lines(std::string_view bytes, size_t begin, size_t end, size_t origin);
  // `has_literal`: the raw bytes hold the required literal (always true without one).
  void handle_line(std::string_view line, size_t offset, bool has_literal);
  void scan_line(std::string_view raw, size_t offset, bool has_literal);
  bool may_hide_literal(std::string_view raw) const;
  void append_partial(std::string_view piece);
  void finish_partial();
  bool is_candidate(std::string_view text) const;
  void note_problem(size_t offset, std::string what);

  std::shared_ptr<const config::MetricPattern> m_pattern;
  std::string m_literal; // the pattern's required literal ("" = every line is a candidate)
  LiteralFinder m_finder;
  std::array<bool, 256> m_inner_bytes{}; // the literal's bytes but the last (see may_hide_literal)
  std::string m_partial;                 // the unfinished line, while it is at most k_max_line bytes
  size_t m_partial_size = 0;
  bool m_partial_long = false;      // longer than k_max_line: only its size and candidacy are kept
  bool m_partial_candidate = false; // (long partial) it may hold the metric
  std::string m_partial_tail;       // (long partial) its last m_literal.size() - 1 bytes
  size_t m_fed = 0;
  size_t m_consumed = 0;
  size_t m_unreadable = 0;
  size_t m_skipped = 0;
  std::optional<ScanProblem> m_first_problem;
  std::string m_scratch; // a line without its escape sequences
  std::vector<ScannedValue> m_found;
};

// The step a line mentions: the digits after the first "step", "Step", "STEP", "iter", "Iter",
// "iteration" or "Iteration" that follows a non-letter (or starts the line), then blanks, an
// optional ':', '=' or '#', blanks.
std::optional<std::string_view> find_step(std::string_view line);
// Removes ANSI CSI/OSC escape sequences.
std::string strip_ansi(std::string_view text);
// Parses a number as training scripts print it, including nan, inf, -inf, NaN, Infinity;
// nullopt for anything else, including a number too large for a double (1e999).
std::optional<double> parse_metric_number(std::string_view text);

} // namespace seedrun::track
