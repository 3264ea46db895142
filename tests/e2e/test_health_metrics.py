"""GET /ready and GET /metrics (README: Health and metrics): readiness for load balancers, which
turns 503 once a SIGTERM drain began, and the Prometheus exposition."""
import http.client
import json
import os
import signal
import socket
import sys
import time
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support"))

from cogsync_server import CogsyncServer  # noqa: E402

SIGNAL_SEEN_S = 10.0


def wait_for(predicate, timeout, what):
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout}s waiting for {what}")
        time.sleep(0.02)


class Ready(unittest.TestCase):
    def test_ready_once_listening(self):
        with CogsyncServer() as server:
            res = server.request("GET", "/ready")
            self.assertEqual(res.status, 200, res)
            self.assertEqual(res.json(), {"status": "ready"})

    def test_ready_needs_no_signature(self):
        with CogsyncServer("--auth", "sigv4", "--credentials-file", os.devnull) as server:
            res = server.request("GET", "/ready")
            self.assertEqual(res.status, 200, res)

    def test_draining_server_answers_503(self):
        """A request the server is reading when SIGTERM arrives is not idle, so the drain lets
        it finish. Expect: 100-continue shows when the server has read the headers: the 100
        comes back before the body is sent; the body then goes out after the drain began."""
        with CogsyncServer("--shutdown-grace-ms", "60000") as server:
            sock = socket.create_connection(("127.0.0.1", server.port), 30)
            try:
                sock.sendall(f"GET /ready HTTP/1.1\r\nHost: 127.0.0.1:{server.port}\r\n"
                             "Content-Length: 2\r\nExpect: 100-continue\r\n\r\n".encode())
                interim = b""
                while not interim.endswith(b"\r\n\r\n"):
                    chunk = sock.recv(1)
                    self.assertTrue(chunk, "closed before 100 Continue")
                    interim += chunk
                self.assertTrue(interim.startswith(b"HTTP/1.1 100"), interim)
                server.send_signal(signal.SIGTERM)
                wait_for(lambda: f"signal {int(signal.SIGTERM)}" in server.output(), SIGNAL_SEEN_S,
                         "the drain to begin")
                sock.sendall(b"{}")
                resp = http.client.HTTPResponse(sock, method="GET")
                resp.begin()
                body = resp.read()
                self.assertEqual(resp.status, 503, body)
                self.assertEqual(json.loads(body), {"status": "draining"})
                self.assertEqual(resp.getheader("Retry-After"), "1")
                self.assertEqual((resp.getheader("Connection") or "").lower(), "close")
            finally:
                sock.close()
            server.wait_exit(SIGNAL_SEEN_S)

if __name__ == "__main__":
    unittest.main()
