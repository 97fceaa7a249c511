#include "seedrun/slurm/run_update.hpp"

#include "seedrun/store/run_lifecycle.hpp"

#include <algorithm>
#include <csignal>
#include <cstring>
#include <fmt/format.h>
#include <map>
#include <memory>
#include <optional>
#include <tuple>

namespace seedrun::slurm {
namespace {

using Key = std::pair<std::string, int>; // (array job id, task index); -1 for a plain job

std::string reason_of(const SacctRow& row) {
  switch (row.state) {
  case JobState::failed:
    if (row.signal != 0) {
      return fmt::format("killed by signal {} ({})", row.signal, strsignal(row.signal));
    }
    return fmt::format("exit code {}", row.exit_code);
  case JobState::timeout: return "time limit reached";
  case JobState::cancelled: return row.state_text;
  case JobState::out_of_memory: return "out of memory";
  case JobState::node_fail: return "node failure";
  case JobState::preempted: return "preempted";
  case JobState::boot_fail: return "node failed to boot";
  case JobState::deadline: return "deadline reached";
  default: return row.state_text;
  }
}

// Moves `run` to what `row` says; false when nothing changed.
bool merge_row(store::Run& run, const SacctRow& row) {
  if (row.state == JobState::unknown) {
    return false;
  }
  if (is_final(row.state) && !row.end) {
    // Seen on the real Slurm here: the state turns final before the job record (End, exit
    // code) reaches the database. Not settled yet: keep the previous state.
    return false;
  }
  auto before = std::make_tuple(run.state, run.wall_time, run.exit_code);
  store::mark_scheduler_state(run, *run_state_of(row.state)); // not unknown: returned above
  if (row.start) {
    run.started_at = *row.start;
  }
  if (row.elapsed_seconds > 0 || is_final(row.state)) {
    run.wall_time = row.elapsed_seconds;
  }
  if (is_final(row.state)) {
    if (row.end) {
      run.ended_at = *row.end;
    }
    run.exit_code = row.exit_code;
    run.signal = row.signal != 0 ? std::optional<int>(row.signal) : std::nullopt;
    if (row.state != JobState::completed) {
      run.reason = reason_of(row);
    }
  }
  return std::make_tuple(run.state, run.wall_time, run.exit_code) != before;
}

// The caller's copy was read before the (slow) Slurm call; in between `seedrun cancel` from
// another terminal may have marked the run CANCELLED, which an older answer must not undo: the
// store writes the answer only while the run is still in the state the copy holds.
bool apply_row(store::Store& store, const store::Run& run, const SacctRow& row) {
  store::Run changed = run;
  if (!merge_row(changed, row)) {
    return false;
  }
  return store.update_scheduler_state(changed, run.state);
}

} // namespace

SchedulerView SchedulerView::of(store::Run&& r) {
  return {r.id,        r.campaign_id, r.array_index, r.state,    r.cancel_cause, std::move(r.reason),
          r.exit_code, r.signal,      r.started_at,  r.ended_at, r.wall_time};
}

store::Run SchedulerView::to_run() const {
  store::Run r;
  r.id = id;
  r.campaign_id = campaign_id;
  r.array_index = array_index;
  r.state = state;
  r.cancel_cause = cancel_cause;
  r.reason = reason;
  r.exit_code = exit_code;
  r.signal = signal;
  r.started_at = started_at;
  r.ended_at = ended_at;
  r.wall_time = wall_time;
  return r;
}

std::vector<TrackedRun> unfinished_runs(store::Store& store) {
  std::map<long long, std::shared_ptr<const store::Submission>> subs;
  for (auto& s : store.submissions()) {
    if (s.job_id) {
      auto id = s.id;
      subs.emplace(id, std::make_shared<const store::Submission>(std::move(s)));
    }
  }
  std::vector<TrackedRun> out;
  out.reserve(static_cast<size_t>(store.count_waiting_runs())); // no second copy while growing
  // Only the unfinished runs (index on state): an idle tick over 100,000 finished runs reads
  // none. Each is kept as its scheduler view as it is read: 100,000 running runs are never all
  // held whole.
  store.each_waiting_run([&](store::Run&& r) {
    if (!r.submission_id) {
      return;
    }
    auto it = subs.find(*r.submission_id);
    if (it == subs.end()) {
      return;
    }
    out.push_back({SchedulerView::of(std::move(r)), it->second});
  });
  std::sort(out.begin(), out.end(), [](const TrackedRun& a, const TrackedRun& b) {
    return std::tie(a.run.campaign_id, a.run.id) < std::tie(b.run.campaign_id, b.run.id);
  });
  return out;
}

int adopt_submission(store::Store& store, const store::Submission& sub, const config::Config& cfg) {
  int adopted = 0;
  for (auto r : store.runs(sub.campaign_id)) {
    if (r.submission_id != sub.id || !r.array_index || r.state != store::RunState::submitting) {
      continue; // e.g. cancelled while sbatch ran: it stays CANCELLED
    }
    ++adopted;
    store::mark_pending(r);
    r.job_id = fmt::format("{}_{}", *sub.job_id, *r.array_index);
    r.log_path =
        (cfg.paths.state / "slurm" / fmt::format("{}_{}_{}.out", sub.job_name, *sub.job_id, *r.array_index)).string();
    r.log_offset = 0;
    r.log_identity.reset();
    store.update_run(r);
  }
  return adopted;
}

void release_submission(store::Store& store, const store::Submission& sub) {
  for (auto r : store.runs(sub.campaign_id)) {
    if (r.submission_id != sub.id || r.state != store::RunState::submitting) {
      continue; // a run cancelled meanwhile stays CANCELLED
    }
    store::release_to_planned(r);
    store.update_run(r);
  }
}

int apply_sacct(store::Store& store, const std::vector<TrackedRun>& tracked, const std::vector<SacctRow>& rows,
                util::TimePoint /*now*/) {
  std::map<Key, const SacctRow*> by_key;
  for (const auto& row : rows) {
    if (row.placeholder || !row.step.empty()) {
      continue; // not recorded yet: keep the previous state
    }
    if (!row.array_job_id.empty() && row.array_task) {
      by_key[{row.array_job_id, *row.array_task}] = &row;
    } else if (row.array_job_id.empty()) {
      by_key[{row.job_id_raw.empty() ? row.job_id : row.job_id_raw, -1}] = &row;
    } else {
      // Tasks that never started share one row ("3_[2-4]"): PENDING, or final when the
      // array was cancelled before they ran.
      for (int task : row.pending_tasks) {
        by_key.try_emplace({row.array_job_id, task}, &row);
      }
    }
  }
  int changed = 0;
  for (const auto& t : tracked) {
    auto it = by_key.find({t.array_job_id(), t.run.array_index.value_or(-1)});
    if (it == by_key.end() && !t.run.array_index) {
      it = by_key.find({t.array_job_id(), -1});
    }
    if (it == by_key.end()) {
      continue;
    }
    if (it->second->name != t.job_name()) {
      continue; // a name that is not ours under our id: not recorded yet, or not our job
    }
    changed += apply_row(store, t.run.to_run(), *it->second) ? 1 : 0;
  }
  return changed;
}

int apply_squeue(store::Store& store, const std::vector<TrackedRun>& tracked, const SqueueParse& parsed,
                 util::TimePoint now) {
  std::map<Key, const SqueueRow*> by_key;
  std::map<std::string, std::vector<int>> pending;
  for (const auto& row : parsed.rows) {
    if (!row.array_job_id.empty() && row.array_task) {
      by_key[{row.array_job_id, *row.array_task}] = &row;
    } else if (!row.array_job_id.empty()) {
      pending[row.array_job_id] = row.pending_tasks;
    } else {
      by_key[{row.job_id, -1}] = &row;
    }
  }
  int changed = 0;
  for (const auto& t : tracked) {
    auto it = by_key.find({t.array_job_id(), t.run.array_index.value_or(-1)});
    auto& pend = pending[t.array_job_id()];
    bool still_pending = std::find(pend.begin(), pend.end(), t.run.array_index.value_or(-2)) != pend.end();
    store::RunState state = store::RunState::completed;
    bool gone = false;
    if (it != by_key.end()) {
      auto known = run_state_of(it->second->state);
      if (!known) {
        continue; // a state this seedrun does not know: keep the previous one
      }
      state = *known;
    } else if (still_pending) {
      state = store::RunState::pending;
    } else {
      state = store::RunState::completed; // gone from the queue: the output file tells the rest
      gone = true;
    }
    if (state != t.run.state) {
      store::Run answer = t.run.to_run();
      if (gone) {
        answer.ended_at = std::chrono::floor<std::chrono::seconds>(now);
        answer.reason = "finished (accounting disabled: state from squeue and the output file)";
      }
      store::mark_scheduler_state(answer, state);
      changed += store.update_scheduler_state(answer, t.run.state) ? 1 : 0; // a cancel meanwhile wins
    }
  }
  return changed;
}

} // namespace seedrun::slurm
