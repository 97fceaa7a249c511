// seedrun.yaml: parse_config must return a Config or throw seedrun::Error (a UsageError with
// file:line:col); any other exception escaping is a finding (libFuzzer reports it as a crash).
#include "fuzz_support.hpp"
#include "seedrun/config/config.hpp"
#include "seedrun/util/error.hpp"

#include <spdlog/spdlog.h>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const bool quiet = [] {
    spdlog::set_level(spdlog::level::off);
    return true;
  }();
  (void)quiet;
  std::string text = seedrun::fuzz::expand({reinterpret_cast<const char*>(data), size});
  try {
    seedrun::config::Config cfg = seedrun::config::parse_config(text, "/nonexistent/fuzz/seedrun.yaml");
    SEEDRUN_FUZZ_CHECK(!cfg.metric.pattern.empty());
    (void)seedrun::config::scale_label(cfg.train_tokens);
  } catch (const seedrun::Error&) {
  }
  return 0;
}
