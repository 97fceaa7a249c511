// A JSON-lines file followed by offset like a log: only complete lines are read (a trailing
// partial line waits for its newline, or for the run's end), a line is never read twice, a line
// that cannot be read is counted and skipped.
#include "seedrun/track/metric_readers.hpp"
#include "seedrun/util/strings.hpp"
#include "source_file.hpp"

#include <algorithm>

namespace seedrun::track::detail {
namespace {

constexpr size_t k_max_line = 1 << 20;
constexpr size_t k_chunk = k_max_line + 1; // a full chunk without '\n' is a line too long

class JsonlSource final : public MetricSource {
public:
  JsonlSource(std::filesystem::path path, std::string name, std::string key, std::string step_key)
      : m_path(std::move(path)), m_name(std::move(name)), m_key(std::move(key)), m_step_key(std::move(step_key)) {}

  SourceRead read(const SourceCursor& cursor, bool final_read, size_t max_points) const override;

private:
  struct Problems {
    size_t count = 0;
    std::optional<std::string> first;
  };
  void take_line(std::string_view line, long long offset, SourceRead& out, Problems& problems) const;

  std::filesystem::path m_path;
  std::string m_name;
  std::string m_key;
  std::string m_step_key;
};

void JsonlSource::take_line(std::string_view line, long long offset, SourceRead& out, Problems& problems) const {
  if (!line.empty() && line.back() == '\r') {
    line.remove_suffix(1);
  }
  if (line.find_first_not_of(" \t\r\f\v") == std::string_view::npos) {
    return;
  }
  auto v = read_json_line(line, m_key, m_step_key);
  if (v.kind == JsonLineValue::Kind::value) {
    out.points.push_back({v.step, m_name, v.value});
  } else if (v.kind == JsonLineValue::Kind::unreadable) {
    if (problems.count++ == 0) {
      problems.first = fmt::format("the line at byte {}: {}", offset, v.problem);
    }
  }
}

SourceRead JsonlSource::read(const SourceCursor& cursor, bool final_read, size_t max_points) const {
  SourceRead out;
  out.cursor = cursor;
  FileCursor fc = cursor.files.empty() ? FileCursor{} : cursor.files.front();
  fc.name = m_path.string();
  SourceFile file(m_path);
  if (!file.ok()) {
    if (file.irregular()) {
      add_warning(out, fmt::format("{} is not a regular file: not read", m_path.string()));
    } else if (fc.offset > 0) {
      add_warning(out, fmt::format("{} disappeared after {} bytes were read", m_path.string(), fc.offset));
    }
    return out;
  }
  bool replaced = !fc.identity.empty() && fc.identity != file.identity();
  if (replaced || file.size() < fc.offset) {
    add_warning(out, fmt::format("{} was {} since the last read; read again from the start", m_path.string(),
                                 replaced ? "replaced" : "truncated"));
    out.reset = true;
    fc = FileCursor{};
    fc.name = m_path.string();
  }
  fc.identity = file.identity();
  const long long size = file.size();
  long long pos = fc.offset;
  Problems problems;
  std::string buf;
  while (pos < size && !out.more) {
    buf.resize(static_cast<size_t>(std::min<long long>(k_chunk, size - pos)));
    size_t got = file.read_at(buf, pos);
    if (got == 0) {
      break;
    }
    std::string_view view(buf.data(), got);
    size_t start = 0;
    if (fc.skipping) { // the rest of a line too long to read
      size_t nl = view.find('\n');
      if (nl == std::string_view::npos) {
        pos += static_cast<long long>(got);
        continue;
      }
      start = nl + 1;
      fc.skipping = false;
    }
    size_t first = start;
    for (size_t nl = view.find('\n', start); nl != std::string_view::npos; nl = view.find('\n', start)) {
      take_line(view.substr(start, nl - start), pos + static_cast<long long>(start), out, problems);
      start = nl + 1;
      if (out.points.size() >= max_points) {
        out.more = true;
        break;
      }
    }
    if (first == 0 && start == 0 && got == k_chunk) { // no line end in k_chunk bytes
      if (problems.count++ == 0) {
        problems.first = fmt::format("the line at byte {} is longer than {} bytes", pos, k_max_line);
      }
      fc.skipping = true;
      start = got;
    }
    pos += static_cast<long long>(start);
    if (start == 0) {
      break; // a partial last line: it waits for its newline
    }
  }
  if (final_read && !out.more && pos < size) { // the last line, without its newline
    if (!fc.skipping && size - pos <= static_cast<long long>(k_max_line)) {
      buf.resize(static_cast<size_t>(size - pos));
      size_t got = file.read_at(buf, pos);
      take_line(std::string_view(buf.data(), got), pos, out, problems);
    }
    fc.skipping = false;
    pos = size;
  }
  fc.offset = pos;
  fc.size = size;
  fc.mtime_ns = file.mtime_ns();
  out.cursor.files = {fc};
  out.unreadable = problems.count;
  if (problems.first) {
    add_warning(out, fmt::format("{}: {} line{} unreadable, {}", m_path.string(), problems.count,
                                 problems.count == 1 ? "" : "s", *problems.first));
  }
  return out;
}

} // namespace

std::unique_ptr<MetricSource> make_jsonl_source(const config::MetricSpec& spec, const SourceContext& context) {
  return std::make_unique<JsonlSource>(resolve_source_path(spec.file, context), spec.name,
                                       spec.key.empty() ? spec.name : spec.key, spec.step_key);
}

} // namespace seedrun::track::detail
