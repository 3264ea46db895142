"""The runtime stage of docker/Dockerfile installs exactly the Debian packages the built binary
needs: the packages owning its shared libraries (readelf -d NEEDED, resolved by ldd, owner by
dpkg -S), less those every debian:12-slim already has (the Essential packages and apt, with
their dependencies), plus the trust store of https hook targets, which no NEEDED entry names."""
import os
import re
import subprocess
import unittest

REPO = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
DOCKERFILE = os.path.join(REPO, "docker", "Dockerfile")
# Needed at run time but not linked: ca-certificates for TLS to https hook targets
# (server/tls_context.cpp: set_default_verify_paths).
NOT_LINKED = {"ca-certificates"}


def run(*args):
    return subprocess.run(args, check=True, capture_output=True, text=True).stdout


def needed_libraries(binary):
    return re.findall(r"\(NEEDED\)\s+Shared library: \[([^\]]+)\]", run("readelf", "-d", binary))


def resolved_paths(binary):
    """soname -> the file ldd resolves it to."""
    return dict(re.findall(r"^\s*(\S+) => (/\S+) \(", run("ldd", binary), re.M))


def spellings(path):
    """The path as ldd found it and resolved, each also in its /usr or merged-/usr spelling."""
    found = {path, os.path.realpath(path)}
    return found | {p[len("/usr"):] if p.startswith("/usr/") else "/usr" + p for p in found}


def owning_packages(paths):
    """path -> the package owning it, from one dpkg -S over every spelling."""
    out = subprocess.run(["dpkg", "-S", *sorted(set().union(*map(spellings, paths)))],
                         capture_output=True, text=True).stdout
    owner_of = {}
    for line in out.splitlines():
        package, _, owned = line.partition(": ")
        owner_of[owned.strip()] = package.split(":")[0]
    owners = {}
    for path in paths:
        hits = [owner_of[s] for s in spellings(path) if s in owner_of]
        if not hits:
            raise AssertionError(f"no Debian package owns {path}")
        owners[path] = hits[0]
    return owners


def installed_packages():
    """name -> the names it Depends or Pre-Depends on (first installed alternative)."""
    out = run("dpkg-query", "-W", "-f", "${Package}\t${Essential}\t${Pre-Depends}, ${Depends}\n")
    rows = [line.split("\t") for line in out.splitlines()]
    names = {row[0] for row in rows}
    essential = {row[0] for row in rows if row[1] == "yes"}
    depends = {}
    for name, _, deps in rows:
        chosen = []
        for group in deps.split(","):
            options = [re.split(r"[\s(:]", o.strip())[0] for o in group.split("|") if o.strip()]
            chosen += [o for o in options if o in names][:1]
        depends[name] = chosen
    return essential, depends


def base_packages():
    """What debootstrap --variant=minbase (debian:12-slim) installs: Essential, apt, and their
    dependencies."""
    essential, depends = installed_packages()
    base, todo = set(), list(essential | {"apt"})
    while todo:
        name = todo.pop()
        if name not in base:
            base.add(name)
            todo += depends.get(name, [])
    return base


def runtime_install_list(dockerfile_text):
    """The packages of the last stage's apt-get install."""
    last_stage = re.split(r"^FROM\s", dockerfile_text, flags=re.M)[-1]
    joined = re.sub(r"\\\n", " ", last_stage)
    match = re.search(r"apt-get install ([^&\n]*)", joined)
    if not match:
        raise AssertionError("the runtime stage has no apt-get install")
    return {word for word in match.group(1).split() if not word.startswith("-")}


def mismatches(listed, needed):
    """One message per missing or unneeded package, each naming it."""
    return ([f"missing from the runtime apt-get install: {p}" for p in sorted(needed - listed)] +
            [f"installed but not needed at run time: {p}" for p in sorted(listed - needed)])


def needed_packages(binary):
    paths = resolved_paths(binary)
    unresolved = [soname for soname in needed_libraries(binary) if soname not in paths]
    if unresolved:
        raise AssertionError(f"ldd does not resolve {unresolved}")
    owners = set(owning_packages([paths[soname] for soname in needed_libraries(binary)]).values())
    return (owners - base_packages()) | NOT_LINKED


class RuntimePackages(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.needed = needed_packages(os.environ["COGSYNC_BIN"])

    def test_dockerfile_installs_exactly_what_the_binary_needs(self):
        with open(DOCKERFILE) as f:
            listed = runtime_install_list(f.read())
        problems = mismatches(listed, self.needed)
        self.assertEqual(problems, [], "\n".join(problems))

    def test_the_binary_links_libraries_of_packages_outside_the_base(self):
        self.assertIn("libsqlite3-0", self.needed)
        self.assertNotIn("libc6", self.needed)
        self.assertNotIn("libstdc++6", self.needed)

    def test_a_missing_or_extra_package_is_named(self):
        text = ("FROM debian:12 AS build\nRUN apt-get install -y curl\nFROM debian:12-slim\n"
                "RUN apt-get update \\\n && apt-get install -y --no-install-recommends libfmt9 curl \\\n"
                " && rm -rf /var/lib/apt/lists/*\n")
        listed = runtime_install_list(text)
        self.assertEqual(listed, {"libfmt9", "curl"})
        self.assertEqual(mismatches(listed, {"libfmt9", "libssl3"}),
                         ["missing from the runtime apt-get install: libssl3",
                          "installed but not needed at run time: curl"])


if __name__ == "__main__":
    unittest.main()
