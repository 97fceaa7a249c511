#include "seedrun/track/log_scanner.hpp"

#include "seedrun/util/strings.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstring>
#include <limits>
#include <utility>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include <fmt/format.h>

namespace seedrun::track {
namespace {

constexpr size_t k_none = std::string_view::npos;

bool is_letter(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
bool is_blank(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r';
}

// The digits after a step keyword that ends at `i`: \s*[:=#]?\s*(\d+).
std::optional<std::string_view> digits_after(std::string_view line, size_t i) {
  while (i < line.size() && is_blank(line[i])) {
    ++i;
  }
  if (i < line.size() && (line[i] == ':' || line[i] == '=' || line[i] == '#')) {
    ++i;
  }
  while (i < line.size() && is_blank(line[i])) {
    ++i;
  }
  size_t d = i;
  while (d < line.size() && line[d] >= '0' && line[d] <= '9') {
    ++d;
  }
  return d > i ? std::optional<std::string_view>(line.substr(i, d - i)) : std::nullopt;
}

} // namespace

// "Step 120", "step: 120", "step=120", "[step 120]", "iter 120", "iteration 120": what the
// RE2 pattern (?:^|[^A-Za-z])(?:[Ss]tep|STEP|[Ii]ter(?:ation)?)\s*[:=#]?\s*(\d+) finds, by hand:
// it runs on every line that holds a value, and a byte loop costs less than a regex search.
std::optional<std::string_view> find_step(std::string_view line) {
  for (size_t i = 0; i + 4 <= line.size(); ++i) {
    char c = line[i];
    if ((c != 's' && c != 'S' && c != 'i' && c != 'I') || (i > 0 && is_letter(line[i - 1]))) {
      continue;
    }
    auto word = line.substr(i);
    if (word.starts_with("step") || word.starts_with("Step") || word.starts_with("STEP")) {
      if (auto d = digits_after(line, i + 4)) {
        return d;
      }
    } else if (word.starts_with("iter") || word.starts_with("Iter")) {
      if (word.substr(4).starts_with("ation")) {
        if (auto d = digits_after(line, i + 9)) {
          return d;
        }
      }
      if (auto d = digits_after(line, i + 4)) {
        return d;
      }
    }
  }
  return std::nullopt;
}

namespace {

size_t find_byte(std::string_view text, size_t from, size_t to, char c) {
  const void* hit = std::memchr(text.data() + from, c, to - from);
  return hit == nullptr ? k_none : static_cast<size_t>(static_cast<const char*>(hit) - text.data());
}

} // namespace

// Finds the required literal. glibc's memmem builds a shift table on every call, which costs
// more than the search on a short line; this compares the literal's first and last bytes at 16
// positions at once (SSE2) and checks the rest only where both match, which in a log is rare.
size_t LiteralFinder::find(std::string_view text, size_t from, size_t to) const {
  const size_t n = m_needle.size();
  if (to < from || to - from < n || n == 0) {
    return n == 0 && from <= to ? from : k_none;
  }
  const char* base = text.data();
  if (n == 1) {
    const void* hit = std::memchr(base + from, m_needle[0], to - from);
    return hit == nullptr ? k_none : static_cast<size_t>(static_cast<const char*>(hit) - base);
  }
  const size_t last = to - n; // the last position the literal can start at
  const char first_byte = m_needle.front();
  const char last_byte = m_needle.back();
  size_t i = from;
#if defined(__SSE2__)
  const __m128i first = _mm_set1_epi8(first_byte);
  const __m128i tail = _mm_set1_epi8(last_byte);
  for (; i + 15 <= last; i += 16) {
    __m128i a = _mm_loadu_si128(reinterpret_cast<const __m128i*>(base + i));
    __m128i b = _mm_loadu_si128(reinterpret_cast<const __m128i*>(base + i + n - 1));
    auto mask =
        static_cast<unsigned>(_mm_movemask_epi8(_mm_and_si128(_mm_cmpeq_epi8(a, first), _mm_cmpeq_epi8(b, tail))));
    while (mask != 0) {
      size_t at = i + static_cast<size_t>(__builtin_ctz(mask));
      if (std::memcmp(base + at + 1, m_needle.data() + 1, n - 2) == 0) {
        return at;
      }
      mask &= mask - 1;
    }
  }
#endif
  for (; i <= last; ++i) {
    if (base[i] == first_byte && base[i + n - 1] == last_byte &&
        std::memcmp(base + i + 1, m_needle.data() + 1, n - 2) == 0) {
      return i;
    }
  }
  return k_none;
}

namespace {

// The last line end ('\n' or '\r') in text[from, to), or k_none.
size_t find_last_eol(std::string_view text, size_t from, size_t to) {
  const void* nl = ::memrchr(text.data() + from, '\n', to - from);
  size_t lo = nl == nullptr ? from : static_cast<size_t>(static_cast<const char*>(nl) - text.data()) + 1;
  const void* cr = ::memrchr(text.data() + lo, '\r', to - lo);
  if (cr != nullptr) {
    return static_cast<size_t>(static_cast<const char*>(cr) - text.data());
  }
  return nl == nullptr ? k_none : lo - 1;
}

// Next occurrence of a byte or a string at or after a position, remembered so that a scan over
// a chunk costs one memchr/LiteralFinder pass however many lines it has.
class Cursor {
public:
  Cursor(std::string_view text, size_t end, char c) : m_text(text), m_end(end), m_byte(c) {}
  Cursor(std::string_view text, size_t end, const LiteralFinder& f) : m_text(text), m_end(end), m_finder(&f) {}

  // Position of the next occurrence at or after `from`, or m_end.
  size_t next(size_t from) {
    if (m_at == k_none || m_at < from) {
      size_t hit = from >= m_end         ? k_none
                   : m_finder == nullptr ? find_byte(m_text, from, m_end, m_byte)
                                         : m_finder->find(m_text, from, m_end);
      m_at = hit == k_none ? m_end : hit;
    }
    return m_at;
  }

private:
  std::string_view m_text;
  size_t m_end;
  char m_byte = 0;
  const LiteralFinder* m_finder = nullptr;
  size_t m_at = k_none;
};

// Index just past the escape sequence starting at text[i] (ESC), at most text.size().
size_t escape_end(std::string_view text, size_t i) {
  size_t end = i + 2;                              // two-byte escape
  if (i + 1 < text.size() && text[i + 1] == '[') { // CSI: ESC [ params final-byte(0x40-0x7e)
    size_t j = i + 2;
    while (j < text.size() && !(text[j] >= 0x40 && text[j] <= 0x7e)) {
      ++j;
    }
    end = j + 1;
  } else if (i + 1 < text.size() && text[i + 1] == ']') { // OSC: ESC ] ... BEL or ESC '\'
    size_t j = i + 2;
    while (j < text.size() && text[j] != '\x07' && !(text[j] == '\x1b' && j + 1 < text.size() && text[j + 1] == '\\')) {
      ++j;
    }
    end = (j < text.size() && text[j] == '\x1b') ? j + 2 : j + 1;
  }
  return std::min(end, text.size());
}

void strip_ansi_into(std::string_view text, std::string& out) {
  out.clear();
  size_t i = 0;
  while (i < text.size()) {
    size_t esc = find_byte(text, i, text.size(), '\x1b');
    if (esc == k_none) {
      out.append(text.substr(i));
      return;
    }
    out.append(text.substr(i, esc - i));
    i = escape_end(text, esc);
  }
}

} // namespace

std::string strip_ansi(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  strip_ansi_into(text, out);
  return out;
}

std::optional<double> parse_metric_number(std::string_view text) {
  auto t = util::trim(text);
  std::transform(t.begin(), t.end(), t.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
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
  if (body.find_first_of("0123456789") == std::string_view::npos) {
    return std::nullopt;
  }
  auto v = util::parse_double(t);
  if (v && std::isinf(*v)) {
    return std::nullopt; // 1e999: too large for a double, not infinity
  }
  return v;
}

LogScanner::LogScanner(const std::string& pattern)
    : LogScanner(std::make_shared<const config::MetricPattern>(pattern)) {}

LogScanner::LogScanner(std::shared_ptr<const config::MetricPattern> pattern)
    : m_pattern(std::move(pattern)), m_literal(m_pattern->required_literal()), m_finder(m_literal) {
  for (size_t i = 0; i + 1 < m_literal.size(); ++i) {
    m_inner_bytes[static_cast<unsigned char>(m_literal[i])] = true;
  }
}

// Whether removing the escape sequences of `raw` could join the literal: some run of escape
// sequences must then sit inside it, right after a text byte that is one of the literal's
// bytes but its last. Lines of coloured output mostly fail this cheaply (the byte before an
// escape is a space, a digit of a timestamp, the end of a level name).
bool LogScanner::may_hide_literal(std::string_view raw) const {
  size_t text_from = 0; // the first byte after the previous escape sequence
  for (size_t e = find_byte(raw, 0, raw.size(), '\x1b'); e != k_none;) {
    if (e > text_from && m_inner_bytes[static_cast<unsigned char>(raw[e - 1])]) {
      return true;
    }
    text_from = escape_end(raw, e);
    e = text_from < raw.size() ? find_byte(raw, text_from, raw.size(), '\x1b') : k_none;
  }
  return false;
}

bool LogScanner::is_candidate(std::string_view text) const {
  return m_literal.empty() || text.find('\x1b') != k_none || m_finder.find(text, 0, text.size()) != k_none;
}

void LogScanner::note_problem(size_t offset, std::string what) {
  if (!m_first_problem) {
    m_first_problem = ScanProblem{offset, std::move(what)};
  }
}

void LogScanner::feed(std::string_view bytes) {
  const size_t origin = m_fed; // stream offset of bytes[0]
  m_fed += bytes.size();
  size_t pos = 0;
  if (origin > m_consumed) { // a line is unfinished: complete it first
    auto nl = find_byte(bytes, 0, bytes.size(), '\n');
    auto cr = find_byte(bytes, 0, nl == k_none ? bytes.size() : nl, '\r');
    size_t eol = cr != k_none ? cr : nl;
    if (eol == k_none) {
      append_partial(bytes);
      return;
    }
    append_partial(bytes.substr(0, eol));
    finish_partial();
    m_consumed = origin + eol + 1;
    pos = eol + 1;
  }
  size_t last = pos < bytes.size() ? find_last_eol(bytes, pos, bytes.size()) : k_none;
  if (last != k_none) {
    scan_lines(bytes, pos, last + 1, origin);
    m_consumed = origin + last + 1;
    pos = last + 1;
  }
  if (pos < bytes.size()) {
    append_partial(bytes.substr(pos));
  }
}

void LogScanner::scan_lines(std::string_view bytes, size_t begin, size_t end, size_t origin) {
  Cursor nl(bytes, end, '\n');
  Cursor cr(bytes, end, '\r');
  auto line_end = [&](size_t from) { return std::min(nl.next(from), cr.next(from)); };
  if (m_literal.empty()) {
    for (size_t s = begin; s < end;) {
      size_t e = line_end(s);
      handle_line(bytes.substr(s, e - s), origin + s, true);
      s = e + 1;
    }
    return;
  }
  // Only lines holding the literal, or an escape sequence that might split it, are looked at.
  // An escape can split the literal only right after one of its bytes but the last
  // (may_hide_literal, which checks the line): escapes after anything else are passed over here,
  // without finding their line (40% of a coloured log's lines hold escapes, few hold the metric).
  Cursor lit(bytes, end, m_finder);
  Cursor esc(bytes, end, '\x1b');
  auto next_escape = [&](size_t from) {
    size_t at = esc.next(from);
    while (at < end && at > begin && !m_inner_bytes[static_cast<unsigned char>(bytes[at - 1])]) {
      at = esc.next(at + 1);
    }
    return at;
  };
  for (size_t s = begin; s < end;) {
    size_t hit = std::min(lit.next(s), next_escape(s));
    if (hit >= end) {
      return;
    }
    size_t before = find_last_eol(bytes, s, hit);
    size_t start = before == k_none ? s : before + 1;
    size_t e = line_end(hit);
    handle_line(bytes.substr(start, e - start), origin + start, lit.next(start) < e);
    s = e + 1;
  }
}

void LogScanner::handle_line(std::string_view line, size_t offset, bool has_literal) {
  if (line.size() > k_max_line) {
    ++m_skipped;
    note_problem(offset, fmt::format("a line of {} bytes (the limit is {}) was not scanned", line.size(), k_max_line));
    return;
  }
  scan_line(line, offset, has_literal);
}

void LogScanner::append_partial(std::string_view piece) {
  if (!m_partial_long && m_partial_size + piece.size() <= k_max_line) {
    m_partial.append(piece);
    m_partial_size += piece.size();
    return;
  }
  size_t keep = m_literal.empty() ? 0 : m_literal.size() - 1; // a literal may straddle pieces
  if (!m_partial_long) { // becomes too long: keep only whether it may hold the metric
    m_partial_long = true;
    m_partial_candidate = is_candidate(m_partial);
    m_partial_tail = m_partial.substr(m_partial.size() - std::min(keep, m_partial.size()));
    std::string().swap(m_partial);
  }
  if (!m_partial_candidate) {
    std::string seam = m_partial_tail;
    seam.append(piece.substr(0, keep));
    m_partial_candidate = is_candidate(seam) || is_candidate(piece);
  }
  m_partial_tail.append(piece.substr(piece.size() - std::min(keep, piece.size())));
  m_partial_tail.erase(0, m_partial_tail.size() - std::min(keep, m_partial_tail.size()));
  m_partial_size += piece.size();
}

void LogScanner::finish_partial() {
  if (m_partial_long) {
    if (m_partial_candidate) {
      ++m_skipped;
      note_problem(m_consumed,
                   fmt::format("a line of {} bytes (the limit is {}) was not scanned", m_partial_size, k_max_line));
    }
  } else if (!m_partial.empty()) {
    scan_line(m_partial, m_consumed, m_literal.empty() || m_finder.find(m_partial, 0, m_partial.size()) != k_none);
  }
  m_partial.clear();
  m_partial_tail.clear();
  m_partial_size = 0;
  m_partial_long = false;
  m_partial_candidate = false;
}

void LogScanner::finish() {
  finish_partial();
  m_consumed = m_fed;
}

std::vector<ScannedValue> LogScanner::take() {
  return std::exchange(m_found, {});
}

void LogScanner::scan_line(std::string_view raw, size_t offset, bool has_literal) {
  if (raw.empty()) {
    return;
  }
  std::string_view line = raw;
  if (find_byte(raw, 0, raw.size(), '\x1b') != k_none) {
    if (!m_literal.empty() && !has_literal && !may_hide_literal(raw)) {
      return; // the literal is neither in the bytes nor hidden by escape sequences
    }
    strip_ansi_into(raw, m_scratch);
    line = m_scratch;
    if (!m_literal.empty() && m_finder.find(line, 0, line.size()) == k_none) {
      return;
    }
  }
  auto m = m_pattern->match(line);
  if (!m) {
    return;
  }
  std::optional<double> value;
  if (m->value.size() <= k_max_value) {
    value = parse_metric_number(m->value);
  }
  if (!value) {
    ++m_unreadable;
    note_problem(offset, m->value.size() > k_max_value
                             ? fmt::format("a value of {} characters is not a number", m->value.size())
                             : fmt::format("'{}' is not a number", util::abbreviate(m->value)));
    return;
  }
  ScannedValue sv;
  sv.value = *value;
  if (m->step) {
    sv.step = util::parse_int(*m->step);
  } else if (auto step = find_step(line)) {
    sv.step = util::parse_int(*step);
  }
  m_found.push_back(sv);
}

} // namespace seedrun::track
