#!/usr/bin/env bash
# A local multi-node stack, the compose stack of docker/cluster/ without containers: a PostgreSQL
# of its own, three cogsync nodes sharing it, and HAProxy in front, configured by
# docker/cluster/haproxy.cfg. Builds cogsync if needed (as scripts/serve.sh does) unless
# COGSYNC_BIN names a binary.
#   scripts/serve-cluster.sh [cogsync serve options...]
# Clients use http://127.0.0.1:8080 (COGSYNC_CLUSTER_PORT). SIGINT or SIGTERM stops HAProxy and
# drains the nodes, then stops the database, each by the PID this script started; the database
# is kept for the next run. COGSYNC_CLUSTER_DIR (default ./cogsync-cluster) holds the nodes'
# data directories and the logs; the database lives in $TMPDIR (PostgreSQL runs as `nobody`
# when this runs as root, and must reach its directory) and, being a development server,
# trades durability for speed (scripts/pg-test-server.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${COGSYNC_BIN:-}  # a binary built already (the tests' own); else build one as serve.sh does
if [[ -z "$bin" ]]; then
  scripts/install-deps.sh --cluster
  cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release -DCOGSYNC_BUILD_TESTS=OFF -DCOGSYNC_BUILD_BENCH=OFF >/dev/null
  cmake --build build -j"$(nproc)" --target cogsync
  bin=build/server/cogsync
fi

port=${COGSYNC_CLUSTER_PORT:-8080}
dir=$(realpath -m "${COGSYNC_CLUSTER_DIR:-cogsync-cluster}")
pg_dir=${TMPDIR:-/tmp}/cogsync-cluster-pg-$(printf '%s' "$dir" | md5sum | cut -c1-12)
mkdir -p "$dir"

# A database left running by a run that was killed is stopped first, then resumed.
[[ -f "$pg_dir/data/postmaster.pid" ]] && { scripts/pg-test-server.sh halt "$pg_dir" || true; }
if [[ -f "$pg_dir/url" ]]; then scripts/pg-test-server.sh resume "$pg_dir"; else scripts/pg-test-server.sh start "$pg_dir" >/dev/null; fi
store=$(cat "$pg_dir/url")

pids=()
haproxy_pid=""
stop_all() {
  trap '' INT TERM
  set +e  # stop everything, whatever each exit status
  if [[ -n "$haproxy_pid" ]]; then kill "$haproxy_pid" 2>/dev/null; wait "$haproxy_pid" 2>/dev/null; fi
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  scripts/pg-test-server.sh halt "$pg_dir"
  echo "cluster stopped" >&2
}
trap 'stop_all; exit 0' INT TERM

# Each node on a port of its own choosing, found in its "listening on" line.
node_ports=()
for i in 1 2 3; do
  log="$dir/node$i.log"
  : >"$log"
  "$bin" serve --listen 127.0.0.1:0 --data-dir "$dir/node$i" --store "$store" \
    --public-url "http://127.0.0.1:$port" "$@" >"$log" 2>&1 &
  pids+=($!)
  for _ in $(seq 300); do
    grep -q 'listening on' "$log" && break
    kill -0 "${pids[-1]}" 2>/dev/null || { cat "$log" >&2; stop_all; exit 1; }
    sleep 0.05
  done
  node_ports+=("$(sed -n 's/.*listening on 127\.0\.0\.1:\([0-9]*\).*/\1/p' "$log" | head -1)")
  [[ -n "${node_ports[-1]}" ]] || { cat "$log" >&2; stop_all; exit 1; }
done

# docker/cluster/haproxy.cfg with the nodes' and HAProxy's own loopback addresses.
awk -v port="$port" -v ports="${node_ports[*]}" '
  BEGIN { n = split(ports, p, " "); i = 0 }
  /^[ \t]*bind :8080/ { sub(/:8080/, "127.0.0.1:" port) }
  /^[ \t]*server / { if (++i > n) next; sub(/ [^ ]+:8080/, " 127.0.0.1:" p[i]) }
  { print }' docker/cluster/haproxy.cfg >"$dir/haproxy.cfg"
haproxy -db -f "$dir/haproxy.cfg" >"$dir/haproxy.log" 2>&1 &
haproxy_pid=$!
echo "cluster: http://127.0.0.1:$port -> nodes on ${node_ports[*]}; database $store; logs in $dir" >&2
wait -n "${pids[@]}" "$haproxy_pid" || true
echo "a process of the cluster exited; stopping the rest" >&2
stop_all
exit 1
