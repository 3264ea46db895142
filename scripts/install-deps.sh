#!/usr/bin/env bash
# Installs what building and testing cogsync needs on Debian 12, skipping what is present.
#   scripts/install-deps.sh          build dependencies
#   scripts/install-deps.sh --test   also the test clients (boto3, aws cli, Node.js)
#   scripts/install-deps.sh --cluster  also PostgreSQL and HAProxy (scripts/serve-cluster.sh)
set -euo pipefail

build_packages=(g++ cmake ninja-build pkg-config libboost-dev rapidjson-dev libspdlog-dev libcli11-dev
                libsqlite3-dev libpq-dev libssl-dev catch2 libtomlplusplus-dev)
test_packages=()
if [[ "${1:-}" == "--test" ]]; then
  command -v node >/dev/null && command -v npm >/dev/null || test_packages+=(nodejs npm)
  # boto3 and the aws cli usually come with the machine's python3; Debian's are the fallback.
  python3 -c 'import boto3' 2>/dev/null || test_packages+=(python3-boto3)
  python3 -c 'import yaml' 2>/dev/null || test_packages+=(python3-yaml)  # test_compose reads the compose file
  test_packages+=(python3-prometheus-client)  # Debian's python3 reads /metrics with Prometheus's own parser
  command -v systemd-analyze >/dev/null || test_packages+=(systemd)  # test_systemd verifies the unit
  command -v aws >/dev/null || test_packages+=(awscli)
  test_packages+=(clang-14 libclang-rt-14-dev)  # the libFuzzer build (fuzz/)
  # The store tests on PostgreSQL start throwaway servers (scripts/pg-test-server.sh); psql
  # creates a database per e2e server.
  test_packages+=(postgresql-15 postgresql-client-15)
  test_packages+=(haproxy)  # the multi-node tests put Debian's HAProxy in front of three nodes
fi

if [[ "${1:-}" == "--cluster" ]]; then
  test_packages+=(postgresql-15 postgresql-client-15 haproxy)
fi

missing=()
for p in "${build_packages[@]}" "${test_packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[[ ${#missing[@]} -eq 0 ]] && exit 0

sudo=""
[[ $(id -u) -eq 0 ]] || sudo="sudo"
echo "installing: ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
