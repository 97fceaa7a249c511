// Conformance on files written by real libraries (tests/fixtures/metrics/README.md): tensorboardX's
// SummaryWriter and EventFileWriter with Debian's python3-protobuf, and Python's json module.
// One run's metric read three ways (stdout, JSON lines, TensorBoard) gives the same numbers.
#include "seedrun/config/config.hpp"
#include "seedrun/track/log_scanner.hpp"
#include "seedrun/track/metric_source.hpp"
#include "seedrun/util/atomic_file.hpp"

#include <cmath>
#include <doctest/doctest.h>

namespace fs = std::filesystem;
using namespace seedrun;
using namespace seedrun::track;

namespace {

const fs::path k_fixtures = fs::path(SEEDRUN_SOURCE_DIR) / "tests" / "fixtures" / "metrics";

struct Point {
  long long step;
  double value;
};

std::vector<Point> read_all(const config::MetricSpec& spec, const fs::path& dir) {
  auto src = make_metric_source(spec, SourceContext{dir, 1});
  REQUIRE(src);
  auto r = src->read({}, true);
  CHECK(!r.more);
  CHECK(!r.reset);
  CHECK(r.unreadable == 0);
  std::vector<Point> out;
  for (const auto& p : r.points) {
    out.push_back({p.step.value_or(-1), p.value});
  }
  return out;
}

void check_same(const std::vector<Point>& a, const std::vector<Point>& b) {
  REQUIRE(a.size() == b.size());
  for (size_t i = 0; i < a.size(); ++i) {
    CHECK(a[i].step == b[i].step);
    CHECK((a[i].value == b[i].value || (std::isnan(a[i].value) && std::isnan(b[i].value))));
  }
}

} // namespace

TEST_CASE("val loss read from stdout, from metrics.jsonl and from TensorBoard events gives the same numbers") {
  const auto dir = k_fixtures / "three_ways";

  LogScanner scanner("val loss " + config::number_pattern());
  scanner.feed(util::read_file(dir / "train.log"));
  scanner.finish();
  std::vector<Point> from_stdout;
  for (const auto& v : scanner.take()) {
    from_stdout.push_back({v.step.value_or(-1), v.value});
  }

  config::MetricSpec jsonl;
  jsonl.name = "val_loss";
  jsonl.source = config::MetricSourceKind::jsonl;
  jsonl.file = "metrics.jsonl";
  jsonl.key = "val_loss";
  auto from_jsonl = read_all(jsonl, dir);

  config::MetricSpec tb;
  tb.name = "val_loss";
  tb.source = config::MetricSourceKind::tensorboard;
  tb.tag = "val/loss";
  auto from_tensorboard = read_all(tb, dir);

  REQUIRE(from_jsonl.size() == 10);
  for (size_t i = 0; i < 10; ++i) {
    long long step = static_cast<long long>(i) * 10;
    CHECK(from_jsonl[i].step == step);
    if (step == 50) {
      CHECK(std::isnan(from_jsonl[i].value));
    } else {
      CHECK(from_jsonl[i].value == 4.0 - static_cast<double>(step) / 32);
    }
  }
  check_same(from_stdout, from_jsonl);
  check_same(from_tensorboard, from_jsonl);

  SUBCASE("the other tag of the same events, and the histogram and text passed over") {
    tb.tag = "train/loss";
    auto train = read_all(tb, dir);
    REQUIRE(train.size() == 10);
    CHECK(train[9].step == 90);
    CHECK(train[9].value == 3.5 - 90.0 / 64);
    tb.tag = "weights";
    CHECK(read_all(tb, dir).empty());
  }
}

TEST_CASE("scalars in tensor form are read as TF2 and torch.utils.tensorboard write them") {
  const auto dir = k_fixtures / "tensor_forms";
  auto read_tag = [&](const std::string& tag) {
    config::MetricSpec tb;
    tb.name = tag;
    tb.source = config::MetricSourceKind::tensorboard;
    tb.tag = tag;
    return read_all(tb, dir);
  };
  auto f = read_tag("float_val");
  REQUIRE(f.size() == 3); // the two-element vector under the same tag is not a scalar
  auto c = read_tag("tensor_content");
  REQUIRE(c.size() == 3);
  auto d = read_tag("double_val");
  REQUIRE(d.size() == 3);
  for (size_t i = 0; i < 3; ++i) {
    CHECK(f[i].step == 100 + static_cast<long long>(i));
    CHECK(f[i].value == 0.5 + static_cast<double>(i));
    CHECK(c[i].value == 0.5 + static_cast<double>(i));
    CHECK(d[i].value == doctest::Approx(0.6 + static_cast<double>(i)).epsilon(1e-15)); // double_val: not cut to float
  }
}
