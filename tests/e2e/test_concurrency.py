"""Many clients racing on one record: optimistic concurrency must lose no update, and every
successful write gets its own dataset sync count. PROTOCOL.md 5.2, 5.4."""
import os
import sys
import threading
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support"))

from e2e_base import ClientError, ServerTestCase, error_code, replace  # noqa: E402

THREADS = 16
K = 5
MAX_ATTEMPTS = 3000


class Concurrency(ServerTestCase):
    def test_no_lost_update(self):
        pool, ident = self.ids()
        ds = "counter"
        self.put_new(pool, ident, ds, {"counter": "0"})                  # count 1
        clients = [self.server.client() for _ in range(THREADS)]
        results = [None] * THREADS
        errors = []
        start = threading.Barrier(THREADS)

        def worker(i):
            c = clients[i]
            own = f"t{i:02d}"
            done, attempts, conflicts, counts = 0, 0, 0, []
            try:
                start.wait()
                while done < K:
                    attempts += 1
                    if attempts > MAX_ATTEMPTS:
                        raise AssertionError(f"thread {i}: no progress after {MAX_ATTEMPTS}")
                    page = c.list_records(IdentityPoolId=pool, IdentityId=ident, DatasetName=ds)
                    recs = {r["Key"]: r for r in page["Records"]}
                    counter = recs["counter"]
                    own_count = recs[own]["SyncCount"] if own in recs else 0
                    patches = [replace("counter", str(int(counter["Value"]) + 1),
                                       counter["SyncCount"]),
                               replace(own, str(done + 1), own_count)]
                    try:
                        out = c.update_records(IdentityPoolId=pool, IdentityId=ident,
                                               DatasetName=ds, RecordPatches=patches,
                                               SyncSessionToken=page["SyncSessionToken"])
                    except ClientError as e:
                        if error_code(e) != "ResourceConflictException":
                            raise
                        conflicts += 1
                        continue
                    got = {r["SyncCount"] for r in out["Records"]}
                    if len(got) != 1 or len(out["Records"]) != 2:
                        raise AssertionError(f"thread {i}: bad UpdateRecords reply {out}")
                    counts.append(got.pop())
                    done += 1
                results[i] = (done, conflicts, counts)
            except BaseException as e:  # reported by the main thread
                errors.append((i, repr(e)))
                start.abort()

        threads = [threading.Thread(target=worker, args=(i,)) for i in range(THREADS)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(300)
        self.assertFalse(any(t.is_alive() for t in threads), "worker threads hung")
        self.assertEqual(errors, [])

        all_counts = sorted(c for _, _, counts in results for c in counts)
        self.assertEqual(all_counts, list(range(2, 2 + THREADS * K)),
                         "each successful write must get its own, consecutive sync count")
        page = self.list_records(pool, ident, ds)
        recs = {r["Key"]: r["Value"] for r in page["Records"]}
        self.assertEqual(recs["counter"], str(THREADS * K), "lost update")
        self.assertEqual(page["DatasetSyncCount"], 1 + THREADS * K)
        for i in range(THREADS):
            self.assertEqual(recs[f"t{i:02d}"], str(K))

    def test_independent_datasets_do_not_conflict(self):
        pool = self.ids()[0]
        idents = [self.ids()[1] for _ in range(8)]
        clients = [self.server.client() for _ in idents]
        errors = []

        def worker(i):
            try:
                for n in range(10):
                    c = clients[i]
                    page = c.list_records(IdentityPoolId=pool, IdentityId=idents[i],
                                          DatasetName="mine")
                    cur = {r["Key"]: r["SyncCount"] for r in page["Records"]}.get("k", 0)
                    out = c.update_records(IdentityPoolId=pool, IdentityId=idents[i],
                                           DatasetName="mine",
                                           RecordPatches=[replace("k", str(n), cur)],
                                           SyncSessionToken=page["SyncSessionToken"])
                    if out["Records"][0]["SyncCount"] != n + 1:
                        raise AssertionError(f"unexpected reply {out}")
            except BaseException as e:
                errors.append((i, repr(e)))

        threads = [threading.Thread(target=worker, args=(i,)) for i in range(len(idents))]
        for t in threads:
            t.start()
        for t in threads:
            t.join(300)
        self.assertEqual(errors, [])
        for ident in idents:
            page = self.list_records(pool, ident, "mine")
            self.assertEqual(page["DatasetSyncCount"], 10)
            self.assertEqual(page["Records"][0]["Value"], "9")

    def test_token_is_single_use_under_concurrency(self):
        """The token check and its spending happen with the write: of several concurrent
        UpdateRecords sharing one token (no key conflicts), exactly one succeeds."""
        pool, ident = self.ids()
        clients = [self.server.client() for _ in range(8)]
        for round_no in range(5):
            token = self.list_records(pool, ident, "once")["SyncSessionToken"]
            barrier = threading.Barrier(len(clients))
            outcomes = [None] * len(clients)

            def worker(i):
                try:
                    barrier.wait()
                    clients[i].update_records(
                        IdentityPoolId=pool, IdentityId=ident, DatasetName="once",
                        SyncSessionToken=token,
                        RecordPatches=[replace(f"r{round_no}-t{i}", "v", 0)])
                    outcomes[i] = "ok"
                except ClientError as e:
                    outcomes[i] = error_code(e)
                except BaseException as e:
                    outcomes[i] = repr(e)

            threads = [threading.Thread(target=worker, args=(i,)) for i in range(len(clients))]
            for t in threads:
                t.start()
            for t in threads:
                t.join(120)
            self.assertEqual(outcomes.count("ok"), 1, outcomes)
            self.assertEqual(outcomes.count("InvalidParameterException"), len(clients) - 1,
                             outcomes)
        page = self.list_records(pool, ident, "once")
        self.assertEqual(page["DatasetSyncCount"], 5)
        self.assertEqual(len(page["Records"]), 5)

    def test_dataset_limit_under_concurrency(self):
        pool, ident = self.ids()
        for i in range(17):
            self.put_new(pool, ident, f"pre{i}", {"k": "v"})
        clients = [self.server.client() for _ in range(8)]
        tokens = [self.list_records(pool, ident, f"new{i}")["SyncSessionToken"]
                  for i in range(8)]
        barrier = threading.Barrier(8)
        outcomes = [None] * 8

        def worker(i):
            try:
                barrier.wait()
                clients[i].update_records(IdentityPoolId=pool, IdentityId=ident,
                                          DatasetName=f"new{i}", SyncSessionToken=tokens[i],
                                          RecordPatches=[replace("k", "v", 0)])
                outcomes[i] = "ok"
            except ClientError as e:
                outcomes[i] = error_code(e)
            except BaseException as e:
                outcomes[i] = repr(e)

        threads = [threading.Thread(target=worker, args=(i,)) for i in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(120)
        self.assertEqual(outcomes.count("ok"), 3, outcomes)
        self.assertEqual(outcomes.count("LimitExceededException"), 5, outcomes)
        out = self.c.list_datasets(IdentityPoolId=pool, IdentityId=ident)
        self.assertEqual(out["Count"], 20)


if __name__ == "__main__":
    unittest.main()
