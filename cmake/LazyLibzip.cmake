# SEEDRUN_LAZY_LIBZIP (default: SEEDRUN_STATIC_DEPS; issue 11, start-up time): libzip, which
# Debian ships as a shared library only and which pulls in libcrypto, libbz2 and libz, is not
# linked; cmake/static/libzip_lazy.cpp defines the libzip functions seedrun calls and dlopen()s
# libzip by its soname on the first call, so only the commands that read .eval files pay for
# loading it (~0.7 ms and 140 page faults at every start otherwise). The asan preset turns it on
# too, so the unit and integration tests under ASan run the libzip path that ships.
find_library(_seedrun_libzip_so NAMES zip HINTS ${LIBZIP_LIBRARY_DIRS} NO_CACHE REQUIRED)
find_program(_seedrun_readelf NAMES readelf REQUIRED)
execute_process(COMMAND ${_seedrun_readelf} -d ${_seedrun_libzip_so} OUTPUT_VARIABLE _seedrun_libzip_dynamic
                RESULT_VARIABLE _seedrun_readelf_rc)
if(NOT _seedrun_readelf_rc EQUAL 0 OR NOT _seedrun_libzip_dynamic MATCHES "Library soname: \\[([^]]+)\\]")
  message(FATAL_ERROR "SEEDRUN_LAZY_LIBZIP: no soname found in ${_seedrun_libzip_so}")
endif()
set(SEEDRUN_LIBZIP_SONAME ${CMAKE_MATCH_1})
message(STATUS "libzip: loaded on first use as ${SEEDRUN_LIBZIP_SONAME}")
add_library(seedrun_libzip_lazy STATIC ${CMAKE_CURRENT_LIST_DIR}/static/libzip_lazy.cpp)
target_include_directories(seedrun_libzip_lazy PUBLIC ${LIBZIP_INCLUDE_DIRS})
target_compile_definitions(seedrun_libzip_lazy PRIVATE SEEDRUN_LIBZIP_SONAME="${SEEDRUN_LIBZIP_SONAME}")
target_link_libraries(seedrun_libzip_lazy PRIVATE seedrun_settings seedrun_warnings)
target_link_libraries(seedrun_libzip_lazy PUBLIC ${CMAKE_DL_LIBS})
set(SEEDRUN_ZIP_TARGET seedrun_libzip_lazy)
