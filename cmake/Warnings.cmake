add_library(seedrun_warnings INTERFACE)
target_compile_options(seedrun_warnings INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor
  $<$<BOOL:${SEEDRUN_WERROR}>:-Werror>)
