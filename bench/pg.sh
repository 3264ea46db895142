#!/usr/bin/env bash
# The same load against three setups, interleaved round by round so that the machine's noise
# hits them alike, and a table of each one's throughput as a ratio to the SQLite node's:
#   sqlite    one node on its embedded store (--durability full)
#   pg        one node on a PostgreSQL of its own (--store)
#   pg-3      three nodes on one PostgreSQL behind HAProxy (scripts/serve-cluster.sh)
#
#   bench/pg.sh [--rounds N] [--fast] [-- <extra cogsync_bench options>]
#
# PostgreSQL runs with its durable defaults (fsync, synchronous_commit on), like the SQLite
# node's `full`; --fast turns both off (SQLite `normal`, PostgreSQL as the tests run it). The
# load generator, the nodes and PostgreSQL share the machine's cores. Each round starts every
# setup afresh and runs `--mode sync,list` (full sync cycles, then delta ListRecords).
# Environment as bench/run.sh (BUILD_DIR, COGSYNC_BIN, ...).
set -euo pipefail

build_dir="${BUILD_DIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/build-bench}"
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
rounds=2
durability=full
bench_args=()
while (($#)); do
  case "$1" in
    --rounds) rounds="$2"; shift ;;
    --fast) durability=normal ;;
    --) shift; bench_args=("$@"); break ;;
    *) echo "pg.sh: unknown argument $1 (bench options go after --)" >&2; exit 64 ;;
  esac
  shift
done
if [[ "$durability" == full ]]; then export COGSYNC_PG_DURABLE=1; else export COGSYNC_PG_DURABLE=0; fi

work="$(mktemp -d "${TMPDIR:-/tmp}/cogsync-bench-pg.XXXXXX")"
chmod 755 "$work"  # PostgreSQL runs as `nobody` under root and must reach its directory
# shellcheck source=bench/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
server_bin="${COGSYNC_BIN:-$build_dir/server/cogsync}"
bench_bin="$build_dir/bench/cogsync_bench"
cluster_pid=""
pg_dirs=()

cleanup() {
  stop_all_processes
  if [[ -n "$cluster_pid" ]]; then kill -TERM "$cluster_pid" 2>/dev/null; wait "$cluster_pid" 2>/dev/null || true; fi
  for d in "${pg_dirs[@]}"; do "$repo/scripts/pg-test-server.sh" stop "$d" >/dev/null 2>&1 || true; done
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

targets=(cogsync_bench)
[[ -n "${COGSYNC_BIN:-}" ]] || targets+=(cogsync)
bench_build "${targets[@]}"

run_bench() {  # <label> <endpoint> <round>
  "$bench_bin" --endpoint "$2" --mode sync,list --json --label "$1" "${bench_args[@]}" >"$work/$1-$3.json"
}

free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

load_before="$(cut -d' ' -f1 /proc/loadavg 2>/dev/null || echo '?')"
for round in $(seq 1 "$rounds"); do
  echo "pg.sh: round $round: sqlite" >&2
  start_cogsync node "$work/sqlite-$round.log" "$work/sqlite-$round" "$durability"
  run_bench sqlite "http://127.0.0.1:${bench_ports[node]}" "$round"
  stop_process node

  echo "pg.sh: round $round: pg" >&2
  pg="$work/pg-$round"
  pg_dirs+=("$pg")
  "$repo/scripts/pg-test-server.sh" start "$pg" >/dev/null
  start_cogsync node "$work/pg-$round.log" "$work/pg-data-$round" "$durability" --store "$(cat "$pg/url")"
  run_bench pg "http://127.0.0.1:${bench_ports[node]}" "$round"
  stop_process node
  "$repo/scripts/pg-test-server.sh" stop "$pg" >/dev/null

  echo "pg.sh: round $round: pg-3" >&2
  port="$(free_port)"
  COGSYNC_BIN="$server_bin" COGSYNC_CLUSTER_PORT="$port" COGSYNC_CLUSTER_DIR="$work/cluster-$round" \
    "$repo/scripts/serve-cluster.sh" --log-level "$log_level" >"$work/cluster-$round.log" 2>&1 &
  cluster_pid=$!
  for _ in $(seq 1 300); do
    curl -fs -o /dev/null "http://127.0.0.1:$port/ready" && break
    kill -0 "$cluster_pid" 2>/dev/null || { cat "$work/cluster-$round.log" >&2; exit 1; }
    sleep 0.1
  done
  run_bench pg-3 "http://127.0.0.1:$port" "$round"
  kill -TERM "$cluster_pid"
  wait "$cluster_pid" || true
  cluster_pid=""
  pg_dirs+=("${TMPDIR:-/tmp}/cogsync-cluster-pg-$(printf '%s' "$work/cluster-$round" | md5sum | cut -c1-12)")
done

cpu="$(grep -m1 'model name' /proc/cpuinfo 2>/dev/null | sed 's/.*: //' || echo unknown)"
echo
echo "Machine: $(nproc) CPUs ($cpu), 1-min load average $load_before before the run; nodes, PostgreSQL and"
echo "the load generator on the same host. Durability: SQLite \`$durability\`, PostgreSQL $( [[ $durability == full ]] && echo 'fsync and synchronous_commit on' || echo 'fsync and synchronous_commit off')."
echo "$rounds round(s), each setup started afresh in each; req/s summed over the rounds' runs, then the ratio to sqlite."
echo
echo "| setup | round | sync cycles/s | UpdateRecords p50 / p99 ms | delta ListRecords/s | ListRecords p50 / p99 ms | errors |"
echo "|---|---:|---:|---:|---:|---:|---:|"
for round in $(seq 1 "$rounds"); do
  for setup in sqlite pg pg-3; do
    jq -r --arg s "$setup" --arg r "$round" '.phases as $p
      | "| \($s) | \($r) | \($p.sync.ops.SyncCycle.rps // 0 | floor) | \($p.sync.ops.UpdateRecords.p50_ms * 100 | round / 100) / \($p.sync.ops.UpdateRecords.p99_ms * 100 | round / 100) | \($p.list.ops.ListRecords.rps // 0 | floor) | \($p.list.ops.ListRecords.p50_ms * 100 | round / 100) / \($p.list.ops.ListRecords.p99_ms * 100 | round / 100) | \([$p[].ops[].errors] | add) |"' \
      "$work/$setup-$round.json"
  done
done
echo
echo "| setup | sync cycles / sqlite's | delta ListRecords / sqlite's |"
echo "|---|---:|---:|"
for setup in pg pg-3; do
  jq -rs --arg s "$setup" --argjson n "$rounds" '
    def total(f): map(f) | add;
    (.[:$n]) as $base | (.[$n:]) as $mine
    | "| \($s) | \(($mine | total(.phases.sync.ops.SyncCycle.rps)) / ($base | total(.phases.sync.ops.SyncCycle.rps)) * 100 | round / 100) | \(($mine | total(.phases.list.ops.ListRecords.rps)) / ($base | total(.phases.list.ops.ListRecords.rps)) * 100 | round / 100) |"' \
    $(for r in $(seq 1 "$rounds"); do echo "$work/sqlite-$r.json"; done) \
    $(for r in $(seq 1 "$rounds"); do echo "$work/$setup-$r.json"; done)
done
