# SEEDRUN_STATIC_DEPS (ON in the release preset only; issue 11, start-up time): every library
# that Debian 12 ships as a static archive is linked statically, libstdc++ and libgcc too, so
# starting seedrun no longer maps and relocates 14 shared libraries (3/4 of `seedrun --version`
# went to the dynamic loader). The targets keep the names the components link
# (yaml-cpp, SQLite::SQLite3, fmt::fmt, spdlog::spdlog, ${SEEDRUN_RE2_TARGET}), so the link
# lists in CMakeLists.txt and scripts/check-deps.py do not change. fmt and spdlog have no .a in
# Debian: each is compiled once from its installed headers (cmake/static/fmt.cpp, spdlog.cpp).
# libzip has no .a either: cmake/LazyLibzip.cmake loads it on first use.
# Not for sanitizer or fuzz builds (a static libstdc++ and ASan's interceptors do not mix).
if(SEEDRUN_SANITIZE OR SEEDRUN_FUZZ)
  message(FATAL_ERROR "SEEDRUN_STATIC_DEPS is for Release builds; turn it off with SEEDRUN_SANITIZE/SEEDRUN_FUZZ")
endif()

function(seedrun_static_import name archive)
  find_library(_seedrun_static_${archive} NAMES lib${archive}.a NO_CACHE)
  if(NOT _seedrun_static_${archive})
    message(FATAL_ERROR "SEEDRUN_STATIC_DEPS: lib${archive}.a not found (install its -dev package or configure "
                        "with -DSEEDRUN_STATIC_DEPS=OFF)")
  endif()
  add_library(${name} STATIC IMPORTED)
  set_target_properties(${name} PROPERTIES IMPORTED_LOCATION ${_seedrun_static_${archive}}
                                           INTERFACE_LINK_LIBRARIES "${ARGN}")
endfunction()

seedrun_static_import(yaml-cpp yaml-cpp)
seedrun_static_import(SQLite::SQLite3 sqlite3 Threads::Threads ${CMAKE_DL_LIBS} m)
seedrun_static_import(seedrun::re2_static re2 Threads::Threads)
set(SEEDRUN_RE2_TARGET seedrun::re2_static)

add_library(seedrun_fmt_static STATIC ${CMAKE_CURRENT_LIST_DIR}/static/fmt.cpp)
target_link_libraries(seedrun_fmt_static PRIVATE seedrun_settings)
add_library(fmt::fmt ALIAS seedrun_fmt_static)
add_library(seedrun_spdlog_static STATIC ${CMAKE_CURRENT_LIST_DIR}/static/spdlog.cpp)
target_compile_definitions(seedrun_spdlog_static PUBLIC SPDLOG_COMPILED_LIB SPDLOG_FMT_EXTERNAL)
target_link_libraries(seedrun_spdlog_static PRIVATE seedrun_settings)
target_link_libraries(seedrun_spdlog_static PUBLIC fmt::fmt Threads::Threads)
add_library(spdlog::spdlog ALIAS seedrun_spdlog_static)

# Given to every link of a seedrun target through seedrun_settings (CMakeLists.txt).
set(SEEDRUN_STATIC_LINK_OPTIONS -static-libstdc++ -static-libgcc)
