// TensorBoard event files (events.out.tfevents.*) under a run's output directory, each followed
// by offset record by record. A new file (a restarted writer, Lightning's version_N) is read
// from its start; files are read in the order of the timestamp in their names.
#include "seedrun/track/metric_readers.hpp"
#include "source_file.hpp"

#include <algorithm>
#include <map>

namespace seedrun::track::detail {
namespace {

constexpr uint64_t k_max_record = 16 << 20; // scalars are tens of bytes; larger records are images
constexpr size_t k_max_event_files = 1000;
constexpr size_t k_max_walk = 100000; // directory entries looked at per read
constexpr int k_max_depth = 4;        // output_dir/lightning_logs/version_0/events...

// "events.out.tfevents.1700000000.host.123.0" → 1700000000 (0 when the name has no timestamp).
long long name_time(const std::string& name) {
  auto at = name.find("tfevents.");
  long long t = 0;
  for (size_t i = at == std::string::npos ? name.size() : at + 9; i < name.size() && t < (1LL << 40); ++i) {
    if (name[i] < '0' || name[i] > '9') {
      break;
    }
    t = t * 10 + (name[i] - '0');
  }
  return t;
}

// Event files under `root`, relative to it, oldest first.
std::vector<std::string> event_files(const std::filesystem::path& root) {
  namespace fs = std::filesystem;
  std::vector<std::pair<long long, std::string>> found;
  std::error_code ec;
  size_t seen = 0;
  fs::recursive_directory_iterator it(root, fs::directory_options::skip_permission_denied, ec);
  for (fs::recursive_directory_iterator end; !ec && it != end && seen < k_max_walk && found.size() < k_max_event_files;
       it.increment(ec), ++seen) {
    if (it.depth() >= k_max_depth) {
      it.disable_recursion_pending();
    }
    auto name = it->path().filename().string();
    if (name.find("tfevents") != std::string::npos && it->is_regular_file(ec)) {
      found.emplace_back(name_time(name), it->path().lexically_relative(root).string());
    }
  }
  std::sort(found.begin(), found.end());
  std::vector<std::string> out;
  for (auto& f : found) {
    out.push_back(std::move(f.second));
  }
  return out;
}

class TensorboardSource final : public MetricSource {
public:
  TensorboardSource(std::filesystem::path root, std::string name, std::string tag)
      : m_root(std::move(root)), m_name(std::move(name)), m_tag(std::move(tag)) {}

  SourceRead read(const SourceCursor& cursor, bool final_read, size_t max_points) const override {
    SourceRead out = read_from(cursor, final_read, max_points);
    if (out.reset) { // a file went back: everything is read again from the start
      auto why = out.warning;
      out = read_from(SourceCursor{}, final_read, max_points);
      out.reset = true;
      out.warning = why ? (out.warning ? *why + "; " + *out.warning : *why) : out.warning;
    }
    return out;
  }

private:
  struct Problems {
    size_t count = 0;
    std::optional<std::string> first;
    void note(std::string what) {
      if (count++ == 0) {
        first = std::move(what);
      }
    }
  };

  SourceRead read_from(const SourceCursor& cursor, bool final_read, size_t max_points) const {
    SourceRead out;
    std::map<std::string, FileCursor> known;
    for (const auto& f : cursor.files) {
      known.emplace(f.name, f);
    }
    auto names = event_files(m_root);
    for (const auto& [name, fc] : known) {
      if (std::find(names.begin(), names.end(), name) == names.end()) {
        add_warning(out, fmt::format("event file {} disappeared; its points are kept", (m_root / name).string()));
      }
    }
    Problems problems;
    for (const auto& name : names) {
      auto it = known.find(name);
      FileCursor fc;
      if (it != known.end()) {
        fc = it->second;
      }
      fc.name = name;
      if (!out.more && !fc.broken) {
        SourceFile file(m_root / name);
        if (!file.ok()) {
          continue; // vanished between the listing and the open: not read yet
        }
        bool replaced = !fc.identity.empty() && fc.identity != file.identity();
        if (replaced || file.size() < fc.offset) {
          add_warning(out, fmt::format("event file {} was {}; every event file is read again", (m_root / name).string(),
                                       replaced ? "replaced" : "truncated"));
          out.reset = true;
          return out;
        }
        fc.identity = file.identity();
        read_records(file, fc, final_read, max_points, out, problems);
      }
      out.cursor.files.push_back(std::move(fc));
    }
    out.unreadable = problems.count;
    if (problems.first) {
      add_warning(out, fmt::format("{} record{} unreadable, {}", problems.count, problems.count == 1 ? "" : "s",
                                   *problems.first));
    }
    return out;
  }

  void read_records(const SourceFile& file, FileCursor& fc, bool final_read, size_t max_points, SourceRead& out,
                    Problems& problems) const {
    const long long size = file.size();
    auto where = [&](long long at) { return fmt::format("{} at byte {}", (m_root / fc.name).string(), at); };
    std::string buf;
    while (fc.offset < size) {
      if (out.points.size() >= max_points) {
        out.more = true;
        return;
      }
      auto left = static_cast<uint64_t>(size - fc.offset);
      buf.resize(k_record_header);
      if (left < k_record_header || file.read_at(buf, fc.offset) != k_record_header) {
        break;
      }
      auto frame = frame_record(buf, k_max_record);
      if (frame.status == RecordFrame::Status::bad_length_crc) {
        problems.note(where(fc.offset) + ": the record's length fails its CRC; the rest of the file is not read");
        fc.broken = true;
        return;
      }
      if (frame.size > left) {
        break; // the record is still being written
      }
      if (frame.status == RecordFrame::Status::too_large) {
        problems.note(where(fc.offset) + fmt::format(": a record of {} bytes was skipped", frame.length));
        fc.offset += static_cast<long long>(frame.size);
        continue;
      }
      buf.resize(static_cast<size_t>(frame.size));
      if (file.read_at(buf, fc.offset) != buf.size()) {
        break;
      }
      frame = frame_record(buf, k_max_record);
      if (frame.status != RecordFrame::Status::ok) {
        problems.note(where(fc.offset) + ": the record's data fails its CRC; skipped");
      } else if (auto event = decode_event(frame.data)) {
        // One point per event: a Summary holding the tag twice gives its last value (so a read
        // never passes max_points, whatever a record holds).
        std::optional<double> value;
        for (const auto& s : event->scalars) {
          if (s.tag == m_tag) {
            value = s.value;
          }
        }
        if (value) {
          out.points.push_back({event->step, m_name, *value});
        }
      } else {
        problems.note(where(fc.offset) + ": not an Event message; skipped");
      }
      fc.offset += static_cast<long long>(frame.size);
    }
    if (final_read && fc.offset < size) {
      problems.note(where(fc.offset) + ": the file ends inside a record (the writer was cut short)");
    }
  }

  std::filesystem::path m_root;
  std::string m_name;
  std::string m_tag;
};

} // namespace

std::unique_ptr<MetricSource> make_tensorboard_source(const config::MetricSpec& spec, const SourceContext& context) {
  auto root = spec.dir.empty() ? context.output_dir : resolve_source_path(spec.dir, context);
  return std::make_unique<TensorboardSource>(root, spec.name, spec.tag.empty() ? spec.name : spec.tag);
}

} // namespace seedrun::track::detail
