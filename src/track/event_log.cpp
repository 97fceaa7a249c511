// The events file of a run (event_log.hpp), read with nlohmann through util::parse_json_bounded
// like the JSON-lines metric source; nothing throws out of here.
#include "seedrun/track/event_log.hpp"

#include "seedrun/track/metric_readers.hpp"
#include "seedrun/util/json.hpp"
#include "seedrun/util/strings.hpp"
#include "seedrun/util/time.hpp"
#include "source_file.hpp"

#include <chrono>
#include <climits>
#include <cmath>
#include <fmt/format.h>
#include <limits>

namespace seedrun::track {
namespace {

constexpr size_t k_max_event_depth = 64;
constexpr size_t k_chunk = 1 << 20;
// Times are seconds since 1970: 1e11 s is the year 5138, far past anything a clock writes;
// it keeps a time in milliseconds (1.7e12) from being read as seconds.
constexpr double k_max_time = 1e11;

const nlohmann::json* find(const nlohmann::json& o, std::initializer_list<const char*> keys) {
  for (const char* k : keys) {
    if (auto it = o.find(k); it != o.end() && !it->is_null()) {
      return &*it;
    }
  }
  return nullptr;
}

std::optional<double> time_of(const nlohmann::json& v) {
  if (v.is_number()) {
    double t = v.get<double>();
    return std::isfinite(t) && t >= 0 && t < k_max_time ? std::optional<double>(t) : std::nullopt;
  }
  if (v.is_string()) {
    return parse_event_time(v.get_ref<const std::string&>());
  }
  return std::nullopt;
}

std::optional<double> number(const nlohmann::json& v) {
  if (v.is_number()) {
    return v.get<double>();
  }
  if (v.is_string()) {
    return util::parse_double(util::trim(v.get_ref<const std::string&>()));
  }
  return std::nullopt;
}

// The line as JSON. Without `explain` nlohmann does not throw on a malformed line: one
// exception per line was most of the time spent on a file of garbage, and only the first
// problem of a file is described anyway.
std::optional<nlohmann::json> parse_line(const std::string& text, bool explain, std::string& error) {
  if (explain) {
    return util::parse_json_bounded(text, error, k_max_event_depth);
  }
  struct TooDeep {};
  using Event = nlohmann::json::parse_event_t;
  auto guard = [](int depth, Event event, nlohmann::json&) {
    if ((event == Event::object_start || event == Event::array_start) &&
        static_cast<size_t>(depth) >= k_max_event_depth) {
      throw TooDeep{};
    }
    return true;
  };
  try {
    auto j = nlohmann::json::parse(text, guard, false);
    if (j.is_discarded()) {
      error = "malformed";
      return std::nullopt;
    }
    return j;
  } catch (const TooDeep&) {
    error = "nested too deeply";
  }
  return std::nullopt;
}

EventLine unreadable(std::string why) {
  EventLine out;
  out.kind = EventLine::Kind::unreadable;
  out.problem = std::move(why);
  return out;
}

// The kind's fields into `e`; a problem, or empty.
std::string read_fields(const nlohmann::json& o, const std::string& kind, stats::HealthEvent& e) {
  if (kind == "rollout") {
    e.kind = stats::EventKind::rollout;
    e.duration = std::numeric_limits<double>::quiet_NaN();
    double scale = 1;
    const auto* d = find(o, {"duration_s", "duration"});
    if (d == nullptr && (d = find(o, {"duration_ms"})) != nullptr) {
      scale = 1e-3;
    }
    if (d != nullptr) {
      auto v = number(*d);
      if (!v || !std::isfinite(*v) || *v < 0) {
        return "the rollout's duration is not a number of seconds >= 0";
      }
      e.duration = *v * scale;
    }
  } else if (kind == "extraction") {
    e.kind = stats::EventKind::extraction;
    const auto* ok = find(o, {"ok"});
    if (ok == nullptr || !ok->is_boolean()) {
      return "an extraction event needs \"ok\": true or false";
    }
    e.ok = ok->get<bool>();
  } else if (kind == "error") {
    e.kind = stats::EventKind::error;
  }
  if (const auto* s = find(o, {"step"}); s != nullptr && s->is_number_integer() &&
                                         (!s->is_number_unsigned() || s->get<unsigned long long>() <= LLONG_MAX)) {
    e.step = s->get<long long>();
  }
  return {};
}

} // namespace

std::optional<double> parse_event_time(std::string_view text) {
  std::string s = util::trim(text);
  if (s.size() < 19 || s.size() > 64) {
    return std::nullopt;
  }
  if (s[10] == ' ') {
    s[10] = 'T'; // Python's str(datetime)
  }
  std::string base = s.substr(0, 19);
  std::string_view rest = std::string_view(s).substr(19);
  double fraction = 0;
  if (!rest.empty() && rest[0] == '.') {
    size_t n = 1;
    while (n < rest.size() && rest[n] >= '0' && rest[n] <= '9') {
      ++n;
    }
    if (n == 1) {
      return std::nullopt;
    }
    fraction = util::parse_double(fmt::format("0{}", rest.substr(0, std::min<size_t>(n, 16)))).value_or(0);
    rest.remove_prefix(n);
  }
  long long offset = 0; // seconds east of UTC
  bool zoned = false;
  if (rest == "Z" || rest == "z") {
    zoned = true;
  } else if (!rest.empty() && (rest[0] == '+' || rest[0] == '-')) {
    std::string digits;
    for (char c : rest.substr(1)) {
      if (c != ':') {
        digits += c;
      }
    }
    auto hhmm = digits.size() == 4 && digits.find_first_not_of("0123456789") == std::string::npos
                    ? util::parse_int(digits)
                    : std::nullopt;
    if (!hhmm || *hhmm / 100 > 23 || *hhmm % 100 > 59) {
      return std::nullopt;
    }
    offset = (*hhmm / 100 * 3600 + *hhmm % 100 * 60) * (rest[0] == '-' ? -1 : 1);
    zoned = true;
  } else if (!rest.empty()) {
    return std::nullopt;
  }
  auto tp = util::parse_iso8601(zoned ? base + "Z" : base);
  if (!tp) {
    return std::nullopt;
  }
  double t = std::chrono::duration<double>(tp->time_since_epoch()).count() - static_cast<double>(offset) + fraction;
  return t >= 0 && t < k_max_time ? std::optional<double>(t) : std::nullopt;
}

EventLine read_event_line(std::string_view line, bool explain) {
  if (!line.empty() && line.back() == '\r') {
    line.remove_suffix(1);
  }
  if (line.find_first_not_of(" \t\r\f\v") == std::string_view::npos) {
    return {};
  }
  if (!explain && line[line.find_first_not_of(" \t\r\f\v")] != '{') {
    return unreadable("not a JSON object"); // cheap: no copy, no parse
  }
  std::string error;
  auto parsed = parse_line(quote_python_nonfinite(line), explain, error);
  if (!parsed) {
    return unreadable("not JSON: " + util::abbreviate(error, 120));
  }
  if (!parsed->is_object()) {
    return unreadable("not a JSON object");
  }
  const auto* t = find(*parsed, {"time", "timestamp", "ts", "_time"});
  if (t == nullptr) {
    return unreadable("no \"time\" (seconds since 1970, or ISO 8601 text)");
  }
  EventLine out;
  auto time = time_of(*t);
  if (!time) {
    return unreadable("\"time\" is neither seconds since 1970 nor an ISO 8601 time");
  }
  out.event.time = *time;
  const auto* k = find(*parsed, {"kind"});
  if (k == nullptr || !k->is_string()) {
    return unreadable("no \"kind\" (rollout, extraction, error, ...)");
  }
  auto why = read_fields(*parsed, k->get_ref<const std::string&>(), out.event);
  if (!why.empty()) {
    return unreadable(why);
  }
  out.kind = EventLine::Kind::event;
  return out;
}

void EventLogParser::problem(const std::string& why) {
  if (m_log.unreadable++ == 0) {
    m_first_problem = fmt::format("{}:{}: {}", m_name, m_log.lines, why);
  }
}

void EventLogParser::take_line(std::string_view line) {
  ++m_log.lines;
  auto r = read_event_line(line, m_log.unreadable == 0);
  if (r.kind == EventLine::Kind::unreadable) {
    problem(r.problem);
  } else if (r.kind == EventLine::Kind::event) {
    if (m_log.events.size() < m_max_events) {
      m_log.events.push_back(r.event);
    } else {
      m_log.truncated = true;
    }
  }
}

void EventLogParser::feed(std::string_view bytes) {
  while (!bytes.empty()) {
    size_t nl = bytes.find('\n');
    std::string_view piece = bytes.substr(0, nl);
    if (m_skipping) {
      // the rest of a line too long to read
    } else if (m_partial.size() + piece.size() > k_max_event_line) {
      m_skipping = true;
      m_partial.clear();
      m_partial.shrink_to_fit();
    } else if (nl != std::string_view::npos && m_partial.empty()) {
      take_line(piece); // the common case: no copy
    } else {
      m_partial.append(piece);
      if (nl != std::string_view::npos) {
        take_line(m_partial);
        m_partial.clear();
      }
    }
    if (nl == std::string_view::npos) {
      return;
    }
    if (m_skipping) {
      ++m_log.lines;
      problem(fmt::format("longer than {} bytes", k_max_event_line));
      m_skipping = false;
    }
    bytes.remove_prefix(nl + 1);
  }
}

EventLog EventLogParser::finish() {
  if (m_skipping) {
    ++m_log.lines;
    problem(fmt::format("longer than {} bytes", k_max_event_line));
  } else if (!m_partial.empty()) {
    take_line(m_partial);
  }
  m_partial.clear();
  m_skipping = false;
  if (m_first_problem) {
    m_log.warning =
        fmt::format("{} ({} line{} unreadable)", *m_first_problem, m_log.unreadable, m_log.unreadable == 1 ? "" : "s");
  }
  if (m_log.truncated) {
    auto what = fmt::format("{}: only the first {} events were read", m_name, m_max_events);
    m_log.warning = m_log.warning ? *m_log.warning + "; " + what : what;
  }
  return std::move(m_log);
}

std::optional<EventLog> read_event_log(const std::filesystem::path& file, size_t max_events) {
  detail::SourceFile f(file);
  if (!f.ok()) {
    if (f.irregular()) {
      EventLog log;
      log.warning = fmt::format("{} is not a regular file: not read", file.string());
      return log;
    }
    return std::nullopt;
  }
  EventLogParser parser(file.string(), max_events);
  std::string buf(k_chunk, '\0');
  long long pos = 0;
  const long long size = f.size();
  while (pos < size) {
    buf.resize(static_cast<size_t>(std::min<long long>(k_chunk, size - pos)));
    size_t got = f.read_at(buf, pos);
    if (got == 0) {
      break;
    }
    parser.feed(std::string_view(buf.data(), got));
    pos += static_cast<long long>(got);
  }
  return parser.finish();
}

} // namespace seedrun::track
