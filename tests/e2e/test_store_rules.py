"""Storage rules clients never see fail but a hostile caller could abuse: binary-safe pagination
cursors, bounded tombstones, reads that store nothing. PROTOCOL.md 5.3, 5.6, 5.9, 6.1."""
import os
import sys
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support"))

from e2e_base import (ClientError, ServerTestCase, new_identity, new_pool, remove,  # noqa: E402
                      replace)
from cogsync_server import CogsyncServer  # noqa: E402

DS = "rules"


class NulInRecordKeys(ServerTestCase):
    """The model's RecordKey has no pattern, so a key may hold U+0000; every page must go on
    after it (pages used to repeat "a\\0b" forever)."""

    KEYS = ["a", "a\0b", "a\0c", "b", "\0", "a\0"]

    def test_pages_of_one_return_every_key_once(self):
        pool, ident = self.ids()
        self.put_new(pool, ident, DS, {k: "v" + str(i) for i, k in enumerate(self.KEYS)})
        seen, last = self.all_records(pool, ident, DS, MaxResults=1)
        self.assertEqual(sorted(seen), sorted(self.KEYS))
        self.assertEqual({k: r["Value"] for k, r in seen.items()},
                         {k: "v" + str(i) for i, k in enumerate(self.KEYS)})
        self.assertEqual(last["DatasetSyncCount"], 1)

    def test_pages_across_sync_counts(self):
        pool, ident = self.ids()
        self.put_new(pool, ident, DS, {"a\0b": "1", "a": "2"})
        self.push(pool, ident, DS, [replace("a\0b", "3", 1), replace("a\0c", "4", 0)])
        seen, _ = self.all_records(pool, ident, DS, MaxResults=1, LastSyncCount=0)
        self.assertEqual({k: r["Value"] for k, r in seen.items()},
                         {"a": "2", "a\0b": "3", "a\0c": "4"})
        delta, _ = self.all_records(pool, ident, DS, MaxResults=1, LastSyncCount=1)
        self.assertEqual(sorted(delta), ["a\0b", "a\0c"])


LE = "LimitExceededException"


class RemovesOfMissingKeys(ServerTestCase):
    """Removes of keys that have no record store nothing (they used to write a tombstone each,
    outside every limit: a few requests grew the database by hundreds of MB)."""

    def test_many_removes_of_long_missing_keys_store_nothing(self):
        pool, ident = self.ids()
        self.put_new(pool, ident, DS, {"live": "v"})                               # count 1
        keys = [f"{i:06d}" + "k" * 1018 for i in range(2000)]
        for call in range(2):                                                      # counts 2, 3
            out = self.push(pool, ident, DS, [remove(k, 0) for k in keys])
            self.assertEqual(len(out["Records"]), len(keys))
            self.assertEqual({r["SyncCount"] for r in out["Records"]}, {0})
            self.assertTrue(all("Value" not in r for r in out["Records"]))
        listed = self.list_records(pool, ident, DS)
        self.assertEqual([r["Key"] for r in listed["Records"]], ["live"])
        self.assertEqual(listed["DatasetSyncCount"], 3)
        d = self.describe(pool, ident, DS)["Dataset"]
        self.assertEqual((d["NumRecords"], d["DataStorage"]), (1, len("livev")))

    def test_stale_remove_of_an_existing_key_refuses_the_whole_batch(self):
        pool, ident = self.ids()
        self.put_new(pool, ident, DS, {"a": "1"})                                   # count 1
        self.push(pool, ident, DS, [replace("a", "2", 1)])                          # count 2
        self.assertClientError(
            lambda: self.push(pool, ident, DS, [replace("b", "new", 0), remove("a", 1)]),
            "ResourceConflictException", 409, "Current SyncCount for: a is: 2 not: 1")
        listed = self.list_records(pool, ident, DS)
        self.assertEqual([(r["Key"], r.get("Value")) for r in listed["Records"]], [("a", "2")])
        self.assertEqual(listed["DatasetSyncCount"], 2)


class TombstoneBudget(ServerTestCase):
    """Tombstones stay until DeleteDataset (clients' delta sync needs them), so they are bounded:
    at most --max-records of them per dataset, and their key bytes count toward
    --max-dataset-bytes."""

    SERVER_ARGS = ("--max-records", "3", "--max-dataset-bytes", "40")

    def test_tombstones_beyond_the_record_limit_are_refused(self):
        pool, ident = self.ids()
        self.put_new(pool, ident, DS, {"a": "1", "b": "1", "c": "1"})               # count 1
        self.push(pool, ident, DS, [remove("a", 1), remove("b", 1), remove("c", 1)])  # count 2
        self.put_new(pool, ident, DS, {"d": "1"})                                   # count 3
        exc = self.assertClientError(lambda: self.push(pool, ident, DS, [remove("d", 3)]), LE, 400)
        self.assertIn("removed records", exc.response["Error"]["Message"])
        # Re-adding a removed key frees its place; a client that synced before still sees every
        # removal in its delta.
        self.push(pool, ident, DS, [replace("a", "back", 2)])                       # count 4
        self.push(pool, ident, DS, [remove("d", 3)])                                # count 5
        delta = self.list_records(pool, ident, DS, LastSyncCount=1)["Records"]
        delta = {r["Key"]: r for r in delta}
        self.assertEqual({k: r.get("Value") for k, r in delta.items()},
                         {"a": "back", "b": None, "c": None, "d": None})
        # DeleteDataset clears them; the name starts afresh.
        self.c.delete_dataset(IdentityPoolId=pool, IdentityId=ident, DatasetName=DS)
        self.put_new(pool, ident, DS, {"x": "1", "y": "1", "z": "1"})
        self.push(pool, ident, DS, [remove("x", 7), remove("y", 7), remove("z", 7)])

    def test_removed_keys_count_toward_the_dataset_size(self):
        pool, ident = self.ids()
        long_key = "k" * 30
        self.put_new(pool, ident, DS, {long_key: "v"})                              # 31 bytes
        self.push(pool, ident, DS, [remove(long_key, 1)])                           # 30 bytes left
        d = self.describe(pool, ident, DS)["Dataset"]
        self.assertEqual((d["NumRecords"], d["DataStorage"]), (0, 0))
        exc = self.assertClientError(lambda: self.put_new(pool, ident, DS, {"abcdef": "12345"}),
                                     LE, 400)                                       # 30 + 11 > 40
        self.assertIn("removed records", exc.response["Error"]["Message"])
        self.put_new(pool, ident, DS, {"abcdef": "1234"})                           # 30 + 10


def row_counts(server):
    """{table: rows} of the server's store."""
    return {t: int(server.store_rows(f'SELECT count(*) FROM "{t}"')[0][0]) for t in server.store_tables()}


def pool_usages(c):
    out, token = {}, None
    while True:
        page = c.list_identity_pool_usage(MaxResults=50, **({"NextToken": token} if token else {}))
        for u in page["IdentityPoolUsages"]:
            out[u["IdentityPoolId"]] = u
        token = page.get("NextToken")
        if not token:
            return out


class ReadsStoreNothing(unittest.TestCase):
    """Every read operation on never-written pools, identities and datasets leaves the database
    as it was; the server is stopped before each count, which stores every pending session count."""

    def read_everything(self, c, pool, ident, pool_storage=0):
        ids = {"IdentityPoolId": pool, "IdentityId": ident}
        out = c.list_records(DatasetName=DS, **ids)
        self.assertIs(out["DatasetExists"], False)
        self.assertEqual((out["Count"], out["DatasetSyncCount"], out["Records"]), (0, 0, []))
        c.list_records(DatasetName=DS, LastSyncCount=3, MaxResults=1,
                       SyncSessionToken=out["SyncSessionToken"], **ids)
        self.assertEqual(c.list_datasets(MaxResults=5, **ids)["Datasets"], [])
        with self.assertRaises(ClientError):
            c.describe_dataset(DatasetName=DS, **ids)
        self.assertEqual(c.describe_identity_usage(**ids)["IdentityUsage"]["DatasetCount"], 0)
        usage = c.describe_identity_pool_usage(IdentityPoolId=pool)["IdentityPoolUsage"]
        self.assertEqual(usage["DataStorage"], pool_storage)
        c.get_identity_pool_configuration(IdentityPoolId=pool)
        self.assertEqual(c.get_cognito_events(IdentityPoolId=pool)["Events"], {})
        self.assertEqual(c.get_bulk_publish_details(IdentityPoolId=pool)["BulkPublishStatus"],
                         "NOT_STARTED")

    def test_reads_on_never_written_pools_leave_no_rows(self):
        with CogsyncServer() as srv:
            c = srv.client()
            written = new_pool()
            ident = new_identity()
            token = c.list_records(IdentityPoolId=written, IdentityId=ident,
                                   DatasetName=DS)["SyncSessionToken"]
            c.update_records(IdentityPoolId=written, IdentityId=ident, DatasetName=DS,
                             RecordPatches=[replace("k", "v", 0)], SyncSessionToken=token)
            srv.stop()
            before = row_counts(srv)
            srv.start()
            c = srv.client()
            usages = pool_usages(c)
            self.assertEqual(set(usages), {written})
            for _ in range(150):
                self.read_everything(c, new_pool(), new_identity())
            self.read_everything(c, written, new_identity(), pool_storage=len("kv"))
            never = c.list_records(IdentityPoolId=written, IdentityId=ident, DatasetName="never")
            self.assertIs(never["DatasetExists"], False)
            with self.assertRaises(ClientError):
                c.describe_dataset(IdentityPoolId=written, IdentityId=ident, DatasetName="never")
            # A session issued on a pool that holds data still counts.
            c.list_records(IdentityPoolId=written, IdentityId=ident, DatasetName=DS)
            srv.stop()
            after_rows = row_counts(srv)
            # The outbox only shrinks as sinks consume it (the write's event may be trimmed).
            self.assertLessEqual(after_rows.pop("outbox"), before.pop("outbox"))
            self.assertEqual(after_rows, before)
            srv.start()
            after = pool_usages(srv.client())
            self.assertEqual(set(after), {written})
            self.assertEqual(after[written]["SyncSessionsCount"],
                             usages[written]["SyncSessionsCount"] + 4)
            srv.stop()


if __name__ == "__main__":
    unittest.main()
