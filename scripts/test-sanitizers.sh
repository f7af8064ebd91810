#!/usr/bin/env bash
# The sanitizer job: clang-14 with ASan+UBSan over the pure modules and the data plane (their unit
# tests) plus the libFuzzer targets, each fuzzer for a bounded time. The control-plane daemons are
# covered by the main job's integration tests; building them twice would double CI time.
set -euo pipefail
cd "$(dirname "$0")/.."
dir=build-asan
if [ ! -f "$dir/build.ninja" ]; then
  CC=clang-14 CXX=clang++-14 cmake -S . -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE=Debug \
    -DOCTANE_SANITIZE=ON -DOCTANE_FUZZ=ON
fi
tests=(model_test worker_completion_test render_unit_test wire_unit_test health_rollup_unit_test
       pki_unit_test proxy_balance_test proxy_config_test proxy_health_test proxy_http_l7_test
       proxy_http_parser_test proxy_runtime_test proxy_udp_test proxy_tls_test proxy_peers_test)
cmake --build "$dir" -j "$(nproc)" --target "${tests[@]}" fuzz_tests
pattern="^($(IFS='|'; echo "${tests[*]}"))$"
ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
  ctest --test-dir "$dir" --output-on-failure -j 2 -R "$pattern"
ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
  ctest --test-dir "$dir" --output-on-failure -j 2 -L fuzz
