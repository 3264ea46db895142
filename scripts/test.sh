#!/usr/bin/env bash
# Installs what is missing, builds, and runs every test: Catch2 unit tests per layer, then the
# end-to-end tests that start the real binary on ephemeral ports and drive it with boto3, the
# aws cli and the AWS JS SDKs v3 and v2.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh --test

python=python3
python3 -c 'import boto3' 2>/dev/null || python=/usr/bin/python3
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCOGSYNC_PYTHON="$(command -v $python)" >/dev/null
cmake --build build -j"$(nproc)"
cd build
ctest -L unit --output-on-failure -j"$(nproc)"
ctest -L e2e --output-on-failure -j2
