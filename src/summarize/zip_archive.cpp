// The only file that talks to libzip. Every libzip failure becomes a message string.
#include "seedrun/summarize/zip_archive.hpp"

#include <algorithm>
#include <fmt/format.h>
#include <zip.h>

namespace seedrun::summarize {
namespace {

constexpr size_t k_read_chunk_bytes = size_t{64} * 1024;
constexpr zip_uint64_t k_reserve_limit_bytes = zip_uint64_t{1024} * 1024; // trusted up to this much, to avoid regrowth

std::string open_error_text(int code) {
  zip_error_t error;
  zip_error_init_with_code(&error, code);
  std::string text = zip_error_strerror(&error);
  zip_error_fini(&error);
  return text;
}

} // namespace

struct ZipArchive::Handle {
  zip_t* zip = nullptr;
};

ZipArchive::ZipArchive(std::filesystem::path path, std::unique_ptr<Handle> handle, std::vector<std::string> names)
    : m_path(std::move(path)), m_handle(std::move(handle)), m_names(std::move(names)) {}

ZipArchive::~ZipArchive() {
  if (m_handle && m_handle->zip != nullptr) {
    zip_discard(m_handle->zip); // read-only: nothing to write back
  }
}

std::unique_ptr<ZipArchive> ZipArchive::open(const std::filesystem::path& path, std::string& error) {
  int code = 0;
  zip_t* zip = zip_open(path.c_str(), ZIP_RDONLY, &code);
  if (zip == nullptr) {
    error = fmt::format("cannot open {} as a ZIP archive: {}", path.string(), open_error_text(code));
    return nullptr;
  }
  auto handle = std::make_unique<Handle>();
  handle->zip = zip;
  std::vector<std::string> names;
  zip_int64_t count = zip_get_num_entries(zip, 0);
  for (zip_int64_t i = 0; i < count; ++i) {
    const char* name = zip_get_name(zip, static_cast<zip_uint64_t>(i), 0);
    if (name != nullptr) {
      names.emplace_back(name);
    }
  }
  return std::unique_ptr<ZipArchive>(new ZipArchive(path, std::move(handle), std::move(names)));
}

bool ZipArchive::contains(const std::string& name) const {
  return std::find(m_names.begin(), m_names.end(), name) != m_names.end();
}

ZipMember ZipArchive::read(const std::string& name, unsigned long long max_bytes) const {
  ZipMember result;
  auto fail = [&](const std::string& why) {
    result.error = fmt::format("{}: member {}: {}", m_path.string(), name, why);
    return result;
  };
  zip_t* zip = m_handle->zip;
  zip_int64_t index = zip_name_locate(zip, name.c_str(), 0);
  if (index < 0) {
    return fail("not in the archive");
  }
  zip_stat_t st;
  zip_stat_init(&st);
  if (zip_stat_index(zip, static_cast<zip_uint64_t>(index), 0, &st) != 0 || (st.valid & ZIP_STAT_SIZE) == 0) {
    return fail(zip_strerror(zip));
  }
  if (st.size > max_bytes) { // checked before anything is allocated
    return fail(fmt::format("declares {} bytes uncompressed, more than the {} allowed", st.size, max_bytes));
  }
  const unsigned long long budget = m_total_limit > m_bytes_read ? m_total_limit - m_bytes_read : 0;
  if (st.size > budget) {
    return fail(fmt::format("declares {} bytes uncompressed; with the {} bytes already read from this archive that "
                            "is more than the {} allowed in all",
                            st.size, m_bytes_read, m_total_limit));
  }
  max_bytes = std::min(max_bytes, budget);
  zip_file_t* file = zip_fopen_index(zip, static_cast<zip_uint64_t>(index), 0);
  if (file == nullptr) {
    return fail(zip_strerror(zip));
  }
  // The declared size is the archive's claim, not a fact: memory grows with the bytes that
  // actually come out, a chunk at a time, and reading stops one byte past the limit.
  std::string data;
  data.reserve(static_cast<size_t>(std::min<zip_uint64_t>(st.size, k_reserve_limit_bytes)));
  std::string chunk(k_read_chunk_bytes, '\0');
  unsigned long long done = 0;
  bool over = false;
  for (;;) {
    zip_int64_t n = zip_fread(file, chunk.data(), chunk.size());
    if (n < 0) {
      std::string why = zip_file_strerror(file);
      zip_fclose(file);
      return fail(why);
    }
    if (n == 0) {
      break;
    }
    done += static_cast<unsigned long long>(n);
    if (done > max_bytes) {
      over = true;
      break;
    }
    data.append(chunk.data(), static_cast<size_t>(n));
  }
  m_bytes_read += done;
  int close_rc = zip_fclose(file); // reports CRC mismatches
  if (over) {
    return fail(fmt::format("more than the {} bytes allowed uncompressed (declared: {})", max_bytes, st.size));
  }
  if (done != st.size) {
    return fail(fmt::format("truncated: {} of {} bytes", done, st.size));
  }
  if (close_rc != 0) {
    return fail(open_error_text(close_rc));
  }
  result.data = std::move(data);
  return result;
}

std::string write_zip_archive(const std::filesystem::path& path,
                              const std::vector<std::pair<std::string, std::string>>& members) {
  int code = 0;
  zip_t* zip = zip_open(path.c_str(), ZIP_CREATE | ZIP_TRUNCATE, &code);
  if (zip == nullptr) {
    return fmt::format("cannot create {}: {}", path.string(), open_error_text(code));
  }
  for (const auto& [name, content] : members) {
    zip_source_t* source = zip_source_buffer(zip, content.data(), content.size(), 0);
    zip_int64_t index = source == nullptr ? -1 : zip_file_add(zip, name.c_str(), source, ZIP_FL_ENC_UTF_8);
    if (index < 0) {
      std::string why = zip_strerror(zip);
      if (source != nullptr) {
        zip_source_free(source);
      }
      zip_discard(zip);
      return fmt::format("cannot add {} to {}: {}", name, path.string(), why);
    }
    zip_set_file_compression(zip, static_cast<zip_uint64_t>(index), ZIP_CM_DEFLATE, 0);
  }
  if (zip_close(zip) != 0) {
    std::string why = zip_strerror(zip);
    zip_discard(zip);
    return fmt::format("cannot write {}: {}", path.string(), why);
  }
  return {};
}

} // namespace seedrun::summarize
