#!/usr/bin/env bash
# Installs what is missing, builds, and runs every test: Catch2 unit tests per layer, then the
# end-to-end tests that start the real binary on ephemeral ports and drive it with boto3, the
# aws cli and the AWS JS SDKs v3 and v2; then the same suite under ASan + UBSan (build-asan), and
# every libFuzzer target for COGSYNC_FUZZ_SECONDS (default 12) each (build-fuzz, fuzz/run.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh --test

python=python3
python3 -c 'import boto3' 2>/dev/null || python=/usr/bin/python3
# build/ is shared with scripts/serve.sh, which caches COGSYNC_BUILD_TESTS=OFF: every option is
# explicit so the order the two scripts run in does not matter. --no-tests=error: a ctest that
# finds no tests fails instead of passing.
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release -DCOGSYNC_BUILD_TESTS=ON -DCOGSYNC_BUILD_BENCH=ON \
      -DCOGSYNC_PYTHON="$(command -v $python)" >/dev/null
cmake --build build -j"$(nproc)"
cd build
ctest -L unit --no-tests=error --output-on-failure -j"$(nproc)"
ctest -L e2e --no-tests=error --output-on-failure -j2
cd ..

# The whole suite again against an AddressSanitizer + UndefinedBehaviorSanitizer build: the e2e
# tests start the sanitized server (COGSYNC_BIN is $<TARGET_FILE:cogsync>), and a server whose
# exit finds a leak exits non-zero, which the harness's stop() refuses. The image's package test
# is left out here: it checks the Release binary's libraries against the runtime image, and the
# sanitized binary also links libasan and libubsan, which no image ships.
# -O1 -g1: line tables for the reports, and builds much faster than -O2 -g.
cmake -S . -B build-asan -G Ninja -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_FLAGS_DEBUG="-O1 -g1" \
      -DCOGSYNC_SANITIZE=address,undefined \
      -DCOGSYNC_BUILD_TESTS=ON -DCOGSYNC_BUILD_BENCH=OFF -DCOGSYNC_PYTHON="$(command -v $python)" >/dev/null
cmake --build build-asan -j"$(nproc)"
(cd build-asan && ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
   ctest --no-tests=error --output-on-failure -j2 -E '^e2e_py_test_image_packages$')

# libFuzzer targets (clang, ASan + UBSan), each for a bounded time from its committed seeds.
CC=clang-14 CXX=clang++-14 cmake -S . -B build-fuzz -G Ninja -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_FLAGS_DEBUG="-O1 -g1" \
      -DCOGSYNC_BUILD_FUZZERS=ON -DCOGSYNC_BUILD_TESTS=OFF -DCOGSYNC_BUILD_BENCH=OFF >/dev/null
cmake --build build-fuzz -j"$(nproc)"
fuzz/run.sh build-fuzz "${COGSYNC_FUZZ_SECONDS:-12}"
