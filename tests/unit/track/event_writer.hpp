#pragma once
// Test helper: tensorboard Event messages and TFRecords built byte by byte from the protobuf
// wire format, so each test states exactly which encoding it feeds the reader.
#include "seedrun/track/metric_readers.hpp"

#include <cstring>
#include <string>
#include <vector>

namespace seedrun::test {

inline std::string varint(uint64_t v) {
  std::string out;
  while (v >= 0x80) {
    out += static_cast<char>((v & 0x7f) | 0x80);
    v >>= 7;
  }
  out += static_cast<char>(v);
  return out;
}
inline std::string le(uint64_t v, int bytes) {
  std::string out;
  for (int i = 0; i < bytes; ++i) {
    out += static_cast<char>((v >> (8 * i)) & 0xff);
  }
  return out;
}
inline std::string key(int field, int type) {
  return varint(static_cast<uint64_t>(field) << 3 | static_cast<uint64_t>(type));
}
inline std::string bytes_field(int field, const std::string& data) {
  return key(field, 2) + varint(data.size()) + data;
}
inline std::string float_bits(float f) {
  uint32_t b = 0;
  std::memcpy(&b, &f, 4);
  return le(b, 4);
}
inline std::string double_bits(double d) {
  uint64_t b = 0;
  std::memcpy(&b, &d, 8);
  return le(b, 8);
}

// Summary.Value{tag, simple_value}
inline std::string simple_value(const std::string& tag, float v) {
  return bytes_field(1, tag) + key(2, 5) + float_bits(v);
}
// Summary.Value{tag, tensor{dtype DT_FLOAT, tensor_shape {}, float_val [v]}} as TF2 and
// torch.utils.tensorboard (new_style=True) write a scalar.
inline std::string tensor_float_val(const std::string& tag, float v) {
  std::string tensor = key(1, 0) + varint(1) + bytes_field(2, "") + bytes_field(5, float_bits(v));
  return bytes_field(1, tag) + bytes_field(8, tensor);
}
// The same with the value in tensor_content.
inline std::string tensor_content(const std::string& tag, float v) {
  std::string tensor = key(1, 0) + varint(1) + bytes_field(2, "") + bytes_field(4, float_bits(v));
  return bytes_field(1, tag) + bytes_field(8, tensor);
}
// An Event{wall_time, step, summary{value...}}.
inline std::string event(long long step, const std::vector<std::string>& values, double wall_time = 1.7e9) {
  std::string summary;
  for (const auto& v : values) {
    summary += bytes_field(1, v);
  }
  return key(1, 1) + double_bits(wall_time) + key(2, 0) + varint(static_cast<uint64_t>(step)) + bytes_field(5, summary);
}
// The first event of every file: Event{wall_time, file_version "brain.Event:2"}.
inline std::string file_version_event() {
  return key(1, 1) + double_bits(1.7e9) + bytes_field(3, "brain.Event:2");
}

inline std::string record(const std::string& data) {
  std::string len = le(data.size(), 8);
  return len + le(track::masked_crc32c(len), 4) + data + le(track::masked_crc32c(data), 4);
}

} // namespace seedrun::test
