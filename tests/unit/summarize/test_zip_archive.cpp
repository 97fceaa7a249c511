#include "../../fixtures/summarize/eval_fixture.hpp"
#include "seedrun/summarize/zip_archive.hpp"

#include <cstdint>
#include <doctest/doctest.h>
#include <sys/resource.h>

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

namespace {

// Rewrites the uncompressed size of every member in the local and central headers of `path`
// (a hostile archive that lies about its sizes, as a 170-byte .eval claiming 1 GiB did).
void claim_size(const std::filesystem::path& path, uint32_t size) {
  std::string bytes = read_text(path);
  auto put = [&](size_t at) {
    for (int i = 0; i < 4; ++i) {
      bytes[at + static_cast<size_t>(i)] = static_cast<char>((size >> (8 * i)) & 0xff);
    }
  };
  int patched = 0;
  for (size_t at = 0; at + 30 < bytes.size(); ++at) {
    if (bytes.compare(at, 4, "PK\x03\x04") == 0) {
      put(at + 22); // local file header: uncompressed size
      ++patched;
    } else if (bytes.compare(at, 4, "PK\x01\x02") == 0) {
      put(at + 24); // central directory header: uncompressed size
      ++patched;
    }
  }
  REQUIRE(patched >= 2);
  write_text(path, bytes);
}

long peak_rss_kib() {
  struct rusage usage {};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_maxrss;
}

} // namespace

// Issue 9, item 6: the declared size was trusted and allocated up front (1 GiB for a 170-byte file).
TEST_CASE("a member that claims 1 GiB is refused before anything is allocated") {
  TempDir tmp;
  auto path = tmp.path() / "bomb.eval";
  REQUIRE(write_zip_archive(path, {{"header.json", "{}"}}).empty());
  claim_size(path, 1U << 30);
  CHECK(std::filesystem::file_size(path) < 300);

  std::string error;
  auto zip = ZipArchive::open(path, error);
  REQUIRE_MESSAGE(zip, error);
  const long before = peak_rss_kib();
  auto member = zip->read("header.json");
  const long grown_kib = peak_rss_kib() - before;
  CHECK_FALSE(member.data);
  CHECK(member.error == path.string() + ": member header.json: declares 1073741824 bytes uncompressed, more than the " +
                            std::to_string(ZipArchive::k_default_max_member_bytes) + " allowed");
  CHECK(grown_kib < 64 * 1024); // the old code touched 1 GiB here
  CHECK(ZipArchive::k_default_max_member_bytes == 256ULL << 20);
}

TEST_CASE("the declared size is not trusted: reading stops at the limit whatever the header says") {
  TempDir tmp;
  auto path = tmp.path() / "liar.eval";
  REQUIRE(write_zip_archive(path, {{"m.json", std::string(200000, 'x')}}).empty());
  claim_size(path, 100); // claims 100 bytes, holds 200,000

  std::string error;
  auto zip = ZipArchive::open(path, error);
  REQUIRE_MESSAGE(zip, error);
  auto member = zip->read("m.json", 1000);
  CHECK_FALSE(member.data);
  CHECK_FALSE(member.error.empty());
  CHECK(zip->bytes_read() <= 1000 + 64 * 1024); // at most one chunk past the limit was decompressed
}

TEST_CASE("a member that holds less than it declares is reported as truncated") {
  TempDir tmp;
  auto path = tmp.path() / "short.eval";
  REQUIRE(write_zip_archive(path, {{"m.json", std::string(1000, 'x')}}).empty());
  claim_size(path, 5000);
  std::string error;
  auto zip = ZipArchive::open(path, error);
  REQUIRE_MESSAGE(zip, error);
  auto member = zip->read("m.json");
  CHECK_FALSE(member.data);
  CHECK_FALSE(member.error.empty());
}

TEST_CASE("all members of one archive together stay under the total limit") {
  TempDir tmp;
  auto path = tmp.path() / "many.eval";
  REQUIRE(write_zip_archive(path, {{"a", std::string(100, 'a')}, {"b", std::string(100, 'b')}}).empty());
  std::string error;
  auto zip = ZipArchive::open(path, error);
  REQUIRE(zip);
  zip->set_total_limit(150);
  CHECK(zip->read("a").data == std::string(100, 'a'));
  CHECK(zip->bytes_read() == 100);
  auto second = zip->read("b");
  CHECK_FALSE(second.data);
  CHECK(second.error.find("declares 100 bytes uncompressed; with the 100 bytes already read from this archive that "
                          "is more than the 150 allowed in all") != std::string::npos);
  CHECK(ZipArchive::k_default_max_total_bytes == 1ULL << 30);
}
