// TFRecord framing and a hand decoder of the few tensorboard Event fields seedrun reads.
//
// Why by hand and not libprotobuf (docs/metrics.md, "TensorBoard"): the fields needed are four
// nested messages deep but only a dozen numbers; this file (with the framing) is ~430 lines, no generated
// code, no protoc at build time and no new package, it allocates nothing but the tags and values
// it returns, it has no recursion (each message level is its own function, unknown fields are
// skipped by length), and it is compiled with the fuzzer's coverage instrumentation, which a
// Debian libprotobuf is not.
#include "seedrun/track/metric_readers.hpp"

#include <array>
#include <cmath>
#include <cstring>

namespace seedrun::track {
namespace {

constexpr std::array<uint32_t, 256> make_crc_table() {
  std::array<uint32_t, 256> t{};
  for (uint32_t i = 0; i < 256; ++i) {
    uint32_t c = i;
    for (int k = 0; k < 8; ++k) {
      c = (c & 1) != 0 ? (c >> 1) ^ 0x82f63b78U : c >> 1; // Castagnoli, reflected
    }
    t[i] = c;
  }
  return t;
}
constexpr auto k_crc_table = make_crc_table();

uint64_t load_le(const char* p, int bytes) {
  uint64_t v = 0;
  for (int i = bytes - 1; i >= 0; --i) {
    v = (v << 8) | static_cast<unsigned char>(p[i]);
  }
  return v;
}

// Protocol buffers wire format (https://protobuf.dev/programming-guides/encoding/).
enum WireType : int { k_varint = 0, k_fixed64 = 1, k_bytes = 2, k_fixed32 = 5 };

class Wire {
public:
  explicit Wire(std::string_view bytes) : m_bytes(bytes) {}
  bool done() const { return m_pos >= m_bytes.size(); }

  bool varint(uint64_t& v) {
    v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (m_pos >= m_bytes.size()) {
        return false;
      }
      auto b = static_cast<unsigned char>(m_bytes[m_pos++]);
      v |= static_cast<uint64_t>(b & 0x7f) << shift;
      if ((b & 0x80) == 0) {
        return true;
      }
    }
    return false; // more than 10 bytes
  }
  // The next field's number and wire type; false at a malformed key.
  bool key(uint64_t& number, int& type) {
    uint64_t k = 0;
    if (!varint(k)) {
      return false;
    }
    number = k >> 3;
    type = static_cast<int>(k & 7);
    return number != 0;
  }
  bool fixed(int bytes, uint64_t& v) {
    if (m_bytes.size() - m_pos < static_cast<size_t>(bytes)) {
      return false;
    }
    v = load_le(m_bytes.data() + m_pos, bytes);
    m_pos += static_cast<size_t>(bytes);
    return true;
  }
  bool bytes(std::string_view& out) {
    uint64_t n = 0;
    if (!varint(n) || n > m_bytes.size() - m_pos) {
      return false;
    }
    out = m_bytes.substr(m_pos, n);
    m_pos += n;
    return true;
  }
  // Skips a field of `type` (groups, types 3 and 4, are refused: nothing here writes them).
  bool skip(int type) {
    uint64_t v = 0;
    std::string_view s;
    switch (type) {
    case k_varint: return varint(v);
    case k_fixed64: return fixed(8, v);
    case k_bytes: return bytes(s);
    case k_fixed32: return fixed(4, v);
    default: return false;
    }
  }

private:
  std::string_view m_bytes;
  size_t m_pos = 0;
};

double float_of(uint64_t bits) {
  auto b = static_cast<uint32_t>(bits);
  float f = 0;
  std::memcpy(&f, &b, sizeof f);
  return f;
}
double double_of(uint64_t bits) {
  double d = 0;
  std::memcpy(&d, &bits, sizeof d);
  return d;
}
double half_of(uint64_t bits) {
  auto h = static_cast<uint32_t>(bits & 0xffff);
  double sign = (h & 0x8000) != 0 ? -1.0 : 1.0;
  int exponent = static_cast<int>((h >> 10) & 0x1f);
  double mantissa = h & 0x3ff;
  if (exponent == 0) {
    return sign * std::ldexp(mantissa, -24);
  }
  if (exponent == 31) {
    return mantissa == 0 ? sign * INFINITY : NAN;
  }
  return sign * std::ldexp(mantissa + 1024, exponent - 25);
}
double bfloat16_of(uint64_t bits) {
  return float_of((bits & 0xffff) << 16);
}

// tensorflow/core/framework/types.proto
enum DataType : uint64_t { k_dt_float = 1, k_dt_double = 2, k_dt_bfloat16 = 14, k_dt_half = 19 };

// Repeated numbers, packed (wire type 2) or one by one; only the first is kept.
bool first_of_repeated(Wire& w, int type, int fixed_bytes, std::optional<uint64_t>& first) {
  if (type == k_bytes) {
    std::string_view packed;
    if (!w.bytes(packed)) {
      return false;
    }
    Wire inner(packed);
    while (!inner.done()) {
      uint64_t v = 0;
      if (!(fixed_bytes == 0 ? inner.varint(v) : inner.fixed(fixed_bytes, v))) {
        return false;
      }
      if (!first) {
        first = v;
      }
    }
    return true;
  }
  uint64_t v = 0;
  if (!(fixed_bytes == 0 ? (type == k_varint && w.varint(v))
                         : (type == (fixed_bytes == 4 ? k_fixed32 : k_fixed64) && w.fixed(fixed_bytes, v)))) {
    return false;
  }
  if (!first) {
    first = v;
  }
  return true;
}

// TensorShapeProto: the number of elements (dims' sizes multiplied), nullopt for an unknown rank
// or a size that is not a count.
bool shape_elements(std::string_view bytes, std::optional<uint64_t>& elements) {
  Wire w(bytes);
  uint64_t count = 1;
  bool known = true;
  while (!w.done()) {
    uint64_t field = 0;
    int type = 0;
    if (!w.key(field, type)) {
      return false;
    }
    if (field == 2 && type == k_bytes) { // dim
      std::string_view dim;
      if (!w.bytes(dim)) {
        return false;
      }
      Wire d(dim);
      uint64_t size = 1;
      while (!d.done()) {
        uint64_t f = 0;
        int t = 0;
        if (!d.key(f, t)) {
          return false;
        }
        if (f == 1 && t == k_varint) {
          if (!d.varint(size)) {
            return false;
          }
        } else if (!d.skip(t)) {
          return false;
        }
      }
      count = size > 1 && count > UINT64_MAX / size ? UINT64_MAX : count * size; // -1 (unknown) is huge
    } else if (field == 3 && type == k_varint) {                                 // unknown_rank
      uint64_t v = 0;
      if (!w.varint(v)) {
        return false;
      }
      known = known && v == 0;
    } else if (!w.skip(type)) {
      return false;
    }
  }
  elements = known ? std::optional<uint64_t>(count) : std::nullopt;
  return true;
}

// TensorProto holding one float-like element: its value. `ok` false when malformed.
std::optional<double> tensor_scalar(std::string_view bytes, bool& ok) {
  Wire w(bytes);
  uint64_t dtype = 0;
  std::optional<uint64_t> elements = 1; // no shape: a scalar
  std::string_view content;
  std::optional<uint64_t> f32, f64, f16;
  ok = false;
  while (!w.done()) {
    uint64_t field = 0;
    int type = 0;
    if (!w.key(field, type)) {
      return std::nullopt;
    }
    bool read = true;
    if (field == 1 && type == k_varint) {
      read = w.varint(dtype);
    } else if (field == 2 && type == k_bytes) {
      std::string_view shape;
      read = w.bytes(shape) && shape_elements(shape, elements);
    } else if (field == 4 && type == k_bytes) {
      read = w.bytes(content);
    } else if (field == 5) {
      read = first_of_repeated(w, type, 4, f32);
    } else if (field == 6) {
      read = first_of_repeated(w, type, 8, f64);
    } else if (field == 13) {
      read = first_of_repeated(w, type, 0, f16);
    } else {
      read = w.skip(type);
    }
    if (!read) {
      return std::nullopt;
    }
  }
  ok = true;
  if (elements != std::optional<uint64_t>(1)) {
    return std::nullopt; // not a scalar (or an unknown shape)
  }
  auto from_content = [&](size_t n) {
    return content.size() == n ? std::optional<uint64_t>(load_le(content.data(), static_cast<int>(n))) : std::nullopt;
  };
  switch (dtype) {
  case k_dt_float:
    if (auto b = f32 ? f32 : from_content(4)) {
      return float_of(*b);
    }
    break;
  case k_dt_double:
    if (auto b = f64 ? f64 : from_content(8)) {
      return double_of(*b);
    }
    break;
  case k_dt_half:
    if (auto b = f16 ? f16 : from_content(2)) {
      return half_of(*b);
    }
    break;
  case k_dt_bfloat16:
    if (auto b = f16 ? f16 : from_content(2)) {
      return bfloat16_of(*b);
    }
    break;
  default: break;
  }
  return std::nullopt;
}

// Summary.Value: its scalar, if it holds one. `ok` false when malformed.
std::optional<EventScalar> summary_value(std::string_view bytes, bool& ok) {
  Wire w(bytes);
  EventScalar out;
  std::optional<double> simple;
  std::optional<double> tensor;
  ok = false;
  while (!w.done()) {
    uint64_t field = 0;
    int type = 0;
    if (!w.key(field, type)) {
      return std::nullopt;
    }
    bool read = true;
    if (field == 1 && type == k_bytes) {
      std::string_view tag;
      read = w.bytes(tag);
      out.tag.assign(tag);
    } else if (field == 2 && type == k_fixed32) {
      uint64_t bits = 0;
      read = w.fixed(4, bits);
      simple = float_of(bits);
    } else if (field == 8 && type == k_bytes) {
      std::string_view t;
      bool tensor_ok = false;
      read = w.bytes(t);
      if (read) {
        tensor = tensor_scalar(t, tensor_ok);
        read = tensor_ok;
      }
    } else {
      read = w.skip(type);
    }
    if (!read) {
      return std::nullopt;
    }
  }
  ok = true;
  if (!simple && !tensor) {
    return std::nullopt;
  }
  out.value = simple ? *simple : *tensor;
  return out;
}

bool read_summary(std::string_view bytes, std::vector<EventScalar>& scalars) {
  Wire w(bytes);
  while (!w.done()) {
    uint64_t field = 0;
    int type = 0;
    if (!w.key(field, type)) {
      return false;
    }
    if (field == 1 && type == k_bytes) {
      std::string_view value;
      bool ok = false;
      if (!w.bytes(value)) {
        return false;
      }
      auto scalar = summary_value(value, ok);
      if (!ok) {
        return false;
      }
      if (scalar) {
        scalars.push_back(std::move(*scalar));
      }
    } else if (!w.skip(type)) {
      return false;
    }
  }
  return true;
}

} // namespace

uint32_t crc32c(std::string_view data, uint32_t crc) {
  crc = ~crc;
  for (char c : data) {
    crc = k_crc_table[(crc ^ static_cast<unsigned char>(c)) & 0xff] ^ (crc >> 8);
  }
  return ~crc;
}

uint32_t masked_crc32c(std::string_view data) {
  uint32_t crc = crc32c(data);
  return ((crc >> 15) | (crc << 17)) + 0xa282ead8U;
}

RecordFrame frame_record(std::string_view bytes, uint64_t max_length) {
  RecordFrame f;
  if (bytes.size() < k_record_header) {
    return f; // incomplete
  }
  if (masked_crc32c(bytes.substr(0, 8)) != static_cast<uint32_t>(load_le(bytes.data() + 8, 4))) {
    f.status = RecordFrame::Status::bad_length_crc;
    return f;
  }
  f.length = load_le(bytes.data(), 8);
  f.size = f.length > UINT64_MAX - k_record_overhead ? UINT64_MAX : f.length + k_record_overhead;
  if (f.length > max_length) {
    f.status = RecordFrame::Status::too_large;
    return f;
  }
  if (bytes.size() < f.size) {
    return f; // incomplete
  }
  auto data = bytes.substr(k_record_header, f.length);
  auto stored = static_cast<uint32_t>(load_le(bytes.data() + k_record_header + f.length, 4));
  f.status = masked_crc32c(data) == stored ? RecordFrame::Status::ok : RecordFrame::Status::bad_data_crc;
  if (f.status == RecordFrame::Status::ok) {
    f.data = data;
  }
  return f;
}

std::optional<Event> decode_event(std::string_view bytes) {
  Wire w(bytes);
  Event event;
  while (!w.done()) {
    uint64_t field = 0;
    int type = 0;
    if (!w.key(field, type)) {
      return std::nullopt;
    }
    bool read = true;
    if (field == 1 && type == k_fixed64) {
      uint64_t bits = 0;
      read = w.fixed(8, bits);
      event.wall_time = double_of(bits);
    } else if (field == 2 && type == k_varint) {
      uint64_t v = 0;
      read = w.varint(v);
      event.step = static_cast<long long>(v); // int64: two's complement
    } else if (field == 5 && type == k_bytes) {
      std::string_view summary;
      read = w.bytes(summary) && read_summary(summary, event.scalars);
    } else {
      read = w.skip(type);
    }
    if (!read) {
      return std::nullopt;
    }
  }
  return event;
}

} // namespace seedrun::track
