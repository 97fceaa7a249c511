#include "seedrun/cli/progress.hpp"

#include "seedrun/report/format.hpp"

#include <chrono>
#include <cstdio>
#include <fmt/format.h>
#include <map>
#include <unistd.h>

namespace seedrun::cli {
namespace {

std::string clock_text(double seconds) {
  auto s = static_cast<long long>(seconds);
  return fmt::format("{:02}:{:02}", s / 60, s % 60);
}

std::string value_text(const store::Campaign& c, const store::Run& r) {
  return r.final_metric ? fmt::format("{} {}", c.metric, report::fixed(r.final_metric, 4, "nan")) : c.metric + " -";
}

class TerminalProgress final : public track::ProgressSink {
public:
  void run_update(const store::Campaign& c, const store::Run& r, int index, int total, double elapsed) override {
    std::string line = fmt::format("{} · seed {} ({}/{}) · {} · {}", c.key, r.seed, index, total, clock_text(elapsed),
                                   value_text(c, r));
    fmt::print(stderr, "\r\x1b[2K{}", line);
    std::fflush(stderr);
    m_dirty = true;
  }
  void run_finished(const store::Campaign& c, const store::Run& r, int index, int total) override {
    clear();
    fmt::print(stderr, "{} · seed {} ({}/{}) · {} · {}{}\n", c.key, r.seed, index, total, r.state, value_text(c, r),
               r.wall_time ? fmt::format(" · {:.1f}s", *r.wall_time) : "");
  }
  void message(const std::string& text) override {
    clear();
    fmt::print(stderr, "{}\n", text);
  }

private:
  void clear() {
    if (m_dirty) {
      fmt::print(stderr, "\r\x1b[2K");
      m_dirty = false;
    }
  }
  bool m_dirty = false;
};

class PlainProgress final : public track::ProgressSink {
public:
  void run_update(const store::Campaign& c, const store::Run& r, int index, int total, double elapsed) override {
    // Logs and CI want few lines: when a seed starts, then at most every 15 s of news.
    auto now = std::chrono::steady_clock::now();
    auto it = m_last.find(r.id);
    if (it != m_last.end() &&
        (it->second.first == r.final_metric || now - it->second.second < std::chrono::seconds(15))) {
      return;
    }
    m_last[r.id] = {r.final_metric, now};
    fmt::print(stderr, "{} seed {} ({}/{}) running {} {}\n", c.key, r.seed, index, total, clock_text(elapsed),
               value_text(c, r));
  }
  void run_finished(const store::Campaign& c, const store::Run& r, int index, int total) override {
    fmt::print(stderr, "{} seed {} ({}/{}) {} {}{}\n", c.key, r.seed, index, total, r.state, value_text(c, r),
               r.reason ? fmt::format(" ({})", *r.reason) : "");
  }
  void message(const std::string& text) override { fmt::print(stderr, "{}\n", text); }

private:
  std::map<long long, std::pair<std::optional<double>, std::chrono::steady_clock::time_point>> m_last;
};

class QuietProgress final : public track::ProgressSink {
public:
  void run_update(const store::Campaign&, const store::Run&, int, int, double) override {}
  void run_finished(const store::Campaign&, const store::Run&, int, int) override {}
  void message(const std::string&) override {}
};

} // namespace

std::unique_ptr<track::ProgressSink> make_progress(bool quiet) {
  if (quiet) {
    return std::make_unique<QuietProgress>();
  }
  if (::isatty(STDERR_FILENO)) {
    return std::make_unique<TerminalProgress>();
  }
  return std::make_unique<PlainProgress>();
}

} // namespace seedrun::cli
