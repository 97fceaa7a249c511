#pragma once
// The pure parts of the metric sources (metric_source.hpp), tested and fuzzed on bytes: one
// JSON line, one trainer_state.json, one TFRecord, one tensorboard Event message.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace seedrun::track {

// Python's json module writes NaN, Infinity and -Infinity bare (allow_nan=True, the default),
// which is not JSON: outside strings they become the strings "NaN", "Infinity", "-Infinity",
// which the readers below read as numbers. Everything else is copied as is.
std::string quote_python_nonfinite(std::string_view json_text);

// What one JSON line gave for a key.
struct JsonLineValue {
  enum class Kind { value, absent, unreadable };
  Kind kind = Kind::absent;
  double value = 0; // may be nan/inf (written NaN/Infinity by Python, or "nan" as a string)
  std::optional<long long> step;
  std::string problem; // for `unreadable`: why
};

// Reads `key` (a top-level member, else a dotted path "train.loss") and `step_key` from one
// line. A number, or a string holding one ("nan", "2.5"), is a value; null or a missing key is
// absent; a line that is not a JSON object, or a value of another type, is unreadable.
// Never throws.
JsonLineValue read_json_line(std::string_view line, const std::string& key, const std::string& step_key);

// One entry of trainer_state.json's log_history that has the key.
struct TrainerStateEntry {
  long long step = 0;
  double value = 0;
};

struct TrainerState {
  std::vector<TrainerStateEntry> entries; // in log_history order
  size_t unreadable = 0;                  // entries with the key but no usable value or step
  std::optional<std::string> problem;     // the file is not a trainer state (not JSON, no log_history)
};

// The entries of log_history holding `key` as a number (NaN as Python writes it included; null
// is absent), with their "step". Never throws.
TrainerState read_trainer_state(std::string_view text, const std::string& key);

// CRC-32C (Castagnoli), as TFRecord uses it, and its masked form.
uint32_t crc32c(std::string_view data, uint32_t crc = 0);
uint32_t masked_crc32c(std::string_view data);

// A TFRecord: u64 length (little-endian), masked CRC-32C of those 8 bytes, the data, masked
// CRC-32C of the data.
struct RecordFrame {
  enum class Status {
    ok,             // a whole record whose CRCs match: `data` is it
    incomplete,     // the bytes end before the record does (a writer mid-write)
    bad_length_crc, // the length cannot be trusted: nothing after it can be framed
    bad_data_crc,   // the record is whole but its data is damaged: skip `size` bytes
    too_large,      // longer than the caller's limit: skip `size` bytes unread
  };
  Status status = Status::incomplete;
  uint64_t length = 0; // of the data (valid unless bad_length_crc)
  uint64_t size = 0;   // of the whole record, 16 + length (valid for ok, bad_data_crc, too_large)
  std::string_view data;
};

constexpr size_t k_record_header = 12;
constexpr size_t k_record_overhead = 16;

// Frames the record at the start of `bytes`. Only the 12 header bytes are needed to learn the
// length; the data is checked when `bytes` holds the whole record.
RecordFrame frame_record(std::string_view bytes, uint64_t max_length);

// A scalar of one tensorboard Event: Summary.Value.simple_value, or a Summary.Value.tensor of
// dtype float, double, half or bfloat16 holding one element (float_val, double_val, half_val
// or tensor_content), as TF2's tf.summary.scalar and torch.utils.tensorboard (new_style) write.
struct EventScalar {
  std::string tag;
  double value = 0;
};

struct Event {
  long long step = 0; // Event.step (0 when absent, as in protobuf)
  double wall_time = 0;
  std::vector<EventScalar> scalars;
};

// Decodes an Event message (tensorflow/core/util/event.proto, the fields docs/metrics.md lists)
// by hand; nullopt when the bytes are not a well-formed message. Values that are not scalars
// (images, histograms, text) are passed over.
std::optional<Event> decode_event(std::string_view bytes);

} // namespace seedrun::track
