// The pure parsers of the metric sources: one JSON line, one trainer_state.json, TFRecord
// framing with its two CRCs, the tensorboard Event decoder.
#include "event_writer.hpp"
#include "seedrun/track/metric_readers.hpp"

#include <cmath>
#include <doctest/doctest.h>

using namespace seedrun;
using namespace seedrun::track;
using Kind = JsonLineValue::Kind;

TEST_CASE("a JSON line gives the key's number and the step") {
  auto v = read_json_line(R"({"step": 120, "loss": 2.41, "lr": 3e-4})", "loss", "step");
  CHECK(v.kind == Kind::value);
  CHECK(v.value == doctest::Approx(2.41));
  CHECK(v.step == 120);
  SUBCASE("a dotted key reaches into nested objects") {
    auto n = read_json_line(R"({"train": {"loss": 1.5}, "global_step": 7})", "train.loss", "global_step");
    CHECK(n.kind == Kind::value);
    CHECK(n.value == 1.5);
    CHECK(n.step == 7);
  }
  SUBCASE("a key with a dot in its name is found whole first") {
    auto n = read_json_line(R"({"train.loss": 3.0, "train": {"loss": 9.0}})", "train.loss", "step");
    CHECK(n.value == 3.0);
    CHECK(!n.step);
  }
}

TEST_CASE("NaN and Infinity as Python's json writes them are values, null and a missing key are absent") {
  auto nan = read_json_line(R"({"loss": NaN, "step": 3})", "loss", "step");
  CHECK(nan.kind == Kind::value);
  CHECK(std::isnan(nan.value));
  CHECK(nan.step == 3);
  auto inf = read_json_line(R"({"loss": -Infinity})", "loss", "step");
  CHECK(inf.kind == Kind::value);
  CHECK(inf.value == -INFINITY);
  auto text = read_json_line(R"({"loss": "nan", "note": "NaN stays text here"})", "loss", "step");
  CHECK(text.kind == Kind::value);
  CHECK(std::isnan(text.value));
  CHECK(read_json_line(R"({"loss": null})", "loss", "step").kind == Kind::absent);
  CHECK(read_json_line(R"({"eval_loss": 1})", "loss", "step").kind == Kind::absent);
  CHECK(quote_python_nonfinite(R"({"a": NaN, "b": "NaN", "NaNx": Infinity})") ==
        R"({"a": "NaN", "b": "NaN", "NaNx": "Infinity"})");
}

TEST_CASE("a line that is not a JSON object, or a value that is not a number, is unreadable with a reason") {
  CHECK(read_json_line(R"({"loss": 2.4)", "loss", "step").kind == Kind::unreadable);
  CHECK(read_json_line("[1, 2]", "loss", "step").problem == "not a JSON object");
  auto b = read_json_line(R"({"loss": true})", "loss", "step");
  CHECK(b.kind == Kind::unreadable);
  CHECK(b.problem == "'loss' is not a number");
  CHECK(read_json_line(R"({"loss": "high"})", "loss", "step").kind == Kind::unreadable);
  std::string deep(100000, '[');
  CHECK(read_json_line(deep, "loss", "step").kind == Kind::unreadable);
  SUBCASE("a step that is not a whole number is left out, the value kept") {
    auto s = read_json_line(R"({"loss": 1, "step": 2.5})", "loss", "step");
    CHECK(s.kind == Kind::value);
    CHECK(!s.step);
    CHECK(read_json_line(R"({"loss": 1, "step": 1e30})", "loss", "step").step == std::nullopt);
    CHECK(read_json_line(R"({"loss": 1, "step": "12"})", "loss", "step").step == 12);
  }
}

TEST_CASE("trainer_state.json gives the log_history entries holding the key, with their steps") {
  auto state = read_trainer_state(R"({
    "global_step": 30, "log_history": [
      {"epoch": 0.5, "learning_rate": 4e-05, "loss": 2.9, "step": 10},
      {"epoch": 1.0, "eval_loss": 2.5, "eval_runtime": 1.2, "step": 20},
      {"epoch": 1.0, "learning_rate": 3e-05, "loss": 2.1, "step": 20},
      {"epoch": 1.5, "loss": NaN, "step": 30},
      {"epoch": 1.5, "loss": 1.0},
      {"loss": null, "step": 31}
    ]})",
                                  "loss");
  CHECK(!state.problem);
  REQUIRE(state.entries.size() == 3);
  CHECK(state.entries[0].step == 10);
  CHECK(state.entries[0].value == 2.9);
  CHECK(state.entries[1].step == 20);
  CHECK(state.entries[1].value == 2.1);
  CHECK(std::isnan(state.entries[2].value));
  CHECK(state.unreadable == 1); // the entry without a step
  CHECK(read_trainer_state("{\"log_history\": [", "loss").problem);
  CHECK(*read_trainer_state("{}", "loss").problem ==
        "no log_history list (is this a Hugging Face trainer_state.json?)");
}

TEST_CASE("CRC-32C and its mask match the values TFRecord writers produce") {
  CHECK(crc32c("123456789") == 0xe3069283U); // the CRC-32C check value
  CHECK(crc32c("") == 0U);
  // masked = rotate right 15 + 0xa282ead8
  uint32_t c = crc32c("abc");
  CHECK(masked_crc32c("abc") == (((c >> 15) | (c << 17)) + 0xa282ead8U));
}

TEST_CASE("a TFRecord is framed only when both CRCs match") {
  auto data = test::event(5, {test::simple_value("loss", 1.5F)});
  auto rec = test::record(data);
  auto ok = frame_record(rec, 1 << 20);
  CHECK(ok.status == RecordFrame::Status::ok);
  CHECK(ok.data == data);
  CHECK(ok.size == rec.size());
  SUBCASE("cut anywhere, it is incomplete") {
    for (size_t n = 0; n < rec.size(); ++n) {
      CHECK(frame_record(std::string_view(rec).substr(0, n), 1 << 20).status == RecordFrame::Status::incomplete);
    }
  }
  SUBCASE("a flipped data byte fails the data CRC; a flipped length byte the length CRC") {
    auto bad = rec;
    bad[14] = static_cast<char>(bad[14] ^ 1);
    CHECK(frame_record(bad, 1 << 20).status == RecordFrame::Status::bad_data_crc);
    bad = rec;
    bad[0] = static_cast<char>(bad[0] ^ 1);
    CHECK(frame_record(bad, 1 << 20).status == RecordFrame::Status::bad_length_crc);
  }
  SUBCASE("a length past the limit is too large, 2^64-1 included") {
    CHECK(frame_record(rec, 4).status == RecordFrame::Status::too_large);
    std::string len = test::le(UINT64_MAX, 8);
    auto huge = frame_record(len + test::le(masked_crc32c(len), 4), 1 << 20);
    CHECK(huge.status == RecordFrame::Status::too_large);
    CHECK(huge.size == UINT64_MAX);
  }
}

TEST_CASE("an Event's scalars are read from simple_value and from the tensor forms") {
  auto ev =
      decode_event(test::event(42, {test::simple_value("train/loss", 2.5F), test::tensor_float_val("val/loss", 1.25F),
                                    test::tensor_content("lr", 0.5F)}));
  REQUIRE(ev);
  CHECK(ev->step == 42);
  CHECK(ev->wall_time == 1.7e9);
  REQUIRE(ev->scalars.size() == 3);
  CHECK(ev->scalars[0].tag == "train/loss");
  CHECK(ev->scalars[0].value == 2.5);
  CHECK(ev->scalars[1].tag == "val/loss");
  CHECK(ev->scalars[1].value == 1.25);
  CHECK(ev->scalars[2].value == 0.5);
  SUBCASE("double, half and bfloat16 tensors, packed or not") {
    using test::bytes_field;
    using test::key;
    using test::varint;
    auto dbl = key(1, 0) + varint(2) + bytes_field(6, test::double_bits(0.1));
    auto half = key(1, 0) + varint(19) + key(13, 0) + varint(0x3e00);     // 1.5
    auto bf16 = key(1, 0) + varint(14) + bytes_field(13, varint(0xc040)); // -3.0
    auto e = decode_event(
        test::event(1, {bytes_field(1, "d") + bytes_field(8, dbl), bytes_field(1, "h") + bytes_field(8, half),
                        bytes_field(1, "b") + bytes_field(8, bf16)}));
    REQUIRE(e);
    REQUIRE(e->scalars.size() == 3);
    CHECK(e->scalars[0].value == 0.1);
    CHECK(e->scalars[1].value == 1.5);
    CHECK(e->scalars[2].value == -3.0);
  }
  SUBCASE("a tensor of two elements, or of strings, is not a scalar") {
    using test::bytes_field;
    using test::key;
    using test::varint;
    auto shape = bytes_field(2, bytes_field(2, key(1, 0) + varint(2)));
    auto vec = key(1, 0) + varint(1) + shape + bytes_field(5, test::float_bits(1) + test::float_bits(2));
    auto text = key(1, 0) + varint(7) + bytes_field(8, "hello");
    auto e = decode_event(
        test::event(3, {bytes_field(1, "v") + bytes_field(8, vec), bytes_field(1, "t") + bytes_field(8, text)}));
    REQUIRE(e);
    CHECK(e->scalars.empty());
  }
  SUBCASE("the file_version event has no scalars; a negative step is kept") {
    auto fv = decode_event(test::file_version_event());
    REQUIRE(fv);
    CHECK(fv->scalars.empty());
    CHECK(decode_event(test::event(-1, {}))->step == -1);
  }
}

TEST_CASE("malformed Event bytes are refused, never read past") {
  auto good = test::event(7, {test::simple_value("loss", 1.0F)});
  for (size_t n = 1; n < good.size(); ++n) {
    auto cut = std::string_view(good).substr(0, n);
    auto e = decode_event(cut); // a cut inside a field is malformed; a cut between fields is a shorter Event
    if (e) {
      CHECK(e->scalars.size() <= 1);
    }
  }
  CHECK(!decode_event(std::string("\x0b\x00", 2)));              // a group (wire type 3)
  CHECK(!decode_event(std::string("\x2a\xff\xff\xff\xff\x0f"))); // a length past the end
  CHECK(!decode_event(std::string(11, '\xff')));                 // a varint of 11 bytes
  CHECK(decode_event("")->scalars.empty());
}
