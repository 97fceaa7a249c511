// SHA-256 against the FIPS 180-4 examples and sha256sum, and the sampled hash of large files.
#include "seedrun/util/atomic_file.hpp"
#include "seedrun/util/error.hpp"
#include "seedrun/util/sha256.hpp"

#include <doctest/doctest.h>
#include <filesystem>
#include <string>
#include <unistd.h>

namespace fs = std::filesystem;
using namespace seedrun::util;

TEST_CASE("sha256 matches the FIPS 180-4 examples") {
  CHECK(sha256_hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  CHECK(sha256_hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  CHECK(sha256_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq") ==
        "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  CHECK(sha256_hex(std::string(1000000, 'a')) == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

TEST_CASE("sha256 gives the same digest whatever the split of the input across updates") {
  std::string text(200, 'x');
  for (size_t i = 0; i < text.size(); ++i) {
    text[i] = static_cast<char>('a' + i % 26);
  }
  for (size_t cut : {0UL, 1UL, 55UL, 56UL, 63UL, 64UL, 65UL, 119UL, 199UL}) {
    Sha256 s;
    s.update(std::string_view(text).substr(0, cut));
    s.update(std::string_view(text).substr(cut));
    CHECK(s.hex() == sha256_hex(text));
  }
}

TEST_CASE("a file's hash is the hash of its bytes; a large file is hashed by its size and both ends") {
  fs::path dir = fs::temp_directory_path() / ("seedrun-sha-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  write_file_atomic(dir / "small", "print('hello')\n");
  auto h = sha256_file(dir / "small");
  CHECK(h.hex == sha256_hex("print('hello')\n"));
  CHECK(h.size == 15);
  CHECK_FALSE(h.sampled);

  std::string big(100, 'm');
  write_file_atomic(dir / "big", "HEAD" + big + "TAIL");
  auto a = sha256_file(dir / "big", 50, 4);
  CHECK(a.sampled);
  write_file_atomic(dir / "big", "HEAD" + std::string(100, 'n') + "TAIL"); // the middle changes: not seen
  CHECK(sha256_file(dir / "big", 50, 4).hex == a.hex);
  write_file_atomic(dir / "big", "HEAD" + big + "TAIX"); // the end changes: seen
  CHECK(sha256_file(dir / "big", 50, 4).hex != a.hex);
  CHECK_THROWS_AS(sha256_file(dir / "missing"), seedrun::Error);
  fs::remove_all(dir);
}
