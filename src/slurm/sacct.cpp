#include "seedrun/slurm/sacct.hpp"

#include "seedrun/slurm/job_id.hpp"
#include "seedrun/slurm/parse_helpers.hpp"
#include "seedrun/util/strings.hpp"

#include <algorithm>
#include <cctype>
#include <fmt/format.h>

namespace seedrun::slurm {
namespace {

enum class Column { job_id_raw, job_id, name, state, exit_code, elapsed, start, end, nodelist, other };

std::string lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

Column column_of(const std::string& lower_name) {
  static const std::map<std::string, Column> k_columns{
      {"jobidraw", Column::job_id_raw}, {"jobid", Column::job_id},
      {"jobname", Column::name},        {"state", Column::state},
      {"exitcode", Column::exit_code},  {"elapsed", Column::elapsed},
      {"start", Column::start},         {"end", Column::end},
      {"nodelist", Column::nodelist},
  };
  auto it = k_columns.find(lower_name);
  return it == k_columns.end() ? Column::other : it->second;
}

struct ColumnSet {
  std::vector<std::string> names; // lower case
  std::vector<Column> kinds;
  bool has_id = false;
};

ColumnSet make_columns(const std::vector<std::string>& names) {
  ColumnSet set;
  for (const auto& n : names) {
    set.names.push_back(lower(util::trim(n)));
    set.kinds.push_back(column_of(set.names.back()));
    set.has_id = set.has_id || set.kinds.back() == Column::job_id || set.kinds.back() == Column::job_id_raw;
  }
  return set;
}

std::optional<util::TimePoint> parse_time(std::string_view text) {
  if (text.empty() || text == "Unknown" || text == "None") {
    return std::nullopt;
  }
  return util::parse_iso8601(text);
}

// Stores one field; returns why it cannot be read, or "" when it was fine.
std::string apply_field(SacctRow& row, Column kind, const std::string& name, std::string_view value) {
  switch (kind) {
  case Column::job_id_raw:
    row.job_id_raw = std::string(value);
    return parse_job_id(value) ? "" : fmt::format("JobIDRaw '{}' is not a job id", value);
  case Column::job_id: row.job_id = std::string(value); return "";
  case Column::name:
    row.name = std::string(value);
    row.placeholder = value == "allocation";
    return "";
  case Column::state:
    row.state_text = std::string(value);
    row.state = parse_job_state(value);
    return "";
  case Column::exit_code: {
    auto ec = parse_exit_code(value);
    if (!ec) {
      return fmt::format("ExitCode '{}' is not <code>:<signal>", value);
    }
    row.exit_code = ec->exit_code;
    row.signal = ec->signal;
    return "";
  }
  case Column::elapsed: {
    auto secs = parse_slurm_duration(value);
    if (!secs) {
      return fmt::format("Elapsed '{}' is not a duration", value);
    }
    row.elapsed_seconds = *secs;
    return "";
  }
  case Column::start: row.start = parse_time(value); return "";
  case Column::end: row.end = parse_time(value); return "";
  case Column::nodelist: row.nodelist = value == "None assigned" ? std::string() : std::string(value); return "";
  case Column::other: row.other[name] = std::string(value); return "";
  }
  return "";
}

// Builds a row from one value per column; returns why it cannot, or "".
std::string build_row(const ColumnSet& cols, const std::vector<std::string>& values, SacctRow& row) {
  for (size_t i = 0; i < cols.kinds.size(); ++i) {
    if (auto why = apply_field(row, cols.kinds[i], cols.names[i], values[i]); !why.empty()) {
      return why;
    }
  }
  if (row.job_id.empty()) {
    row.job_id = row.job_id_raw;
  }
  auto parts = parse_job_id(row.job_id);
  if (!parts) {
    return fmt::format("JobID '{}' is not a job id", row.job_id);
  }
  row.array_job_id = std::move(parts->array_job_id);
  row.array_task = parts->array_task;
  row.pending_tasks = std::move(parts->pending_tasks);
  row.step = std::move(parts->step);
  return "";
}

void parse_rows(std::string_view text, const ColumnSet& cols, SacctParse& out, bool skip_first) {
  bool skipped = !skip_first;
  for_each_line(text, [&](size_t line_no, std::string_view line) {
    if (!skipped) {
      skipped = true;
      return;
    }
    auto values = util::split(line, '|');
    if (values.size() == cols.kinds.size() + 1 && values.back().empty()) {
      values.pop_back(); // --parsable ends every line with '|'
    }
    SacctRow row;
    std::string why;
    if (!cols.has_id) {
      why = "the output has no JobID or JobIDRaw column";
    } else if (values.size() != cols.kinds.size()) {
      why = fmt::format("{} fields, expected {}", values.size(), cols.kinds.size());
    } else {
      why = build_row(cols, values, row);
    }
    if (why.empty()) {
      out.rows.push_back(std::move(row));
    } else {
      note_unreadable(out.unreadable_lines, out.first_unreadable, "sacct", line_no, line, why);
    }
  });
}

bool is_column_name(std::string_view s) {
  auto word_char = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_'; };
  return !s.empty() && std::isalpha(static_cast<unsigned char>(s.front())) != 0 &&
         std::all_of(s.begin(), s.end(), word_char);
}

} // namespace

SacctParse parse_sacct(std::string_view text) {
  static const ColumnSet k_cols = make_columns(util::split(k_sacct_format, ','));
  const size_t n = k_cols.kinds.size();
  SacctParse out;
  // One row per line at most, reserved up front: growing the vector by doubling would hold two
  // copies of 100,000 rows for a moment.
  out.rows.reserve(static_cast<size_t>(std::count(text.begin(), text.end(), '\n')) + 1);
  for_each_line(text, [&](size_t line_no, std::string_view line) {
    auto fields = util::split(line, '|');
    if (fields.size() < n) {
      note_unreadable(out.unreadable_lines, out.first_unreadable, "sacct", line_no, line,
                      fmt::format("{} fields, expected {}", fields.size(), n));
      return;
    }
    if (fields.size() > n) { // '|' inside JobName: everything between JobID and State is the name
      const size_t tail = n - 3;
      std::vector<std::string> name_parts(fields.begin() + 2, fields.end() - static_cast<long>(tail));
      std::vector<std::string> fixed(fields.begin(), fields.begin() + 2);
      fixed.push_back(util::join(name_parts, "|"));
      fixed.insert(fixed.end(), fields.end() - static_cast<long>(tail), fields.end());
      fields = std::move(fixed);
    }
    SacctRow row;
    if (auto why = build_row(k_cols, fields, row); !why.empty()) {
      note_unreadable(out.unreadable_lines, out.first_unreadable, "sacct", line_no, line, why);
      return;
    }
    out.rows.push_back(std::move(row));
  });
  return out;
}

SacctParse parse_sacct_columns(std::string_view text, const std::vector<std::string>& columns) {
  SacctParse out;
  parse_rows(text, make_columns(columns), out, false);
  return out;
}

SacctParse parse_sacct_with_header(std::string_view text) {
  SacctParse out;
  std::optional<std::string> header;
  for_each_line(text, [&](size_t, std::string_view line) {
    if (!header) {
      header = std::string(line);
    }
  });
  if (!header) {
    return out;
  }
  auto names = util::split(*header, '|');
  if (!names.empty() && names.back().empty()) {
    names.pop_back();
  }
  if (names.empty() || !std::all_of(names.begin(), names.end(), is_column_name)) {
    for_each_line(text, [&](size_t line_no, std::string_view line) {
      note_unreadable(out.unreadable_lines, out.first_unreadable, "sacct", line_no, line,
                      "the first line is not a header of column names");
    });
    return out;
  }
  parse_rows(text, make_columns(names), out, true);
  return out;
}

} // namespace seedrun::slurm
