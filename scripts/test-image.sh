#!/usr/bin/env bash
# The image test: builds docker/Dockerfile with podman and runs the image's binary the way the
# image runs it, on a machine where no container can start (README: Deployment).
#   sudo scripts/test-image.sh
# 1. base   debian:12 (tagged debian:12-slim too) imported into podman from a
#           `debootstrap --variant=minbase bookworm` root, cached as a tarball in
#           COGSYNC_IMAGE_CACHE (default ~/.cache/cogsync-image) across runs
# 2. build  podman build --isolation chroot --format docker (which keeps the HEALTHCHECK)
# 3. run    the image mounted (podman image mount), a data directory bind-mounted on its /data,
#           `chroot --userspec` as the image's USER with the image's ENV, ENTRYPOINT and CMD on a
#           free loopback port; then: /ready answers 200, the image's HEALTHCHECK command exits 0,
#           docker/example/sync_example.py (boto3) syncs, the server runs as uid 10001, its
#           database is in the bind-mounted directory, and a restart still has the record.
# Every mount and process it made is undone on exit, whatever the outcome.
set -euo pipefail

[[ $(id -u) -eq 0 ]] || { echo "$0: needs root (debootstrap, podman, mount, chroot)" >&2; exit 2; }
repo=$(cd "$(dirname "$0")/.." && pwd)
cache=${COGSYNC_IMAGE_CACHE:-$HOME/.cache/cogsync-image}
tarball=$cache/bookworm-minbase.tar.gz
image=localhost/cogsync:image-test
started=$SECONDS
phase_started=$SECONDS
say() { printf '[%5ds] %s\n' $((SECONDS - started)) "$*"; }
phase_done() { say "$1 took $((SECONDS - phase_started))s"; phase_started=$SECONDS; }

# shellcheck source=scripts/bookworm-root.sh
source "$repo/scripts/bookworm-root.sh"

work=$(mktemp -d /var/tmp/cogsync-image-test.XXXXXX)
mnt=""
server_pid=""
build_pid=""
mounted=()
stop_server() {
  [[ -n $server_pid ]] || return 0
  kill -TERM "$server_pid" 2>/dev/null || true
  local rc=0
  wait "$server_pid" || rc=$?
  server_pid=""
  return "$rc"
}
cleanup() {
  local rc=$? m
  stop_server || true
  if [[ -n $build_pid ]]; then
    kill -TERM -- "-$build_pid" 2>/dev/null || true
    wait "$build_pid" 2>/dev/null || true
  fi
  for ((i = ${#mounted[@]} - 1; i >= 0; i--)); do
    m=${mounted[i]}
    umount "$m" 2>/dev/null || umount --lazy "$m" || rc=1
  done
  [[ -z $mnt ]] || podman image unmount "$image" >/dev/null || rc=1
  if grep -q " $work" /proc/self/mounts; then
    echo "$0: still mounted below $work, not removing it" >&2
    rc=1
  else
    rm -rf --one-file-system "$work"
  fi
  say "done, exit code $rc"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

for tool in podman debootstrap; do
  command -v $tool >/dev/null || { apt-get update -qq && apt-get install -y -qq $tool >/dev/null; }
done

# --- 1. base ---------------------------------------------------------------------------------
if [[ ! -f $tarball ]]; then
  find_host_mirrors
  say "debootstrap --variant=minbase bookworm from $mirror into $tarball"
  mkdir -p "$cache"
  root=$work/root
  debootstrap --variant=minbase bookworm "$root" "$mirror" >"$work/debootstrap.log" 2>&1 ||
    { tail -n 30 "$work/debootstrap.log" >&2; exit 1; }
  write_apt_sources "$root"
  rm -rf "$root/var/cache/apt/archives/"*.deb "$root/var/lib/apt/lists/"*
  tar -C "$root" -czf "$tarball.part" . && mv "$tarball.part" "$tarball"
  rm -rf --one-file-system "$root"
  phase_done "debootstrap"
fi
if [[ $(podman image inspect --format '{{index .Labels "cogsync.base"}}' docker.io/library/debian:12 2>/dev/null || true) != "$(stat -c %Y "$tarball")" ]]; then
  podman import --quiet --change "LABEL cogsync.base=$(stat -c %Y "$tarball")" --change 'CMD ["bash"]' \
    "$tarball" docker.io/library/debian:12 >/dev/null
  podman tag docker.io/library/debian:12 docker.io/library/debian:12-slim
fi
phase_done "base import"

# --- 2. build --------------------------------------------------------------------------------
say "podman build -f docker/Dockerfile"
# In a session of its own, so that an interrupted build's compilers, which outlive podman in the
# chroot, are ended with it (cleanup). The build stage's layers stay (no prune), so a rerun whose
# sources did not change does not compile again.
setsid podman build --isolation chroot --pull=never --force-rm --format docker -f "$repo/docker/Dockerfile" -t "$image" "$repo" \
  >"$work/build.log" 2>&1 &
build_pid=$!
wait "$build_pid" || { tail -n 40 "$work/build.log" >&2; exit 1; }
build_pid=""
phase_done "build"
size=$(podman image inspect --format '{{.Size}}' "$image")
base_size=$(podman image inspect --format '{{.Size}}' docker.io/library/debian:12-slim)
say "image size $size bytes, $((size - base_size)) over the debian:12-slim base"

# --- 3. run ----------------------------------------------------------------------------------
user=$(podman image inspect --format '{{.Config.User}}' "$image")
[[ $user == 10001:10001 ]] || { echo "$0: the image's USER is '$user', expected 10001:10001" >&2; exit 1; }
mapfile -t image_env < <(podman image inspect --format '{{range .Config.Env}}{{println .}}{{end}}' "$image" | sed '/^$/d')
mapfile -t command < <(podman image inspect --format '{{range .Config.Entrypoint}}{{println .}}{{end}}{{range .Config.Cmd}}{{println .}}{{end}}' "$image" | sed '/^$/d')
mapfile -t healthcheck < <(podman image inspect --format '{{range .Config.Healthcheck.Test}}{{println .}}{{end}}' "$image" | sed '/^$/d')
[[ ${healthcheck[0]:-} == CMD ]] || { echo "$0: the image has no exec-form HEALTHCHECK: ${healthcheck[*]:-none}" >&2; exit 1; }
healthcheck=("${healthcheck[@]:1}")
data_dir=$(podman image inspect --format '{{range .Config.Env}}{{println .}}{{end}}' "$image" | sed -n 's/^COGSYNC_DATA_DIR=//p')

mnt=$(podman image mount "$image")
data=$work/data
mkdir "$data"
chown 10001:10001 "$data"
mount --bind "$data" "$mnt$data_dir" && mounted+=("$mnt$data_dir")
mount --bind /dev "$mnt/dev" && mounted+=("$mnt/dev")
mount -t proc proc "$mnt/proc" && mounted+=("$mnt/proc")
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
# The PATH a container runtime sets when the image has none (the imported base has no ENV; the
# image's own PATH, when it sets one, comes after and wins).
runtime_path=PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
in_image=(chroot --userspec="$user" "$mnt" /usr/bin/env -i "$runtime_path" "${image_env[@]}"
          "COGSYNC_LISTEN=127.0.0.1:$port")

start_server() {
  local log=$work/serve-$1.log
  "${in_image[@]}" "${command[@]}" >"$log" 2>&1 &
  server_pid=$!
  until grep -q "listening on 127.0.0.1:$port" "$log"; do
    kill -0 "$server_pid" 2>/dev/null || { cat "$log" >&2; echo "$0: the server exited" >&2; exit 1; }
    sleep 0.2
  done
  say "serving on 127.0.0.1:$port ($1): ${command[*]}"
}

# The image's default command declares no identity pool: the example syncs a fixed identity with
# placeholder keys, which open mode accepts (docker/example/sync_example.py).
example_identity=us-east-1:1b2c0000-0000-4000-8000-00000000e1a1
start_server first
curl -fsS --max-time 5 "http://127.0.0.1:$port/ready" >/dev/null
say "GET /ready: 200"
"${in_image[@]}" "${healthcheck[@]}"
say "HEALTHCHECK ${healthcheck[*]}: exit 0"
uid=$(awk '/^Uid:/ {print $2}' "/proc/$server_pid/status")
[[ $uid == 10001 ]] || { echo "$0: the server runs as uid $uid" >&2; exit 1; }
say "the server runs as uid $uid"
COGSYNC_ENDPOINT=http://127.0.0.1:$port IDENTITY_ID=$example_identity DATASET=image-test python3 "$repo/docker/example/sync_example.py"
say "boto3 sync round trip: ok"
[[ -s $data/cogsync.db && $(stat -c %u "$data/cogsync.db") == 10001 ]] ||
  { ls -ln "$data" >&2; echo "$0: no database of uid 10001 in the bind-mounted $data" >&2; exit 1; }
say "the database is in the bind-mounted directory: $(ls "$data" | tr '\n' ' ')"
stop_server || { echo "$0: the server did not exit 0 on SIGTERM" >&2; exit 1; }
start_server "restarted"
again=$(COGSYNC_ENDPOINT=http://127.0.0.1:$port IDENTITY_ID=$example_identity DATASET=image-test python3 "$repo/docker/example/sync_example.py")
echo "$again"
head -n1 <<<"$again" | grep -q ': sync count [1-9][0-9]*, 1 record(s) on the server' ||
  { echo "$0: the record written before the restart is gone" >&2; exit 1; }
say "after a restart the record is still there"
stop_server || { echo "$0: the server did not exit 0 on SIGTERM" >&2; exit 1; }
phase_done "run"
