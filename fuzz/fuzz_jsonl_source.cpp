// The JSON-lines metric source on a real file: the input (expanded, fuzz_support.hpp) is the
// file, written in 1-3 pieces with batched reads in between; the points must be those of one
// read of the whole file. The first line of the input also goes to read_json_line directly.
#include "metric_source_common.hpp"
#include "scanner_common.hpp"
#include "seedrun/track/metric_readers.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace seedrun;
  std::string_view input{reinterpret_cast<const char*>(data), size};
  fuzz::Splitter splitter(input);
  std::string text = fuzz::expand(input);
  (void)track::read_json_line(std::string_view(text).substr(0, text.find('\n')), "loss", "step");

  static const auto dir = fuzz::scratch_dir() / "jsonl";
  config::MetricSpec spec;
  spec.name = "loss";
  spec.source = config::MetricSourceKind::jsonl;
  spec.file = "logs/metrics.jsonl";
  spec.key = (size & 1) != 0 ? "loss" : "train.loss";
  spec.step_key = "step";
  auto source = track::make_metric_source(spec, track::SourceContext{dir, 1});
  fuzz::check_incremental(dir, "logs/metrics.jsonl", text, *source, splitter);
  return 0;
}
