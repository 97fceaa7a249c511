#include "../../fixtures/summarize/eval_fixture.hpp"
#include "seedrun/summarize/training_log.hpp"

#include <doctest/doctest.h>
#include <fmt/format.h>

using namespace seedrun::summarize;
using namespace seedrun::summarize::testing;

namespace {

// One physical line of tqdm rewrites, the way torchtune prints an epoch: every step twice.
std::string tqdm_epoch(int epoch, int first_step, int last_step, double first_loss) {
  std::string out;
  for (int step = first_step; step <= last_step; ++step) {
    double loss = first_loss - 0.01 * (step - first_step);
    for (int twice = 0; twice < 2; ++twice) {
      out += fmt::format("\r{}|{}|Loss: {:.4f}: {:3d}%|\xe2\x96\x88\xe2\x96\x88\xe2\x96\x8f      | {}/{} "
                         "[00:{:02d}<00:10,  1.05it/s]",
                         epoch, step, loss, step * 100 / last_step, step, last_step, step % 60);
    }
  }
  return out;
}

} // namespace

TEST_CASE("the last loss line gives final loss, total steps and epoch; steps are counted once") {
  std::string text = "INFO:torchtune.utils._logging:Running FullFinetuneRecipe\n" + tqdm_epoch(1, 1, 50, 2.0) + "\n" +
                     tqdm_epoch(2, 51, 100, 1.5) +
                     "\nwandb: Run summary:\nwandb:   global_step 100\nwandb:          loss 1.01\n";
  REQUIRE(text.find('\n', 60) > 2000); // one physical line per epoch, like the real thing

  TrainingLog log = parse_training_log(text);
  REQUIRE(log.last);
  CHECK(log.last->epoch == 2);
  CHECK(log.last->step == 100);
  CHECK(log.last->loss == doctest::Approx(1.01));
  CHECK(log.loss_lines == 200);
  CHECK(log.distinct_steps() == 100);
  CHECK(log.series.front() == LossPoint{1, 1, 2.0});
  CHECK(log.series[50].epoch == 2);
  CHECK(log.series[50].step == 51);
  CHECK_FALSE(log.failed());
  CHECK_FALSE(log.eval_accuracy);
}

TEST_CASE("the loss reader follows the seed's regex exactly at the edges") {
  CHECK_FALSE(parse_training_log("|5|Loss: 1.0").last);  // no epoch digits
  CHECK_FALSE(parse_training_log("1||Loss: 1.0").last);  // no step digits
  CHECK_FALSE(parse_training_log("1|5|Loss: abc").last); // no number
  CHECK(parse_training_log("x12|345|Loss: 0.5:").last == LossPoint{12, 345, 0.5});
  CHECK(parse_training_log("1|2|Loss: 0.25.").last == LossPoint{1, 2, 0.25});
  CHECK(parse_training_log("1|2|Loss: 3e-05").last == LossPoint{1, 2, 3.0}); // [0-9.]+ stops at 'e'
}

TEST_CASE("a time-limit cancellation is detected with the last loss still reported") {
  std::string text = tqdm_epoch(1, 1, 20, 1.0) +
                     "\nslurmstepd: error: *** JOB 2773062 ON della-l01g3 CANCELLED AT 2026-01-05T12:00:03 DUE TO "
                     "TIME LIMIT ***\n";
  TrainingLog log = parse_training_log(text);
  CHECK(log.cancelled);
  CHECK(log.time_limit);
  CHECK(log.cancel_reason == "TIME LIMIT");
  CHECK(log.failed());
  REQUIRE(log.last);
  CHECK(log.last->step == 20);
}

TEST_CASE("a plain cancellation is not a time limit") {
  TrainingLog log =
      parse_training_log("slurmstepd: error: *** JOB 161474 ON diflives1 CANCELLED AT 2025-05-23T22:02:44 ***\n");
  CHECK(log.cancelled);
  CHECK_FALSE(log.time_limit);
  CHECK(log.cancel_reason.empty());
}

TEST_CASE("a Python traceback is detected and its exception line kept") {
  SUBCASE("plain") {
    std::string text =
        tqdm_epoch(1, 1, 3, 1.0) +
        "\nTraceback (most recent call last):\n  File \"recipe.py\", line 10, in <module>\n"
        "    main()\n    ^^^^^^\ntorch.OutOfMemoryError: CUDA out of memory. Tried to allocate 2.00 GiB\n";
    TrainingLog log = parse_training_log(text);
    CHECK(log.traceback);
    CHECK(log.exception == "torch.OutOfMemoryError: CUDA out of memory. Tried to allocate 2.00 GiB");
    CHECK(log.last->step == 3);
  }
  SUBCASE("torchrun rank prefixes and chained exceptions") {
    std::string text = "[rank0]: Traceback (most recent call last):\n[rank0]:   File \"a.py\", line 1, in f\n"
                       "[rank0]: KeyError: 'x'\n\nDuring handling of the above exception, another exception "
                       "occurred:\n\nTraceback (most recent call last):\n  File \"b.py\", line 2\n"
                       "ValueError: bad value\n";
    TrainingLog log = parse_training_log(text);
    CHECK(log.traceback);
    CHECK(log.exception == "ValueError: bad value");
  }
}

TEST_CASE("the oom-kill notice of slurmstepd marks the job failed") {
  TrainingLog log = parse_training_log("slurmstepd: error: Detected 1 oom_kill event in StepId=123.batch. Some of the "
                                       "step tasks have been OOM Killed.\n");
  CHECK(log.oom_killed);
  CHECK(log.failed());
}

TEST_CASE("inspect-ai's scorer/accuracy line of eval jobs is read, the last one winning") {
  TrainingLog log = parse_training_log("match/accuracy: 0.500  match/stderr: 0.1\n"
                                       "\r\xe2\x94\x82 match/accuracy: 0.850  match/stderr: 0.036 \xe2\x94\x82\n");
  REQUIRE(log.eval_accuracy);
  CHECK(*log.eval_accuracy == doctest::Approx(0.85));
  CHECK(log.eval_scorer == "match");
  CHECK_FALSE(log.last);
}

TEST_CASE("read_training_log reports an unreadable path as a value") {
  TempDir tmp;
  std::string error;
  CHECK_FALSE(read_training_log(tmp.path() / "missing.out", error));
  CHECK(error == "cannot read " + (tmp.path() / "missing.out").string());
  CHECK_FALSE(read_training_log(tmp.path(), error)); // a directory

  write_text(tmp.path() / "slurm-1.out", "1|10|Loss: 0.5\n");
  auto log = read_training_log(tmp.path() / "slurm-1.out", error);
  REQUIRE(log);
  CHECK(log->last == LossPoint{1, 10, 0.5});
}

TEST_CASE("reading a long log in chunks gives what parsing it whole gives, with bounded memory") {
  TempDir tmp;
  std::string text;
  for (int step = 1; step <= 120000; ++step) { // ~3 MB: lines cross the 1 MiB chunk boundaries
    text += fmt::format("{}|{}|Loss: {:.4f}: 50%|###  |{}", 1 + step / 50000, step, 3.0 - step * 1e-5,
                        step % 7 == 0 ? "\n" : "\r");
  }
  text += "Traceback (most recent call last):\n  File \"x.py\"\nRuntimeError: boom";
  write_text(tmp.path() / "slurm-1.out", text);
  std::string error;
  auto read = read_training_log(tmp.path() / "slurm-1.out", error);
  REQUIRE(read);
  TrainingLog whole = parse_training_log(text);
  CHECK(read->loss_lines == 120000);
  CHECK(read->loss_lines == whole.loss_lines);
  CHECK(read->series == whole.series);
  CHECK(read->last == whole.last);
  CHECK(read->exception == "RuntimeError: boom");
  CHECK(read->exception == whole.exception);
}

TEST_CASE("a log without any line end is read in bounded pieces") {
  TempDir tmp;
  std::string text(40 << 20, 'x'); // 40 MiB, no line end
  text += "1|7|Loss: 0.5000";
  write_text(tmp.path() / "slurm-2.out", text);
  std::string error;
  auto read = read_training_log(tmp.path() / "slurm-2.out", error);
  REQUIRE(read);
  REQUIRE(read->last);
  CHECK(read->last->step == 7);
}
