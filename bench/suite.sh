#!/usr/bin/env bash
# Runs every benchmark scenario against the real binary and prints the markdown tables and the
# targets, each met or not met (bench/README.md "The suite"):
#
#   minimal   cogsync_minimal_server, GET /health at each connection count: the HTTP ceiling
#   engine    for each population and durability, one server on a copy of the cached population;
#             at each connection count the health, list, update and sync phases; the server's
#             VmRSS/VmHWM after each connection count
#   trigger   a pool Sync Trigger answered after 4.5 s, 64 writers of one identity, health and
#             other identities' ListRecords measured meanwhile
#   populate  only write the populations that are not cached yet (engine and trigger do it too)
#
#   bench/suite.sh [--quick] [--only minimal,engine,trigger] [--populations "10000 1000000"]
#                  [--connections "32 256"] [--durabilities "full normal"] [--duration S]
#                  [--warmup S] [--trigger-duration S] [--cache-dir DIR] [--keep]
#                  [-- <extra cogsync_bench options for the measured phases>]
#
#   --quick   --duration 3 --warmup 1 --trigger-duration 6 --populations 10000
#   --keep    keep the temp dir (logs, JSON results) and print its path
#
# A population (N identities with one dataset of 10 records each) is written once through the
# server by `cogsync_bench --mode populate` and cached as cogsync.db (the token key is stored in it) under
# <cache dir>/schema<V>-identities<N>-datasets1-keys10, V being the schema version the server
# reports; every server start copies it into a fresh temp data dir.
# Environment: COGSYNC_BIN (server binary; default: build it), BUILD_DIR (default
# <repo>/build-bench), CACHE_DIR (default ${XDG_CACHE_HOME:-~/.cache}/cogsync-bench),
# POPULATE_CONNECTIONS (default 64), SERVER_ARGS, LOG_LEVEL, STARTUP_TIMEOUT, BUILD_JOBS.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
build_dir="${BUILD_DIR:-$here/../build-bench}"
cache_dir="${CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/cogsync-bench}"
scenarios="minimal,engine,trigger"
populations="10000 1000000"
connections="32 256"
durabilities="full normal"
duration=10
warmup=2
trigger_duration=10
keep=0
extra=()
while (($#)); do
  case "$1" in
    --quick) duration=3; warmup=1; trigger_duration=6; populations=10000 ;;
    --only) scenarios="$2"; shift ;;
    --populations) populations="$2"; shift ;;
    --connections) connections="$2"; shift ;;
    --durabilities) durabilities="$2"; shift ;;
    --duration) duration="$2"; shift ;;
    --warmup) warmup="$2"; shift ;;
    --trigger-duration) trigger_duration="$2"; shift ;;
    --cache-dir) cache_dir="$2"; shift ;;
    --keep) keep=1 ;;
    --) shift; extra=("$@"); break ;;
    *) echo "suite.sh: unknown argument $1 (bench options go after --)" >&2; exit 64 ;;
  esac
  shift
done
wants() { [[ ",$scenarios," == *",$1,"* ]]; }

# shellcheck source=bench/common.sh
source "$here/common.sh"
use_work_dir suite
server_bin="${COGSYNC_BIN:-$build_dir/server/cogsync}"
bench_bin="$build_dir/bench/cogsync_bench"
runs="$work/runs.ndjson"
: >"$runs"

targets=(cogsync_bench cogsync_minimal_server)
[[ -n "${COGSYNC_BIN:-}" ]] || targets+=(cogsync)
bench_build "${targets[@]}"
mkdir -p "$cache_dir"
started=$SECONDS

# The population every measured phase assumes: one dataset of 10 keys per identity, no hot
# datasets, so a client knows every count it sends (409s would be a server bug).
shape=(--datasets-per-identity 1 --keys 10 --hot-fraction 0)

# bench <name> <port> <cogsync_bench option>...: runs the bench with JSON output into
# $work/<name>.json and prints that path.
bench() {
  local name="$1" port="$2"
  shift 2
  "$bench_bin" --endpoint "http://127.0.0.1:$port" --json "$@" >"$work/$name.json"
  echo "$work/$name.json"
}

# note <jq --arg/--argjson>...: appends those named values as one JSON line to $runs, the
# records bench/suite_report.py reads.
note() { jq -nc "$@" '$ARGS.named' >>"$runs"; }

# ensure_population <N>: writes the population through a server at durability normal unless it
# is cached. The server is stopped with SIGTERM so its WAL is checkpointed into cogsync.db.
ensure_population() {
  local n="$1" dir
  dir="$(population_dir "$n")"
  if [[ -f "$dir/cogsync.db" && -f "$dir/populated.json" ]]; then
    echo "suite.sh: population of $n identities cached in $dir" >&2
    note --arg scenario populate --argjson population "$n" --argjson cached true \
      --argjson info "$(cat "$dir/populated.json")"
    return
  fi
  local tmp="$dir.partial" t0=$SECONDS result
  rm -rf "$tmp"
  echo "suite.sh: populating $n identities into $tmp" >&2
  start_cogsync populate "$work/populate-$n.log" "$tmp" normal
  result="$(bench "populate-$n" "${bench_ports[populate]}" --mode populate --identities "$n" "${shape[@]}" \
    --connections "${POPULATE_CONNECTIONS:-64}")"
  stop_process populate
  report_log_errors "the populating server" "$work/populate-$n.log"
  if [[ "$(jq '[.phases.populate.ops[].errors] | add' "$result")" != 0 ]]; then
    echo "suite.sh: populating $n identities had errors; not caching it:" >&2
    jq -c '.phases.populate.ops | map_values(.errors_by_status)' "$result" >&2
    return 1
  fi
  jq -c --arg date "$(date -u +%FT%TZ)" --argjson wall $((SECONDS - t0)) --argjson bytes "$(du -sb "$tmp" | cut -f1)" \
    '{date: $date, seconds: .phases.populate.measured_s, wall_seconds: $wall, bytes: $bytes,
      datasets_per_second: (.phases.populate.ops.UpdateRecords.count / .phases.populate.measured_s)}' \
    "$result" >"$tmp/populated.json"
  rm -rf "$dir"
  mv "$tmp" "$dir"
  note --arg scenario populate --argjson population "$n" --argjson cached false \
    --argjson info "$(cat "$dir/populated.json")"
}

run_minimal() {
  start_process minimal "$work/minimal.log" "$build_dir/bench/cogsync_minimal_server" --threads 2
  local c result
  for c in $connections; do
    echo "suite.sh: minimal server, $c connections" >&2
    result="$(bench "minimal-c$c" "${bench_ports[minimal]}" --mode health --connections "$c" \
      --duration "$duration" --warmup "$warmup" "${extra[@]}")"
    note --arg scenario minimal --argjson connections "$c" --arg result "$result"
  done
  stop_process minimal
}

run_engine() {
  local n="$1" durability="$2" c result log="$work/server-$1-$2.log"
  fresh_data "$n" "$work/data"
  start_cogsync server "$log" "$work/data" "$durability"
  for c in $connections; do
    echo "suite.sh: $n identities, durability $durability, $c connections" >&2
    result="$(bench "engine-$n-$durability-c$c" "${bench_ports[server]}" --mode health,list,update,sync \
      --populated --identities "$n" "${shape[@]}" --connections "$c" --duration "$duration" --warmup "$warmup" \
      "${extra[@]}")"
    note --arg scenario engine --argjson population "$n" --arg durability "$durability" --argjson connections "$c" \
      --arg result "$result" --argjson memory "$(process_memory server)" --argjson copy_seconds "$copy_seconds"
  done
  stop_process server
  report_log_errors "the server ($n identities, durability $durability)" "$log"
  rm -rf "$work/data"
}

run_trigger() {
  local n="$1" result hooks="$work/hooks.ini" log="$work/server-trigger.log"
  start_process receiver "$work/receiver.log" python3 "$here/slow_trigger.py" --delay 4.5
  printf '[trigger.slow]\ntype = webhook\nurl = http://127.0.0.1:%s/trigger\nfunctions = *\n' \
    "${bench_ports[receiver]}" >"$hooks"
  fresh_data "$n" "$work/data"
  start_cogsync server "$log" "$work/data" full --hooks-file "$hooks"
  echo "suite.sh: Sync Trigger of 4.5 s, 64 writers, 32 connections measured" >&2
  result="$(bench trigger "${bench_ports[server]}" --mode trigger --trigger-writers 64 --populated \
    --identities "$n" "${shape[@]}" --connections 32 --duration "$trigger_duration" --warmup 1 "${extra[@]}")"
  note --arg scenario trigger --argjson population "$n" --argjson connections 32 --arg result "$result"
  stop_process server
  stop_process receiver
  rm -rf "$work/data"
}

load_before="$(cut -d' ' -f1 /proc/loadavg)"
if wants populate || wants engine || wants trigger; then
  schema="$(schema_version)"
  for n in $populations; do
    ensure_population "$n"
  done
fi
measure_started=$SECONDS
if wants minimal; then run_minimal; fi
if wants engine; then
  for n in $populations; do
    for durability in $durabilities; do
      run_engine "$n" "$durability"
    done
  done
fi
if wants trigger; then
  # shellcheck disable=SC2086  # the smallest population is enough next to 64 writers of one identity
  run_trigger "$(printf '%s\n' $populations | sort -n | head -n1)"
fi
echo "suite.sh: measured in $((SECONDS - measure_started)) s, $((SECONDS - started)) s in all" >&2

python3 "$here/suite_report.py" "$runs" --load-before "$load_before" --duration "$duration" --warmup "$warmup"
