#include "seedrun/track/source_follower.hpp"

#include "seedrun/track/metric_source.hpp"

#include <fmt/format.h>

namespace seedrun::track {
namespace {

// Reads at most this many batches of one source per refresh of a live run: a file of billions of
// points is read over several refreshes instead of holding up every other run. A final read goes
// to the end (nothing is read after it).
constexpr int k_max_batches = 64;

void add_warning(SourceFollowResult& result, const std::string& name, const std::string& text) {
  auto what = fmt::format("metric {}: {}", name, text);
  result.warning = result.warning ? *result.warning + "; " + what : what;
}

} // namespace

SourceFollowResult follow_sources(store::Store& store, const store::Run& run,
                                  const std::vector<const config::MetricSpec*>& metrics, const std::string& primary,
                                  bool final_read) {
  SourceFollowResult result;
  if (run.output_dir.empty()) {
    return result;
  }
  SourceContext context{run.output_dir, run.seed};
  for (const auto* spec : metrics) {
    auto source = make_metric_source(*spec, context);
    if (!source) {
      continue;
    }
    bool is_primary = spec->name == primary;
    SourceCursor cursor;
    bool forget = false; // a stored cursor this seedrun cannot read: read again from the start
    auto text = store.metric_cursor(run.id, spec->name);
    bool stored = text.has_value();
    if (text) {
      if (auto decoded = SourceCursor::decode(*text)) {
        cursor = std::move(*decoded);
      } else {
        forget = true;
        add_warning(result, spec->name, "its stored read position was unreadable; read again from the start");
      }
    }
    for (int batch = 0; final_read || batch < k_max_batches; ++batch) {
      auto read = source->read(cursor, final_read);
      bool reset = forget || read.reset;
      forget = false;
      if (reset || !read.points.empty() || read.cursor != cursor || !stored) {
        // A cursor is stored from the first read on, so that a metric read from a file is known
        // as one (Store::reset_metrics keeps its points when the log goes back).
        store.append_source_points(run.id, spec->name, read.points, read.cursor.encode(), reset);
        stored = true;
      }
      result.new_points += read.points.size();
      if (is_primary) {
        if (reset) {
          result.primary_reset = true;
          result.primary_last.reset();
        }
        if (!read.points.empty()) {
          result.primary_last = read.points.back().value;
        }
      }
      if (read.warning) {
        add_warning(result, spec->name, *read.warning);
      }
      cursor = std::move(read.cursor);
      if (!read.more) {
        break;
      }
    }
  }
  return result;
}

} // namespace seedrun::track
