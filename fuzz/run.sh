#!/usr/bin/env bash
# Runs every libFuzzer target of a COGSYNC_BUILD_FUZZERS build for a bounded time.
#   fuzz/run.sh <build-dir> [seconds-per-target] [target...]
# Each target starts from its committed seeds (fuzz/corpus/<target>/, read-only) plus a scratch
# corpus in a temp dir that takes whatever the run discovers, so the tree never grows. A crash,
# leak, timeout or out-of-memory input is kept under <build-dir>/fuzz/artifacts/<target>/; the
# script prints its path and exits non-zero. Reproduce with: <build-dir>/fuzz/<target> <file>
set -euo pipefail

[[ $# -ge 1 ]] || { echo "usage: $0 <build-dir> [seconds-per-target] [target...]" >&2; exit 2; }
build=$(cd "$1" && pwd)
seconds=${2:-25}
shift $(( $# >= 2 ? 2 : 1 ))
here=$(cd "$(dirname "$0")" && pwd)

targets=("$@")
if [[ ${#targets[@]} -eq 0 ]]; then
  for exe in "$build"/fuzz/fuzz_*; do
    [[ -f $exe && -x $exe ]] && targets+=("$(basename "$exe")")
  done
fi
[[ ${#targets[@]} -gt 0 ]] || { echo "no fuzz targets in $build/fuzz (configure with -DCOGSYNC_BUILD_FUZZERS=ON)" >&2; exit 2; }

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
scratch=$(mktemp -d "${TMPDIR:-/tmp}/cogsync-fuzz.XXXXXX")
trap 'rm -rf "$scratch"' EXIT

# One target: its report line(s) on stdout, exit status 1 if it found something.
run_target() {
  local t=$1 seeds="$here/corpus/$1" artifacts="$build/fuzz/artifacts/$1" log="$build/fuzz/$1.log" started=$SECONDS
  mkdir -p "$scratch/$t/corpus" "$scratch/$t/tmp" "$artifacts"
  [[ -d $seeds ]] || seeds=""
  # TMPDIR: targets that need files (fuzz_http_adapter's store) keep them in the scratch dir.
  if TMPDIR="$scratch/$t/tmp" "$build/fuzz/$t" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
       -print_final_stats=1 -artifact_prefix="$artifacts/" "$scratch/$t/corpus" ${seeds:+"$seeds"} >"$log" 2>&1; then
    echo "$t: ok in $((SECONDS - started))s ($(grep -m1 -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo '?') runs)"
  else
    echo "$t: FAILED after $((SECONDS - started))s; log: $log"
    grep -E '^(==[0-9]+==ERROR|SUMMARY|.*runtime error)' "$log" | head -n 5 || true
    for f in $(grep -o "Test unit written to [^ ]*" "$log" | awk '{print $NF}'); do
      echo "  reproducer: $f  (run: $build/fuzz/$t $f)"
    done
    return 1
  fi
}

# As many targets at once as there are cores (COGSYNC_FUZZ_JOBS): each is one process, so the
# whole run takes the targets' time divided by the cores, not added up. Each target's report is
# printed whole once it ends.
jobs=${COGSYNC_FUZZ_JOBS:-$(nproc)}
failed=()
declare -A running=()
finish_one() {
  local pid
  wait -n -p pid "${!running[@]}" && status=0 || status=$?
  local t=${running[$pid]}
  unset "running[$pid]"
  cat "$scratch/$t.report"
  ((status == 0)) || failed+=("$t")
}
for t in "${targets[@]}"; do
  while ((${#running[@]} >= jobs)); do finish_one; done
  run_target "$t" >"$scratch/$t.report" &
  running[$!]=$t
done
while ((${#running[@]} > 0)); do finish_one; done

if [[ ${#failed[@]} -gt 0 ]]; then
  echo "fuzzing found problems in: ${failed[*]}" >&2
  exit 1
fi
