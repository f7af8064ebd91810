#!/usr/bin/env bash
# The sanitizer job: clang-14 with ASan+UBSan (and libFuzzer targets), running the unit and fuzz tests.
set -euo pipefail
cd "$(dirname "$0")/.."
dir=build-asan
if [ ! -f "$dir/build.ninja" ]; then
  CC=clang-14 CXX=clang++-14 cmake -S . -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE=Debug \
    -DOCTANE_SANITIZE=ON -DOCTANE_FUZZ=ON
fi
cmake --build "$dir" -j "$(nproc)" --target unit_tests fuzz_tests
ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
  ctest --test-dir "$dir" --output-on-failure -j 2 -L 'unit|fuzz'
