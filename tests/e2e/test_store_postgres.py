"""--store postgres://... (README: Running on PostgreSQL): a bad or unreachable URL stops the
server at start with a clear message; nodes sharing one database share its data and the token
key, so a SyncSessionToken one node issued is good on another; /ready follows the database.
These tests start a throwaway PostgreSQL of their own (scripts/pg-test-server.sh)."""
import os
import subprocess
import sys
import tempfile
import unittest
import urllib.parse
import uuid

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support"))

from cogsync_server import CogsyncServer, binary_path, new_identity, new_pool  # noqa: E402
from e2e_base import replace  # noqa: E402

SCRIPT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "scripts", "pg-test-server.sh")


def refused_start(*args):
    """Runs `cogsync serve ARGS` and returns (exit code, output) of a server that must not start."""
    with tempfile.TemporaryDirectory(prefix="cogsync-e2e-") as data:
        proc = subprocess.run([binary_path(), "serve", "--listen", "127.0.0.1:0", "--data-dir", data, *args],
                              stdin=subprocess.DEVNULL, capture_output=True, timeout=60)
    return proc.returncode, (proc.stdout + proc.stderr).decode("utf-8", "replace")


class BadStore(unittest.TestCase):
    def test_a_store_that_is_not_a_postgres_url_is_refused(self):
        code, out = refused_start("--store", "mysql://user@localhost/db")
        self.assertNotEqual(code, 0, out)
        self.assertIn("--store", out)
        self.assertIn("postgres://", out)

    def test_an_unreachable_database_stops_the_start(self):
        missing = os.path.join(tempfile.gettempdir(), "cogsync-no-such-socket-dir-" + uuid.uuid4().hex)
        code, out = refused_start("--store", f"postgresql://cogsync@/postgres?host={missing}")
        self.assertEqual(code, 1, out)
        self.assertIn("cannot connect", out)
        self.assertNotIn("listening on", out)


class SharedDatabase(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.pg_dir = os.path.join(tempfile.gettempdir(), "cogsync-pg-" + uuid.uuid4().hex[:12])
        admin = subprocess.run([SCRIPT, "start", cls.pg_dir], check=True, capture_output=True,
                               text=True).stdout.strip()
        subprocess.run(["psql", "-qAtX", admin, "-c", "CREATE DATABASE shared"], check=True)
        cls.url = urllib.parse.urlunsplit(urllib.parse.urlsplit(admin)._replace(path="/shared"))

    @classmethod
    def tearDownClass(cls):
        subprocess.run([SCRIPT, "stop", cls.pg_dir], check=True)

    def test_a_session_token_of_one_node_is_good_on_another(self):
        pool, identity = new_pool(), new_identity()
        with CogsyncServer("--store", self.url) as a, CogsyncServer("--store", self.url) as b:
            token = a.client().list_records(IdentityPoolId=pool, IdentityId=identity,
                                            DatasetName="shared")["SyncSessionToken"]
            b.client().update_records(IdentityPoolId=pool, IdentityId=identity, DatasetName="shared",
                                      SyncSessionToken=token, RecordPatches=[replace("k", "v", 0)])
            records = a.client().list_records(IdentityPoolId=pool, IdentityId=identity,
                                              DatasetName="shared")["Records"]
            self.assertEqual([(r["Key"], r["Value"], r["SyncCount"]) for r in records], [("k", "v", 1)])
            a.stop()
            b.stop()

    def test_ready_turns_503_while_the_database_is_down(self):
        with CogsyncServer("--store", self.url) as server:
            self.assertEqual(server.request("GET", "/ready").status, 200)
            subprocess.run([SCRIPT, "halt", self.pg_dir], check=True)
            try:
                res = server.request("GET", "/ready")
                self.assertEqual(res.status, 503, res)
                self.assertEqual(res.json(), {"status": "store unreachable"})
            finally:
                subprocess.run([SCRIPT, "resume", self.pg_dir], check=True)
            self.assertEqual(server.request("GET", "/ready").status, 200)
            server.stop()


if __name__ == "__main__":
    unittest.main()
