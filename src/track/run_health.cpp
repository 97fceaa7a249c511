// A run's series and events gathered for the health rules (run_health.hpp).
#include "seedrun/track/run_health.hpp"

#include "seedrun/track/event_log.hpp"
#include "seedrun/track/log_scanner.hpp"
#include "seedrun/track/metric_source.hpp"
#include "seedrun/util/error.hpp"
#include "source_file.hpp"

#include <algorithm>
#include <fmt/format.h>

namespace seedrun::track {
namespace {

// Points in file order; a point without a step takes its index.
stats::Series to_series(const std::vector<store::MetricPoint>& points) {
  stats::Series s;
  s.reserve(points.size());
  for (size_t i = 0; i < points.size(); ++i) {
    s.push_back({points[i].step.value_or(static_cast<long long>(i)), points[i].value});
  }
  return s;
}

// A `pattern` metric the tracker did not store: the run's printed output scanned with it, in
// chunks (the scanner bounds each line), as the log follower does.
std::vector<store::MetricPoint> scan_log(const config::MetricSpec& spec, const std::filesystem::path& log,
                                         std::vector<std::string>& warnings) {
  std::vector<store::MetricPoint> points;
  detail::SourceFile file(log);
  if (!file.ok()) {
    return points;
  }
  try {
    LogScanner scanner(spec.pattern);
    std::string buf(1 << 20, '\0');
    for (long long pos = 0; pos < file.size();) {
      buf.resize(static_cast<size_t>(std::min<long long>(1 << 20, file.size() - pos)));
      size_t got = file.read_at(buf, pos);
      if (got == 0) {
        break;
      }
      scanner.feed(std::string_view(buf.data(), got));
      pos += static_cast<long long>(got);
      for (const auto& v : scanner.take()) {
        points.push_back({v.step, spec.name, v.value});
      }
    }
    scanner.finish();
    for (const auto& v : scanner.take()) {
      points.push_back({v.step, spec.name, v.value});
    }
  } catch (const Error& e) {
    warnings.push_back(fmt::format("{}: {}", log.string(), e.what()));
  }
  return points;
}

config::MetricSpec spec_for(const config::Config& cfg, const std::string& name) {
  for (const auto& m : cfg.metrics) {
    if (m.name == name) {
      return m;
    }
  }
  config::MetricSpec m;
  m.name = name;
  m.source = config::MetricSourceKind::jsonl;
  m.file = cfg.health.metrics_file;
  m.key = name;
  m.step_key = cfg.health.step_key;
  return m;
}

// The series of `name`, nullopt when the source has no point of it.
std::optional<stats::Series> read_series(const config::Config& cfg, const HealthTarget& t, const std::string& name,
                                         store::Store* store, std::vector<std::string>& warnings) {
  auto spec = spec_for(cfg, name);
  std::vector<store::MetricPoint> points;
  if (spec.source == config::MetricSourceKind::pattern) {
    if (store != nullptr && t.run_id) {
      points = store->metric_points(*t.run_id, name);
    }
    if (points.empty() && !t.log_path.empty()) {
      points = scan_log(spec, t.log_path, warnings);
    }
  } else {
    auto source = make_metric_source(spec, SourceContext{t.dir, t.seed});
    SourceCursor cursor;
    while (source) {
      auto r = source->read(cursor, true);
      if (r.reset) {
        points.clear();
      }
      points.insert(points.end(), r.points.begin(), r.points.end());
      // Every metric of one file reads the same lines: its problems are told once.
      if (r.warning && std::find(warnings.begin(), warnings.end(), *r.warning) == warnings.end()) {
        warnings.push_back(*r.warning);
      }
      cursor = r.cursor;
      if (!r.more) {
        break;
      }
    }
  }
  if (points.empty()) {
    return std::nullopt;
  }
  return to_series(points);
}

} // namespace

report::RunHealth check_run_health(const config::Config& cfg, const HealthTarget& target,
                                   std::optional<double> window_from, store::Store* store) {
  report::RunHealth out = target.labels;
  out.dir = target.dir.string();
  const auto& h = cfg.health;
  stats::RunSeries series;
  series.kl = read_series(cfg, target, h.kl_metric, store, out.warnings);
  series.grad_norm = read_series(cfg, target, h.grad_norm_metric, store, out.warnings);
  series.loss = read_series(cfg, target, h.loss_metric, store, out.warnings);
  for (const auto& name : h.finite_metrics) {
    if (name != h.kl_metric && name != h.grad_norm_metric && name != h.loss_metric) {
      series.others.emplace_back(name, read_series(cfg, target, name, store, out.warnings));
    }
  }
  std::optional<stats::EventTotals> totals;
  auto events_path = resolve_source_path(h.events_file, SourceContext{target.dir, target.seed});
  if (auto log = read_event_log(events_path)) {
    if (log->warning) {
      out.warnings.push_back(*log->warning);
    }
    out.events_file = true;
    totals = stats::total_events(log->events, window_from);
    out.events = log->events.size() - totals->outside_window;
    out.events_outside_window = totals->outside_window;
  }
  out.result = stats::evaluate_health(series, totals, h);
  return out;
}

} // namespace seedrun::track
