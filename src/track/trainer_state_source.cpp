// Hugging Face Trainer's trainer_state.json: rewritten whole at every checkpoint (in
// <output_dir>/checkpoint-N/, and by save_state() in <output_dir>), so it is read again when
// the newest one changes (another file, size or mtime) and only steps past the last one
// returned are new. The Trainer writes it in place (not atomically): a file that does not parse
// is taken as being written and read at the next call, and only reported at the run's end.
#include "seedrun/track/metric_readers.hpp"
#include "source_file.hpp"

#include <algorithm>
#include <climits>

namespace seedrun::track::detail {
namespace {

constexpr long long k_max_state_file = 64LL << 20;
constexpr size_t k_max_dir_entries = 100000;

// The newest trainer_state.json of a run: <dir>/trainer_state.json or
// <dir>/checkpoint-*/trainer_state.json, by mtime (then name); "" when there is none.
std::string newest_state(const std::filesystem::path& dir) {
  namespace fs = std::filesystem;
  std::string best;
  fs::file_time_type best_time{};
  auto consider = [&](const std::string& name) {
    std::error_code ec;
    auto t = fs::last_write_time(dir / name, ec);
    if (!ec && fs::is_regular_file(dir / name, ec) &&
        (best.empty() || t > best_time || (t == best_time && name > best))) {
      best = name;
      best_time = t;
    }
  };
  consider("trainer_state.json");
  std::error_code ec;
  size_t seen = 0;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end && seen < k_max_dir_entries;
       it.increment(ec), ++seen) {
    auto name = it->path().filename().string();
    if (name.starts_with("checkpoint-")) {
      consider(name + "/trainer_state.json");
    }
  }
  return best;
}

class TrainerStateSource final : public MetricSource {
public:
  TrainerStateSource(std::filesystem::path dir, std::string file, std::string name, std::string key)
      : m_dir(std::move(dir)), m_file(std::move(file)), m_name(std::move(name)), m_key(std::move(key)) {}

  SourceRead read(const SourceCursor& cursor, bool final_read, size_t max_points) const override {
    SourceRead out;
    out.cursor = cursor;
    std::string name = m_file.empty() ? newest_state(m_dir) : m_file;
    if (name.empty()) {
      return out; // no checkpoint yet
    }
    auto path = m_dir / name;
    SourceFile file(path);
    if (!file.ok()) {
      if (file.irregular()) {
        add_warning(out, fmt::format("{} is not a regular file: not read", path.string()));
      }
      return out;
    }
    FileCursor fc;
    fc.name = name;
    fc.identity = file.identity();
    fc.size = file.size();
    fc.mtime_ns = file.mtime_ns();
    if (!cursor.files.empty() && cursor.files.front() == fc) {
      return out; // the same version of the same file: nothing new
    }
    if (file.size() > k_max_state_file) {
      add_warning(
          out, fmt::format("{} has {} bytes (more than {}): not read", path.string(), file.size(), k_max_state_file));
      out.unreadable = 1;
      out.cursor.files = {fc};
      return out;
    }
    std::string text(static_cast<size_t>(file.size()), '\0');
    if (file.read_at(text, 0) != text.size()) {
      return out; // shorter than it was a moment ago: being rewritten; read it next time
    }
    auto state = read_trainer_state(text, m_key);
    if (state.problem) {
      if (final_read) {
        add_warning(out, fmt::format("{}: {}", path.string(), *state.problem));
        out.unreadable = 1;
        out.cursor.files = {fc};
      }
      return out; // most likely caught mid-write: the next read sees it whole
    }
    take_entries(state, fc, max_points, out);
    return out;
  }

private:
  // The entries past the cursor's last step, at most max_points of them.
  void take_entries(const TrainerState& state, FileCursor fc, size_t max_points, SourceRead& out) const {
    auto last = out.cursor.last_step;
    long long top = LLONG_MIN;
    for (const auto& e : state.entries) {
      top = std::max(top, e.step);
    }
    if (last && !state.entries.empty() && top < *last) {
      add_warning(out, fmt::format("{} goes back to step {} (step {} was read): the run restarted from an "
                                   "earlier checkpoint; its points are read again",
                                   (m_dir / fc.name).string(), top, *last));
      out.reset = true;
      last.reset();
    }
    // Steps only go forward: an entry is new when its step is past every step returned before it
    // (a second entry at a step, like a final evaluate() at the last eval step, is not), so
    // reading in batches returns the same points as one read.
    std::optional<long long> newest = last;
    for (const auto& e : state.entries) {
      if (newest && e.step <= *newest) {
        continue;
      }
      if (out.points.size() >= max_points) {
        out.more = true;
        break;
      }
      out.points.push_back({e.step, m_name, e.value});
      newest = e.step;
    }
    out.unreadable = state.unreadable;
    if (state.unreadable > 0) {
      add_warning(out, fmt::format("{}: {} log_history entr{} with '{}' but no number or no step", fc.name,
                                   state.unreadable, state.unreadable == 1 ? "y" : "ies", m_key));
    }
    if (out.more) {
      fc.size = -1; // not all of this version was returned: read it again next time
    }
    out.cursor.files = {fc};
    out.cursor.last_step = newest;
  }

  std::filesystem::path m_dir;
  std::string m_file;
  std::string m_name;
  std::string m_key;
};

} // namespace

std::unique_ptr<MetricSource> make_trainer_state_source(const config::MetricSpec& spec, const SourceContext& context) {
  std::string file;
  if (!spec.file.empty()) {
    file = resolve_source_path(spec.file, context).lexically_relative(context.output_dir).string();
    if (file.empty() || file.starts_with("..")) {
      file = resolve_source_path(spec.file, context).string(); // outside output_dir: m_dir / absolute = absolute
    }
  }
  return std::make_unique<TrainerStateSource>(context.output_dir, file, spec.name,
                                              spec.key.empty() ? spec.name : spec.key);
}

} // namespace seedrun::track::detail
