#pragma once
// Metric sources other than the run's output (issue 12): a JSON-lines file, Hugging Face's
// trainer_state.json, TensorBoard event files. Each reader is given the run's output directory
// and the cursor it returned last time, and returns only what is new since then, with the new
// cursor. Nothing is ever read twice while the files only grow; a file that went back (truncated,
// replaced, its steps rewound) is read again from the start and the result says so (`reset`),
// so the caller forgets what it stored before and no point is stored twice.
//
// Memory is bounded whatever the files hold: a read stops after `max_points` points (`more`
// says to call again), a JSON line longer than k_max_line is skipped, a trainer_state.json
// larger than k_max_state_file is not parsed, a TensorBoard record larger than k_max_record is
// skipped unread. Nothing in a file can make a reader throw or crash: what cannot be read is
// counted and the first problem is described in `warning` (docs/metrics.md).
//
// The stdout `pattern` source is not one of these: the log follower (log_follower.hpp) reads it.
#include "seedrun/config/config.hpp"
#include "seedrun/store/store.hpp"

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace seedrun::track {

// Where a reader stopped in one file.
struct FileCursor {
  std::string name;     // path relative to the directory searched (or the file itself)
  std::string identity; // "dev:inode" when last read
  long long offset = 0; // bytes consumed (JSON lines, TensorBoard records)
  long long size = 0;   // size when last read (trainer_state.json: read again when it changes)
  long long mtime_ns = 0;
  bool skipping = false; // (JSON lines) inside a line longer than k_max_line, skipped to its end
  bool broken = false;   // (TensorBoard) a record header failed its CRC: the rest is not readable
  bool operator==(const FileCursor&) const = default;
};

// Where a reader stopped in its source: stored by the caller between reads, as text.
struct SourceCursor {
  std::vector<FileCursor> files;
  std::optional<long long> last_step; // (trainer_state.json) the highest step already returned

  // One line of JSON; decode(encode()) gives the same cursor back.
  std::string encode() const;
  // nullopt when `text` is not a cursor encode() wrote (the caller then reads from the start
  // after forgetting the points it had).
  static std::optional<SourceCursor> decode(std::string_view text);
  bool operator==(const SourceCursor&) const = default;
};

// What one read returned.
struct SourceRead {
  std::vector<store::MetricPoint> points; // in file order, named after the metric
  SourceCursor cursor;                    // pass it to the next read
  bool reset = false;                     // the source went back: forget every point read before; `points` start over
  bool more = false;                      // stopped at max_points: call again for the rest
  size_t unreadable = 0;                  // lines, entries or records that could not be read
  std::optional<std::string> warning;     // what the user should know (the first problem, a reset)
};

// Where a run writes: the directory relative file names are resolved against.
struct SourceContext {
  std::filesystem::path output_dir; // the run's {output_dir}
  long long seed = 0;               // expands {seed} in file names
};

class MetricSource {
public:
  static constexpr size_t k_default_batch = 1 << 16;

  virtual ~MetricSource() = default;
  // Reads what is new since `cursor` (a default SourceCursor: from the start). `final_read`:
  // the run has ended, so a trailing line without its newline is read and a record cut short
  // is reported. Never throws for anything found in the files.
  virtual SourceRead read(const SourceCursor& cursor, bool final_read, size_t max_points = k_default_batch) const = 0;
};

// The reader for `spec` (jsonl, hf_trainer_state or tensorboard), or nullptr for a `pattern`
// metric, which the log follower reads.
std::unique_ptr<MetricSource> make_metric_source(const config::MetricSpec& spec, const SourceContext& context);

// Expands {output_dir} and {seed} in `name`; a relative result is taken inside output_dir.
std::filesystem::path resolve_source_path(const std::string& name, const SourceContext& context);

} // namespace seedrun::track
