#include <doctest/doctest.h>

#include "../../fixtures/summarize/eval_fixture.hpp"
#include "seedrun/summarize/zip_archive.hpp"

using namespace seedrun::summarize;
using namespace seedrun::summarize::testing;

TEST_CASE("an archive written with write_zip_archive reads back member for member") {
  TempDir tmp;
  auto path = tmp.path() / "a.zip";
  std::string big(200000, 'x');
  REQUIRE(write_zip_archive(path, {{"header.json", "{\"a\":1}"}, {"samples/1_epoch_1.json", big}}).empty());

  std::string error;
  auto zip = ZipArchive::open(path, error);
  REQUIRE(zip);
  CHECK(error.empty());
  CHECK(zip->names() == std::vector<std::string>{"header.json", "samples/1_epoch_1.json"});
  CHECK(zip->contains("header.json"));
  CHECK_FALSE(zip->contains("summaries.json"));
  auto header = zip->read("header.json");
  REQUIRE(header.data);
  CHECK(*header.data == "{\"a\":1}");
  auto sample = zip->read("samples/1_epoch_1.json");
  REQUIRE(sample.data);
  CHECK(*sample.data == big);
}

TEST_CASE("a missing member or one above the size limit is an error value naming archive and member") {
  TempDir tmp;
  auto path = tmp.path() / "a.zip";
  REQUIRE(write_zip_archive(path, {{"m.json", std::string(100, 'y')}}).empty());
  std::string error;
  auto zip = ZipArchive::open(path, error);
  REQUIRE(zip);

  auto missing = zip->read("nope.json");
  CHECK_FALSE(missing.data);
  CHECK(missing.error == path.string() + ": member nope.json: not in the archive");

  auto too_big = zip->read("m.json", 10);
  CHECK_FALSE(too_big.data);
  CHECK(too_big.error.find("100 bytes uncompressed, more than the 10 allowed") != std::string::npos);
}

TEST_CASE("opening something that is not a ZIP archive fails with a message, not an exception") {
  TempDir tmp;
  std::string error;

  SUBCASE("plain text") {
    write_text(tmp.path() / "x.eval", "hello, not a zip at all, but long enough to have no end record");
    CHECK_FALSE(ZipArchive::open(tmp.path() / "x.eval", error));
    CHECK(error.starts_with("cannot open " + (tmp.path() / "x.eval").string() + " as a ZIP archive: "));
  }
  SUBCASE("a truncated archive") {
    auto path = tmp.path() / "t.eval";
    REQUIRE(write_zip_archive(path, {{"header.json", std::string(5000, 'z')}}).empty());
    auto bytes = read_text(path);
    write_text(path, bytes.substr(0, bytes.size() / 2));
    CHECK_FALSE(ZipArchive::open(path, error));
    CHECK_FALSE(error.empty());
  }
  SUBCASE("a missing file") {
    CHECK_FALSE(ZipArchive::open(tmp.path() / "missing.eval", error));
    CHECK(error.find("missing.eval") != std::string::npos);
  }
}
