#!/usr/bin/env bash
# Installs what is missing, builds, and runs every test: Catch2 unit tests per layer, then the
# end-to-end tests that start the real binary on ephemeral ports and drive it with boto3, the
# aws cli and the AWS JS SDKs v3 and v2; then the same suite under ASan + UBSan and every libFuzzer
# target for COGSYNC_FUZZ_SECONDS (default 12) each, from one clang build (build-san, fuzz/run.sh).
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

# The whole suite again, sanitized, and the fuzzers, from one clang tree (build-san): every target
# is compiled once with AddressSanitizer + UndefinedBehaviorSanitizer and libFuzzer's coverage
# instrumentation (-fsanitize=fuzzer-no-link, which costs the server little and needs no libFuzzer
# at run time), so the unit tests, the e2e tests (they start the sanitized server: COGSYNC_BIN is
# $<TARGET_FILE:cogsync>) and the fuzz targets share one build instead of two. A server whose exit
# finds a leak exits non-zero, which the harness's stop() refuses. The image's package test is left
# out here: it checks the Release binary's libraries against the runtime image, and the sanitized
# binary also links the sanitizer runtimes, which no image ships. So are the e2e reruns on
# PostgreSQL (e2e_pg_*) and behind HAProxy (e2e_cluster_*): the PostgreSQL store is sanitized
# through its contract suite (unit_storage_pg) and test_cluster, and the server above the store is
# the same on both engines.
# -O1 -g1: line tables for the reports, and builds much faster than -O2 -g.
CC=clang-14 CXX=clang++-14 cmake -S . -B build-san -G Ninja -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_FLAGS_DEBUG="-O1 -g1" \
      -DCOGSYNC_BUILD_FUZZERS=ON -DCOGSYNC_BUILD_TESTS=ON -DCOGSYNC_BUILD_BENCH=OFF \
      -DCOGSYNC_PYTHON="$(command -v $python)" >/dev/null
cmake --build build-san -j"$(nproc)"
# COGSYNC_E2E_SANITIZERS tells the e2e tests the binary is this one (test_fd_limit skips the case
# that runs the server out of descriptors: UBSan's vptr check probes memory through a pipe, and
# with no descriptor left it reports a valid object as invalid).
(cd build-san && ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
   COGSYNC_E2E_SANITIZERS=1 ctest --no-tests=error --output-on-failure -j2 -E '^(e2e_py_test_image_packages|e2e_pg_.*|e2e_cluster_.*)$')

# Each libFuzzer target for a bounded time from its committed seeds.
fuzz/run.sh build-san "${COGSYNC_FUZZ_SECONDS:-12}"
