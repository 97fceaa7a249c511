#pragma once
// Shared by the log scanner and log follower targets: the metric pattern an input selects and
// the split of its bytes into chunks, both derived from the input so a finding replays.
#include "fuzz_support.hpp"
#include "seedrun/config/config.hpp"
#include "seedrun/config/metric_pattern.hpp"
#include "seedrun/track/log_scanner.hpp"
#include "seedrun/util/error.hpp"

#include <cmath>
#include <cstring>
#include <memory>
#include <vector>

namespace seedrun::fuzz {

// Patterns users write, the defaults, and the two of issue 9 (a `.*` prefix that made
// std::regex recurse per character; a catastrophic alternation). An input whose first byte
// selects none of them brings its own pattern on its first line.
inline std::shared_ptr<const config::MetricPattern> pattern_for(std::string_view& input) {
  static const std::vector<std::shared_ptr<const config::MetricPattern>> k_patterns = [] {
    std::vector<std::shared_ptr<const config::MetricPattern>> out;
    for (const std::string& p :
         {config::MetricSpec{}.pattern, config::default_metric_pattern("val_loss"),
          std::string("val_loss: ([-+0-9.eEnaifNAIF]+)"), std::string(R"(loss=([0-9.eE+-]+))"),
          std::string(R"((?P<step>[0-9]+)\|[0-9]+\|Loss: ([0-9.]+))"), std::string(R"(.*val_loss: ([0-9.]+))"),
          std::string(R"((?:(a+)+$)|val_loss: ([0-9.]+))")}) {
      out.push_back(std::make_shared<const config::MetricPattern>(p));
    }
    return out;
  }();
  unsigned char pick = input.empty() ? 0 : static_cast<unsigned char>(input[0]);
  if (!input.empty()) {
    input.remove_prefix(1);
  }
  if (pick % 8 < k_patterns.size()) {
    return k_patterns[pick % 8];
  }
  auto nl = input.find('\n');
  std::string own{input.substr(0, std::min(nl, size_t{200}))};
  input.remove_prefix(nl == std::string_view::npos ? input.size() : nl + 1);
  try {
    return std::make_shared<const config::MetricPattern>(own);
  } catch (const seedrun::Error&) {
    return k_patterns[0]; // rejected at config time: not the scanner's business
  }
}

// Chunk sizes from a small generator seeded by the input: mostly short pieces (a line end
// split from its line, an escape sequence cut in two), sometimes large ones.
class Splitter {
public:
  explicit Splitter(std::string_view input) {
    for (unsigned char c : input.substr(0, 64)) {
      m_state = m_state * 1099511628211ULL ^ c;
    }
  }
  size_t next() {
    m_state ^= m_state << 13;
    m_state ^= m_state >> 7;
    m_state ^= m_state << 17;
    switch (m_state % 4) {
    case 0: return 1;
    case 1: return 1 + (m_state >> 8) % 8;
    case 2: return 1 + (m_state >> 8) % 300;
    default: return 1 + (m_state >> 8) % 70000;
    }
  }

private:
  uint64_t m_state = 14695981039346656037ULL;
};

inline bool same_value(double a, double b) {
  return (std::isnan(a) && std::isnan(b)) || std::memcmp(&a, &b, sizeof a) == 0;
}

} // namespace seedrun::fuzz
