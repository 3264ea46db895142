"""`cogsync probe`: the image's HEALTHCHECK, which needs no curl. Exit 0 when /ready at the
COGSYNC_LISTEN address answers 200, else 1 with the reason on stderr."""
import os
import socket
import subprocess
import sys
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support"))

from cogsync_server import CogsyncServer, binary_path  # noqa: E402


def probe(*args, listen=None):
    env = {k: v for k, v in os.environ.items() if k != "COGSYNC_LISTEN"}
    if listen:
        env["COGSYNC_LISTEN"] = listen
    return subprocess.run([binary_path(), "probe", *args], env=env, capture_output=True, text=True, timeout=30)


def closed_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Probe(unittest.TestCase):
    def test_ready_server_at_the_listen_address_from_the_environment(self):
        with CogsyncServer() as server:
            done = probe(listen=f"0.0.0.0:{server.port}")
            self.assertEqual(done.returncode, 0, done.stderr)
            self.assertEqual(done.stderr, "")

    def test_status_other_than_200_fails_naming_it(self):
        with CogsyncServer() as server:
            url = f"http://127.0.0.1:{server.port}/no-such-route"
            done = probe("--url", url)
            self.assertEqual(done.returncode, 1)
            self.assertRegex(done.stderr, rf"cogsync probe: {url} answered 4\d\d")

    def test_nothing_listening_fails_naming_the_url(self):
        port = closed_port()
        done = probe("--timeout-ms", "2000", listen=f"127.0.0.1:{port}")
        self.assertEqual(done.returncode, 1)
        self.assertIn(f"cogsync probe: http://127.0.0.1:{port}/ready: ", done.stderr)

    def test_unsupported_scheme_fails(self):
        done = probe("--url", "ftp://127.0.0.1/ready")
        self.assertEqual(done.returncode, 1)
        self.assertIn("cogsync probe: ", done.stderr)


if __name__ == "__main__":
    unittest.main()
