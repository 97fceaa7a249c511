// What sacct, squeue and sbatch print: every parser gets the same bytes. None of them may
// throw; each line is either a row or counted as unreadable.
#include "fuzz_support.hpp"
#include "seedrun/slurm/job_id.hpp"
#include "seedrun/slurm/sacct.hpp"
#include "seedrun/slurm/sbatch.hpp"
#include "seedrun/slurm/squeue.hpp"

#include <algorithm>
#include <spdlog/spdlog.h>
#include <vector>

namespace {

size_t non_blank_lines(std::string_view text) {
  size_t n = 0;
  while (!text.empty()) {
    auto nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    text = nl == std::string_view::npos ? std::string_view() : text.substr(nl + 1);
    if (line.ends_with('\r')) {
      line.remove_suffix(1);
    }
    n += line.find_first_not_of(" \t") != std::string_view::npos ? 1 : 0;
  }
  return n;
}

template <class Parse> void check_counts(const Parse& p, size_t lines) {
  SEEDRUN_FUZZ_CHECK(p.unreadable_lines >= 0);
  SEEDRUN_FUZZ_CHECK(p.rows.size() + static_cast<size_t>(p.unreadable_lines) <= lines + 1);
}

template <class Row> void check_pending(const Row& row) {
  SEEDRUN_FUZZ_CHECK(row.pending_tasks.size() <= static_cast<size_t>(seedrun::slurm::k_max_pending_tasks) + 1);
  SEEDRUN_FUZZ_CHECK(std::is_sorted(row.pending_tasks.begin(), row.pending_tasks.end()));
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const bool quiet = [] {
    spdlog::set_level(spdlog::level::off);
    return true;
  }();
  (void)quiet;
  using namespace seedrun::slurm;
  std::string text = seedrun::fuzz::expand({reinterpret_cast<const char*>(data), size});
  size_t lines = non_blank_lines(text);

  SacctParse a = parse_sacct(text);
  check_counts(a, lines);
  for (const auto& row : a.rows) {
    check_pending(row);
  }
  check_counts(parse_sacct_with_header(text), lines);
  static const std::vector<std::vector<std::string>> k_columns = {
      {"JobID", "State"},
      {"JobIDRaw", "JobID", "JobName", "State", "ExitCode", "Elapsed", "Start", "End", "NodeList"},
      {"jobid", "jobname", "partition", "account", "alloccpus", "state", "exitcode"},
      {"JobName", "NCPUS"},
  };
  size_t pick = text.empty() ? 0 : static_cast<unsigned char>(text.back()) % k_columns.size();
  check_counts(parse_sacct_columns(text, k_columns[pick]), lines);

  SqueueParse q = parse_squeue(text);
  check_counts(q, lines);
  for (const auto& row : q.rows) {
    check_pending(row);
  }

  SbatchParse s = parse_sbatch_parsable(text);
  SEEDRUN_FUZZ_CHECK(s.job_id.has_value() != !s.error.empty());
  if (s.job_id) {
    SEEDRUN_FUZZ_CHECK(!s.job_id->empty());
  }
  return 0;
}
