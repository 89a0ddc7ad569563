# synthminer_warnings(target): our warning set, PRIVATE so it never leaks
# into code that links us.
function(synthminer_warnings target)
  target_compile_options(${target} PRIVATE
    $<$<COMPILE_LANGUAGE:CXX>:-Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wno-sign-conversion>)
endfunction()
