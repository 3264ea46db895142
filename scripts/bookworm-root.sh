# Sourced by the scripts that make a bare Debian 12 root with debootstrap (check-fresh-debian.sh,
# test-image.sh): the root fetches from the bookworm mirrors this machine's apt uses.

# The mirror this machine's apt fetches a bookworm suite from, e.g. http://deb.debian.org/debian.
mirror_of() {
  apt-cache policy | awk -v suite="$1/main" '$3 == suite && $2 ~ /^https?:/ {print $2; exit}'
}

# Sets mirror and security, or exits 2 when apt here has no bookworm sources.
find_host_mirrors() {
  mirror=$(mirror_of bookworm)
  security=$(mirror_of bookworm-security)
  [[ -n $mirror && -n $security ]] || { echo "$0: apt here has no bookworm and bookworm-security sources" >&2; exit 2; }
}

# Points the apt of the root $1 at $mirror and $security (find_host_mirrors).
write_apt_sources() {
  local root=$1
  rm -f "$root/etc/apt/sources.list"
  cat >"$root/etc/apt/sources.list.d/debian.sources" <<SOURCES
Types: deb
URIs: $mirror
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb
URIs: $security
Suites: bookworm-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SOURCES
  # A mirror that serves a snapshot has Release files past their Valid-Until: apt here is told so.
  apt-config dump | grep -E '^Acquire::Check-(Valid-Until|Date) ' >"$root/etc/apt/apt.conf.d/99check-from-host" || true
}
