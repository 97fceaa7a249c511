#include "seedrun/track/log_scanner.hpp"

#include "seedrun/util/strings.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <limits>
#include <utility>

namespace seedrun::track {
namespace {

// "Step 120", "step: 120", "step=120", "[step 120]", "iter 120".
const std::regex k_step_re(R"((?:^|[^A-Za-z])(?:[Ss]tep|STEP|[Ii]ter(?:ation)?)\s*[:=#]?\s*(\d+))");

std::string lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::tolower(c); });
  return out;
}

} // namespace

std::string strip_ansi(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '\x1b') {
      out += text[i];
      continue;
    }
    if (i + 1 < text.size() && text[i + 1] == '[') { // CSI: ESC [ params final-byte(0x40-0x7e)
      size_t j = i + 2;
      while (j < text.size() && !(text[j] >= 0x40 && text[j] <= 0x7e)) {
        ++j;
      }
      i = j;
    } else if (i + 1 < text.size() && text[i + 1] == ']') { // OSC: ESC ] ... BEL or ESC '\'
      size_t j = i + 2;
      while (j < text.size() && text[j] != '\x07' && !(text[j] == '\x1b' && j + 1 < text.size() && text[j + 1] == '\\')) {
        ++j;
      }
      i = (j < text.size() && text[j] == '\x1b') ? j + 1 : j;
    } else {
      ++i; // two-byte escape
    }
  }
  return out;
}

std::optional<double> parse_metric_number(std::string_view text) {
  auto t = lower(util::trim(text));
  while (!t.empty() && (t.back() == ',' || t.back() == ';' || t.back() == ')' || t.back() == '|')) {
    t.pop_back();
  }
  bool neg = !t.empty() && t.front() == '-';
  std::string_view body = t;
  if (!body.empty() && (body.front() == '-' || body.front() == '+')) {
    body.remove_prefix(1);
  }
  if (body == "nan") {
    return std::numeric_limits<double>::quiet_NaN();
  }
  if (body == "inf" || body == "infinity") {
    return neg ? -std::numeric_limits<double>::infinity() : std::numeric_limits<double>::infinity();
  }
  auto v = util::parse_double(t);
  if (v && body.find_first_of("0123456789") == std::string_view::npos) {
    return std::nullopt;
  }
  return v;
}

LogScanner::LogScanner(const std::string& pattern) : m_pattern(std::make_shared<const std::regex>(pattern)) {}

LogScanner::LogScanner(std::shared_ptr<const std::regex> pattern) : m_pattern(std::move(pattern)) {}

void LogScanner::feed(std::string_view bytes) {
  size_t start = 0;
  for (size_t i = 0; i < bytes.size(); ++i) {
    char c = bytes[i];
    if (c != '\n' && c != '\r') {
      continue;
    }
    if (m_partial.empty()) {
      scan_line(bytes.substr(start, i - start));
    } else {
      m_partial.append(bytes.substr(start, i - start));
      scan_line(m_partial);
      m_partial.clear();
    }
    // Everything up to this line end is consumed, including bytes of earlier chunks.
    m_consumed += m_pending + (i + 1 - start);
    m_pending = 0;
    start = i + 1;
  }
  if (start < bytes.size()) {
    m_partial.append(bytes.substr(start));
    m_pending += bytes.size() - start;
    if (m_partial.size() > k_max_line) { // keep the tail; a metric is printed at the end of a line
      m_partial.erase(0, m_partial.size() - k_max_line / 2);
    }
  }
}

void LogScanner::finish() {
  if (!m_partial.empty()) {
    scan_line(m_partial);
    m_partial.clear();
  }
  m_consumed += m_pending;
  m_pending = 0;
}

std::vector<ScannedValue> LogScanner::take() { return std::exchange(m_found, {}); }

void LogScanner::scan_line(std::string_view raw) {
  if (raw.empty()) {
    return;
  }
  std::string line = raw.find('\x1b') == std::string_view::npos ? std::string(raw) : strip_ansi(raw);
  std::smatch m;
  if (!std::regex_search(line, m, *m_pattern) || m.size() < 2) {
    return;
  }
  auto value = parse_metric_number(m[1].str());
  if (!value) {
    ++m_unreadable;
    return;
  }
  ScannedValue sv;
  sv.value = *value;
  std::smatch sm;
  if (std::regex_search(line, sm, k_step_re)) {
    sv.step = util::parse_int(sm[1].str());
  }
  m_found.push_back(sv);
}

} // namespace seedrun::track
