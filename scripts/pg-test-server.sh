#!/usr/bin/env bash
# A throwaway PostgreSQL for the tests: the whole server lives in DIR, listens only on a unix
# socket in DIR (no TCP port to collide with anything), trusts local connections as the role
# `cogsync`, and trades durability for speed (fsync off; COGSYNC_PG_DURABLE=1 keeps PostgreSQL's
# durable defaults, for benchmarks).
#   scripts/pg-test-server.sh start DIR   prints the URL to connect with (also in DIR/url)
#   scripts/pg-test-server.sh stop DIR    stops the server started in DIR and removes DIR
#   scripts/pg-test-server.sh halt DIR    stops it and keeps its data; `resume DIR` starts it again
# PostgreSQL refuses to run as root, so when run as root the server runs as `nobody`.
set -euo pipefail

action=${1:?start|stop|halt|resume}
dir=$(realpath -m "${2:?directory}")
bin=$(pg_config --bindir 2>/dev/null || true)
for candidate in "$bin" /usr/lib/postgresql/*/bin; do
  [[ -x "$candidate/initdb" ]] && bin=$candidate && break
done
[[ -x "$bin/initdb" ]] || { echo "pg-test-server: initdb not found (install postgresql)" >&2; exit 1; }

# From /: PostgreSQL's tools stop when they cannot resolve the working directory, which `nobody`
# may not reach (a clone under /root). DIR itself must be reachable, hence the callers' /tmp.
as_owner() {
  if [[ $(id -u) -eq 0 ]]; then (cd / && runuser -u nobody -- "$@"); else "$@"; fi
}

speed="-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
[[ "${COGSYNC_PG_DURABLE:-0}" == 1 ]] && speed=""

case "$action" in
  start)
    if [[ -f "$dir/data/postmaster.pid" ]]; then as_owner "$bin/pg_ctl" stop -D "$dir/data" -m immediate >/dev/null || true; fi
    rm -rf "$dir"
    mkdir -p "$dir"
    [[ $(id -u) -eq 0 ]] && chown nobody "$dir"
    as_owner "$bin/initdb" -D "$dir/data" -U cogsync --auth=trust -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 ||
      { cat "$dir/initdb.log" >&2; exit 1; }
    "$0" resume "$dir"
    echo "postgresql://cogsync@/postgres?host=$dir" | tee "$dir/url"
    ;;
  resume)
    as_owner "$bin/pg_ctl" start -w -D "$dir/data" -l "$dir/server.log" \
      -o "-k $dir -c listen_addresses= $speed -c max_connections=300" \
      >/dev/null || { cat "$dir/server.log" >&2; exit 1; }
    ;;
  halt)
    as_owner "$bin/pg_ctl" stop -w -D "$dir/data" -m fast >/dev/null
    ;;
  stop)
    # immediate: the data is removed next, so nothing is worth a shutdown checkpoint
    if [[ -f "$dir/data/postmaster.pid" ]]; then as_owner "$bin/pg_ctl" stop -w -D "$dir/data" -m immediate >/dev/null; fi
    rm -rf "$dir"
    ;;
  *) echo "usage: $0 start|stop|halt|resume DIR" >&2; exit 2 ;;
esac
