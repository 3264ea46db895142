"""DescribeDataset, DeleteDataset (and re-creation), ListDatasets with pagination.
PROTOCOL.md 3.2, 5.7, 5.9, 6.1."""
import datetime
import os
import sys
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support"))

from e2e_base import TOKEN_RE, ServerTestCase, remove, replace  # noqa: E402

RNF = "ResourceNotFoundException"
DATASET_MEMBERS = {"IdentityId", "DatasetName", "CreationDate", "LastModifiedDate",
                   "LastModifiedBy", "DataStorage", "NumRecords"}


class DescribeDataset(ServerTestCase):
    def test_metadata(self):
        pool, ident = self.ids()
        self.put_new(pool, ident, "profile", {"name": "Zoë", "age": "42"})
        self.push(pool, ident, "profile", [replace("age", "43", 1), replace("city", "Köln", 0)])
        d = self.describe(pool, ident, "profile")["Dataset"]
        self.assertTrue(DATASET_MEMBERS <= set(d), d)
        self.assertEqual(d["IdentityId"], ident)
        self.assertEqual(d["DatasetName"], "profile")
        self.assertRecentDatetime(d["CreationDate"])
        self.assertRecentDatetime(d["LastModifiedDate"])
        self.assertGreaterEqual(d["LastModifiedDate"], d["CreationDate"])
        self.assertIsInstance(d["LastModifiedBy"], str)
        self.assertEqual(d["NumRecords"], 3)
        expected = sum(len(s.encode()) for s in ("name", "Zoë", "age", "43", "city", "Köln"))
        self.assertEqual(d["DataStorage"], expected)

    def test_missing_dataset_is_404(self):
        pool, ident = self.ids()
        self.assertClientError(lambda: self.describe(pool, ident, "nope"), RNF, 404)

    def test_dataset_with_only_tombstones(self):
        pool, ident = self.ids()
        self.put_new(pool, ident, "t", {"a": "1"})
        self.push(pool, ident, "t", [remove("a", 1)])
        d = self.describe(pool, ident, "t")["Dataset"]
        self.assertEqual((d["NumRecords"], d["DataStorage"]), (0, 0))


class DeleteDataset(ServerTestCase):
    def delete(self, pool, ident, ds):
        return self.c.delete_dataset(IdentityPoolId=pool, IdentityId=ident, DatasetName=ds)

    def test_delete_returns_metadata_then_everything_says_gone(self):
        pool, ident = self.ids()
        self.put_new(pool, ident, "doomed", {"a": "1", "bb": "22"})
        self.put_new(pool, ident, "keeper", {"x": "y"})
        before = self.describe(pool, ident, "doomed")["Dataset"]
        out = self.delete(pool, ident, "doomed")["Dataset"]
        self.assertTrue(DATASET_MEMBERS <= set(out), out)
        for m in ("IdentityId", "DatasetName", "NumRecords", "DataStorage", "CreationDate"):
            self.assertEqual(out[m], before[m], m)
        self.assertEqual((out["NumRecords"], out["DataStorage"]), (2, 6))

        self.assertClientError(lambda: self.describe(pool, ident, "doomed"), RNF, 404)
        self.assertClientError(lambda: self.delete(pool, ident, "doomed"), RNF, 404)
        names = [d["DatasetName"] for d in
                 self.c.list_datasets(IdentityPoolId=pool, IdentityId=ident)["Datasets"]]
        self.assertEqual(names, ["keeper"])
        listed = self.list_records(pool, ident, "doomed")
        self.assertIs(listed["DatasetExists"], False)
        self.assertEqual(listed["DatasetSyncCount"], 0)
        self.assertEqual(listed["Records"], [])
        self.assertIs(listed["DatasetDeletedAfterRequestedSyncCount"], False)
        self.assertRegex(listed["SyncSessionToken"], TOKEN_RE)
        # the other dataset is untouched
        self.assertEqual(self.describe(pool, ident, "keeper")["Dataset"]["NumRecords"], 1)

    def test_delete_missing_is_404(self):
        pool, ident = self.ids()
        self.assertClientError(lambda: self.delete(pool, ident, "never"), RNF, 404)

    def test_deleted_after_requested_sync_count(self):
        pool, ident = self.ids()
        self.put_new(pool, ident, "d", {"a": "1"})        # 1
        self.put_new(pool, ident, "d", {"b": "1"})        # 2
        self.put_new(pool, ident, "d", {"c": "1"})        # 3
        self.delete(pool, ident, "d")                     # deletedAt >= 4
        for last in (1, 2, 3):
            out = self.list_records(pool, ident, "d", LastSyncCount=last)
            self.assertIs(out["DatasetExists"], False, last)
            self.assertIs(out["DatasetDeletedAfterRequestedSyncCount"], True, last)
            self.assertEqual(out["DatasetSyncCount"], 0)
            self.assertEqual(out["Records"], [])
        out = self.list_records(pool, ident, "d", LastSyncCount=0)
        self.assertIs(out["DatasetDeletedAfterRequestedSyncCount"], False)
        # a last sync count at or beyond the delete is not "deleted after" (and not an error)
        out = self.list_records(pool, ident, "d", LastSyncCount=1000)
        self.assertIs(out["DatasetDeletedAfterRequestedSyncCount"], False)
        self.assertIs(out["DatasetExists"], False)
        # a device still holding the old records gets a conflict: the records are gone
        self.assertClientError(lambda: self.push(pool, ident, "d", [replace("a", "x", 1)]),
                               "ResourceConflictException", 409,
                               "Current SyncCount for: a is: 0 not: 1")
        self.assertIs(self.list_records(pool, ident, "d")["DatasetExists"], False)

    def test_recreate_continues_sync_counts(self):
        pool, ident = self.ids()
        self.put_new(pool, ident, "re", {"a": "1"})                      # 1
        self.push(pool, ident, "re", [replace("a", "2", 1)])             # 2
        self.push(pool, ident, "re", [replace("a", "3", 2)])             # 3
        old_last = 2
        self.delete(pool, ident, "re")
        out = self.push(pool, ident, "re", [replace("a", "new", 0), replace("z", "zz", 0)])
        counts = {r["SyncCount"] for r in out["Records"]}
        self.assertEqual(len(counts), 1)
        new_count = counts.pop()
        self.assertGreater(new_count, 3, "sync counts must never be reused after a delete")
        d = self.describe(pool, ident, "re")["Dataset"]
        self.assertEqual((d["NumRecords"], d["DataStorage"]), (2, len("anewzzz")))
        listed = self.list_records(pool, ident, "re")
        self.assertIs(listed["DatasetExists"], True)
        self.assertEqual(listed["DatasetSyncCount"], new_count)
        self.assertEqual({r["Key"]: r["Value"] for r in listed["Records"]},
                         {"a": "new", "z": "zz"})
        # a client that last synced before the delete
        stale = self.list_records(pool, ident, "re", LastSyncCount=old_last)
        self.assertIs(stale["DatasetExists"], True)
        self.assertIs(stale["DatasetDeletedAfterRequestedSyncCount"], True)
        self.assertEqual({r["Key"]: r["Value"] for r in stale["Records"]},
                         {"a": "new", "z": "zz"})
        self.assertEqual(stale["DatasetSyncCount"], new_count)
        # a client that synced after the re-creation
        fresh = self.list_records(pool, ident, "re", LastSyncCount=new_count)
        self.assertIs(fresh["DatasetDeletedAfterRequestedSyncCount"], False)
        self.assertEqual(fresh["Records"], [])

    def test_recreated_dataset_has_no_old_tombstones(self):
        pool, ident = self.ids()
        self.put_new(pool, ident, "rt", {"a": "1", "b": "2"})
        self.push(pool, ident, "rt", [remove("a", 1)])
        self.delete(pool, ident, "rt")
        # old tombstone dropped: SyncCount 0 for "a" works in the new incarnation
        self.push(pool, ident, "rt", [replace("a", "x", 0)])
        keys = {r["Key"] for r in self.list_records(pool, ident, "rt")["Records"]}
        self.assertEqual(keys, {"a"})


class ListDatasets(ServerTestCase):
    def test_lists_live_datasets_with_all_members(self):
        pool, ident = self.ids()
        out = self.c.list_datasets(IdentityPoolId=pool, IdentityId=ident)
        self.assertEqual(out["Datasets"], [])
        self.assertEqual(out["Count"], 0)
        self.assertNotIn("NextToken", out)
        self.put_new(pool, ident, "one", {"k": "v"})
        self.put_new(pool, ident, "two.with:odd-chars_", {"kk": "vv"})
        out = self.c.list_datasets(IdentityPoolId=pool, IdentityId=ident)
        self.assertEqual(out["Count"], 2)
        by_name = {d["DatasetName"]: d for d in out["Datasets"]}
        self.assertEqual(set(by_name), {"one", "two.with:odd-chars_"})
        for d in by_name.values():
            self.assertTrue(DATASET_MEMBERS <= set(d), d)
            self.assertEqual(d["IdentityId"], ident)
            self.assertIsInstance(d["CreationDate"], datetime.datetime)
            self.assertEqual(d["NumRecords"], 1)
        self.assertEqual(by_name["two.with:odd-chars_"]["DataStorage"], 4)
        # another identity sees nothing
        other = self.ids()[1]
        self.assertEqual(self.c.list_datasets(IdentityPoolId=pool, IdentityId=other)["Count"], 0)

    def test_pagination(self):
        pool, ident = self.ids()
        names = {f"ds{i}" for i in range(7)}
        for n in names:
            self.put_new(pool, ident, n, {"k": n})
        seen = []
        sizes = []
        token = None
        for _ in range(10):
            kw = {"MaxResults": 3}
            if token:
                kw["NextToken"] = token
            page = self.c.list_datasets(IdentityPoolId=pool, IdentityId=ident, **kw)
            sizes.append(len(page["Datasets"]))
            self.assertEqual(page["Count"], len(page["Datasets"]))
            seen += [d["DatasetName"] for d in page["Datasets"]]
            token = page.get("NextToken")
            if token is None:
                break
            self.assertRegex(token, TOKEN_RE)
        self.assertEqual(sizes, [3, 3, 1])
        self.assertEqual(sorted(seen), sorted(names))

    def test_invalid_next_token(self):
        pool, ident = self.ids()
        self.put_new(pool, ident, "a", {"k": "v"})
        self.assertClientError(
            lambda: self.c.list_datasets(IdentityPoolId=pool, IdentityId=ident,
                                         NextToken="@@not-a-token@@"),
            "InvalidParameterException", 400)


if __name__ == "__main__":
    unittest.main()
