#!/usr/bin/env bash
# A/B of two servers on one cached population. Each round starts A and B afresh, one after the
# other, each on its own copy of the population, and runs the same cogsync_bench phases against
# it; the order alternates (A then B, then B then A) so that the machine's drift falls on both.
# Prints, per phase and operation, each side's median req/s, p50 and p99, and the median and range
# of B/A over the rounds (bench/README.md "A/B of two builds"). With client and server sharing two
# cores, one run's figures move by 20-30 % from run to run: an effect smaller than the range of
# B/A is not one.
#
#   bench/ab.sh [--rounds N] [--population N] [--durability full|normal] [--connections C]
#               [--modes health,update,sync] [--duration S] [--warmup S] [--keep]
#               BIN_A BIN_B [-- <extra cogsync_bench options>]
#
# A and B may be the same binary with different flags: A_ARGS and B_ARGS add server flags to one
# side (SERVER_ARGS to both). Each side runs on the population cached for the schema it creates;
# a missing one is written first by `bench/suite.sh --only populate` with that side's binary.
# Environment: BUILD_DIR (default <repo>/build-bench), CACHE_DIR, LOG_LEVEL, STARTUP_TIMEOUT,
# BUILD_JOBS as for bench/suite.sh.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
build_dir="${BUILD_DIR:-$here/../build-bench}"
cache_dir="${CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/cogsync-bench}"
rounds=3
population=10000
durability=full
connections=32
modes=health,update,sync
duration=6
warmup=1
keep=0
extra=()
bins=()
while (($#)); do
  case "$1" in
    --rounds) rounds="$2"; shift ;;
    --population) population="$2"; shift ;;
    --durability) durability="$2"; shift ;;
    --connections) connections="$2"; shift ;;
    --modes) modes="$2"; shift ;;
    --duration) duration="$2"; shift ;;
    --warmup) warmup="$2"; shift ;;
    --keep) keep=1 ;;
    --) shift; extra=("$@"); break ;;
    -*) echo "ab.sh: unknown argument $1 (bench options go after --)" >&2; exit 64 ;;
    *) bins+=("$(realpath "$1")") ;;
  esac
  shift
done
if ((${#bins[@]} != 2)); then
  echo "usage: bench/ab.sh [options] BIN_A BIN_B [-- <cogsync_bench options>]" >&2
  exit 64
fi

# shellcheck source=bench/common.sh
source "$here/common.sh"
use_work_dir ab
bench_build cogsync_bench
bench_bin="$build_dir/bench/cogsync_bench"
shape=(--datasets-per-identity 1 --keys 10 --hot-fraction 0)  # bench/suite.sh's population
declare -A side_bin=([a]="${bins[0]}" [b]="${bins[1]}") side_args=([a]="${A_ARGS:-}" [b]="${B_ARGS:-}")
declare -A side_schema=()

for side in a b; do
  server_bin="${side_bin[$side]}"
  schema="$(schema_version)"
  side_schema[$side]=$schema
  need_population "$population"
done

# run_side <a|b> <round>: one server on a fresh copy, the phases, its JSON as $work/<side>-<round>.json.
run_side() {
  local side="$1" round="$2"
  server_bin="${side_bin[$side]}"
  schema="${side_schema[$side]}"
  fresh_data "$population" "$work/data"
  # shellcheck disable=SC2086  # A_ARGS / B_ARGS are lists of flags
  start_cogsync server "$work/server-$side-$round.log" "$work/data" "$durability" ${side_args[$side]}
  echo "ab.sh: round $round, ${side^^}" >&2
  "$bench_bin" --endpoint "http://127.0.0.1:${bench_ports[server]}" --json --mode "$modes" --populated \
    --identities "$population" "${shape[@]}" --connections "$connections" --duration "$duration" \
    --warmup "$warmup" "${extra[@]}" >"$work/$side-$round.json"
  stop_process server
  report_log_errors "server ${side^^}, round $round" "$work/server-$side-$round.log"
  rm -rf "$work/data"
}

for ((round = 1; round <= rounds; round++)); do
  if ((round % 2)); then order=(a b); else order=(b a); fi
  for side in "${order[@]}"; do run_side "$side" "$round"; done
done

echo "A: ${side_bin[a]} ${A_ARGS:-}"
echo "B: ${side_bin[b]} ${B_ARGS:-}"
echo "$population identities, durability $durability, $connections connections, $rounds rounds of" \
  "${warmup} s warm-up + ${duration} s per phase"
echo
python3 "$here/ab_report.py" --rounds "$rounds" "$work"
