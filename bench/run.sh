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
# of the one just built), SERVER_ARGS (extra server flags, e.g.
# "--io-threads 2 --workers 2"), LOG_LEVEL (default info: the "listening on" line is logged at
# info, and the server logs requests only at debug), STARTUP_TIMEOUT (s, default 30).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build_dir="${BUILD_DIR:-$root/build-bench}"
log_level="${LOG_LEVEL:-info}"
startup_timeout="${STARTUP_TIMEOUT:-30}"
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

server_bin="${COGSYNC_BIN:-$build_dir/server/cogsync}"
bench_bin="$build_dir/bench/cogsync_bench"
work="$(mktemp -d "${TMPDIR:-/tmp}/cogsync-bench.XXXXXX")"
server_pid=""

stop_server() {
  [[ -n "$server_pid" ]] || return 0
  if kill -0 "$server_pid" 2>/dev/null; then
    kill -TERM "$server_pid" 2>/dev/null || true
    for _ in $(seq 1 100); do
      kill -0 "$server_pid" 2>/dev/null || break
      sleep 0.1
    done
    if kill -0 "$server_pid" 2>/dev/null; then
      echo "run.sh: server $server_pid ignored SIGTERM for 10 s; sending SIGKILL" >&2
      kill -KILL "$server_pid" 2>/dev/null || true
    fi
  fi
  wait "$server_pid" 2>/dev/null || true
  server_pid=""
}
cleanup() {
  stop_server
  if ((keep)); then echo "run.sh: kept $work" >&2; else rm -rf "$work"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Build output goes to a log so that stdout stays the table; it is shown only when the build fails.
echo "run.sh: building (Release) in $build_dir" >&2
targets=(cogsync_bench)
[[ -n "${COGSYNC_BIN:-}" ]] || targets+=(cogsync)
if ! { cmake -S "$root" -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=Release -DCOGSYNC_BUILD_TESTS=OFF \
         -DCOGSYNC_BUILD_BENCH=ON && cmake --build "$build_dir" --target "${targets[@]}"; } >"$work/build.log" 2>&1; then
  echo "run.sh: build failed:" >&2
  tail -n 40 "$work/build.log" >&2
  exit 1
fi

# Starts the server and sets `port` from its "listening on 127.0.0.1:<PORT>" log line.
start_server() {
  local durability="$1" log="$work/server-$1.log"
  mkdir -p "$work/data-$durability"
  # shellcheck disable=SC2086  # SERVER_ARGS is a list of flags
  "$server_bin" serve --listen 127.0.0.1:0 --data-dir "$work/data-$durability" \
    --durability "$durability" --log-level "$log_level" ${SERVER_ARGS:-} >"$log" 2>&1 &
  server_pid=$!
  port=""
  local deadline=$((SECONDS + startup_timeout))
  while ((SECONDS < deadline)); do
    port="$(grep -oE 'listening on 127\.0\.0\.1:[0-9]+' "$log" | head -n1 | sed 's/.*://' || true)"
    [[ -n "$port" ]] && return 0
    if ! kill -0 "$server_pid" 2>/dev/null; then
      echo "run.sh: server exited during startup; its log:" >&2
      cat "$log" >&2
      server_pid=""
      return 1
    fi
    sleep 0.1
  done
  echo "run.sh: no 'listening on' line after ${startup_timeout} s; server log:" >&2
  cat "$log" >&2
  return 1
}

load_before="$(cut -d' ' -f1 /proc/loadavg 2>/dev/null || echo '?')"
results=()
for durability in "${durabilities[@]}"; do
  start_server "$durability"
  echo "run.sh: durability=$durability server pid $server_pid on port $port" >&2
  out="$work/result-$durability.json"
  "$bench_bin" --endpoint "http://127.0.0.1:$port" --mode both --json \
    --label "durability=$durability" "${bench_args[@]}" >"$out"
  stop_server
  if grep -qiE 'error|critical|fatal' "$work/server-$durability.log"; then
    echo "run.sh: the server logged errors (durability=$durability):" >&2
    grep -iE 'error|critical|fatal' "$work/server-$durability.log" | head -n 20 >&2
  fi
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
