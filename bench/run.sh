#!/usr/bin/env bash
# Builds cogsync (Release), starts the real binary on an ephemeral port with a fresh data dir,
# runs cogsync_bench (sync phase, then /health phase), stops the server by its PID and prints a
# markdown table for bench/README.md.
#
#   bench/run.sh [--with-normal] [--keep] [-- <extra cogsync_bench options>]
#
#   --with-normal   also run against a server started with --durability normal
#   --keep          keep the temp dir (server log, JSON results) and print its path
# Environment: BUILD_DIR (default <repo>/build-bench), COGSYNC_BIN (server binary to run instead
# of the one just built), SERVER_ARGS (extra server flags, e.g. "--io-threads 2"), and LOG_LEVEL,
# STARTUP_TIMEOUT, BUILD_JOBS as described in bench/common.sh.
set -euo pipefail

build_dir="${BUILD_DIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/build-bench}"
durabilities=(full)
keep=0
bench_args=()
while (($#)); do
  case "$1" in
    --with-normal) durabilities=(full normal) ;;
    --keep) keep=1 ;;
    --) shift; bench_args=("$@"); break ;;
    *) echo "run.sh: unknown argument $1 (bench options go after --)" >&2; exit 64 ;;
  esac
  shift
done

# shellcheck source=bench/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
use_work_dir bench
server_bin="${COGSYNC_BIN:-$build_dir/server/cogsync}"
bench_bin="$build_dir/bench/cogsync_bench"

targets=(cogsync_bench)
[[ -n "${COGSYNC_BIN:-}" ]] || targets+=(cogsync)
bench_build "${targets[@]}"

load_before="$(cut -d' ' -f1 /proc/loadavg 2>/dev/null || echo '?')"
results=()
for durability in "${durabilities[@]}"; do
  start_cogsync server "$work/server-$durability.log" "$work/data-$durability" "$durability"
  echo "run.sh: durability=$durability server pid ${bench_pids[server]} on port ${bench_ports[server]}" >&2
  out="$work/result-$durability.json"
  "$bench_bin" --endpoint "http://127.0.0.1:${bench_ports[server]}" --mode both --json \
    --label "durability=$durability" "${bench_args[@]}" >"$out"
  stop_process server
  report_log_errors "the server (durability=$durability)" "$work/server-$durability.log"
  results+=("$out")
done

cfg="$(jq -r '.config | "\(.connections) connections, \(.threads) client thread(s), \(.duration_s) s per phase after \(.warmup_s) s warm-up; \(.identities) identities x \(.datasets_per_identity) datasets, \(.hot_datasets) hot datasets at hot fraction \(.hot_fraction)"' "${results[0]}")"
cpu="$(grep -m1 'model name' /proc/cpuinfo 2>/dev/null | sed 's/.*: //' || echo unknown)"
echo
echo "Machine: $(nproc) CPUs ($cpu), 1-min load average $load_before before the run; server and bench on the same host. $cfg."
echo
echo "| durability | operation | count | req/s | p50 ms | p90 ms | p99 ms | max ms | 409s | errors |"
echo "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|"
for r in "${results[@]}"; do
  jq -r '(.label | sub("durability="; "")) as $d
    | .phases[] | .ops as $ops
    | ["ListRecords","UpdateRecords","SyncCycle","Health"][] as $k | select($ops[$k]) | {key: $k, value: $ops[$k]}
    | "| \($d) | \(.key) | \(.value.count) | \(.value.rps | floor) | \(.value.p50_ms * 100 | round / 100) | \(.value.p90_ms * 100 | round / 100) | \(.value.p99_ms * 100 | round / 100) | \(.value.max_ms * 100 | round / 100) | \(.value.conflicts) | \(.value.errors)\(if .value.errors > 0 then " (" + (.value.errors_by_status | to_entries | map("\(.key): \(.value)") | join(", ")) + ")" else "" end) |"' "$r"
done
echo
echo "| durability | sync req/s | sync cycles/s | health req/s | sync req / health req | cycles / health req | 409s per UpdateRecords | sync req in a second (min-max) | health req in a second (min-max) |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|"
for r in "${results[@]}"; do
  jq -r '(.label | sub("durability="; "")) as $d | .phases.sync.ops as $s | .phases.health.ops.Health as $h
    | (($s.ListRecords.rps // 0) + ($s.UpdateRecords.rps // 0)) as $req
    | "| \($d) | \($req | floor) | \($s.SyncCycle.rps // 0 | floor) | \($h.rps // 0 | floor) | \(.ratios.sync_requests_per_health_request // 0 | . * 1000 | round / 1000) | \(.ratios.sync_cycles_per_health_request // 0 | . * 1000 | round / 1000) | \(if ($s.UpdateRecords.count // 0) > 0 then ($s.UpdateRecords.conflicts / $s.UpdateRecords.count * 1000 | round / 10 | tostring) + " %" else "-" end) | \(.phases.sync.requests_per_second | if length > 0 then "\(min)-\(max)" else "-" end) | \(.phases.health.requests_per_second | if length > 0 then "\(min)-\(max)" else "-" end) |"' "$r"
done
