#include "seedrun/track/log_follower.hpp"

#include "seedrun/track/log_scanner.hpp"

#include <sys/stat.h>

#include <fstream>

#include <fmt/format.h>

namespace seedrun::track {
namespace {

constexpr size_t k_chunk = 1 << 20;
// Points stored per append_metrics call (with the offset of the last complete line read): a log
// of 50 million values must not hold them all in memory.
constexpr size_t k_batch = 1 << 16;

std::optional<std::string> identity_of(const std::string& path, long long& size) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) {
    return std::nullopt;
  }
  size = static_cast<long long>(st.st_size);
  return fmt::format("{}:{}", st.st_dev, st.st_ino);
}

} // namespace

FollowResult follow_log(store::Store& store, store::Run& run, const std::string& metric_name,
                        const std::shared_ptr<const config::MetricPattern>& pattern, bool final_read) {
  FollowResult result;
  long long size = 0;
  auto identity = identity_of(run.log_path, size);
  if (!identity) {
    if (run.log_offset > 0) {
      result.warning = fmt::format("log {} disappeared after {} bytes were read", run.log_path, run.log_offset);
      result.lost = true;
    }
    if (final_read) {
      run.log_done = true;
      store.update_run(run);
    }
    return result;
  }
  bool replaced = run.log_identity && *run.log_identity != *identity;
  bool truncated = size < run.log_offset;
  if (replaced || truncated) {
    result.warning = fmt::format("log {} was {} since the last read; read again from the start", run.log_path,
                                 replaced ? "replaced" : "truncated");
    result.lost = replaced;
    store.reset_metrics(run.id);
    run.log_offset = 0;
    run.log_identity.reset();
  }
  std::ifstream in(run.log_path, std::ios::binary);
  in.seekg(run.log_offset);
  LogScanner scanner(pattern);
  std::string buf(k_chunk, '\0');
  long long start = run.log_offset;
  std::vector<store::MetricPoint> points;
  auto collect = [&] {
    for (const auto& v : scanner.take()) {
      points.push_back({v.step, metric_name, v.value});
      result.last_value = v.value;
    }
  };
  while (in) {
    in.read(buf.data(), static_cast<std::streamsize>(buf.size()));
    auto got = in.gcount();
    if (got <= 0) {
      break;
    }
    scanner.feed(std::string_view(buf.data(), static_cast<size_t>(got)));
    collect();
    if (points.size() >= k_batch) { // memory stays bounded whatever the log: store what is read so far
      result.new_points += points.size();
      store.append_metrics(run.id, points, start + static_cast<long long>(scanner.consumed()), identity);
      points.clear();
    }
  }
  if (final_read) {
    scanner.finish();
  }
  collect();
  long long new_offset = start + static_cast<long long>(scanner.consumed());
  if (const auto& problem = scanner.first_problem()) {
    size_t lines = scanner.unreadable() + scanner.skipped();
    auto what = fmt::format("log {}: {} line{} skipped, the first at byte {}: {}", run.log_path, lines,
                            lines == 1 ? "" : "s", start + static_cast<long long>(problem->offset), problem->what);
    result.warning = result.warning ? *result.warning + "; " + what : what;
  }
  store.append_metrics(run.id, points, new_offset, identity);
  run.log_offset = new_offset;
  run.log_identity = identity;
  result.new_points += points.size();
  if (final_read) {
    run.log_done = true;
    store.update_run(run);
  }
  return result;
}

} // namespace seedrun::track
