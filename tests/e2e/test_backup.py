"""`cogsync backup DEST` while the server serves writes: every write acknowledged before the backup
started is in the copy, the copy is one consistent snapshot (each dataset's records agree with its
sync count), a server started on the copy serves it to boto3, and a backup never overwrites."""
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support"))

from cogsync_server import CogsyncServer, binary_path, new_identity, new_pool  # noqa: E402
from e2e_base import replace  # noqa: E402

WRITERS = 3


class Writer(threading.Thread):
    """Syncs one dataset over and over: write n sets key "n" to str(n) and key "last" to str(n),
    so a consistent snapshot has a "last" equal to its highest numbered key."""

    def __init__(self, client, pool):
        super().__init__(daemon=True)
        self.c, self.pool, self.identity = client, pool, new_identity()
        self.acked = 0
        self.stop = threading.Event()
        self.error = None

    def run(self):
        try:
            ids = dict(IdentityPoolId=self.pool, IdentityId=self.identity, DatasetName="d")
            last_count = 0
            while not self.stop.is_set():
                n = self.acked + 1
                token = self.c.list_records(**ids)["SyncSessionToken"]
                out = self.c.update_records(
                    SyncSessionToken=token, RecordPatches=[
                        replace(str(n), str(n), 0), replace("last", str(n), last_count)], **ids)
                last_count = next(r["SyncCount"] for r in out["Records"] if r["Key"] == "last")
                self.acked = n
        except Exception as e:  # reported by the test
            self.error = e


def run_backup(data_dir, dest):
    return subprocess.run([binary_path(), "backup", dest, "--data-dir", data_dir],
                          capture_output=True, text=True, timeout=120)


class Backup(unittest.TestCase):
    def setUp(self):
        self.out_dir = tempfile.mkdtemp(prefix="cogsync-backup-")
        self.addCleanup(shutil.rmtree, self.out_dir, True)

    def test_backup_under_writes_restores_every_acknowledged_write(self):
        pool = new_pool()
        dest = os.path.join(self.out_dir, "copy.db")
        with CogsyncServer() as srv:
            writers = [Writer(srv.client(), pool) for _ in range(WRITERS)]
            for w in writers:
                w.start()
            # Until each writer has some acknowledged writes: polled, with a deadline.
            deadline = time.monotonic() + 60
            while any(w.acked < 20 and w.error is None for w in writers):
                self.assertLess(time.monotonic(), deadline, [w.acked for w in writers])
                time.sleep(0.01)
            acked_before = [w.acked for w in writers]
            res = run_backup(srv.data_dir, dest)
            for w in writers:
                w.stop.set()
            for w in writers:
                w.join(30)
                self.assertIsNone(w.error)
            self.assertEqual(res.returncode, 0, res.stderr)
            self.assertIn("backed up", res.stdout)

            again = run_backup(srv.data_dir, dest)
            self.assertEqual(again.returncode, 1)
            self.assertIn("already exists", again.stderr)

        with CogsyncServer() as restored:
            restored.stop()
            shutil.copy(dest, os.path.join(restored.data_dir, "cogsync.db"))
            for suffix in ("-wal", "-shm"):
                path = os.path.join(restored.data_dir, "cogsync.db" + suffix)
                if os.path.exists(path):
                    os.remove(path)
            restored.start()
            c = restored.client()
            for w, before in zip(writers, acked_before):
                records = c.list_records(IdentityPoolId=pool, IdentityId=w.identity,
                                         DatasetName="d")["Records"]
                values = {r["Key"]: r["Value"] for r in records}
                last = int(values.pop("last"))
                self.assertGreaterEqual(last, before)
                self.assertEqual(sorted(int(k) for k in values), list(range(1, last + 1)))

    def test_backup_without_a_store_fails_cleanly(self):
        empty = os.path.join(self.out_dir, "empty")
        os.makedirs(empty)
        res = run_backup(empty, os.path.join(self.out_dir, "copy.db"))
        self.assertEqual(res.returncode, 1)
        self.assertIn("no store", res.stderr)
        self.assertFalse(os.path.exists(os.path.join(self.out_dir, "copy.db")))
        usage = subprocess.run([binary_path(), "backup"], capture_output=True, text=True, timeout=30)
        self.assertEqual(usage.returncode, 2)

if __name__ == "__main__":
    unittest.main()
