#pragma once
// Reads metric values out of training output as it arrives, in chunks of any size. Training
// logs are hostile: CRLF, tqdm's '\r' rewrites, ANSI colour codes, invalid UTF-8, 'nan' and
// 'inf', lines of hundreds of kilobytes. The scanner splits on '\n' and '\r', strips ANSI
// escape sequences, and applies the metric regex (one capture group) to every logical line;
// when the line also carries a step ("Step 120 | val_loss: 2.41", "step=120"), the step is kept
// so that curves can be drawn. A line longer than k_max_line is cut (the tail is scanned).
#include <memory>
#include <optional>
#include <regex>
#include <string>
#include <string_view>
#include <vector>

namespace seedrun::track {

struct ScannedValue {
  std::optional<long long> step;
  double value = 0; // may be nan/inf: the caller decides what to do with non-finite values
};

class LogScanner {
public:
  static constexpr size_t k_max_line = 1 << 20;

  // `pattern` must have at least one capture group (validated by the config loader).
  explicit LogScanner(const std::string& pattern);
  // With a pattern compiled once by the caller (compiling costs more than scanning a log).
  explicit LogScanner(std::shared_ptr<const std::regex> pattern);

  // Feeds raw bytes; complete lines are scanned now, a trailing partial line is kept.
  void feed(std::string_view bytes);
  // Scans the pending partial line (end of file for a finished run).
  void finish();

  // Values found since the last take(), in order.
  std::vector<ScannedValue> take();
  // Bytes consumed into complete lines so far (an offset safe to resume from).
  size_t consumed() const { return m_consumed; }
  // Lines that matched the pattern but whose capture was not a number.
  size_t unreadable() const { return m_unreadable; }

private:
  void scan_line(std::string_view line);

  std::shared_ptr<const std::regex> m_pattern;
  std::string m_partial;
  size_t m_consumed = 0;
  size_t m_pending = 0; // bytes of the unfinished line, kept or dropped
  size_t m_unreadable = 0;
  std::vector<ScannedValue> m_found;
};

// Removes ANSI CSI/OSC escape sequences.
std::string strip_ansi(std::string_view text);
// Parses a number as training scripts print it, including nan, inf, -inf, NaN, Infinity.
std::optional<double> parse_metric_number(std::string_view text);

} // namespace seedrun::track
