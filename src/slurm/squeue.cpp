#include "seedrun/slurm/squeue.hpp"

#include "seedrun/slurm/job_id.hpp"
#include "seedrun/slurm/parse_helpers.hpp"

#include <fmt/format.h>

namespace seedrun::slurm {

SqueueParse parse_squeue(std::string_view text) {
  SqueueParse out;
  for_each_line(text, [&](size_t line_no, std::string_view line) {
    const auto first = line.find('|');
    const auto last = line.rfind('|');
    if (first == std::string_view::npos || first == last) {
      note_unreadable(out.unreadable_lines, out.first_unreadable, "squeue", line_no, line,
                      "expected <id>|<name>|<state>");
      return;
    }
    SqueueRow row;
    row.job_id = std::string(line.substr(0, first));
    auto parts = parse_job_id(row.job_id);
    if (!parts) {
      note_unreadable(out.unreadable_lines, out.first_unreadable, "squeue", line_no, line,
                      fmt::format("'{}' is not a job id", row.job_id));
      return;
    }
    row.array_job_id = std::move(parts->array_job_id);
    row.array_task = parts->array_task;
    row.pending_tasks = std::move(parts->pending_tasks);
    row.name = std::string(line.substr(first + 1, last - first - 1));
    row.state_text = std::string(line.substr(last + 1));
    row.state = parse_job_state(row.state_text);
    out.rows.push_back(std::move(row));
  });
  return out;
}

} // namespace seedrun::slurm
