# -DSYNTHMINER_FUZZ=ON (clang only): every target is built with AddressSanitizer,
# UndefinedBehaviorSanitizer and libFuzzer's coverage hooks, and the fuzz
# targets in tests/fuzz are added. scripts/fuzz configures such a build.
option(SYNTHMINER_FUZZ "Build the libFuzzer targets with ASan and UBSan (clang)" OFF)
if(SYNTHMINER_FUZZ)
  if(NOT CMAKE_CXX_COMPILER_ID MATCHES "Clang")
    message(FATAL_ERROR "SYNTHMINER_FUZZ needs clang (-DCMAKE_CXX_COMPILER=clang++)")
  endif()
  add_compile_options(-fsanitize=address,undefined,fuzzer-no-link -fno-sanitize-recover=all
                      -fno-omit-frame-pointer)
  add_link_options(-fsanitize=address,undefined)
endif()
