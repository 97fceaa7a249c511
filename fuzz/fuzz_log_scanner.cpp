// The metric log scanner (RE2): the same bytes fed whole and in chunks of random sizes (with
// take() between chunks) give the same values, steps, offsets and problem reports
// (log_scanner.hpp's contract); no input crashes or hangs it.
#include "scanner_common.hpp"

#include <spdlog/spdlog.h>

namespace {

struct Outcome {
  std::vector<seedrun::track::ScannedValue> values;
  size_t consumed_before_finish = 0;
  size_t consumed = 0;
  size_t unreadable = 0;
  size_t skipped = 0;
  std::optional<seedrun::track::ScanProblem> problem;
};

Outcome scan(const std::shared_ptr<const seedrun::config::MetricPattern>& pattern, std::string_view text,
             seedrun::fuzz::Splitter* splitter) {
  seedrun::track::LogScanner scanner(pattern);
  Outcome out;
  auto take = [&] {
    for (auto& v : scanner.take()) {
      out.values.push_back(v);
    }
  };
  if (splitter == nullptr) {
    scanner.feed(text);
  } else {
    size_t at = 0;
    while (at < text.size()) {
      size_t n = std::min(splitter->next(), text.size() - at);
      size_t before = scanner.consumed();
      scanner.feed(text.substr(at, n));
      SEEDRUN_FUZZ_CHECK(scanner.consumed() >= before);
      at += n;
      SEEDRUN_FUZZ_CHECK(scanner.consumed() <= at);
      take();
    }
  }
  out.consumed_before_finish = scanner.consumed();
  scanner.finish();
  take();
  out.consumed = scanner.consumed();
  out.unreadable = scanner.unreadable();
  out.skipped = scanner.skipped();
  out.problem = scanner.first_problem();
  return out;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const bool quiet = [] {
    spdlog::set_level(spdlog::level::off);
    return true;
  }();
  (void)quiet;
  std::string_view input{reinterpret_cast<const char*>(data), size};
  seedrun::fuzz::Splitter splitter(input);
  auto pattern = seedrun::fuzz::pattern_for(input);
  std::string text = seedrun::fuzz::expand(input);

  Outcome whole = scan(pattern, text, nullptr);
  Outcome chunked = scan(pattern, text, &splitter);
  SEEDRUN_FUZZ_CHECK(whole.consumed_before_finish == chunked.consumed_before_finish);
  SEEDRUN_FUZZ_CHECK(whole.consumed == chunked.consumed);
  SEEDRUN_FUZZ_CHECK(whole.unreadable == chunked.unreadable);
  SEEDRUN_FUZZ_CHECK(whole.skipped == chunked.skipped);
  SEEDRUN_FUZZ_CHECK(whole.problem.has_value() == chunked.problem.has_value());
  if (whole.problem) {
    SEEDRUN_FUZZ_CHECK(whole.problem->offset == chunked.problem->offset);
    SEEDRUN_FUZZ_CHECK(whole.problem->what == chunked.problem->what);
  }
  SEEDRUN_FUZZ_CHECK(whole.values.size() == chunked.values.size());
  for (size_t i = 0; i < whole.values.size(); ++i) {
    SEEDRUN_FUZZ_CHECK(whole.values[i].step == chunked.values[i].step);
    SEEDRUN_FUZZ_CHECK(seedrun::fuzz::same_value(whole.values[i].value, chunked.values[i].value));
  }
  SEEDRUN_FUZZ_CHECK(whole.consumed_before_finish <= text.size());
  return 0;
}
