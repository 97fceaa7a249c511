#include "seedrun/config/config.hpp"
#include "seedrun/util/strings.hpp"

#include <fmt/format.h>

namespace seedrun::config {
namespace {

void replace_all(std::string& s, std::string_view from, const std::string& to) {
  size_t pos = 0;
  while ((pos = s.find(from, pos)) != std::string::npos) {
    s.replace(pos, from.size(), to);
    pos += to.size();
  }
}

// FNV-1a: stable across runs and platforms, unlike std::hash.
std::string fnv1a_hex(std::string_view text) {
  uint64_t h = 1469598103934665603ULL;
  for (unsigned char c : text) {
    h ^= c;
    h *= 1099511628211ULL;
  }
  return fmt::format("{:016x}", h);
}

} // namespace

std::string scale_label(long long n) {
  struct Unit {
    long long size;
    char suffix;
  };
  for (Unit u : {Unit{1000000000LL, 'B'}, Unit{1000000LL, 'M'}, Unit{1000LL, 'K'}}) {
    if (n >= u.size) {
      if (n % u.size == 0) {
        return fmt::format("{}{}", n / u.size, u.suffix);
      }
      if (n % (u.size / 10) == 0) { // one decimal is exact (integers: n * 10 could overflow)
        return fmt::format("{}.{}{}", n / u.size, n % u.size / (u.size / 10), u.suffix);
      }
    }
  }
  return std::to_string(n);
}

std::vector<std::string> expand_command(const std::vector<std::string>& tmpl, long long seed, long long train_tokens,
                                        const std::string& output_dir, const std::vector<std::string>& flags) {
  std::vector<std::string> argv;
  bool placed_flags = false;
  for (const auto& arg : tmpl) {
    if (arg == "{flags}") {
      argv.insert(argv.end(), flags.begin(), flags.end());
      placed_flags = true;
      continue;
    }
    std::string a = arg;
    replace_all(a, "{seed}", std::to_string(seed));
    replace_all(a, "{train_tokens}", std::to_string(train_tokens));
    replace_all(a, "{output_dir}", output_dir);
    argv.push_back(std::move(a));
  }
  if (!placed_flags) {
    argv.insert(argv.end(), flags.begin(), flags.end());
  }
  return argv;
}

std::string command_key(const Config& config) {
  std::string canon = util::join(config.command, std::string(1, '\0'));
  canon += fmt::format("\n{}\n{}", config.train_tokens, config.metric.name);
  return fnv1a_hex(canon);
}

} // namespace seedrun::config
