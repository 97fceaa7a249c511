#pragma once
// SLURM job output of torchtune fine-tuning and inspect-ai evaluation jobs.
//
// torchtune's progress bar writes `{epoch}|{step}|Loss: {value}` (the seed's regex
// `(\d+)\|(\d+)\|Loss: ([0-9.]+)`), rewritten with `\r` so a whole epoch can be one physical
// line of ~100 KB, each step printed more than once, surrounded by UTF-8 block characters, and
// often followed by a wandb summary. `\r` and `\n` both end a line here; the scan is byte-wise
// and linear (no std::regex on 100 KB lines).
//
// Besides the loss series the reader notices what ended the job: Slurm's
// `*** JOB 123 ON node CANCELLED AT <time> [DUE TO TIME LIMIT] ***`, the oom-kill notice, a
// Python traceback (the exception line after `Traceback (most recent call last):`, also with
// torchrun's `[rankN]:` prefixes), and inspect-ai's `<scorer>/accuracy: X` line of eval jobs.
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace seedrun::summarize {

struct LossPoint {
  long long epoch = 0; // as printed: torchtune counts epochs from 1
  long long step = 0;  // global step
  double loss = 0.0;
  bool operator==(const LossPoint&) const = default;
};

struct TrainingLog {
  // The seed's "last match": final loss, total steps (its step) and epoch (its epoch).
  std::optional<LossPoint> last;
  // One point per distinct (epoch, step), in order of first appearance, holding the value
  // printed last for that step (the series for loss curves).
  std::vector<LossPoint> series;
  long long loss_lines = 0; // matches seen, duplicates included

  bool cancelled = false;    // a Slurm CANCELLED AT notice
  bool time_limit = false;   // ... DUE TO TIME LIMIT
  std::string cancel_reason; // text after "DUE TO" ("TIME LIMIT", "PREEMPTION"), "" if none
  bool oom_killed = false;   // "oom_kill event" / "OUT_OF_MEMORY" notice from slurmstepd
  bool traceback = false;    // a Python traceback was printed
  std::string exception;     // its final line, e.g. "RuntimeError: CUDA out of memory."

  std::optional<double> eval_accuracy; // last `<scorer>/accuracy: X`
  std::string eval_scorer;             // its <scorer> ("match")

  // Steps seen, each (epoch, step) once however often tqdm reprinted it.
  long long distinct_steps() const { return static_cast<long long>(series.size()); }
  // The output shows the job ended abnormally (cancel notice, oom-kill, traceback).
  bool failed() const { return cancelled || oom_killed || traceback; }
};

TrainingLog parse_training_log(std::string_view text);

// Reads and parses a file in 1 MiB chunks, holding only the unfinished line, so memory does not
// grow with the length of the job; a run of 16 MiB without any line end is scanned as one line
// and dropped. Same result as parse_training_log on the whole text for lines under 16 MiB.
// nullopt with `error` set when it cannot be read.
std::optional<TrainingLog> read_training_log(const std::filesystem::path& path, std::string& error);

} // namespace seedrun::summarize
