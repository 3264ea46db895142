"""Three (or N) cogsync nodes on one PostgreSQL database behind a real HAProxy, configured by the
compose stack's own docker/cluster/haproxy.cfg with its addresses rewritten to loopback ports.

ClusterServer has CogsyncServer's interface, its endpoint being HAProxy's, so a suite written for
one server runs unchanged against the cluster: with COGSYNC_E2E_CLUSTER=N in the environment (and
a PostgreSQL run: COGSYNC_E2E_STORE=postgres), cogsync_server.CogsyncServer is this class.
Starting waits until HAProxy reports every node UP (its stats socket), so the first request is
already spread over all of them. Process control applies to every node: stop() drains each
with SIGTERM, kill9() kills each, restart() starts each again. HAProxy is stopped through its
own Popen handle by close().
"""
import os
import re
import shutil
import socket
import subprocess
import tempfile
import time

from cogsync_server import NodeServer, postgres_store

HAPROXY = "/usr/sbin/haproxy"
CONFIG = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "docker", "cluster", "haproxy.cfg")
UP_TIMEOUT_S = 20.0
SERVER_RE = re.compile(r"^(\s*server\s+)(\S+)\s+\S+(.*)$", re.M)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def haproxy_config(port, node_ports, stats_socket):
    """docker/cluster/haproxy.cfg for loopback: HAProxy on `port`, its servers on node_ports (one
    per `server` line, in order; more lines than nodes is an error, fewer are dropped), and a
    stats socket for the harness."""
    with open(CONFIG, encoding="utf-8") as f:
        text = f.read()
    servers = SERVER_RE.findall(text)
    if len(servers) < len(node_ports):
        raise ValueError(f"{CONFIG} names {len(servers)} servers; the cluster has {len(node_ports)} nodes")
    ports = iter(node_ports)

    def server_line(m):
        p = next(ports, None)
        return f"{m.group(1)}{m.group(2)} 127.0.0.1:{p}{m.group(3)}" if p is not None else ""

    text = SERVER_RE.sub(server_line, text)
    text = re.sub(r"^(\s*bind\s+):8080\b", rf"\g<1>127.0.0.1:{port}", text, flags=re.M)
    text = re.sub(r"^global\n", f"global\n    stats socket {stats_socket} mode 600 level admin\n", text, flags=re.M)
    return text


class ClusterServer(NodeServer):
    """N nodes sharing one fresh database, behind HAProxy; see the module's docstring."""

    def __init__(self, *extra_args, env=None, use_env_for_listen=False, preexec_fn=None, store=None,
                 nodes=None):
        n = nodes or int(os.environ.get("COGSYNC_E2E_CLUSTER") or 3)
        self.store = store or postgres_store()
        if not self.store:
            raise RuntimeError("a cluster needs PostgreSQL: COGSYNC_E2E_STORE=postgres and COGSYNC_E2E_PG_URL")
        # HAProxy's port is known before the nodes start: the URL clients reach them at is the
        # base of the URLs they hand out and the issuer of their tokens, the same on every node.
        self.port = free_port()
        node_args = list(extra_args)
        if not any(a.startswith(("--public-url", "--token-issuer")) for a in node_args):
            node_args += ["--public-url", f"http://127.0.0.1:{self.port}"]
        self.nodes = [NodeServer(*node_args, env=env, use_env_for_listen=use_env_for_listen,
                                 preexec_fn=preexec_fn, store=self.store) for _ in range(n)]
        self.extra_args = list(extra_args)
        self.tmp_dir = tempfile.mkdtemp(prefix="cogsync-cluster-")
        self.data_dir = self.nodes[0].data_dir
        self.proc = None  # HAProxy
        self.proxied = []  # the node ports HAProxy was started with
        self.stats_socket = os.path.join(self.tmp_dir, "haproxy.sock")

    # ---- process control -------------------------------------------------------------------
    def start(self):
        for node in self.nodes:
            if not node.running():
                node.start()
        if self.proc is not None and self.proxied != [n.port for n in self.nodes]:
            self._stop_haproxy()  # the nodes listen on new ports
        if self.proc is None:
            self._start_haproxy()
        self.wait_all_up()
        return self

    def _start_haproxy(self):
        cfg = os.path.join(self.tmp_dir, "haproxy.cfg")
        with open(cfg, "w", encoding="utf-8") as f:
            f.write(haproxy_config(self.port, [n.port for n in self.nodes], self.stats_socket))
        with open(os.path.join(self.tmp_dir, "haproxy.log"), "ab") as log:
            self.proc = subprocess.Popen([HAPROXY, "-db", "-f", cfg], stdin=subprocess.DEVNULL, stdout=log,
                                         stderr=subprocess.STDOUT)
        # HAProxy binds its stats socket (the file appears) before it listens on it, so until it
        # accepts a connection a connect is refused: wait for an answer, not for the file.
        deadline = time.monotonic() + 10
        while self.proc.poll() is None and not self._stats_answers():
            if time.monotonic() > deadline:
                break
            time.sleep(0.02)
        if self.proc.poll() is not None or not self._stats_answers():
            self._stop_haproxy()
            raise RuntimeError("haproxy did not start: " + self.haproxy_output())
        self.proxied = [n.port for n in self.nodes]

    def _stats_answers(self):
        try:
            self.server_states()
            return True
        except (FileNotFoundError, ConnectionRefusedError):
            return False

    def haproxy_output(self):
        try:
            with open(os.path.join(self.tmp_dir, "haproxy.log"), encoding="utf-8", errors="replace") as f:
                return f.read()
        except OSError:
            return ""

    def server_states(self):
        """{server name: HAProxy's status (UP, DOWN, ...)} from the stats socket."""
        with socket.socket(socket.AF_UNIX) as s:
            s.connect(self.stats_socket)
            s.sendall(b"show stat\n")
            data = b""
            while chunk := s.recv(65536):
                data += chunk
        lines = data.decode().splitlines()
        header = lines[0].lstrip("# ").split(",")
        rows = [dict(zip(header, line.split(","))) for line in lines[1:] if line]
        return {r["svname"]: r["status"] for r in rows if r["pxname"] == "cogsync" and r["svname"] not in
                ("FRONTEND", "BACKEND")}

    def wait_states(self, want, timeout=UP_TIMEOUT_S):
        """Waits until HAProxy's status of every node is want(node index) (e.g. "UP")."""
        deadline = time.monotonic() + timeout
        while True:
            states = list(self.server_states().values())[:len(self.nodes)]
            if all(s.startswith(want(i)) for i, s in enumerate(states)):
                return
            if time.monotonic() > deadline:
                raise AssertionError(f"HAProxy's view of the nodes: {states}\n{self.haproxy_output()}")
            time.sleep(0.05)

    def wait_all_up(self):
        self.wait_states(lambda i: "UP")

    def output(self):
        return "".join(f"--- node {i + 1}\n{n.output()}" for i, n in enumerate(self.nodes))

    def stop(self, sig=None):
        codes = [n.stop(sig) if sig is not None else n.stop() for n in self.nodes]
        return max(codes)

    def send_signal(self, sig=None):
        for n in self.nodes:
            n.send_signal(*(() if sig is None else (sig,)))

    def wait_exit(self, *args, **kw):
        return max(n.wait_exit(*args, **kw) for n in self.nodes)

    def running(self):
        return any(n.running() for n in self.nodes)

    def kill9(self):
        for n in self.nodes:
            n.kill9()

    def restart(self):
        for n in self.nodes:
            n.restart()
        return self.start()

    def _stop_haproxy(self):
        if self.proc is not None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
            self.proc = None
        if os.path.exists(self.stats_socket):
            os.unlink(self.stats_socket)

    def close(self):
        for n in self.nodes:
            n.close()
        self._stop_haproxy()
        shutil.rmtree(self.tmp_dir, ignore_errors=True)
