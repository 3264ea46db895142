"""HTTP/1.1 duties every response and request share: the Date header on every kind of answer
(PROTOCOL.md 1.3: iOS and the JS SDK v3 correct a skewed clock from it) and Expect:
100-continue (curl, .NET), answered once the headers passed the limits and the byte budget,
never before a refusal on the headers alone."""
import email.utils
import http.client
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support"))

from cogsync_server import dataset_path, new_identity, new_pool, read_response  # noqa: E402
from e2e_base import ServerTestCase, replace  # noqa: E402

IMF_FIXDATE = re.compile(r"^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d\d (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep"
                         r"|Oct|Nov|Dec) \d{4} \d\d:\d\d:\d\d GMT$")
SOCKET_TIMEOUT_S = 10.0
CONTINUE = b"HTTP/1.1 100 Continue\r\n\r\n"
MiB = 1 << 20


def head(port, method, path, length, extra=""):
    return (f"{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: application/json\r\n"
            f"Content-Length: {length}\r\n{extra}\r\n").encode("latin-1")


def read_interim(sock):
    """The bytes of the first response head the server sends (up to its blank line)."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(1)
        if not chunk:
            break
        data += chunk
    return data


def read_final(sock, method="POST"):
    resp = http.client.HTTPResponse(sock, method=method)
    resp.begin()
    return read_response(resp)


class HttpTestCase(ServerTestCase):
    def connect(self):
        return socket.create_connection(("127.0.0.1", self.server.port), SOCKET_TIMEOUT_S)

    def held_upload(self, path, length):
        """A connection whose request of `length` bytes holds its share of the byte budget: it
        asked for 100 Continue and got it, so the server has taken the bytes. Closed at the end."""
        sock = self.connect()
        self.addCleanup(sock.close)
        sock.sendall(head(self.server.port, "POST", path, length, "Expect: 100-continue\r\n"))
        self.assertEqual(read_interim(sock), CONTINUE)
        return sock

    def answer_to_head(self, path, length, extra=""):
        """The answer to a POST's head alone, for requests refused on their headers."""
        with self.connect() as sock:
            sock.sendall(head(self.server.port, "POST", path, length, extra))
            return read_final(sock)


class DateHeader(HttpTestCase):
    SERVER_ENV = {"COGSYNC_MAX_BUFFERED_BYTES": str(MiB), "COGSYNC_MAX_BODY_BYTES": str(MiB)}

    def assertDate(self, res):
        value = res.header("Date")
        self.assertIsNotNone(value, f"no Date header: {res}")
        self.assertRegex(value, IMF_FIXDATE, res)
        when = email.utils.parsedate_to_datetime(value)
        self.assertEqual(email.utils.format_datetime(when, usegmt=True), value, "weekday and date agree")
        self.assertLess(abs(when.timestamp() - time.time()), 60, value)

    def test_every_kind_of_answer_carries_a_date(self):
        pool, ident = new_pool(), new_identity()
        records = dataset_path(pool, ident, "ds", "/records")
        answers = {
            "200": self.server.request("GET", records),
            "400": self.server.request("GET", records + "?lastSyncCount=x"),
            "404": self.server.request("GET", "/nothing"),
            "405": self.server.request("PUT", records),
            "preflight": self.server.request("OPTIONS", records, headers={
                "Origin": "http://app", "Access-Control-Request-Method": "POST"}),
            "health": self.server.request("GET", "/health"),
            "413": self.answer_to_head(dataset_path(pool, ident, "ds"), MiB + 1),
        }
        self.assertEqual(answers["413"].status, 413, answers["413"])
        self.held_upload(dataset_path(pool, ident, "held"), MiB)
        answers["503"] = self.server.raw_request("POST", dataset_path(pool, ident, "ds"), b"{}")
        self.assertEqual(answers["503"].status, 503, answers["503"])
        for kind, res in answers.items():
            with self.subTest(kind=kind):
                if kind.isdigit():
                    self.assertEqual(res.status, int(kind), res)
                self.assertDate(res)


class ExpectContinue(HttpTestCase):
    def update_body(self, pool, ident, ds, value):
        token = self.list_records(pool, ident, ds)["SyncSessionToken"]
        return json.dumps({"SyncSessionToken": token,
                           "RecordPatches": [replace("k", value, 0)]}).encode()

    def test_continue_comes_before_the_body_is_sent(self):
        pool, ident = new_pool(), new_identity()
        body = self.update_body(pool, ident, "ds", "v" * 10000)
        with self.connect() as sock:
            sock.sendall(head(self.server.port, "POST", dataset_path(pool, ident, "ds"), len(body),
                              "Expect: 100-continue\r\n"))
            self.assertEqual(read_interim(sock), CONTINUE)
            sock.sendall(body)
            res = read_final(sock)
        self.assertEqual(res.status, 200, res)
        self.assertEqual(self.list_records(pool, ident, "ds")["Records"][0]["Value"], "v" * 10000)

    def test_a_request_refused_on_its_headers_gets_no_continue(self):
        path = dataset_path(new_pool(), new_identity(), "ds")
        expect = "Expect: 100-continue\r\n"
        self.assertAwsError(self.answer_to_head(path, 9 * MiB, expect), 413)
        self.assertAwsError(self.answer_to_head(path + "?" + "q" * 9000, 10, expect), 414)

    def test_http10_client_gets_no_interim_answer(self):
        pool, ident = new_pool(), new_identity()
        body = self.update_body(pool, ident, "ds", "old-client")
        with self.connect() as sock:
            request = head(self.server.port, "POST", dataset_path(pool, ident, "ds"), len(body),
                           "Expect: 100-continue\r\n").replace(b"HTTP/1.1", b"HTTP/1.0", 1)
            sock.sendall(request + body)
            data = b""
            while chunk := sock.recv(65536):
                data += chunk
        self.assertTrue(data.startswith(b"HTTP/1.0 200 "), data[:200])

    @unittest.skipUnless(shutil.which("curl"), "curl is not installed")
    def test_curl_waiting_for_continue(self):
        """curl waits --expect100-timeout for the 100 before it sends a body; without the 100 it
        would give up at --max-time."""
        pool, ident = new_pool(), new_identity()
        body = self.update_body(pool, ident, "ds", "c" * 200000)
        out = subprocess.run(
            ["curl", "-sS", "--max-time", "8", "--expect100-timeout", "30", "-o", "-",
             "-w", "\n%{http_code}", "-H", "Content-Type: application/json",
             "-H", "Expect: 100-continue", "--data-binary", "@-",
             self.server.endpoint + dataset_path(pool, ident, "ds")],
            input=body, capture_output=True, timeout=60)
        self.assertEqual(out.returncode, 0, out.stderr)
        text, _, code = out.stdout.decode().rpartition("\n")
        self.assertEqual(code, "200", text)
        self.assertEqual(json.loads(text)["Records"][0]["SyncCount"], 1)


if __name__ == "__main__":
    unittest.main()


class SlowReader(HttpTestCase):
    # An answer larger than the socket's send buffer can grow to (4 MiB here) needs a larger dataset.
    SERVER_ARGS = ["--max-dataset-bytes", str(8 * MiB)]

    def test_an_answer_larger_than_the_socket_takes_arrives_whole_and_the_connection_goes_on(self):
        """A reader with a small receive window: the server writes what the socket takes at once,
        then the rest asynchronously; the client must read exactly the body, then reuse the
        connection."""
        pool, ident = new_pool(), new_identity()
        values = {f"k{i:02d}": chr(ord("a") + i % 26) * 100000 for i in range(60)}
        keys = sorted(values)
        for start in range(0, len(keys), 5):
            token = self.list_records(pool, ident, "ds")["SyncSessionToken"]
            self.update(pool, ident, "ds", [replace(k, values[k], 0) for k in keys[start:start + 5]], token)
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.addCleanup(sock.close)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        sock.settimeout(SOCKET_TIMEOUT_S)
        sock.connect(("127.0.0.1", self.server.port))
        path = dataset_path(pool, ident, "ds") + "/records"
        sock.sendall(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".encode())
        res = read_final(sock, "GET")
        self.assertEqual(res.status, 200, res)
        got = {r["Key"]: r["Value"] for r in res.json()["Records"]}
        self.assertEqual(got, values)
        sock.sendall(b"GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        self.assertEqual(read_final(sock, "GET").status, 200)
