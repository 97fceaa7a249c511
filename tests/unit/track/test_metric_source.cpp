// The metric sources on real files in a temp directory: read incrementally with the cursor
// they return, nothing read twice, a file that goes back read again with `reset`, what cannot
// be read skipped with a warning.
#include "event_writer.hpp"
#include "seedrun/track/metric_source.hpp"

#include <cmath>
#include <doctest/doctest.h>
#include <fmt/format.h>
#include <fstream>
#include <unistd.h>

namespace fs = std::filesystem;
using namespace seedrun;
using namespace seedrun::track;

namespace {

struct RunDir {
  fs::path dir = fs::temp_directory_path() / fmt::format("seedrun-sources-{}-{}", ::getpid(), rand());
  SourceContext context{dir, 42};
  RunDir() { fs::create_directories(dir); }
  ~RunDir() {
    std::error_code ec;
    fs::remove_all(dir, ec);
  }
  RunDir(const RunDir&) = delete;
  RunDir& operator=(const RunDir&) = delete;

  void write(const std::string& name, const std::string& text, bool append = false) const {
    fs::create_directories((dir / name).parent_path());
    std::ofstream out(dir / name, std::ios::binary | (append ? std::ios::app : std::ios::trunc));
    out << text;
  }
};

config::MetricSpec jsonl_spec(const std::string& name, const std::string& file = "metrics.jsonl") {
  config::MetricSpec m;
  m.name = name;
  m.source = config::MetricSourceKind::jsonl;
  m.file = file;
  m.key = name;
  return m;
}

std::vector<double> values(const std::vector<store::MetricPoint>& points) {
  std::vector<double> out;
  for (const auto& p : points) {
    out.push_back(p.value);
  }
  return out;
}
std::vector<long long> steps(const std::vector<store::MetricPoint>& points) {
  std::vector<long long> out;
  for (const auto& p : points) {
    out.push_back(p.step.value_or(-1));
  }
  return out;
}

} // namespace

TEST_CASE("a JSON-lines file is read incrementally: complete lines only, each once") {
  RunDir run;
  auto src = make_metric_source(jsonl_spec("loss"), run.context);
  REQUIRE(src);
  SUBCASE("no file yet: nothing, no warning") {
    auto r = src->read({}, false);
    CHECK(r.points.empty());
    CHECK(!r.warning);
  }
  run.write("metrics.jsonl", "{\"step\": 1, \"loss\": 3.0}\n{\"step\": 2, \"lo");
  auto r1 = src->read({}, false);
  CHECK(values(r1.points) == std::vector<double>{3.0});
  CHECK(r1.points[0].name == "loss");
  CHECK(r1.cursor.files.at(0).offset == 25);
  run.write("metrics.jsonl", "ss\": 2.5}\n{\"step\": 3, \"acc\": 0.1}\n{\"step\": 4, \"loss\": 2.0}", true);
  auto r2 = src->read(r1.cursor, false);
  CHECK(steps(r2.points) == std::vector<long long>{2});
  CHECK(!r2.reset);
  auto r3 = src->read(r2.cursor, false);
  CHECK(r3.points.empty());
  CHECK(r3.cursor == r2.cursor);
  auto last = src->read(r3.cursor, true); // the run ended: the line without its newline counts
  CHECK(values(last.points) == std::vector<double>{2.0});
  CHECK(src->read(last.cursor, true).points.empty());
  SUBCASE("the cursor survives being stored as text") {
    auto back = SourceCursor::decode(last.cursor.encode());
    REQUIRE(back);
    CHECK(*back == last.cursor);
    CHECK(!SourceCursor::decode("not a cursor"));
    CHECK(!SourceCursor::decode(R"({"v":1,"files":[{"name":"x"}]})"));
  }
}

TEST_CASE("a JSON-lines file that was truncated or replaced is read again from the start with reset") {
  RunDir run;
  auto src = make_metric_source(jsonl_spec("loss"), run.context);
  run.write("metrics.jsonl", "{\"loss\": 1}\n{\"loss\": 2}\n");
  auto r1 = src->read({}, false);
  CHECK(r1.points.size() == 2);
  SUBCASE("truncated") {
    run.write("metrics.jsonl", "{\"loss\": 9}\n");
    auto r2 = src->read(r1.cursor, false);
    CHECK(r2.reset);
    CHECK(values(r2.points) == std::vector<double>{9});
    CHECK(r2.warning->find("truncated since the last read") != std::string::npos);
  }
  SUBCASE("replaced by another file (rotation)") {
    run.write("metrics.jsonl.new", "{\"loss\": 7}\n{\"loss\": 8}\n{\"loss\": 9}\n"); // another inode
    fs::rename(run.dir / "metrics.jsonl.new", run.dir / "metrics.jsonl");
    auto r2 = src->read(r1.cursor, false);
    CHECK(r2.reset);
    CHECK(values(r2.points) == std::vector<double>{7, 8, 9});
  }
  SUBCASE("deleted: the points read stay, a warning says so") {
    fs::remove(run.dir / "metrics.jsonl");
    auto r2 = src->read(r1.cursor, true);
    CHECK(!r2.reset);
    CHECK(r2.points.empty());
    CHECK(*r2.warning == fmt::format("{} disappeared after 24 bytes were read", (run.dir / "metrics.jsonl").string()));
  }
}

TEST_CASE("unreadable JSON lines are skipped with a count and the first one's position") {
  RunDir run;
  auto src = make_metric_source(jsonl_spec("loss"), run.context);
  std::string huge = "{\"loss\": \"" + std::string(3 << 20, 'x') + "\"}\n";
  run.write("metrics.jsonl",
            "{\"loss\": 1}\nnot json\r\n\n" + huge + "{\"loss\": true}\n{\"loss\": NaN}\n{\"loss\": 3}\n");
  auto r = src->read({}, false);
  REQUIRE(r.points.size() == 3);
  CHECK(r.points[0].value == 1);
  CHECK(std::isnan(r.points[1].value));
  CHECK(r.points[2].value == 3);
  CHECK(r.unreadable == 3);
  REQUIRE(r.warning);
  CHECK(r.warning->find("3 lines unreadable, the line at byte 12: not a JSON object") != std::string::npos);
  SUBCASE("a long line still being written is skipped to its end, then reading goes on") {
    RunDir run2;
    auto s2 = make_metric_source(jsonl_spec("loss"), run2.context);
    run2.write("metrics.jsonl", "{\"loss\": 1}\n" + std::string((1 << 20) + 10, 'y'));
    auto a = s2->read({}, false);
    CHECK(a.points.size() == 1);
    CHECK(a.cursor.files[0].skipping);
    run2.write("metrics.jsonl", "yyy\n{\"loss\": 2}\n", true);
    auto b = s2->read(a.cursor, false);
    CHECK(values(b.points) == std::vector<double>{2});
    CHECK(!b.cursor.files[0].skipping);
  }
}

TEST_CASE("a read stops at max_points and the next one goes on where it stopped") {
  RunDir run;
  auto src = make_metric_source(jsonl_spec("loss"), run.context);
  std::string text;
  for (int i = 0; i < 25; ++i) {
    text += fmt::format("{{\"step\": {}, \"loss\": {}}}\n", i, i);
  }
  run.write("metrics.jsonl", text);
  SourceCursor c;
  std::vector<long long> all;
  int reads = 0;
  while (true) {
    auto r = src->read(c, true, 10);
    for (auto s : steps(r.points)) {
      all.push_back(s);
    }
    c = r.cursor;
    ++reads;
    CHECK(r.points.size() <= 10);
    if (!r.more) {
      break;
    }
  }
  CHECK(reads == 3);
  REQUIRE(all.size() == 25);
  for (int i = 0; i < 25; ++i) {
    CHECK(all[static_cast<size_t>(i)] == i);
  }
}

TEST_CASE("file names take {output_dir} and {seed}; relative ones are inside the output directory") {
  SourceContext ctx{"/runs/out", 7};
  CHECK(resolve_source_path("metrics.jsonl", ctx) == fs::path("/runs/out/metrics.jsonl"));
  CHECK(resolve_source_path("{output_dir}/logs/{seed}.jsonl", ctx) == fs::path("/runs/out/logs/7.jsonl"));
  CHECK(resolve_source_path("/abs/m_{seed}.jsonl", ctx) == fs::path("/abs/m_7.jsonl"));
  // The same path as lexically_normal() of output_dir / name gives, whether or not there is
  // something to normalise (the fast path skips lexically_normal when there is not).
  for (const char* dir : {"/runs/out", "/runs/out/", "runs/out", "", "/runs/./out", "/runs//out"}) {
    for (const char* name : {"metrics.jsonl", "./m.jsonl", "../m.jsonl", "a//b.jsonl", "a/./b", "a/../b", "a/b/", "..",
                             ".", "/abs//x/../y", "{output_dir}/../z", ".hidden/x", "a..b/c", "a/.b"}) {
      SourceContext c{dir, 3};
      std::string expanded = name;
      if (auto at = expanded.find("{output_dir}"); at != std::string::npos) {
        expanded.replace(at, 12, dir);
      }
      fs::path p(expanded);
      auto expected = (p.is_absolute() ? p : fs::path(dir) / p).lexically_normal();
      CHECK_MESSAGE(resolve_source_path(name, c) == expected, dir, " + ", name);
    }
  }
  config::MetricSpec pattern;
  CHECK(make_metric_source(pattern, ctx) == nullptr);
}

namespace {

config::MetricSpec hf_spec(const std::string& name) {
  config::MetricSpec m;
  m.name = name;
  m.source = config::MetricSourceKind::hf_trainer_state;
  m.key = name;
  return m;
}

std::string trainer_state(const std::vector<std::pair<int, double>>& entries) {
  std::string history;
  for (auto [step, loss] : entries) {
    history += fmt::format("{}{{\"epoch\": {}, \"eval_loss\": {}, \"step\": {}}}", history.empty() ? "" : ", ",
                           step / 10.0, loss, step);
  }
  return fmt::format("{{\"best_metric\": null, \"global_step\": {}, \"log_history\": [{}]}}",
                     entries.empty() ? 0 : entries.back().first, history);
}

} // namespace

TEST_CASE("trainer_state.json is read from the newest checkpoint and only new steps are returned") {
  RunDir run;
  auto src = make_metric_source(hf_spec("eval_loss"), run.context);
  CHECK(src->read({}, false).points.empty());
  run.write("checkpoint-10/trainer_state.json", trainer_state({{10, 2.5}}));
  auto r1 = src->read({}, false);
  CHECK(values(r1.points) == std::vector<double>{2.5});
  CHECK(r1.cursor.last_step == 10);
  CHECK(r1.cursor.files.at(0).name == "checkpoint-10/trainer_state.json");
  CHECK(src->read(r1.cursor, false).points.empty()); // unchanged: not parsed again
  ::usleep(20000);
  run.write("checkpoint-20/trainer_state.json", trainer_state({{10, 2.5}, {20, 2.0}}));
  auto r2 = src->read(r1.cursor, false);
  CHECK(steps(r2.points) == std::vector<long long>{20});
  CHECK(values(r2.points) == std::vector<double>{2.0});
  SUBCASE("a file caught mid-write is read at the next call, and only reported at the end") {
    ::usleep(20000);
    run.write("trainer_state.json", trainer_state({{10, 2.5}, {20, 2.0}, {30, 1.5}}).substr(0, 40));
    auto mid = src->read(r2.cursor, false);
    CHECK(mid.points.empty());
    CHECK(!mid.warning);
    CHECK(mid.cursor == r2.cursor);
    auto end = src->read(r2.cursor, true);
    CHECK(end.unreadable == 1);
    CHECK(end.warning->find("not JSON") != std::string::npos);
  }
  SUBCASE("steps that go back (a restart from an earlier checkpoint) are read again with reset") {
    ::usleep(20000);
    run.write("trainer_state.json", trainer_state({{10, 2.6}}));
    auto back = src->read(r2.cursor, false);
    CHECK(back.reset);
    CHECK(values(back.points) == std::vector<double>{2.6});
  }
  SUBCASE("a read stops at max_points and the next goes on after the last step returned") {
    ::usleep(20000);
    run.write("trainer_state.json", trainer_state({{10, 2.5}, {20, 2.0}, {30, 1.5}, {40, 1.2}, {50, 1.1}}));
    auto a = src->read(r2.cursor, false, 2);
    CHECK(steps(a.points) == std::vector<long long>{30, 40});
    CHECK(a.more);
    auto b = src->read(a.cursor, false, 2);
    CHECK(steps(b.points) == std::vector<long long>{50});
    CHECK(!b.more);
    CHECK(src->read(b.cursor, false, 2).points.empty());
  }
}

namespace {

config::MetricSpec tb_spec(const std::string& name, const std::string& tag) {
  config::MetricSpec m;
  m.name = name;
  m.source = config::MetricSourceKind::tensorboard;
  m.tag = tag;
  return m;
}

std::string event_file(int from, int to, const std::string& tag = "val/loss") {
  std::string out = from == 0 ? test::record(test::file_version_event()) : "";
  for (int s = from; s < to; ++s) {
    out += test::record(test::event(
        s, {test::simple_value("train/loss", 9.0F), test::tensor_float_val(tag, static_cast<float>(s) / 4)}));
  }
  return out;
}

} // namespace

TEST_CASE("TensorBoard event files are read record by record, a record cut short waits for its end") {
  RunDir run;
  auto src = make_metric_source(tb_spec("val_loss", "val/loss"), run.context);
  const std::string name = "lightning_logs/version_0/events.out.tfevents.1700000000.host.1.0";
  auto whole = event_file(0, 8);
  size_t cut = whole.size() - 5;
  run.write(name, whole.substr(0, cut));
  auto r1 = src->read({}, false);
  CHECK(steps(r1.points) == std::vector<long long>{0, 1, 2, 3, 4, 5, 6});
  CHECK(values(r1.points)[6] == 1.5);
  CHECK(!r1.warning);
  run.write(name, whole.substr(cut), true);
  auto r2 = src->read(r1.cursor, false);
  CHECK(steps(r2.points) == std::vector<long long>{7});
  SUBCASE("a second file (a restarted writer) is read after the first") {
    run.write("lightning_logs/version_1/events.out.tfevents.1700000100.host.2.0", event_file(0, 2));
    run.write(name, event_file(8, 9), true);
    auto r3 = src->read(r2.cursor, false);
    CHECK(steps(r3.points) == std::vector<long long>{8, 0, 1});
    CHECK(r3.cursor.files.size() == 2);
  }
  SUBCASE("a file cut short at the end of the run is reported") {
    run.write(name, test::record(test::event(9, {})).substr(0, 10), true);
    auto end = src->read(r2.cursor, true);
    CHECK(end.points.empty());
    CHECK(end.warning->find("the file ends inside a record") != std::string::npos);
  }
  SUBCASE("a truncated file makes every file be read again, with reset") {
    run.write(name, event_file(0, 3));
    auto again = src->read(r2.cursor, false);
    CHECK(again.reset);
    CHECK(steps(again.points) == std::vector<long long>{0, 1, 2});
  }
}

TEST_CASE("damaged event files never stop the reading of what can be read") {
  RunDir run;
  auto src = make_metric_source(tb_spec("loss", "loss"), run.context);
  auto good = [](int step) { return test::record(test::event(step, {test::simple_value("loss", 1.0F * step)})); };
  SUBCASE("a record whose data fails its CRC is skipped") {
    auto bad = good(2);
    bad[15] = static_cast<char>(bad[15] ^ 0x40);
    run.write("events.out.tfevents.1.h", good(1) + bad + good(3));
    auto r = src->read({}, false);
    CHECK(steps(r.points) == std::vector<long long>{1, 3});
    CHECK(r.unreadable == 1);
    CHECK(r.warning->find("fails its CRC; skipped") != std::string::npos);
  }
  SUBCASE("a length that fails its CRC ends the file; the file is not read again") {
    auto bad = good(2);
    bad[3] = 1;
    run.write("events.out.tfevents.1.h", good(1) + bad + good(3));
    auto r = src->read({}, false);
    CHECK(steps(r.points) == std::vector<long long>{1});
    CHECK(r.cursor.files.at(0).broken);
    run.write("events.out.tfevents.1.h", good(4), true);
    auto again = src->read(r.cursor, false);
    CHECK(again.points.empty());
    CHECK(!again.warning);
  }
  SUBCASE("a huge length with a valid CRC is skipped unread when the file holds it, else waited for") {
    std::string len = test::le(std::uint64_t{1} << 40, 8);
    run.write("events.out.tfevents.1.h", good(1) + len + test::le(masked_crc32c(len), 4) + good(3));
    auto r = src->read({}, true);
    CHECK(steps(r.points) == std::vector<long long>{1});
    CHECK(r.warning->find("the file ends inside a record") != std::string::npos);
  }
  SUBCASE("a record larger than the 16 MiB limit is skipped unread when the file holds it") {
    std::string big = test::record(std::string((16 << 20) + 1, 'z'));
    run.write("events.out.tfevents.1.h", good(1) + big + good(3));
    auto r = src->read({}, false);
    CHECK(steps(r.points) == std::vector<long long>{1, 3});
    CHECK(r.unreadable == 1);
    CHECK(r.warning->find(fmt::format("a record of {} bytes was skipped", (16 << 20) + 1)) != std::string::npos);
  }
  SUBCASE("an event holding the tag twice gives one point, its last value (found by fuzz_tensorboard_events)") {
    run.write("events.out.tfevents.1.h",
              test::record(test::event(1, {test::simple_value("loss", 1.0F), test::simple_value("loss", 2.0F)})));
    auto r = src->read({}, false, 1);
    CHECK(values(r.points) == std::vector<double>{2.0});
    CHECK(!r.more);
  }
  SUBCASE("a record holding garbage that frames well is skipped") {
    run.write("events.out.tfevents.1.h", good(1) + test::record("\x0b\x0b\x0b") + good(3));
    auto r = src->read({}, false);
    CHECK(steps(r.points) == std::vector<long long>{1, 3});
    CHECK(r.warning->find("not an Event message") != std::string::npos);
  }
}
