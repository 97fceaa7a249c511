// TensorBoard event files. A fuzzer cannot find a valid CRC-32C by mutation, so the input is
// turned into records by the harness: after a control byte, the (expanded) input is cut at
// "\xff\xfeREC" into payloads, each framed with correct CRCs unless the control byte says to
// damage one (a flipped length or data byte, a huge length, a cut), then written in 1-3 pieces
// with batched reads in between: the points must be those of one read of the whole file. Each
// payload also goes to decode_event directly.
#include "metric_source_common.hpp"
#include "scanner_common.hpp"
#include "seedrun/track/metric_readers.hpp"

namespace {

std::string le(uint64_t v, int bytes) {
  std::string out;
  for (int i = 0; i < bytes; ++i) {
    out += static_cast<char>((v >> (8 * i)) & 0xff);
  }
  return out;
}

std::string frame(std::string_view payload, unsigned control, size_t index) {
  using seedrun::track::masked_crc32c;
  std::string len = le(payload.size(), 8);
  bool damage = (control & 0x80) != 0 && index % 3 == (control & 3);
  if (damage && (control & 0x30) == 0x30) {
    len = le(uint64_t{1} << (32 + (control & 0xf)), 8); // huge, with a valid CRC
    return len + le(masked_crc32c(len), 4);
  }
  std::string out = len + le(masked_crc32c(len), 4) + std::string(payload) + le(masked_crc32c(payload), 4);
  if (damage && (control & 0x30) == 0x10) {
    out[1] = static_cast<char>(out[1] ^ 0x01); // the length fails its CRC
  } else if (damage && (control & 0x30) == 0x20 && !payload.empty()) {
    out[12] = static_cast<char>(out[12] ^ 0x20); // the data fails its CRC
  } else if (damage) {
    out.resize(out.size() / 2); // cut short
  }
  return out;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace seedrun;
  if (size == 0) {
    return 0;
  }
  unsigned control = data[0];
  std::string_view input{reinterpret_cast<const char*>(data) + 1, size - 1};
  fuzz::Splitter splitter(input);
  std::string text = fuzz::expand(input);
  std::string file;
  size_t index = 0;
  for (size_t from = 0; from <= text.size() && index < 100000; ++index) {
    size_t at = text.find("\xff\xfeREC", from);
    std::string_view payload =
        std::string_view(text).substr(from, at == std::string::npos ? std::string::npos : at - from);
    if (auto ev = track::decode_event(payload)) {
      SEEDRUN_FUZZ_CHECK(ev->scalars.size() <= payload.size());
    }
    file += frame(payload, control, index);
    if (at == std::string::npos) {
      break;
    }
    from = at + 5;
  }

  static const auto dir = fuzz::scratch_dir() / "tb";
  config::MetricSpec spec;
  spec.name = "loss";
  spec.source = config::MetricSourceKind::tensorboard;
  spec.tag = (control & 0x40) != 0 ? "val/loss" : "loss";
  auto source = track::make_metric_source(spec, track::SourceContext{dir, 1});
  fuzz::check_incremental(dir, "lightning_logs/version_0/events.out.tfevents.1700000000.host", file, *source, splitter);
  return 0;
}
