// An inspect-ai log as raw bytes: a .eval (ZIP) or a single .json log, told apart by content.
// read_eval_log never throws; eval-log's JSON always prints.
#include "eval_common.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  seedrun::fuzz::quiet_logs();
  std::string bytes{reinterpret_cast<const char*>(data), size};
  // ZIP bytes are used as they are; a JSON log may carry the expander's repeat markers.
  if (!bytes.starts_with("PK")) {
    bytes = seedrun::fuzz::expand(bytes);
  }
  auto file = seedrun::fuzz::scratch_dir() / "log.eval";
  seedrun::fuzz::write_file(file, bytes);
  seedrun::fuzz::read_every_way(file);
  return 0;
}
