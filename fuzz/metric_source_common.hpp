#pragma once
// Shared by the metric-source fuzz targets: a run directory per fuzzing process, a file written
// in pieces with reads in between (small batches), and the points compared with one read of the
// whole file: incremental reading must lose nothing and return nothing twice.
#include "fuzz_support.hpp"
#include "scanner_common.hpp"
#include "seedrun/track/metric_source.hpp"

#include <cmath>

namespace seedrun::fuzz {

inline bool same_point(const store::MetricPoint& a, const store::MetricPoint& b) {
  return a.step == b.step && (a.value == b.value || (std::isnan(a.value) && std::isnan(b.value)));
}

// All points of `source` from `cursor` on, in batches of `batch`, until it has no more.
inline std::vector<store::MetricPoint> drain(const track::MetricSource& source, track::SourceCursor& cursor,
                                             bool final_read, size_t batch) {
  std::vector<store::MetricPoint> out;
  for (int guard = 0; guard < 1 << 20; ++guard) {
    auto r = source.read(cursor, final_read, batch);
    SEEDRUN_FUZZ_CHECK(!r.reset); // the files only grow here
    SEEDRUN_FUZZ_CHECK(r.points.size() <= batch || !r.more);
    // a decoded cursor is the same cursor
    auto back = track::SourceCursor::decode(r.cursor.encode());
    SEEDRUN_FUZZ_CHECK(back && *back == r.cursor);
    out.insert(out.end(), r.points.begin(), r.points.end());
    cursor = r.cursor;
    if (!r.more) {
      return out;
    }
  }
  SEEDRUN_FUZZ_CHECK(false); // never-ending batches
  return out;
}

// Batches of 1-7 points on small inputs; on large ones about 1/64 of the bytes, so that the
// number of reads (each of which may read ahead up to 1 MiB) stays small.
inline size_t batch_size(Splitter& splitter, size_t bytes) {
  return bytes < 4096 ? 1 + splitter.next() % 7 : 1 + bytes / 64 + splitter.next() % 7;
}

// Writes `bytes` to `dir`/`name` in 1-3 pieces cut where `splitter` says, draining the source
// after each (the last read final), and checks the result against one final read of the whole.
inline void check_incremental(const std::filesystem::path& dir, const std::string& name, std::string_view bytes,
                              const track::MetricSource& source, Splitter& splitter) {
  std::error_code ec;
  std::filesystem::remove_all(dir, ec);
  std::filesystem::create_directories((dir / name).parent_path());
  write_file(dir / name, bytes);
  track::SourceCursor whole_cursor;
  auto whole = drain(source, whole_cursor, true, track::MetricSource::k_default_batch);

  std::filesystem::remove_all(dir, ec);
  std::filesystem::create_directories((dir / name).parent_path());
  track::SourceCursor cursor;
  std::vector<store::MetricPoint> pieces;
  size_t n = 1 + splitter.next() % 3;
  size_t at = 0;
  for (size_t i = 0; i < n; ++i) {
    size_t len = i + 1 == n ? bytes.size() - at : std::min(bytes.size() - at, splitter.next());
    write_file(dir / name, bytes.substr(at, len), i > 0);
    at += len;
    auto got = drain(source, cursor, i + 1 == n, batch_size(splitter, bytes.size()));
    pieces.insert(pieces.end(), got.begin(), got.end());
  }
  SEEDRUN_FUZZ_CHECK(pieces.size() == whole.size());
  for (size_t i = 0; i < whole.size(); ++i) {
    SEEDRUN_FUZZ_CHECK(same_point(pieces[i], whole[i]));
  }
}

} // namespace seedrun::fuzz
