# ASan + UBSan for the test build (preset "asan"). Applied through seedrun_settings so that
# third-party code is not instrumented twice and our own targets all agree.
function(seedrun_apply_sanitizers target)
  if(SEEDRUN_SANITIZE)
    target_compile_options(${target} INTERFACE -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
    target_link_options(${target} INTERFACE -fsanitize=address,undefined)
  endif()
endfunction()
# Fuzzing (preset "fuzz", clang only): coverage instrumentation on every seedrun library; the
# libFuzzer runtime and its main() are linked into the fuzz/ executables only.
function(seedrun_apply_fuzzing target)
  if(SEEDRUN_FUZZ)
    # -O1 as libFuzzer recommends: several times the executions per second of -O0, same findings.
    target_compile_options(${target} INTERFACE -fsanitize=fuzzer-no-link -O1)
  endif()
endfunction()
