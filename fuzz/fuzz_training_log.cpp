// torchtune / inspect-ai SLURM job output (summarize's training_log reader): linear scan,
// never throws; the loss series holds each (epoch, step) once.
#include "fuzz_support.hpp"
#include "seedrun/summarize/training_log.hpp"

#include <set>
#include <utility>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string text = seedrun::fuzz::expand({reinterpret_cast<const char*>(data), size});
  seedrun::summarize::TrainingLog log = seedrun::summarize::parse_training_log(text);
  SEEDRUN_FUZZ_CHECK(log.distinct_steps() <= log.loss_lines);
  SEEDRUN_FUZZ_CHECK(log.last.has_value() == (log.loss_lines > 0));
  std::set<std::pair<long long, long long>> seen;
  for (const auto& p : log.series) {
    SEEDRUN_FUZZ_CHECK(seen.emplace(p.epoch, p.step).second);
  }
  if (log.time_limit) {
    SEEDRUN_FUZZ_CHECK(log.cancelled);
  }
  return 0;
}
