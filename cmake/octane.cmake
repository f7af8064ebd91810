# Shared build rules: warnings as errors, sanitizers, and the one test-registration function.

set(OCTANE_WARNINGS -Wall -Wextra -Wpedantic -Werror -Wno-missing-field-initializers)

if(OCTANE_FUZZ)
  # Coverage feedback needs the libraries instrumented, not only the fuzz harnesses.
  add_compile_options(-fsanitize=fuzzer-no-link)
endif()

if(OCTANE_SANITIZE)
  add_compile_options(-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
  add_link_options(-fsanitize=address,undefined)
endif()

# octane_add_library(name SOURCES... [DEPS ...])
function(octane_add_library name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS" ${ARGN})
  add_library(${name} STATIC ${ARG_SOURCES})
  target_include_directories(${name} PUBLIC ${PROJECT_SOURCE_DIR}/src)
  target_compile_options(${name} PRIVATE ${OCTANE_WARNINGS})
  target_link_libraries(${name} PUBLIC ${ARG_DEPS})
endfunction()

# octane_add_test(name KIND unit|integration SOURCES... [DEPS ...])
# gtest binaries, labelled by kind so `ctest -L unit` picks the pure tests.
function(octane_add_test name)
  cmake_parse_arguments(ARG "" "KIND;TIMEOUT" "SOURCES;DEPS" ${ARGN})
  if(NOT ARG_TIMEOUT)
    set(ARG_TIMEOUT 300)
  endif()
  add_executable(${name} ${ARG_SOURCES})
  set_target_properties(${name} PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}/tests)
  target_compile_options(${name} PRIVATE ${OCTANE_WARNINGS})
  target_link_libraries(${name} PRIVATE ${ARG_DEPS} GTest::gtest GTest::gmock GTest::gtest_main)
  add_test(NAME ${name} COMMAND ${name})
  set_tests_properties(${name} PROPERTIES LABELS ${ARG_KIND} TIMEOUT ${ARG_TIMEOUT})
  set_property(GLOBAL APPEND PROPERTY OCTANE_${ARG_KIND}_TESTS ${name})
endfunction()

# octane_add_pytest(name KIND integration|e2e FILE path [TIMEOUT s] [ENV k=v...])
# Python drivers run under Debian's /usr/bin/python3 (its pytest and openstack client live there).
function(octane_add_pytest name)
  cmake_parse_arguments(ARG "" "KIND;FILE;TIMEOUT" "ENV" ${ARGN})
  if(NOT ARG_TIMEOUT)
    set(ARG_TIMEOUT 600)
  endif()
  add_test(NAME ${name}
           COMMAND /usr/bin/python3 -m pytest -q -p no:cacheprovider ${ARG_FILE}
           WORKING_DIRECTORY ${PROJECT_SOURCE_DIR})
  set_tests_properties(${name} PROPERTIES LABELS ${ARG_KIND} TIMEOUT ${ARG_TIMEOUT}
    ENVIRONMENT "OCTANE_BUILD_DIR=${CMAKE_BINARY_DIR};OCTANE_SOURCE_DIR=${PROJECT_SOURCE_DIR};${ARG_ENV}")
endfunction()

# octane_add_fuzzer(name SOURCES... DEPS ... CORPUS dir): libFuzzer target, run for a bounded time by ctest.
function(octane_add_fuzzer name)
  cmake_parse_arguments(ARG "" "CORPUS;SECONDS" "SOURCES;DEPS" ${ARGN})
  if(NOT OCTANE_FUZZ)
    return()
  endif()
  if(NOT ARG_SECONDS)
    set(ARG_SECONDS 30)
  endif()
  add_executable(${name} ${ARG_SOURCES})
  set_target_properties(${name} PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}/fuzz)
  target_compile_options(${name} PRIVATE ${OCTANE_WARNINGS} -fsanitize=fuzzer)
  target_link_options(${name} PRIVATE -fsanitize=fuzzer)
  target_link_libraries(${name} PRIVATE ${ARG_DEPS})
  set_property(GLOBAL APPEND PROPERTY OCTANE_fuzz_TESTS ${name})
  # libFuzzer writes new inputs into its first corpus folder: a scratch folder in the build tree,
  # so the seed corpus in the source tree stays as committed.
  set(scratch ${CMAKE_CURRENT_BINARY_DIR}/${name}-corpus)
  add_test(NAME ${name}
           COMMAND /bin/sh -c "mkdir -p '${scratch}' && exec '$<TARGET_FILE:${name}>' -max_total_time=${ARG_SECONDS} -rss_limit_mb=1024 '${scratch}' ${ARG_CORPUS}")
  set_tests_properties(${name} PROPERTIES LABELS fuzz TIMEOUT 300)
endfunction()
