// The only file that talks to libzip. Every libzip failure becomes a message string.
#include "seedrun/summarize/zip_archive.hpp"

#include <algorithm>

#include <fmt/format.h>
#include <zip.h>

namespace seedrun::summarize {
namespace {

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
  if (st.size > max_bytes) {
    return fail(fmt::format("{} bytes uncompressed, more than the {} allowed", st.size, max_bytes));
  }
  zip_file_t* file = zip_fopen_index(zip, static_cast<zip_uint64_t>(index), 0);
  if (file == nullptr) {
    return fail(zip_strerror(zip));
  }
  std::string data(static_cast<size_t>(st.size), '\0');
  zip_uint64_t done = 0;
  while (done < st.size) {
    zip_int64_t n = zip_fread(file, data.data() + done, st.size - done);
    if (n < 0) {
      std::string why = zip_file_strerror(file);
      zip_fclose(file);
      return fail(why);
    }
    if (n == 0) {
      break;
    }
    done += static_cast<zip_uint64_t>(n);
  }
  int close_rc = zip_fclose(file); // reports CRC mismatches
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
