"""The budget of request bytes held at once (README: --max-buffered-bytes): a body takes its
Content-Length from the budget before it is read; a request that does not fit is answered 503
ServiceUnavailableException with Retry-After right after its headers, and the connection closes.
The bytes go back once the request is answered or its connection is gone. With the default budget,
32 clients uploading 4 MiB each at once leave the server's peak memory bounded.

The budget goes through the environment (COGSYNC_MAX_BUFFERED_BYTES), like any flag."""
import http.client
import mmap
import os
import select
import socket
import sys
import threading
import time
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support"))

from cogsync_server import (binary_path, dataset_path, list_records_request,  # noqa: E402
                            new_identity, new_pool, read_response, update_records_request)
from e2e_base import (ClientError, ServerTestCase, error_code, http_status,  # noqa: E402
                      replace)

MiB = 1 << 20
SOCKET_TIMEOUT_S = 100.0  # catches a hang only: a sanitized server on a loaded machine is slow
POLL_WITHIN_S = 20.0
CHUNK = 64 * 1024
HELD = 3 * MiB // 2       # of a 2 MiB budget: a 1 MiB request no longer fits
UNAVAILABLE = "ServiceUnavailableException"
NOT_JSON = "SerializationException"


def request_head(port, path, length):
    return (f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
            f"Content-Type: application/json\r\nContent-Length: {length}\r\n\r\n").encode("latin-1")


def read_answer(sock):
    resp = http.client.HTTPResponse(sock, method="POST")
    resp.begin()
    return read_response(resp)


def upload(port, path, body):
    """POSTs body over a fresh connection, a chunk at a time, and stops sending as soon as an
    answer (or the end of the connection) arrives: the server may answer after the headers."""
    sock = socket.create_connection(("127.0.0.1", port), SOCKET_TIMEOUT_S)
    try:
        sock.sendall(request_head(port, path, len(body)))
        sent = 0
        while sent < len(body) and not select.select([sock], [], [], 0)[0]:
            try:
                sent += sock.send(body[sent:sent + CHUNK])
            except (BrokenPipeError, ConnectionResetError):
                break
        return read_answer(sock)
    finally:
        sock.close()


def sanitized(path):
    """True for a binary built with AddressSanitizer: its allocator keeps freed memory in
    quarantine, so its resident size says little about the server's own."""
    with open(path, "rb") as f, mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ) as m:
        return m.find(b"__asan_init") != -1


class BudgetTestCase(ServerTestCase):
    def setUp(self):
        # UpdateRecords answers a body that is not JSON with 400 once it has read all of it
        self.path = dataset_path(new_pool(), new_identity(), "budget")

    def junk(self, length):
        return upload(self.server.port, self.path, b"x" * length)

    def assertUnavailable(self, res):
        self.assertAwsError(res, 503, UNAVAILABLE)
        self.assertEqual(res.header("Retry-After"), "1", res)
        self.assertEqual((res.header("Connection") or "").lower(), "close", res)


class Budget(BudgetTestCase):
    SERVER_ENV = {"COGSYNC_MAX_BUFFERED_BYTES": str(2 * MiB), "COGSYNC_MAX_BODY_BYTES": str(2 * MiB)}

    def hold(self):
        """A connection holding HELD bytes of the budget: it sent the headers of a HELD-byte
        request and a chunk of its body, and waits; closed at the end of the test. A 1 MiB
        request answered 503 shows the bytes are taken. Should that request's headers reach the
        server first, the holder is the one refused: it is replaced."""
        deadline = time.monotonic() + POLL_WITHIN_S
        while True:
            sock = socket.create_connection(("127.0.0.1", self.server.port), SOCKET_TIMEOUT_S)
            self.addCleanup(sock.close)
            sock.sendall(request_head(self.server.port, self.path, HELD) + b"x" * CHUNK)
            while not select.select([sock], [], [], 0)[0]:
                res = self.junk(MiB)
                if res.status == 503:
                    self.assertUnavailable(res)
                    return sock
                if time.monotonic() > deadline:
                    self.fail(f"a 1 MiB request still fits beside the holder: {res}")
                time.sleep(0.02)
            sock.close()

    def wait_for_budget_back(self):
        """Sends 1 MiB requests until one gets its normal answer: a closed connection's bytes
        come back in the server's own time."""
        deadline = time.monotonic() + POLL_WITHIN_S
        while True:
            res = self.junk(MiB)
            if res.status != 503 or time.monotonic() > deadline:
                self.assertAwsError(res, 400, NOT_JSON)
                return
            time.sleep(0.02)

    def test_request_beyond_the_budget_is_refused_after_its_headers(self):
        holder = self.hold()
        with socket.create_connection(("127.0.0.1", self.server.port), SOCKET_TIMEOUT_S) as sock:
            sock.sendall(request_head(self.server.port, self.path, MiB))  # and no body
            self.assertUnavailable(read_answer(sock))
        holder.sendall(b"x" * (HELD - CHUNK))
        self.assertAwsError(read_answer(holder), 400, NOT_JSON)
        self.assertAwsError(self.junk(MiB), 400, NOT_JSON)  # the holder's bytes are back

    def test_abandoned_upload_gives_its_bytes_back(self):
        holder = self.hold()
        holder.close()
        self.wait_for_budget_back()

    def test_boto3_sees_service_unavailable(self):
        pool, ident = new_pool(), new_identity()
        once = self.server.client(retries={"total_max_attempts": 1})
        big = [replace("k", "v" * 700_000, 0)]   # more than the half MiB left
        holder = self.hold()
        with self.assertRaises(ClientError) as cm:
            self.push(pool, ident, "big", big, client=once)
        self.assertEqual(error_code(cm.exception), UNAVAILABLE, cm.exception.response)
        self.assertEqual(http_status(cm.exception), 503)
        holder.close()
        self.wait_for_budget_back()
        out = self.push(pool, ident, "big", big, client=once)
        self.assertEqual([(r["Key"], r["SyncCount"]) for r in out["Records"]], [("k", 1)])


class SteadyMemory(BudgetTestCase):
    """The default budget (64 MiB) against 32 uploads of 4 MiB each at once: some wait their
    turn with a 503, and the peak resident size (of a build without sanitizers) stays far below
    what 32 bodies and their parsed copies would take."""
    CLIENTS = 32
    VALUES = 4
    VALUE_CHARS = 1_048_000        # 4 values: a 4 MiB body
    PEAK_LIMIT_KB = 400 * 1000
    SERVER_ARGS = ("--max-dataset-bytes", str(8 * MiB))

    def body(self, pool, ident, token):
        patches = [replace(f"k{i}", chr(ord("a") + i) * self.VALUE_CHARS, 0)
                   for i in range(self.VALUES)]
        _, path, body, _ = update_records_request(pool, ident, "big", token, patches)
        return path, body

    def peak_kb(self):
        with open(f"/proc/{self.server.proc.pid}/status", encoding="ascii") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
        raise AssertionError("no VmHWM in /proc/<pid>/status")

    def test_concurrent_large_uploads(self):
        pool = new_pool()
        idents = [new_identity() for _ in range(self.CLIENTS)]
        uploads = []
        for ident in idents:
            listed = self.server.request(*list_records_request(pool, ident, "big"))
            uploads.append(self.body(pool, ident, listed.json()["SyncSessionToken"]))
        answers = [None] * self.CLIENTS
        start = threading.Barrier(self.CLIENTS)

        def client(i):
            try:
                start.wait()
                answers[i] = upload(self.server.port, *uploads[i])
            except BaseException as e:  # reported below
                answers[i] = e

        threads = [threading.Thread(target=client, args=(i,), daemon=True)
                   for i in range(self.CLIENTS)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(SOCKET_TIMEOUT_S + 20)
        self.assertFalse(any(t.is_alive() for t in threads), "an upload hung")
        peak = self.peak_kb()
        refused = [i for i, a in enumerate(answers) if getattr(a, "status", None) == 503]
        for i in refused:
            self.assertUnavailable(answers[i])
        self.assertEqual([(i, getattr(a, "status", a)) for i, a in enumerate(answers)
                          if i not in refused and getattr(a, "status", None) != 200], [],
                         "an upload must get its normal answer or a 503")
        if not sanitized(binary_path()):
            self.assertLess(peak, self.PEAK_LIMIT_KB, f"peak resident size {peak} kB")
        for i in refused:  # alone now, and the token is still unspent: a 503 reads no body
            self.assertEqual(upload(self.server.port, *uploads[i]).status, 200)
        for ident in idents:
            page = self.list_records(pool, ident, "big")
            self.assertEqual((page["DatasetSyncCount"], len(page["Records"])), (1, self.VALUES))


if __name__ == "__main__":
    unittest.main()
