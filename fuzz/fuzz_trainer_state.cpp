// Hugging Face trainer_state.json: the input (expanded) is the file in a checkpoint folder; read
// in batches of 1-7 points it must give the points of one read, in strictly increasing steps.
#include "metric_source_common.hpp"
#include "scanner_common.hpp"
#include "seedrun/track/metric_readers.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace seedrun;
  std::string_view input{reinterpret_cast<const char*>(data), size};
  fuzz::Splitter splitter(input);
  std::string text = fuzz::expand(input);
  auto state = track::read_trainer_state(text, "eval_loss");
  SEEDRUN_FUZZ_CHECK(!state.problem || state.entries.empty());

  static const auto dir = fuzz::scratch_dir() / "hf";
  std::error_code ec;
  std::filesystem::remove_all(dir, ec);
  std::filesystem::create_directories(dir / "checkpoint-500");
  fuzz::write_file(dir / "checkpoint-500" / "trainer_state.json", text);
  config::MetricSpec spec;
  spec.name = "eval_loss";
  spec.source = config::MetricSourceKind::hf_trainer_state;
  spec.key = "eval_loss";
  auto source = track::make_metric_source(spec, track::SourceContext{dir, 1});
  track::SourceCursor whole_cursor;
  auto whole = fuzz::drain(*source, whole_cursor, true, track::MetricSource::k_default_batch);
  track::SourceCursor cursor;
  auto batched = fuzz::drain(*source, cursor, true, fuzz::batch_size(splitter, text.size()));
  SEEDRUN_FUZZ_CHECK(batched.size() == whole.size());
  for (size_t i = 0; i < whole.size(); ++i) {
    SEEDRUN_FUZZ_CHECK(fuzz::same_point(batched[i], whole[i]));
    SEEDRUN_FUZZ_CHECK(i == 0 || *whole[i].step > *whole[i - 1].step);
  }
  SEEDRUN_FUZZ_CHECK(whole.size() <= state.entries.size());
  return 0;
}
