"""HTTP/1.1 duties every request shares: Expect: 100-continue (curl, .NET), answered once the
headers passed the limits and the byte budget, never before a refusal on the headers alone."""
import http.client
import json
import os
import shutil
import socket
import subprocess
import sys
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support"))

from cogsync_server import dataset_path, new_identity, new_pool, read_response  # noqa: E402
from e2e_base import ServerTestCase, replace  # noqa: E402

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
