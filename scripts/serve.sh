#!/usr/bin/env bash
# Builds cogsync if needed and runs `cogsync serve` with the given options. With none, it
# listens on 127.0.0.1:8080 and keeps its SQLite database in ./cogsync-data.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
# build/ is shared with scripts/test.sh, so each option the two set differently is explicit in both.
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release -DCOGSYNC_BUILD_TESTS=OFF -DCOGSYNC_BUILD_BENCH=OFF >/dev/null
cmake --build build -j"$(nproc)" --target cogsync
exec build/server/cogsync serve "$@"
