// include/seedrun/util/json.hpp: JSON we print never throws on invalid UTF-8, JSON we read from
// outside files never nests deeper than the limit.
#include "seedrun/util/json.hpp"

#include <doctest/doctest.h>

using seedrun::util::dump_json;
using seedrun::util::parse_json_bounded;

TEST_CASE("dump_json replaces invalid UTF-8 with U+FFFD where dump() throws") {
  nlohmann::json j = {{"path", "caf\xe9.eval"}, {"cut", "\xc3"}, {"ok", "caf\xc3\xa9"}};
  CHECK_THROWS_AS((void)j.dump(), nlohmann::json::type_error);
  const std::string text = dump_json(j);
  CHECK(text == "{\"cut\":\"\xef\xbf\xbd\",\"ok\":\"caf\xc3\xa9\",\"path\":\"caf\xef\xbf\xbd.eval\"}");
  CHECK(dump_json(j, 2).find("\n  \"cut\"") != std::string::npos);
  CHECK(nlohmann::json::parse(text)["ok"] == "caf\xc3\xa9");
}

TEST_CASE("parse_json_bounded reads up to the depth limit and refuses deeper nesting without recursion") {
  std::string error;
  const auto at_limit =
      std::string(seedrun::util::k_max_json_depth, '[') + std::string(seedrun::util::k_max_json_depth, ']');
  CHECK(parse_json_bounded(at_limit, error).has_value());
  CHECK(error.empty());

  const auto one_more = "[" + at_limit + "]";
  CHECK_FALSE(parse_json_bounded(one_more, error).has_value());
  CHECK(error == "nesting deeper than 256 levels of arrays and objects");

  error.clear();
  CHECK_FALSE(parse_json_bounded(std::string(300000, '['), error).has_value()); // never closed
  CHECK(error == "nesting deeper than 256 levels of arrays and objects");

  error.clear();
  CHECK_FALSE(parse_json_bounded(std::string(300000, '{'), error).has_value()); // objects: a parse error first
  CHECK_FALSE(error.empty());

  error.clear();
  CHECK_FALSE(parse_json_bounded("{\"a\": 1,", error).has_value());
  CHECK(error.find("parse_error") != std::string::npos);

  error.clear();
  auto small = parse_json_bounded(R"({"a": [1, {"b": null}]})", error, 3);
  REQUIRE(small.has_value());
  CHECK((*small)["a"][1]["b"].is_null());
  CHECK_FALSE(parse_json_bounded(R"({"a": [1, {"b": []}]})", error, 3).has_value());
}

TEST_CASE("json_or_null writes absent values and non-finite numbers as null, everything else as is") {
  using seedrun::util::json_or_null;
  CHECK(json_or_null(std::optional<double>()).is_null());
  CHECK(json_or_null(std::optional<double>(NAN)).is_null());
  CHECK(json_or_null(std::optional<double>(-INFINITY)).is_null());
  CHECK(json_or_null(std::optional<double>(0.25)) == nlohmann::json(0.25));
  CHECK(json_or_null(std::optional<int>(3)) == nlohmann::json(3));
  CHECK(json_or_null(std::optional<std::string>("x")) == nlohmann::json("x"));
  CHECK(seedrun::util::dump_json({{"a", json_or_null(std::optional<double>(NAN))}}) == "{\"a\":null}");
}
