#!/usr/bin/env bash
# Runs the README's two commands the way a newcomer does, on a bare Debian 12: a minimal bookworm
# root (debootstrap --variant=minbase), a clean clone of HEAD in it, then inside it with chroot
#   scripts/serve.sh   until GET /health answers on the port it logs, then SIGTERM (exit 0 expected)
#   scripts/test.sh    every test, with the Python, aws cli and Node that Debian 12 ships
#   scripts/serve.sh   again, to show that the other order works on the same build folder.
# Nothing of this machine's compilers, Python or Node reaches the root; install-deps.sh installs
# Debian's packages there.
#   sudo scripts/check-fresh-debian.sh
# The root comes from the Debian mirrors this machine's apt uses, with its apt Acquire::Check-*
# settings and its CA certificates (/usr/local/share/ca-certificates, e.g. a TLS-inspecting
# proxy's). The debootstrapped root is kept as a tarball in COGSYNC_CHECK_CACHE (default
# /var/cache/cogsync); the root itself is unmounted and removed on every exit.
set -euo pipefail

[[ $(id -u) -eq 0 ]] || { echo "$0: needs root (debootstrap, mount, chroot)" >&2; exit 2; }
repo=$(cd "$(dirname "$0")/.." && pwd)
head=$(git -C "$repo" rev-parse HEAD)
cache=${COGSYNC_CHECK_CACHE:-/var/cache/cogsync}
tarball=$cache/bookworm-minbase.tar.gz
started=$SECONDS
say() { printf '[%5ds] %s\n' $((SECONDS - started)) "$*"; }

# shellcheck source=scripts/bookworm-root.sh
source "$repo/scripts/bookworm-root.sh"
find_host_mirrors

# Unmounts everything below a directory and removes it. Processes still running inside it (a
# server a failed step left behind) would keep the mounts busy: they were started here, in this
# root, and are ended by their PIDs first. Nothing is removed while anything is still mounted.
mounts_below() { awk -v d="$1/" 'index($2, d) == 1 {print $2}' /proc/self/mounts | sort -r; }
pids_inside() {
  find /proc -mindepth 2 -maxdepth 2 -name root -lname "$1/*" 2>/dev/null | cut -d/ -f3
}
release() {
  local dir=$1 m pids
  [[ -n $dir && -d $dir ]] || return 0
  for _ in 1 2 3 4 5 6 7 8 9 10; do
    mapfile -t pids < <(pids_inside "$dir")
    [[ ${#pids[@]} -eq 0 ]] && break
    kill -KILL "${pids[@]}" 2>/dev/null || true
    sleep 1
  done
  for m in $(mounts_below "$dir"); do
    umount "$m" || umount --lazy "$m"
  done
  if [[ -n $(mounts_below "$dir") ]]; then
    echo "$0: still mounted below $dir, not removing it:" >&2
    mounts_below "$dir" >&2
    return 1
  fi
  rm -rf --one-file-system "$dir"
}

work=""
bootstrap_dir=""
server_pid=""
cleanup() {
  local rc=$?
  if [[ -n $server_pid ]] && kill -0 "$server_pid" 2>/dev/null; then
    kill -TERM "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  release "$bootstrap_dir" || rc=1
  release "$work" || rc=1
  say "done, exit code $rc"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

command -v debootstrap >/dev/null || { apt-get update -qq && apt-get install -y -qq debootstrap >/dev/null; }
if [[ ! -f $tarball ]]; then
  say "debootstrap --variant=minbase bookworm from $mirror into $tarball"
  mkdir -p "$cache"
  bootstrap_dir=$(mktemp -d /var/tmp/cogsync-debootstrap.XXXXXX)
  debootstrap --variant=minbase bookworm "$bootstrap_dir/root" "$mirror" >"$bootstrap_dir/log" 2>&1 ||
    { tail -n 30 "$bootstrap_dir/log" >&2; exit 1; }
  tar -C "$bootstrap_dir/root" -czf "$tarball.part" . && mv "$tarball.part" "$tarball"
  release "$bootstrap_dir"
  bootstrap_dir=""
fi

work=$(mktemp -d /var/tmp/cogsync-fresh-debian.XXXXXX)
root=$work/root
say "bare Debian 12 root in $root; clone of $head"
mkdir "$root"
tar -C "$root" -xzf "$tarball"
write_apt_sources "$root"
cp /etc/resolv.conf /etc/hosts "$root/etc/"
if compgen -G "/usr/local/share/ca-certificates/*" >/dev/null; then
  mkdir -p "$root/usr/local/share/ca-certificates"
  cp -r /usr/local/share/ca-certificates/. "$root/usr/local/share/ca-certificates/"
fi
git clone --quiet --no-local --no-checkout "$repo" "$root/root/cogsync"
git -C "$root/root/cogsync" checkout --quiet --detach "$head"

mount -t proc proc "$root/proc"
mount --bind /dev "$root/dev"
mount --bind /dev/pts "$root/dev/pts"
mount -t tmpfs tmpfs "$root/dev/shm"

# A clean environment: nothing of this shell's PATH (pyenv, nvm, ...) leaks in.
in_root=(chroot "$root" /usr/bin/env -i HOME=/root LANG=C.UTF-8 TERM=dumb
         PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
         ${COGSYNC_FUZZ_SECONDS:+COGSYNC_FUZZ_SECONDS=$COGSYNC_FUZZ_SECONDS})

say "the CA certificates of this machine, trusted in the root"
"${in_root[@]}" sh -c 'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq ca-certificates >/dev/null && update-ca-certificates >/dev/null'

# scripts/serve.sh on port 0, as the README allows: up once /health answers on the port it logs.
# Its last step execs the server, so the PID of the background chroot is the server's.
serve_and_stop() {
  local log=$work/serve-$1.log port="" rc=0
  say "scripts/serve.sh --listen 127.0.0.1:0 ($1)"
  "${in_root[@]}" sh -c 'cd /root/cogsync && exec scripts/serve.sh --listen 127.0.0.1:0' >"$log" 2>&1 &
  server_pid=$!
  while [[ -z $port ]]; do
    kill -0 "$server_pid" 2>/dev/null || { cat "$log" >&2; echo "$0: scripts/serve.sh exited" >&2; return 1; }
    port=$(grep -m1 -oE 'listening on 127\.0\.0\.1:[0-9]+' "$log" | grep -oE '[0-9]+$' || true)
    [[ -n $port ]] || sleep 2
  done
  say "serving on port $port ($(readlink "/proc/$server_pid/exe")): GET /health"
  curl -fsS --max-time 10 "http://127.0.0.1:$port/health" || { cat "$log" >&2; return 1; }
  echo
  kill -TERM "$server_pid"
  wait "$server_pid" || rc=$?
  server_pid=""
  [[ $rc -eq 0 ]] || { cat "$log" >&2; echo "$0: the server exited with $rc after SIGTERM" >&2; return 1; }
  say "stopped by SIGTERM, exit code 0"
}

serve_and_stop first
say "scripts/test.sh"
"${in_root[@]}" sh -c 'cd /root/cogsync && exec scripts/test.sh'
say "scripts/test.sh passed"
serve_and_stop "after test.sh"
