# shellcheck shell=bash
# shellcheck disable=SC2154,SC2034  # work, build_dir, server_bin come from the caller; bench_ports goes to it
# Sourced by the bench scripts (run.sh, suite.sh, ab.sh, floor.sh, pg.sh): building the bench
# targets and starting and stopping the processes a run needs (the server, the minimal reference
# server, the slow trigger receiver).
# Each process is started with port 0, prints "listening on 127.0.0.1:<PORT>", and is stopped by
# its own PID: SIGTERM, then SIGKILL after 10 s.
#
# The caller sets `work` (a temp dir for logs; use_work_dir makes one), `build_dir` and, for
# start_cogsync, `server_bin` before using these; the cached populations also need `cache_dir`,
# and `schema` (schema_version's answer for that server) to find one. Environment:
# LOG_LEVEL (server log level, default info: the "listening on" line is logged at info),
# STARTUP_TIMEOUT (s, default 30), BUILD_JOBS (parallel compile jobs, default 2).

bench_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
log_level="${LOG_LEVEL:-info}"
startup_timeout="${STARTUP_TIMEOUT:-30}"
declare -A bench_pids=() bench_ports=()

# use_work_dir <name>: a new temp dir as $work for the run's logs and copies, and an exit trap that
# stops every process started here and removes the dir (or keeps it, saying where, when the
# caller's `keep` is 1). Callers that start more than these processes set their own trap.
use_work_dir() {
  work="$(mktemp -d "${TMPDIR:-/tmp}/cogsync-$1.XXXXXX")"
  trap remove_work_dir EXIT
  trap 'exit 130' INT TERM
}
remove_work_dir() {
  stop_all_processes
  if ((${keep:-0})); then echo "${0##*/}: kept $work" >&2; else rm -rf "$work"; fi
}

# bench_build <target>...: Release build into $build_dir. The output goes to $work/build.log so
# that stdout stays the tables; it is shown only when the build fails.
# A fresh build directory leaves the tests out; an existing one keeps its own setting, so that a
# development build handed in as BUILD_DIR does not lose its test targets (and keep stale ones).
bench_build() {
  echo "${0##*/}: building (Release) $* in $build_dir" >&2
  local tests_off=()
  [[ -f "$build_dir/CMakeCache.txt" ]] || tests_off=(-DCOGSYNC_BUILD_TESTS=OFF)
  if ! { cmake -S "$bench_root" -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=Release "${tests_off[@]}" \
           -DCOGSYNC_BUILD_BENCH=ON && cmake --build "$build_dir" -j "${BUILD_JOBS:-2}" --target "$@"; } \
       >"$work/build.log" 2>&1; then
    echo "${0##*/}: build failed:" >&2
    tail -n 40 "$work/build.log" >&2
    return 1
  fi
}

# start_process <name> <log> <command>...: runs the command in the background with stdout and
# stderr to <log>, waits for its "listening on 127.0.0.1:<PORT>" line, and records
# bench_pids[name] and bench_ports[name].
start_process() {
  local name="$1" log="$2" pid port=""
  shift 2
  "$@" >"$log" 2>&1 &
  pid=$!
  bench_pids[$name]=$pid
  local deadline=$((SECONDS + startup_timeout))
  while ((SECONDS < deadline)); do
    port="$(grep -oE 'listening on 127\.0\.0\.1:[0-9]+' "$log" | head -n1 | sed 's/.*://' || true)"
    if [[ -n "$port" ]]; then
      bench_ports[$name]=$port
      return 0
    fi
    if ! kill -0 "$pid" 2>/dev/null; then
      echo "${0##*/}: $name exited during startup; its log:" >&2
      cat "$log" >&2
      unset "bench_pids[$name]"
      return 1
    fi
    sleep 0.1
  done
  echo "${0##*/}: $name printed no 'listening on' line after ${startup_timeout} s; its log:" >&2
  cat "$log" >&2
  return 1
}

# start_cogsync <name> <log> <data dir> <durability> [server flag]...: the server under test
# (COGSYNC_BIN, or the one just built) on port 0. SERVER_ARGS adds flags to every start.
start_cogsync() {
  local name="$1" log="$2" data="$3" durability="$4"
  shift 4
  mkdir -p "$data"
  # shellcheck disable=SC2086  # SERVER_ARGS is a list of flags
  start_process "$name" "$log" "$server_bin" serve --listen 127.0.0.1:0 --data-dir "$data" \
    --durability "$durability" --log-level "$log_level" "$@" ${SERVER_ARGS:-}
}

# stop_process <name>: SIGTERM to its PID, SIGKILL if it is still there after 10 s. A server
# stopped by SIGTERM closes its database, which checkpoints the WAL into cogsync.db.
stop_process() {
  local name="$1" pid="${bench_pids[$1]:-}"
  [[ -n "$pid" ]] || return 0
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 100); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.1
    done
    if kill -0 "$pid" 2>/dev/null; then
      echo "${0##*/}: $name ($pid) ignored SIGTERM for 10 s; sending SIGKILL" >&2
      kill -KILL "$pid" 2>/dev/null || true
    fi
  fi
  wait "$pid" 2>/dev/null || true
  unset "bench_pids[$name]"
}

stop_all_processes() {
  local name
  for name in "${!bench_pids[@]}"; do
    stop_process "$name"
  done
}

# process_memory <name>: prints {"vm_rss_kb": N, "vm_hwm_kb": N} from /proc/<pid>/status.
process_memory() {
  local pid="${bench_pids[$1]}"
  awk '/^VmRSS:/ {rss = $2} /^VmHWM:/ {hwm = $2} END {printf "{\"vm_rss_kb\": %d, \"vm_hwm_kb\": %d}\n", rss, hwm}' \
    "/proc/$pid/status"
}

# report_log_errors <label> <log>: prints the error lines a process logged, if any.
report_log_errors() {
  if grep -qiE 'error|critical|fatal' "$2"; then
    echo "${0##*/}: $1 logged errors:" >&2
    grep -iE 'error|critical|fatal' "$2" | head -n 20 >&2
  fi
}

# Cached populations (bench/suite.sh writes them): one dataset of 10 keys per identity, under
# $cache_dir/schema<V>-identities<N>-datasets1-keys10.

# The schema version the server creates, which the cached populations are keyed by.
schema_version() {
  start_cogsync probe "$work/probe.log" "$work/probe-data" full
  stop_process probe
  local v
  v="$(grep -oE 'schema v[0-9]+' "$work/probe.log" | head -n1 | tr -dc 0-9 || true)"
  [[ -n "$v" ]] || v="$(sqlite3 "$work/probe-data/cogsync.db" 'PRAGMA user_version')"
  rm -rf "$work/probe-data"
  echo "$v"
}

population_dir() { echo "$cache_dir/schema$schema-identities$1-datasets1-keys10"; }

# need_population <N>: the cached population of N identities for $server_bin's schema, written by
# `bench/suite.sh --only populate` with that binary unless it is there already.
need_population() {
  [[ -f "$(population_dir "$1")/populated.json" ]] && return 0
  COGSYNC_BIN="$server_bin" BUILD_DIR="$build_dir" CACHE_DIR="$cache_dir" \
    "$bench_root/bench/suite.sh" --only populate --populations "$1" >&2
}

# fresh_data <N> <dir>: a new data dir holding a copy of the cached population of N identities;
# sets copy_seconds.
fresh_data() {
  local t0=$SECONDS src
  src="$(population_dir "$1")"
  rm -rf "$2"
  mkdir -p "$2"
  cp --reflink=auto "$src"/cogsync.db* "$2/"  # the token key is stored in the database
  # Written back now rather than during the measured phases, where the copy's gigabytes of dirty
  # pages (a million identities) would compete with the server's own fsyncs.
  sync "$2"/cogsync.db*
  copy_seconds=$((SECONDS - t0))
  echo "${0##*/}: copied the population of $1 identities in $copy_seconds s" >&2
}
