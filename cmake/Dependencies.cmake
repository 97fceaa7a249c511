# All dependencies come from Debian 12 packages (scripts/setup.sh installs them).
# SEEDRUN_STATIC_DEPS (the release preset) links them statically instead: cmake/StaticDeps.cmake.
if(SEEDRUN_STATIC_DEPS)
  set(Boost_USE_STATIC_LIBS ON)
endif()
find_package(Boost 1.74 REQUIRED COMPONENTS filesystem)
if(NOT SEEDRUN_STATIC_DEPS)
  find_package(yaml-cpp REQUIRED)
  find_package(fmt REQUIRED)
  find_package(spdlog REQUIRED)
  find_package(SQLite3 REQUIRED)
endif()
find_package(CLI11 REQUIRED)
find_package(nlohmann_json 3.10 REQUIRED)
find_package(Threads REQUIRED)
# libzip through pkg-config: Debian's libzip-config.cmake insists on the zipcmp/zipmerge/ziptool
# binaries being installed (see docs/ARCHITECTURE notes); pkg-config has no such trap.
find_package(PkgConfig REQUIRED)
pkg_check_modules(LIBZIP REQUIRED IMPORTED_TARGET libzip)
set(SEEDRUN_ZIP_TARGET PkgConfig::LIBZIP)
# RE2 (metric patterns: linear time, no recursion) through pkg-config too: Debian 12's libre2-dev
# ships no CMake package file.
pkg_check_modules(RE2 REQUIRED IMPORTED_TARGET re2)
set(SEEDRUN_RE2_TARGET PkgConfig::RE2)
if(SEEDRUN_STATIC_DEPS)
  include(${CMAKE_CURRENT_LIST_DIR}/StaticDeps.cmake)
endif()
if(SEEDRUN_LAZY_LIBZIP)
  include(${CMAKE_CURRENT_LIST_DIR}/LazyLibzip.cmake)
endif()
if(SEEDRUN_TESTS)
  find_package(doctest REQUIRED)
endif()
