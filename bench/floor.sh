#!/usr/bin/env bash
# The storage engine's own 1M/10k ratio: cogsync_store_floor (bench/store_floor.cpp) on fresh
# copies of the cached 10,000- and 1,000,000-identity populations, interleaved round by round,
# at each durability. Prints each side's median jobs/s and CPU per job (writer thread,
# checkpointer thread) and the median and range of the rounds' own 1M/10k ratios of the writer's
# wall time per job. No server runs: what this ratio shows, SQLite charges by itself for the
# statements an UpdateRecords needs at least.
#
#   bench/floor.sh [--rounds N] [--seconds S] [--durability "full normal"] [--schema rowid|clustered]
#                  [--keep] [-- <cogsync_store_floor options>]
#
# --schema clustered runs on copies converted by bench/floor_clustered.sql (datasets and records
# WITHOUT ROWID), to ask whether another schema would change the ratio.
#
# The populations are the ones bench/suite.sh caches for the server's schema; a missing one is
# written first (`bench/suite.sh --only populate`). Environment: BUILD_DIR (default
# <repo>/build-bench), CACHE_DIR, BUILD_JOBS as for bench/suite.sh.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
build_dir="${BUILD_DIR:-$here/../build-bench}"
cache_dir="${CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/cogsync-bench}"
rounds=3
seconds=8
durabilities="full normal"
schema_shape=rowid
keep=0
extra=()
while (($#)); do
  case "$1" in
    --rounds) rounds="$2"; shift ;;
    --seconds) seconds="$2"; shift ;;
    --durability) durabilities="$2"; shift ;;
    --schema) schema_shape="$2"; shift ;;
    --keep) keep=1 ;;
    --) shift; extra=("$@"); break ;;
    *) echo "floor.sh: unknown argument $1 (cogsync_store_floor options go after --)" >&2; exit 64 ;;
  esac
  shift
done
if [[ "$schema_shape" != rowid && "$schema_shape" != clustered ]]; then
  echo "floor.sh: --schema is rowid or clustered" >&2
  exit 64
fi
if [[ "$schema_shape" == clustered ]] && ! command -v sqlite3 >/dev/null; then
  echo "floor.sh: --schema clustered converts the populations with the sqlite3 command (apt-get install sqlite3)" >&2
  exit 69
fi

# shellcheck source=bench/common.sh
source "$here/common.sh"
use_work_dir floor
bench_build cogsync cogsync_store_floor
server_bin="$build_dir/server/cogsync"
# shellcheck disable=SC2034  # read by population_dir (common.sh)
schema="$(schema_version)"
populations=(10000 1000000)
for n in "${populations[@]}"; do need_population "$n"; done

# copy_population <N> <file>: a fresh copy of the population in the shape asked for.
copy_population() {
  if [[ "$schema_shape" == clustered ]]; then
    local converted="$work/clustered-$1.db"
    if [[ ! -f "$converted" ]]; then
      echo "floor.sh: converting the population of $1 identities (bench/floor_clustered.sql)" >&2
      sqlite3 -bail "$(population_dir "$1")/cogsync.db" "ATTACH '$converted' AS n" \
        ".read $here/floor_clustered.sql" >/dev/null
      sqlite3 "$converted" "PRAGMA wal_checkpoint(TRUNCATE)" >/dev/null
    fi
    mkdir -p "$(dirname "$2")"
    cp "$converted" "$2"
    sync "$2"
  else
    fresh_data "$1" "$(dirname "$2")"
  fi
}

for ((round = 1; round <= rounds; round++)); do
  order=("${populations[@]}")
  ((round % 2)) || order=(1000000 10000)
  for durability in $durabilities; do
    for n in "${order[@]}"; do
      copy_population "$n" "$work/data/cogsync.db"
      echo "floor.sh: round $round, $durability, $n identities" >&2
      "$build_dir/bench/cogsync_store_floor" --db "$work/data/cogsync.db" --sync "$durability" \
        --seconds "$seconds" --schema "$schema_shape" "${extra[@]}" >"$work/$durability-$n-$round.json"
      rm -rf "$work/data"
    done
  done
done

echo "cogsync_store_floor --schema $schema_shape${extra[*]:+ ${extra[*]}}: $rounds rounds of $seconds s per side"
python3 - "$work" "$rounds" "$durabilities" <<'EOF'
import json, statistics, sys
work, rounds, durabilities = sys.argv[1], int(sys.argv[2]), sys.argv[3].split()
def load(d, n, r):
    with open(f"{work}/{d}-{n}-{r}.json") as f:
        return json.load(f)
print("| durability | identities | jobs/s | writer us/job | checkpointer us/job | wall us/job |")
print("|---|---:|---:|---:|---:|---:|")
ratios = {}
for d in durabilities:
    for n in (10000, 1000000):
        runs = [load(d, n, r) for r in range(1, rounds + 1)]
        med = lambda f: statistics.median(f(x) for x in runs)
        us = lambda thread: f"{med(lambda x: x['us_per_job'][thread]):.1f}"
        print(f"| {d} | {n:,} | {med(lambda x: x['jobs_per_s']):,.0f} | {us('writer')} | {us('checkpointer')}"
              f" | {us('wall')} |")
    ratios[d] = [load(d, 1000000, r)["us_per_job"]["wall"] / load(d, 10000, r)["us_per_job"]["wall"]
                 for r in range(1, rounds + 1)]
print()
for d, rs in ratios.items():
    print(f"{d}: wall time per job, 1M / 10k: median {statistics.median(rs):.2f}, range {min(rs):.2f}-{max(rs):.2f}")
EOF
