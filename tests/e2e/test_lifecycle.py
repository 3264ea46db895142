"""Process lifecycle: --help, /health, SIGTERM and SIGINT exit 0 and keep the data, env-var
configuration, restart on the same data dir."""
import os
import signal
import subprocess
import sys
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support"))

from cogsync_server import CogsyncServer, binary_path, new_identity, new_pool  # noqa: E402
from e2e_base import replace  # noqa: E402


def write_and_read_back(test, server, pool, ident, ds, value):
    c = server.client()
    page = c.list_records(IdentityPoolId=pool, IdentityId=ident, DatasetName=ds)
    cur = {r["Key"]: r["SyncCount"] for r in page["Records"]}.get("k", 0)
    c.update_records(IdentityPoolId=pool, IdentityId=ident, DatasetName=ds,
                     SyncSessionToken=page["SyncSessionToken"],
                     RecordPatches=[replace("k", value, cur)])


def read_value(server, pool, ident, ds):
    page = server.client().list_records(IdentityPoolId=pool, IdentityId=ident, DatasetName=ds)
    return {r["Key"]: r.get("Value") for r in page["Records"]}.get("k"), page


class Lifecycle(unittest.TestCase):
    def test_help_mentions_options(self):
        top = subprocess.run([binary_path(), "--help"], capture_output=True, timeout=30)
        self.assertEqual(top.returncode, 0, top)
        serve = subprocess.run([binary_path(), "serve", "--help"], capture_output=True,
                               timeout=30)
        text = (top.stdout + top.stderr + serve.stdout + serve.stderr).decode("utf-8", "replace")
        self.assertIn("--listen", text)
        self.assertIn("--data-dir", text)

    def test_health_and_listening_line(self):
        with CogsyncServer() as server:
            self.assertGreater(server.port, 0)
            res = server.request("GET", "/health")
            self.assertEqual(res.status, 200, res)
            server.stop()

    def _signal_keeps_data(self, sig):
        pool, ident = new_pool(), new_identity()
        with CogsyncServer() as server:
            write_and_read_back(self, server, pool, ident, "sig", "before")
            server.stop(sig)       # asserts exit code 0
            server.start()
            value, page = read_value(server, pool, ident, "sig")
            self.assertEqual(value, "before")
            self.assertEqual(page["DatasetSyncCount"], 1)
            write_and_read_back(self, server, pool, ident, "sig", "after")
            server.stop(sig)
            server.start()
            value, page = read_value(server, pool, ident, "sig")
            self.assertEqual(value, "after")
            self.assertEqual(page["DatasetSyncCount"], 2)
            server.stop()

    def test_sigterm_exit_0_and_data_kept(self):
        self._signal_keeps_data(signal.SIGTERM)

    def test_sigint_exit_0_and_data_kept(self):
        self._signal_keeps_data(signal.SIGINT)

    def test_stop_with_idle_keep_alive_connection(self):
        with CogsyncServer() as server:
            conn = server.connection()
            try:
                self.assertEqual(server.request("GET", "/health", conn=conn).status, 200)
                server.stop()      # must not wait forever on the idle connection
            finally:
                conn.close()

    def test_kill9_then_restart(self):
        pool, ident = new_pool(), new_identity()
        with CogsyncServer() as server:
            write_and_read_back(self, server, pool, ident, "k9", "v1")
            server.kill9()
            server.restart()
            self.assertEqual(read_value(server, pool, ident, "k9")[0], "v1")
            server.stop()

    def test_env_vars_configure_listen_and_data_dir(self):
        pool, ident = new_pool(), new_identity()
        server = CogsyncServer(use_env_for_listen=True)
        try:
            server.start()
            write_and_read_back(self, server, pool, ident, "env", "via-env")
            server.stop()
            self.assertTrue(os.listdir(server.data_dir), "nothing written to COGSYNC_DATA_DIR")
            # the same directory passed as a flag holds the data
            server.use_env_for_listen = False
            server.start()
            self.assertEqual(read_value(server, pool, ident, "env")[0], "via-env")
            server.stop()
        finally:
            server.close()

    def test_durability_normal_and_worker_flags(self):
        with CogsyncServer("--durability", "normal", "--io-threads", "1", "--workers", "2",
                           "--log-level", "debug") as server:
            pool, ident = new_pool(), new_identity()
            write_and_read_back(self, server, pool, ident, "n", "v")
            self.assertEqual(read_value(server, pool, ident, "n")[0], "v")
            server.stop()

    def test_invalid_durability_rejected(self):
        server = CogsyncServer("--durability", "bogus")
        try:
            with self.assertRaises(RuntimeError) as cm:
                server.start()
            self.assertIn("exited with code", str(cm.exception))
            self.assertNotIn("exited with code 0 ", str(cm.exception))
        finally:
            server.close()


if __name__ == "__main__":
    unittest.main()
