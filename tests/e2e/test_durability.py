"""Crash durability: every UpdateRecords acknowledged with 200 survives kill -9 and a restart on
the same data dir. STYLE.md (one transaction per sync check + write)."""
import os
import sys
import threading
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support"))

from cogsync_server import CogsyncServer, new_identity, new_pool  # noqa: E402
from e2e_base import ClientError, replace  # noqa: E402

WRITERS = 4
KILL_AFTER_ACKS = 80


class Writer(threading.Thread):
    """Writes sequentially to its own dataset; remembers what it attempted and what was acked."""

    def __init__(self, client, pool, progress, killed):
        super().__init__(daemon=True)
        self.killed = killed
        self.c, self.pool, self.identity = client, pool, new_identity()
        self.progress = progress
        self.acked = []        # (seq, value, sync_count)
        self.attempted = None  # (seq, value) of the write in flight, if any
        self.error = None

    def run(self):
        latest_count = 0
        seq = 0
        try:
            while True:
                seq += 1
                value = f"value-{seq}-" + "x" * (seq % 50)
                page = self.c.list_records(IdentityPoolId=self.pool, IdentityId=self.identity,
                                           DatasetName="dur")
                self.attempted = (seq, value)
                out = self.c.update_records(
                    IdentityPoolId=self.pool, IdentityId=self.identity, DatasetName="dur",
                    SyncSessionToken=page["SyncSessionToken"],
                    RecordPatches=[replace("latest", value, latest_count),
                                   replace(f"n{seq:05d}", value, 0)])
                counts = {r["SyncCount"] for r in out["Records"]}
                assert len(counts) == 1, out
                latest_count = counts.pop()
                self.acked.append((seq, value, latest_count))
                self.attempted = None
                self.progress.release()
        except BaseException as e:
            # connection refused / reset once the server is killed is expected; anything
            # earlier (an AWS error, a bad reply) is a real failure
            if not self.killed.is_set() or isinstance(e, (ClientError, AssertionError)):
                self.error = e
            self.progress.release()


class Durability(unittest.TestCase):
    def run_round(self, server):
        pool = new_pool()
        progress = threading.Semaphore(0)
        killed = threading.Event()
        writers = [Writer(server.client(), pool, progress, killed) for _ in range(WRITERS)]
        for w in writers:
            w.start()
        for _ in range(KILL_AFTER_ACKS):
            self.assertTrue(progress.acquire(timeout=60), "writers made no progress")
            errors = [w.error for w in writers if w.error is not None]
            self.assertEqual(errors, [], "writer failed before the kill")
        killed.set()
        server.kill9()
        for w in writers:
            w.join(60)
            self.assertFalse(w.is_alive(), "writer still running after the kill")
        for w in writers:
            self.assertIsNone(w.error, f"writer failed before the kill: {w.error}")
        self.assertGreaterEqual(sum(len(w.acked) for w in writers), KILL_AFTER_ACKS)
        return writers

    def verify(self, client, writers):
        for w in writers:
            page = client.list_records(IdentityPoolId=w.pool, IdentityId=w.identity,
                                       DatasetName="dur")
            recs = {r["Key"]: r for r in page["Records"]}
            for seq, value, count in w.acked:
                key = f"n{seq:05d}"
                self.assertIn(key, recs, f"acknowledged write {key} lost")
                self.assertEqual(recs[key]["Value"], value)
                self.assertEqual(recs[key]["SyncCount"], count)
            if not w.acked:
                continue
            last_seq, last_value, last_count = w.acked[-1]
            allowed = {last_value}
            if w.attempted is not None:
                allowed.add(w.attempted[1])
            self.assertIn(recs["latest"]["Value"], allowed)
            self.assertGreaterEqual(page["DatasetSyncCount"], last_count)
            self.assertGreaterEqual(recs["latest"]["SyncCount"], last_count)
            for key in recs:
                if key.startswith("n"):
                    self.assertLessEqual(int(key[1:]), last_seq + 1, "a write nobody sent")

    def test_kill9_twice(self):
        with CogsyncServer() as server:
            first = self.run_round(server)
            server.restart()
            self.verify(server.client(), first)

            second = self.run_round(server)
            server.restart()
            client = server.client()
            self.verify(client, first)
            self.verify(client, second)
            # the restarted server keeps accepting writes on recovered data
            w = second[0]
            page = client.list_records(IdentityPoolId=w.pool, IdentityId=w.identity,
                                       DatasetName="dur")
            latest = {r["Key"]: r for r in page["Records"]}["latest"]
            out = client.update_records(IdentityPoolId=w.pool, IdentityId=w.identity,
                                        DatasetName="dur",
                                        SyncSessionToken=page["SyncSessionToken"],
                                        RecordPatches=[replace("latest", "after",
                                                               latest["SyncCount"])])
            self.assertEqual(out["Records"][0]["SyncCount"], page["DatasetSyncCount"] + 1)
            server.stop()


if __name__ == "__main__":
    unittest.main()
