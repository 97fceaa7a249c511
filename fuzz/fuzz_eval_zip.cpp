// Structure-aware .eval: the input is a text listing of ZIP members,
//   ==> header.json
//   {"status": "success", ...}
//   ==> samples/1_epoch_1.json
//   ...
// each member's text passed through the expander (so a member can be 300,000 brackets deep).
// A valid archive is written with libzip (write_zip_archive) and read every way seedrun reads
// logs, so the fuzzer spends its time in the JSON handling rather than in ZIP framing.
#include "eval_common.hpp"
#include "seedrun/summarize/zip_archive.hpp"

#include <utility>
#include <vector>

namespace {

std::vector<std::pair<std::string, std::string>> members_of(std::string_view in) {
  std::vector<std::pair<std::string, std::string>> members;
  static constexpr std::string_view k_sep = "==> ";
  size_t at = in.starts_with(k_sep) ? 0 : in.find("\n==> ");
  if (at != 0 && at != std::string_view::npos) {
    ++at;
  }
  while (at != std::string_view::npos && members.size() < 64) {
    size_t name_start = at + k_sep.size();
    size_t name_end = in.find('\n', name_start);
    if (name_end == std::string_view::npos) {
      name_end = in.size();
    }
    size_t next = in.find("\n==> ", name_end);
    size_t body_end = next == std::string_view::npos ? in.size() : next;
    std::string name{in.substr(name_start, name_end - name_start)};
    std::string_view body = name_end < body_end ? in.substr(name_end + 1, body_end - name_end - 1) : std::string_view{};
    if (!name.empty()) {
      members.emplace_back(std::move(name), seedrun::fuzz::expand(body));
    }
    at = next == std::string_view::npos ? next : next + 1;
  }
  return members;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  seedrun::fuzz::quiet_logs();
  auto members = members_of({reinterpret_cast<const char*>(data), size});
  auto file = seedrun::fuzz::scratch_dir() / "log.eval";
  std::error_code ec;
  std::filesystem::remove(file, ec);
  if (!seedrun::summarize::write_zip_archive(file, members).empty()) {
    return 0; // libzip refused the member list (a name it cannot store): not a reader finding
  }
  seedrun::fuzz::read_every_way(file);
  return 0;
}
