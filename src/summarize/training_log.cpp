#include "seedrun/summarize/training_log.hpp"

#include "seedrun/util/strings.hpp"

#include <cctype>
#include <fmt/format.h>
#include <fstream>
#include <map>

namespace seedrun::summarize {
namespace {

constexpr size_t k_read_chunk_bytes = 1 << 20;
constexpr size_t k_max_line_bytes = 16 << 20;

bool is_digit(char c) {
  return std::isdigit(static_cast<unsigned char>(c)) != 0;
}

// Digits ending just before `end` (at most 18): their start, or `end` when there are none.
size_t digits_before(std::string_view line, size_t end) {
  size_t begin = end;
  while (begin > 0 && is_digit(line[begin - 1]) && end - begin < 18) {
    --begin;
  }
  return begin;
}

long long to_integer(std::string_view digits) {
  long long n = 0;
  for (char c : digits) {
    n = n * 10 + (c - '0');
  }
  return n;
}

// `[0-9.]+` starting at `begin`, read as a number (longest prefix that is one).
std::optional<double> number_at(std::string_view line, size_t begin) {
  size_t end = begin;
  while (end < line.size() && (is_digit(line[end]) || line[end] == '.') && end - begin < 64) {
    ++end;
  }
  for (; end > begin; --end) {
    if (auto d = util::parse_double(line.substr(begin, end - begin))) {
      return d;
    }
  }
  return std::nullopt;
}

class Scanner {
public:
  explicit Scanner(TrainingLog& log) : m_log(log) {}

  void line(std::string_view raw) {
    std::string_view text = strip_rank_prefix(raw);
    scan_losses(text);
    scan_slurm_notices(text);
    scan_traceback(text);
    scan_accuracy(text);
  }

private:
  static std::string_view strip_rank_prefix(std::string_view line) {
    if (line.starts_with("[rank")) {
      auto close = line.find("]:");
      if (close < 16) { // npos is never < 16
        line.remove_prefix(close + 2);
        if (line.starts_with(' ')) {
          line.remove_prefix(1);
        }
      }
    }
    return line;
  }

  void scan_losses(std::string_view text) {
    constexpr std::string_view k_marker = "|Loss: ";
    for (size_t p = text.find(k_marker); p != std::string_view::npos; p = text.find(k_marker, p + 1)) {
      size_t step_begin = digits_before(text, p);
      if (step_begin == p || step_begin == 0 || text[step_begin - 1] != '|') {
        continue;
      }
      size_t epoch_begin = digits_before(text, step_begin - 1);
      if (epoch_begin == step_begin - 1) {
        continue;
      }
      auto loss = number_at(text, p + k_marker.size());
      if (!loss) {
        continue;
      }
      add_point({to_integer(text.substr(epoch_begin, step_begin - 1 - epoch_begin)),
                 to_integer(text.substr(step_begin, p - step_begin)), *loss});
    }
  }

  void add_point(const LossPoint& point) {
    ++m_log.loss_lines;
    m_log.last = point;
    auto key = std::make_pair(point.epoch, point.step);
    auto it = m_index.find(key);
    if (it == m_index.end()) {
      m_index.emplace(key, m_log.series.size());
      m_log.series.push_back(point);
    } else {
      m_log.series[it->second] = point;
    }
  }

  void scan_slurm_notices(std::string_view text) {
    auto at = text.find("CANCELLED AT");
    if (at != std::string_view::npos && text.find("***") != std::string_view::npos) {
      m_log.cancelled = true;
      auto due = text.find("DUE TO ", at);
      if (due != std::string_view::npos) {
        auto reason = text.substr(due + 7);
        reason = reason.substr(0, reason.find("***"));
        m_log.cancel_reason = util::trim(reason);
        m_log.time_limit = m_log.time_limit || m_log.cancel_reason == "TIME LIMIT";
      }
    }
    if (text.find("oom_kill event") != std::string_view::npos ||
        text.find("oom-kill event") != std::string_view::npos) {
      m_log.oom_killed = true;
    }
  }

  void scan_traceback(std::string_view text) {
    if (text.find("Traceback (most recent call last):") != std::string_view::npos) {
      m_log.traceback = true;
      m_in_traceback = true;
      return;
    }
    if (!m_in_traceback || text.empty() || text.front() == ' ' || text.front() == '\t') {
      return;
    }
    if (text.starts_with("During handling of the above exception") ||
        text.starts_with("The above exception was the direct cause")) {
      return; // a chained traceback follows
    }
    m_log.exception = util::trim(text);
    m_in_traceback = false;
  }

  void scan_accuracy(std::string_view text) {
    constexpr std::string_view k_marker = "/accuracy: ";
    for (size_t p = text.find(k_marker); p != std::string_view::npos; p = text.find(k_marker, p + 1)) {
      size_t begin = p;
      while (begin > 0 && (std::isalnum(static_cast<unsigned char>(text[begin - 1])) != 0 || text[begin - 1] == '_')) {
        --begin;
      }
      auto value = number_at(text, p + k_marker.size());
      if (begin == p || !value) {
        continue;
      }
      m_log.eval_scorer = std::string(text.substr(begin, p - begin));
      m_log.eval_accuracy = value;
    }
  }

  TrainingLog& m_log;
  std::map<std::pair<long long, long long>, size_t> m_index;
  bool m_in_traceback = false;
};

} // namespace

namespace {

// Feeds every complete line of `text` to the scanner; returns where the unfinished last line starts.
size_t scan_lines(Scanner& scanner, std::string_view text) {
  size_t begin = 0;
  for (;;) {
    size_t end = text.find_first_of("\r\n", begin);
    if (end == std::string_view::npos) {
      return begin;
    }
    if (end > begin) {
      scanner.line(text.substr(begin, end - begin));
    }
    begin = end + 1;
  }
}

} // namespace

TrainingLog parse_training_log(std::string_view text) {
  TrainingLog log;
  Scanner scanner(log);
  size_t rest = scan_lines(scanner, text);
  if (rest < text.size()) {
    scanner.line(text.substr(rest));
  }
  return log;
}

std::optional<TrainingLog> read_training_log(const std::filesystem::path& path, std::string& error) {
  std::ifstream in(path, std::ios::binary);
  std::error_code ec;
  if (!in || std::filesystem::is_directory(path, ec)) {
    error = fmt::format("cannot read {}", path.string());
    return std::nullopt;
  }
  // Read in chunks, keeping only the unfinished line: memory stays at the longest line (capped)
  // however long the job ran.
  TrainingLog log;
  Scanner scanner(log);
  std::string pending;
  std::string chunk(k_read_chunk_bytes, '\0');
  while (in.read(chunk.data(), static_cast<std::streamsize>(chunk.size())) || in.gcount() > 0) {
    pending.append(chunk.data(), static_cast<size_t>(in.gcount()));
    size_t rest = scan_lines(scanner, pending);
    pending.erase(0, rest);
    if (pending.size() > k_max_line_bytes) { // no line end in 16 MiB: scan it as a line of its own
      scanner.line(pending);
      pending.clear();
    }
  }
  if (!pending.empty()) {
    scanner.line(pending);
  }
  return log;
}

} // namespace seedrun::summarize
