"""File descriptors: the server raises its soft RLIMIT_NOFILE to what --max-connections needs,
lowers the connection cap (with a warning) when the hard limit is too low, and when accept runs
out of descriptors anyway it pauses instead of spinning, and logs that rarely.

Each test starts its own server with its own limits; limits are set on the child only
(preexec_fn, prlimit on its pid), never on the test process."""
import os
import re
import resource
import socket
import sys
import time
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support"))

from cogsync_server import CogsyncServer, new_identity, new_pool  # noqa: E402
from e2e_base import replace  # noqa: E402

DEFAULT_MAX_CONNECTIONS = 4096
LOWERED_RE = re.compile(r"--max-connections (\d+) lowered to (\d+)")
ACCEPT_FAILED = "accept failed"
EMFILE_WINDOW_S = 2.0
CPU_BUDGET_S = 0.3
LOG_LINE_BUDGET = 20


def nofile_limit(soft, hard):
    def apply():
        resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))
    return apply


def proc_limits(pid):
    """(soft, hard) open files of pid, from /proc/<pid>/limits."""
    with open(f"/proc/{pid}/limits") as f:
        for line in f:
            if line.startswith("Max open files"):
                soft, hard = line.split()[3:5]
                return int(soft), int(hard)
    raise AssertionError(f"no 'Max open files' in /proc/{pid}/limits")


def cpu_seconds(pid):
    """User + system CPU time of every thread of pid so far."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    utime, stime = int(fields[11]), int(fields[12])  # fields 14 and 15 of stat(5)
    return (utime + stime) / os.sysconf("SC_CLK_TCK")


def open_fds(pid):
    return len(os.listdir(f"/proc/{pid}/fd"))


HEALTH = b"GET /health HTTP/1.1\r\nHost: x\r\n\r\n"


def served(sock, timeout=10):
    """Whether a GET /health on the raw socket is answered 200 (the connection stays open)."""
    sock.settimeout(timeout)
    try:
        sock.sendall(HEALTH)
        answer = b""
        while not answer.endswith(b"}"):  # {"status":"ok"}
            chunk = sock.recv(65536)
            if not chunk:
                break
            answer += chunk
        return answer.startswith(b"HTTP/1.1 200")
    except OSError:
        return False


def closed_unserved(sock, within=10.0):
    """Whether the server closes sock without a 200 within `within` seconds."""
    sock.settimeout(within)
    answer = b""
    try:
        sock.sendall(HEALTH)
        while chunk := sock.recv(65536):
            answer += chunk
    except socket.timeout:
        return False
    except OSError:  # reset
        pass
    return not answer.startswith(b"HTTP/1.1 200")


class FdLimitTestCase(unittest.TestCase):
    def start_server(self, *args, preexec_fn=None):
        server = CogsyncServer(*args, preexec_fn=preexec_fn)
        self.addCleanup(server.close)
        server.start()
        return server

    def connect(self, server):
        sock = socket.create_connection(("127.0.0.1", server.port), 10)
        self.addCleanup(sock.close)
        return sock

    def assertWrites(self, server):
        c = server.client()
        pool, ident = new_pool(), new_identity()
        token = c.list_records(IdentityPoolId=pool, IdentityId=ident, DatasetName="d")["SyncSessionToken"]
        out = c.update_records(IdentityPoolId=pool, IdentityId=ident, DatasetName="d",
                               SyncSessionToken=token, RecordPatches=[replace("k", "v", 0)])
        self.assertEqual([(r["Key"], r["Value"]) for r in out["Records"]], [("k", "v")])


class LowHardLimit(FdLimitTestCase):
    def test_cap_lowered_with_a_warning_and_still_serving(self):
        server = self.start_server(preexec_fn=nofile_limit(256, 256))
        m = LOWERED_RE.search(server.output())
        self.assertIsNotNone(m, f"no warning that --max-connections was lowered:\n{server.output()}")
        self.assertEqual(int(m.group(1)), DEFAULT_MAX_CONNECTIONS)
        cap = int(m.group(2))
        self.assertTrue(0 < cap < 256, m.group(0))
        self.assertEqual(proc_limits(server.proc.pid), (256, 256))
        self.assertWrites(server)
        # Every connection the lowered cap admits is served: no accept runs out of descriptors.
        held = [self.connect(server) for _ in range(cap)]
        for i, sock in enumerate(held):
            self.assertTrue(served(sock), f"connection {i + 1} of {cap} not served")
        self.assertTrue(closed_unserved(self.connect(server)),
                        f"connection {cap + 1} was served beyond the lowered cap {cap}")
        self.assertNotIn(ACCEPT_FAILED, server.output())
        for sock in held:
            sock.close()
        self.assertWrites(server)
        server.stop()


class SoftLimitRaised(FdLimitTestCase):
    def test_soft_limit_raised_to_what_the_connections_need(self):
        _, our_hard = resource.getrlimit(resource.RLIMIT_NOFILE)
        hard = 8192
        if our_hard != resource.RLIM_INFINITY and our_hard < hard:
            self.skipTest(f"the test's own hard limit {our_hard} is below {hard}")
        server = self.start_server(preexec_fn=nofile_limit(256, hard))
        soft, got_hard = proc_limits(server.proc.pid)
        self.assertEqual(got_hard, hard)
        self.assertGreater(soft, DEFAULT_MAX_CONNECTIONS)
        self.assertLess(soft, hard)
        self.assertIsNone(LOWERED_RE.search(server.output()), server.output())
        self.assertWrites(server)
        server.stop()


@unittest.skipIf(os.environ.get("COGSYNC_E2E_SANITIZERS"),
                 "UBSan's vptr check opens a pipe to probe memory: in a process out of descriptors it "
                 "fails and reports a valid object as invalid (the Release and PostgreSQL runs cover this)")
class AcceptOutOfDescriptors(FdLimitTestCase):
    def test_accept_pauses_instead_of_spinning_and_recovers(self):
        server = self.start_server()
        pid = server.proc.pid
        self.assertWrites(server)  # the store and a reader connection are open
        soft, hard = proc_limits(pid)
        spare = 6
        # From here on the server's cap (4096) is far above the descriptors it may open.
        resource.prlimit(pid, resource.RLIMIT_NOFILE, (open_fds(pid) + spare, hard))
        self.addCleanup(lambda: server.proc and resource.prlimit(pid, resource.RLIMIT_NOFILE, (soft, hard)))
        # The kernel completes these handshakes and queues them; the server gets `spare` of them.
        clients = [self.connect(server) for _ in range(spare + 10)]
        deadline = time.monotonic() + 10
        while ACCEPT_FAILED not in server.output() and time.monotonic() < deadline:
            time.sleep(0.05)
        self.assertIn(ACCEPT_FAILED, server.output(), "accept never ran out of descriptors")

        lines_before = server.output().count(ACCEPT_FAILED)
        cpu_before = cpu_seconds(pid)
        time.sleep(EMFILE_WINDOW_S)
        cpu = cpu_seconds(pid) - cpu_before
        lines = server.output().count(ACCEPT_FAILED) - lines_before
        self.assertLess(cpu, CPU_BUDGET_S, f"{cpu:.2f} s of CPU in {EMFILE_WINDOW_S} s out of descriptors")
        self.assertLess(lines, LOG_LINE_BUDGET, f"{lines} accept failures logged in {EMFILE_WINDOW_S} s")
        self.assertEqual(server.proc.poll(), None, "the server exited")

        # Freeing descriptors is enough: the server picks up the queued and new connections.
        for sock in clients:
            sock.close()
        deadline = time.monotonic() + 10
        ok = False
        while not ok and time.monotonic() < deadline:
            try:
                ok = served(self.connect(server), timeout=5)
            except OSError:
                pass
            if not ok:
                time.sleep(0.1)
        self.assertTrue(ok, "no connection served after the descriptors were freed")
        self.assertWrites(server)
        resource.prlimit(pid, resource.RLIMIT_NOFILE, (soft, hard))
        server.stop()


if __name__ == "__main__":
    unittest.main()
