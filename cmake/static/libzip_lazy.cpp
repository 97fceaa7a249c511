// libzip loaded on first use (SEEDRUN_STATIC_DEPS builds; issue 11, start-up time).
//
// Debian ships libzip as a shared library only, and it pulls in libcrypto, libbz2 and libz:
// loading them cost every seedrun start ~0.7 ms and 140 page faults, though only the commands
// that read inspect-ai .eval files use libzip. In a static-deps build this file takes libzip's
// place on the link line: it defines the libzip functions src/summarize/zip_archive.cpp calls,
// and the first call dlopen()s libzip (SEEDRUN_LIBZIP_SONAME, e.g. libzip.so.4) and resolves
// them all at once. zip_archive.cpp is unchanged and so is its behaviour while libzip loads;
// when it cannot load, zip_open fails with ZIP_ER_INTERNAL and zip_error_strerror says why, so
// the user reads "cannot open X as a ZIP archive: libzip.so.4 could not be loaded (...)".
// Every other function is reached only through a zip_t* or zip_file_t* that zip_open returned,
// i.e. after a successful load. Add a function here when zip_archive.cpp starts calling it
// (the link fails until then).
#include <dlfcn.h>
#include <string>
#include <zip.h>

#ifndef SEEDRUN_LIBZIP_SONAME
#error "SEEDRUN_LIBZIP_SONAME (the soname of the libzip to load) must be defined by the build"
#endif

namespace {

struct Api {
  decltype(&::zip_close) close = nullptr;
  decltype(&::zip_discard) discard = nullptr;
  decltype(&::zip_error_fini) error_fini = nullptr;
  decltype(&::zip_error_init_with_code) error_init_with_code = nullptr;
  decltype(&::zip_error_strerror) error_strerror = nullptr;
  decltype(&::zip_fclose) fclose = nullptr;
  decltype(&::zip_file_add) file_add = nullptr;
  decltype(&::zip_file_strerror) file_strerror = nullptr;
  decltype(&::zip_fopen_index) fopen_index = nullptr;
  decltype(&::zip_fread) fread = nullptr;
  decltype(&::zip_get_name) get_name = nullptr;
  decltype(&::zip_get_num_entries) get_num_entries = nullptr;
  decltype(&::zip_name_locate) name_locate = nullptr;
  decltype(&::zip_open) open = nullptr;
  decltype(&::zip_set_file_compression) set_file_compression = nullptr;
  decltype(&::zip_source_buffer) source_buffer = nullptr;
  decltype(&::zip_source_free) source_free = nullptr;
  decltype(&::zip_stat_index) stat_index = nullptr;
  decltype(&::zip_stat_init) stat_init = nullptr;
  decltype(&::zip_strerror) strerror = nullptr;
  std::string load_error; // empty when every function above is set
};

template <typename Fn> bool resolve(void* lib, const char* name, Fn& fn, std::string& error) {
  void* symbol = dlsym(lib, name);
  if (symbol == nullptr) {
    error = std::string(SEEDRUN_LIBZIP_SONAME " has no ") + name;
    return false;
  }
  fn = reinterpret_cast<Fn>(symbol); // NOLINT: dlsym hands out functions as void*
  return true;
}

Api load() {
  Api api;
  void* lib = dlopen(SEEDRUN_LIBZIP_SONAME, RTLD_NOW | RTLD_LOCAL);
  if (lib == nullptr) {
    const char* why = dlerror();
    api.load_error = std::string(SEEDRUN_LIBZIP_SONAME " could not be loaded (") + (why ? why : "no reason given") +
                     "); seedrun reads .eval files with libzip: install it (Debian: apt-get install libzip4)";
    return api;
  }
  std::string& e = api.load_error;
  bool ok = resolve(lib, "zip_close", api.close, e) && resolve(lib, "zip_discard", api.discard, e) &&
            resolve(lib, "zip_error_fini", api.error_fini, e) &&
            resolve(lib, "zip_error_init_with_code", api.error_init_with_code, e) &&
            resolve(lib, "zip_error_strerror", api.error_strerror, e) && resolve(lib, "zip_fclose", api.fclose, e) &&
            resolve(lib, "zip_file_add", api.file_add, e) && resolve(lib, "zip_file_strerror", api.file_strerror, e) &&
            resolve(lib, "zip_fopen_index", api.fopen_index, e) && resolve(lib, "zip_fread", api.fread, e) &&
            resolve(lib, "zip_get_name", api.get_name, e) &&
            resolve(lib, "zip_get_num_entries", api.get_num_entries, e) &&
            resolve(lib, "zip_name_locate", api.name_locate, e) && resolve(lib, "zip_open", api.open, e) &&
            resolve(lib, "zip_set_file_compression", api.set_file_compression, e) &&
            resolve(lib, "zip_source_buffer", api.source_buffer, e) &&
            resolve(lib, "zip_source_free", api.source_free, e) && resolve(lib, "zip_stat_index", api.stat_index, e) &&
            resolve(lib, "zip_stat_init", api.stat_init, e) && resolve(lib, "zip_strerror", api.strerror, e);
  if (!ok) {
    dlclose(lib);
    api = Api{};
    api.load_error = e.empty() ? std::string(SEEDRUN_LIBZIP_SONAME " is incomplete") : e;
  }
  return api;
}

// Loaded once, on the first libzip call (thread-safe: a function-local static).
const Api& api() {
  static const Api loaded = load();
  return loaded;
}

} // namespace

extern "C" {

zip_t* zip_open(const char* path, int flags, int* errorp) {
  if (!api().load_error.empty()) {
    if (errorp != nullptr) {
      *errorp = ZIP_ER_INTERNAL;
    }
    return nullptr;
  }
  return api().open(path, flags, errorp);
}

// The three error functions also answer when libzip is missing: that is how zip_archive.cpp
// learns why zip_open failed.
void zip_error_init_with_code(zip_error_t* error, int code) {
  if (api().load_error.empty()) {
    api().error_init_with_code(error, code);
  } else {
    *error = zip_error_t{};
    error->zip_err = code;
  }
}

const char* zip_error_strerror(zip_error_t* error) {
  return api().load_error.empty() ? api().error_strerror(error) : api().load_error.c_str();
}

void zip_error_fini(zip_error_t* error) {
  if (api().load_error.empty()) {
    api().error_fini(error);
  }
}

int zip_close(zip_t* zip) {
  return api().close(zip);
}
void zip_discard(zip_t* zip) {
  api().discard(zip);
}
int zip_fclose(zip_file_t* file) {
  return api().fclose(file);
}
zip_int64_t zip_file_add(zip_t* zip, const char* name, zip_source_t* source, zip_flags_t flags) {
  return api().file_add(zip, name, source, flags);
}
const char* zip_file_strerror(zip_file_t* file) {
  return api().file_strerror(file);
}
zip_file_t* zip_fopen_index(zip_t* zip, zip_uint64_t index, zip_flags_t flags) {
  return api().fopen_index(zip, index, flags);
}
zip_int64_t zip_fread(zip_file_t* file, void* buf, zip_uint64_t n) {
  return api().fread(file, buf, n);
}
const char* zip_get_name(zip_t* zip, zip_uint64_t index, zip_flags_t flags) {
  return api().get_name(zip, index, flags);
}
zip_int64_t zip_get_num_entries(zip_t* zip, zip_flags_t flags) {
  return api().get_num_entries(zip, flags);
}
zip_int64_t zip_name_locate(zip_t* zip, const char* name, zip_flags_t flags) {
  return api().name_locate(zip, name, flags);
}
int zip_set_file_compression(zip_t* zip, zip_uint64_t index, zip_int32_t method, zip_uint32_t level) {
  return api().set_file_compression(zip, index, method, level);
}
zip_source_t* zip_source_buffer(zip_t* zip, const void* data, zip_uint64_t len, int freep) {
  return api().source_buffer(zip, data, len, freep);
}
void zip_source_free(zip_source_t* source) {
  api().source_free(source);
}
int zip_stat_index(zip_t* zip, zip_uint64_t index, zip_flags_t flags, zip_stat_t* st) {
  return api().stat_index(zip, index, flags, st);
}
void zip_stat_init(zip_stat_t* st) {
  api().stat_init(st);
}
const char* zip_strerror(zip_t* zip) {
  return api().strerror(zip);
}

} // extern "C"
