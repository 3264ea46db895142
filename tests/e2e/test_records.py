"""ListRecords / UpdateRecords through boto3: sync counts, delta sync, tombstones, pagination,
two devices converging, Unicode. PROTOCOL.md sections 3.2, 5.2-5.6, 5.9, 5.11."""
import datetime
import os
import sys
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support"))

from e2e_base import (TOKEN_RE, ClientError, ServerTestCase, dataset_path,  # noqa: E402
                      error_code, remove, replace)

DS = "records"


class ListRecordsEmpty(ServerTestCase):
    def test_never_written_dataset(self):
        pool, ident = self.ids()
        out = self.list_records(pool, ident, DS)
        self.assertEqual(out["ResponseMetadata"]["HTTPStatusCode"], 200)
        self.assertEqual(out["Records"], [])
        self.assertEqual(out["Count"], 0)
        self.assertEqual(out["DatasetSyncCount"], 0)
        self.assertIs(out["DatasetExists"], False)
        self.assertIs(out["DatasetDeletedAfterRequestedSyncCount"], False)
        self.assertRegex(out["SyncSessionToken"], TOKEN_RE)
        self.assertNotIn("NextToken", out)

    def test_list_does_not_create_the_dataset(self):
        pool, ident = self.ids()
        self.list_records(pool, ident, DS)
        self.assertEqual(self.c.list_datasets(IdentityPoolId=pool, IdentityId=ident)["Datasets"],
                         [])
        self.assertClientError(lambda: self.describe(pool, ident, DS),
                               "ResourceNotFoundException", 404)

    def test_last_sync_count_on_absent_dataset_is_not_an_error(self):
        pool, ident = self.ids()
        out = self.list_records(pool, ident, DS, LastSyncCount=5)
        self.assertIs(out["DatasetExists"], False)
        self.assertEqual(out["DatasetSyncCount"], 0)
        self.assertEqual(out["Records"], [])


class UpdateRecordsCounts(ServerTestCase):
    def test_first_write_returns_full_records_with_count_1(self):
        pool, ident = self.ids()
        token = self.list_records(pool, ident, DS)["SyncSessionToken"]
        out = self.update(pool, ident, DS, [replace("a", "1", 0), replace("b", "2", 0)], token)
        recs = {r["Key"]: r for r in out["Records"]}
        self.assertEqual(set(recs), {"a", "b"})
        for key, value in (("a", "1"), ("b", "2")):
            r = recs[key]
            self.assertEqual(r["SyncCount"], 1)
            self.assertEqual(r["Value"], value)
            self.assertIsInstance(r["LastModifiedBy"], str)
            self.assertTrue(r["LastModifiedBy"])
            self.assertRecentDatetime(r["LastModifiedDate"])
            self.assertIsInstance(r["DeviceLastModifiedDate"], datetime.datetime)
        listed = self.list_records(pool, ident, DS)
        self.assertEqual(listed["DatasetSyncCount"], 1)
        self.assertIs(listed["DatasetExists"], True)
        self.assertEqual(listed["Count"], 2)
        self.assertEqual({r["Key"]: (r["Value"], r["SyncCount"]) for r in listed["Records"]},
                         {"a": ("1", 1), "b": ("2", 1)})

    def test_count_goes_up_by_one_per_call_whatever_the_batch_size(self):
        pool, ident = self.ids()
        self.assertEqual(self.put_new(pool, ident, DS, {"x": "0"}), 1)
        out = self.push(pool, ident, DS, [replace("x", "1", 1), replace("y", "1", 0),
                                          replace("z", "1", 0)])
        self.assertEqual(len(out["Records"]), 3)
        self.assertEqual({r["SyncCount"] for r in out["Records"]}, {2})
        out = self.push(pool, ident, DS, [replace("y", "2", 2)])
        self.assertEqual([r["SyncCount"] for r in out["Records"]], [3])
        listed = self.list_records(pool, ident, DS)
        self.assertEqual(listed["DatasetSyncCount"], 3)
        self.assertEqual({r["Key"]: r["SyncCount"] for r in listed["Records"]},
                         {"x": 2, "y": 3, "z": 2})

    def test_device_last_modified_date_is_stored_as_sent(self):
        pool, ident = self.ids()
        when = datetime.datetime(2020, 1, 2, 3, 4, 5, tzinfo=datetime.timezone.utc)
        out = self.push(pool, ident, DS, [replace("k", "v", 0, DeviceLastModifiedDate=when)])
        self.assertEqual(out["Records"][0]["DeviceLastModifiedDate"], when)
        listed = self.list_records(pool, ident, DS)["Records"][0]
        self.assertEqual(listed["DeviceLastModifiedDate"], when)

    def test_list_records_reports_last_modified_by(self):
        pool, ident = self.ids()
        self.put_new(pool, ident, DS, {"k": "v"})
        out = self.list_records(pool, ident, DS)
        self.assertIsInstance(out.get("LastModifiedBy"), str)

    def test_duplicate_keys_in_one_batch_last_wins(self):
        pool, ident = self.ids()
        self.push(pool, ident, DS, [replace("dup", "first", 0), replace("dup", "second", 0)])
        recs = self.list_records(pool, ident, DS)["Records"]
        self.assertEqual([(r["Key"], r["Value"], r["SyncCount"]) for r in recs],
                         [("dup", "second", 1)])
        # every occurrence is checked against the state before the call
        self.assertClientError(
            lambda: self.push(pool, ident, DS, [replace("dup", "x", 1), replace("dup", "y", 2)]),
            "ResourceConflictException", 409, "Current SyncCount for: dup is: 1 not: 2")

    def test_replace_with_null_value_is_a_remove(self):
        pool, ident = self.ids()
        self.put_new(pool, ident, DS, {"k": "v", "other": "o"})
        token = self.list_records(pool, ident, DS)["SyncSessionToken"]
        res = self.server.request("POST", dataset_path(pool, ident, DS), {
            "SyncSessionToken": token,
            "RecordPatches": [{"Op": "replace", "Key": "k", "Value": None, "SyncCount": 1}]})
        self.assertEqual(res.status, 200, res)
        self.assertNotIn("Value", res.json()["Records"][0])
        recs = {r["Key"]: r for r in self.list_records(pool, ident, DS)["Records"]}
        self.assertNotIn("Value", recs["k"])
        self.assertEqual(self.describe(pool, ident, DS)["Dataset"]["NumRecords"], 1)

    def test_client_context_and_device_id_accepted(self):
        pool, ident = self.ids()
        token = self.list_records(pool, ident, DS)["SyncSessionToken"]
        out = self.update(pool, ident, DS, [replace("k", "v", 0)], token,
                          ClientContext="eyJjbGllbnQiOnt9fQ==", DeviceId="dev1")
        self.assertEqual(out["Records"][0]["SyncCount"], 1)

    def test_empty_patch_list_on_new_dataset_creates_nothing(self):
        pool, ident = self.ids()
        out = self.push(pool, ident, DS, [])
        self.assertEqual(out["Records"], [])
        listed = self.list_records(pool, ident, DS)
        self.assertIs(listed["DatasetExists"], False)
        self.assertEqual(listed["DatasetSyncCount"], 0)

    def test_empty_patch_list_is_a_no_op(self):
        pool, ident = self.ids()
        self.put_new(pool, ident, DS, {"k": "v"})
        out = self.push(pool, ident, DS, [])
        self.assertEqual(out["Records"], [])
        self.assertEqual(self.list_records(pool, ident, DS)["DatasetSyncCount"], 1)


class DeltaSync(ServerTestCase):
    def test_last_sync_count_is_exclusive(self):
        pool, ident = self.ids()
        self.put_new(pool, ident, DS, {"k1": "a"})                 # count 1
        self.put_new(pool, ident, DS, {"k2": "b"})                 # count 2
        self.put_new(pool, ident, DS, {"k3": "c", "k4": "d"})      # count 3

        def keys(n):
            out = self.list_records(pool, ident, DS, LastSyncCount=n)
            self.assertEqual(out["DatasetSyncCount"], 3)
            self.assertEqual(out["Count"], len(out["Records"]))
            return sorted(r["Key"] for r in out["Records"])

        self.assertEqual(keys(0), ["k1", "k2", "k3", "k4"])
        self.assertEqual(keys(1), ["k2", "k3", "k4"])
        self.assertEqual(keys(2), ["k3", "k4"])
        self.assertEqual(keys(3), [])

    def test_last_sync_count_above_dataset_count(self):
        pool, ident = self.ids()
        self.put_new(pool, ident, DS, {"k": "v"})
        self.put_new(pool, ident, DS, {"k2": "v"})
        self.assertClientError(
            lambda: self.list_records(pool, ident, DS, LastSyncCount=37),
            "InvalidParameterException", 400, "No such SyncCount: 37 exists for this Dataset")
        self.assertClientError(
            lambda: self.list_records(pool, ident, DS, LastSyncCount=3),
            "InvalidParameterException", 400, "No such SyncCount: 3 exists for this Dataset")


class Conflicts(ServerTestCase):
    def test_stale_sync_count_refuses_whole_batch(self):
        pool, ident = self.ids()
        self.put_new(pool, ident, DS, {"score": "10"})                       # count 1
        self.push(pool, ident, DS, [replace("score", "11", 1)])              # count 2
        token = self.list_records(pool, ident, DS)["SyncSessionToken"]
        exc = self.assertClientError(
            lambda: self.update(pool, ident, DS,
                                [replace("other", "new", 0), replace("score", "99", 1)], token),
            "ResourceConflictException", 409, "Current SyncCount for: score is: 2 not: 1")
        self.assertTrue(exc.response["ResponseMetadata"]["HTTPHeaders"].get("x-amzn-requestid"))
        listed = self.list_records(pool, ident, DS)
        self.assertEqual(listed["DatasetSyncCount"], 2)
        self.assertEqual({r["Key"]: r["Value"] for r in listed["Records"]}, {"score": "11"})

    def test_new_key_sent_with_nonzero_count_conflicts(self):
        pool, ident = self.ids()
        self.put_new(pool, ident, DS, {"a": "1"})
        self.assertClientError(
            lambda: self.push(pool, ident, DS, [replace("fresh", "x", 1)]),
            "ResourceConflictException", 409, "Current SyncCount for: fresh is: 0 not: 1")

    def test_existing_key_sent_with_zero_conflicts(self):
        pool, ident = self.ids()
        self.put_new(pool, ident, DS, {"a": "1"})
        self.assertClientError(
            lambda: self.push(pool, ident, DS, [replace("a", "2", 0)]),
            "ResourceConflictException", 409, "Current SyncCount for: a is: 1 not: 0")
        self.assertEqual(self.list_records(pool, ident, DS)["Records"][0]["Value"], "1")


class Tombstones(ServerTestCase):
    def test_remove_leaves_tombstone_returned_by_list(self):
        pool, ident = self.ids()
        self.put_new(pool, ident, DS, {"a": "1", "b": "2"})                 # count 1
        out = self.push(pool, ident, DS, [remove("a", 1)])                  # count 2
        self.assertEqual(len(out["Records"]), 1)
        self.assertEqual(out["Records"][0]["Key"], "a")
        self.assertNotIn("Value", out["Records"][0])
        self.assertEqual(out["Records"][0]["SyncCount"], 2)
        for last in (0, 1):
            listed = self.list_records(pool, ident, DS, LastSyncCount=last)
            recs = {r["Key"]: r for r in listed["Records"]}
            self.assertIn("a", recs, f"tombstone missing with LastSyncCount={last}")
            self.assertNotIn("Value", recs["a"])
            self.assertEqual(recs["a"]["SyncCount"], 2)
        listed = self.list_records(pool, ident, DS, LastSyncCount=0)
        self.assertEqual({r["Key"] for r in listed["Records"]}, {"a", "b"})

    def test_remove_never_written_key(self):
        # Android pushes a key added and removed offline as Op remove, SyncCount 0
        # (CognitoSyncStorage.recordToPatch): answered, so the client marks it synced, with the
        # count of a key that has no record, and nothing is stored for it.
        pool, ident = self.ids()
        self.put_new(pool, ident, DS, {"live": "x"})                        # count 1
        out = self.push(pool, ident, DS, [remove("ghost", 0)])              # count 2
        self.assertEqual([(r["Key"], r["SyncCount"]) for r in out["Records"]], [("ghost", 0)])
        self.assertNotIn("Value", out["Records"][0])
        listed = self.list_records(pool, ident, DS)
        self.assertEqual([r["Key"] for r in listed["Records"]], ["live"])
        self.assertEqual(listed["DatasetSyncCount"], 2)
        out = self.push(pool, ident, DS, [replace("ghost", "back", 0)])     # count 3
        self.assertEqual(out["Records"][0]["SyncCount"], 3)

    def test_remove_on_fresh_dataset_creates_it(self):
        pool, ident = self.ids()
        out = self.push(pool, ident, DS, [remove("ghost", 0)])
        self.assertEqual(out["Records"][0]["SyncCount"], 0)
        self.assertNotIn("Value", out["Records"][0])
        listed = self.list_records(pool, ident, DS)
        self.assertIs(listed["DatasetExists"], True)
        self.assertEqual((listed["DatasetSyncCount"], listed["Records"]), (1, []))

    def test_readd_tombstoned_key_with_tombstone_count(self):
        pool, ident = self.ids()
        self.put_new(pool, ident, DS, {"a": "1"})                           # count 1
        self.push(pool, ident, DS, [remove("a", 1)])                        # count 2
        self.assertClientError(lambda: self.push(pool, ident, DS, [replace("a", "again", 0)]),
                               "ResourceConflictException", 409,
                               "Current SyncCount for: a is: 2 not: 0")
        out = self.push(pool, ident, DS, [replace("a", "again", 2)])        # count 3
        self.assertEqual(out["Records"][0]["SyncCount"], 3)
        self.assertEqual(out["Records"][0]["Value"], "again")
        recs = self.list_records(pool, ident, DS)["Records"]
        self.assertEqual([(r["Key"], r.get("Value"), r["SyncCount"]) for r in recs],
                         [("a", "again", 3)])

    def test_tombstones_not_counted_in_metadata(self):
        pool, ident = self.ids()
        self.put_new(pool, ident, DS, {"keep": "12345", "gone": "abcdefgh"})  # count 1
        self.push(pool, ident, DS, [remove("gone", 1), remove("never", 0)])    # count 2
        d = self.describe(pool, ident, DS)["Dataset"]
        self.assertEqual(d["NumRecords"], 1)
        self.assertEqual(d["DataStorage"], len("keep") + len("12345"))


class Pagination(ServerTestCase):
    def _write_50(self, pool, ident):
        expected = {}
        for call in range(5):
            batch = {f"key{call * 10 + i:03d}": f"value-{call}-{i}" for i in range(10)}
            self.put_new(pool, ident, DS, batch)
            expected.update(batch)
        return expected

    def test_max_results_pages_cover_every_record_once(self):
        pool, ident = self.ids()
        expected = self._write_50(pool, ident)
        seen = {}
        token = None
        pages = 0
        while True:
            kw = {"MaxResults": 7}
            if token:
                kw["NextToken"] = token
            page = self.list_records(pool, ident, DS, **kw)
            pages += 1
            self.assertLessEqual(len(page["Records"]), 7)
            self.assertEqual(page["Count"], len(page["Records"]))
            self.assertEqual(page["DatasetSyncCount"], 5)
            self.assertRegex(page["SyncSessionToken"], TOKEN_RE)
            for r in page["Records"]:
                self.assertNotIn(r["Key"], seen)
                seen[r["Key"]] = r["Value"]
            token = page.get("NextToken")
            if token is None:
                break
            self.assertRegex(token, TOKEN_RE)
            self.assertLess(pages, 50, "pagination does not terminate")
        self.assertEqual(seen, expected)
        self.assertEqual(pages, 8)

    def test_pages_are_a_snapshot_and_last_token_works(self):
        pool, ident = self.ids()
        expected = self._write_50(pool, ident)
        first = self.list_records(pool, ident, DS, MaxResults=10)
        seen = {r["Key"]: r["Value"] for r in first["Records"]}
        self.put_new(pool, ident, DS, {"late": "x"})                  # count 6, after page 1
        token, page = first["NextToken"], first
        while token:
            page = self.list_records(pool, ident, DS, MaxResults=10, NextToken=token)
            self.assertEqual(page["DatasetSyncCount"], 5, "pages must report their snapshot")
            for r in page["Records"]:
                self.assertNotIn(r["Key"], seen)
                seen[r["Key"]] = r["Value"]
            token = page.get("NextToken")
        self.assertEqual(seen, expected)
        # the token of the last page is what Android and .NET push with
        out = self.update(pool, ident, DS, [replace("key000", "changed", 1)],
                          page["SyncSessionToken"])
        self.assertEqual(out["Records"][0]["SyncCount"], 7)
        delta = self.list_records(pool, ident, DS, LastSyncCount=5)
        self.assertEqual(sorted(r["Key"] for r in delta["Records"]), ["key000", "late"])

    def test_pagination_with_last_sync_count(self):
        pool, ident = self.ids()
        expected = self._write_50(pool, ident)
        recs, last = self.all_records(pool, ident, DS, MaxResults=4, LastSyncCount=2)
        self.assertEqual({k: r["Value"] for k, r in recs.items()},
                         {k: v for k, v in expected.items() if int(k[3:]) >= 20})
        self.assertNotIn("NextToken", last)

    def test_without_max_results_everything_in_one_response(self):
        pool, ident = self.ids()
        expected = self._write_50(pool, ident)
        page = self.list_records(pool, ident, DS)
        self.assertNotIn("NextToken", page)
        self.assertEqual(page["Count"], 50)
        self.assertEqual({r["Key"]: r["Value"] for r in page["Records"]}, expected)

    def test_large_max_results_is_not_an_error(self):
        pool, ident = self.ids()
        self.put_new(pool, ident, DS, {"a": "1", "b": "2"})
        page = self.list_records(pool, ident, DS, MaxResults=100000)
        self.assertEqual(page["Count"], 2)
        self.assertNotIn("NextToken", page)

    def test_1024_records_in_one_response(self):
        pool, ident = self.ids()
        expected = {f"k{i:04d}": f"v{i}" for i in range(1024)}
        self.put_new(pool, ident, DS, expected)
        page = self.list_records(pool, ident, DS)
        self.assertNotIn("NextToken", page)
        self.assertEqual(page["Count"], 1024)
        self.assertEqual({r["Key"]: r["Value"] for r in page["Records"]}, expected)
        page = self.list_records(pool, ident, DS, MaxResults=1024)
        self.assertNotIn("NextToken", page)
        self.assertEqual(page["Count"], 1024)

    def test_invalid_next_token(self):
        pool, ident = self.ids()
        self.put_new(pool, ident, DS, {"a": "1"})
        self.assertClientError(
            lambda: self.list_records(pool, ident, DS, NextToken="not-a-real-token"),
            "InvalidParameterException", 400)


UNICODE = {
    "emoji 😀🎉": "value with 🚀 4-byte 𝄞 and 👩‍👩‍👧",
    "中文键": "日本語の値、한국어",
    "combining e\u0301 a\u0308": "n\u0303 and \u00e9",
    'quotes "double" \'single\'': 'he said "hi" \\ back\\slash',
    "newline\nkey": "line1\nline2\r\ntab\there",
    "ctrl": "\u0001\u001f\u007f",
    "bmp edge \uffff": "\ud7ff\ue000",
}


class UnicodeRoundTrip(ServerTestCase):
    def test_round_trip_byte_for_byte(self):
        pool, ident = self.ids()
        out = self.push(pool, ident, DS, [replace(k, v, 0) for k, v in UNICODE.items()])
        self.assertEqual({r["Key"]: r["Value"] for r in out["Records"]}, UNICODE)
        listed = self.list_records(pool, ident, DS)
        got = {r["Key"]: r["Value"] for r in listed["Records"]}
        self.assertEqual(got, UNICODE)
        for k, v in UNICODE.items():
            self.assertEqual(got[k].encode("utf-8"), v.encode("utf-8"))

    def test_data_storage_counts_utf8_bytes(self):
        pool, ident = self.ids()
        self.put_new(pool, ident, DS, UNICODE)
        expected = sum(len(k.encode("utf-8")) + len(v.encode("utf-8"))
                       for k, v in UNICODE.items())
        d = self.describe(pool, ident, DS)["Dataset"]
        self.assertEqual(d["DataStorage"], expected)
        self.assertEqual(d["NumRecords"], len(UNICODE))

    def test_unicode_key_conflict_message(self):
        pool, ident = self.ids()
        self.put_new(pool, ident, DS, {"ключ😀": "1"})
        self.assertClientError(lambda: self.push(pool, ident, DS, [replace("ключ😀", "2", 0)]),
                               "ResourceConflictException", 409,
                               "Current SyncCount for: ключ😀 is: 1 not: 0")


class Device:
    """A local replica running the client algorithm of PROTOCOL.md 5.11 (Android/.NET)."""

    def __init__(self, test, client, pool, ident, ds):
        self.t, self.c, self.pool, self.ident, self.ds = test, client, pool, ident, ds
        self.last = 0
        self.local = {}  # key -> [value or None, syncCount, dirty]

    def set(self, key, value):
        rec = self.local.setdefault(key, [None, 0, False])
        rec[0], rec[2] = value, True

    def _pull(self):
        out, page = self.t.all_records(self.pool, self.ident, self.ds, client=self.c,
                                       LastSyncCount=self.last, MaxResults=1024)
        for key, r in out.items():
            remote_value = r.get("Value")
            loc = self.local.get(key)
            if loc and loc[2] and loc[1] != r["SyncCount"] and loc[0] != remote_value:
                # conflict: keep the larger number, as the app's resolver would
                merged = str(max(int(loc[0] or 0), int(remote_value or 0)))
                self.local[key] = [merged, r["SyncCount"], True]
            else:
                self.local[key] = [remote_value, r["SyncCount"], False]
        if out:
            self.last = page["DatasetSyncCount"]
        return page["SyncSessionToken"]

    def _push(self, token):
        dirty = {k: v for k, v in self.local.items() if v[2]}
        if not dirty:
            return True
        patches = [replace(k, v[0], v[1]) if v[0] is not None else remove(k, v[1])
                   for k, v in dirty.items()]
        try:
            out = self.c.update_records(IdentityPoolId=self.pool, IdentityId=self.ident,
                                        DatasetName=self.ds, RecordPatches=patches,
                                        SyncSessionToken=token)
        except ClientError as e:
            if error_code(e) != "ResourceConflictException":
                raise
            return False
        counts = set()
        for r in out["Records"]:
            self.local[r["Key"]] = [r.get("Value"), r["SyncCount"], False]
            counts.add(r["SyncCount"])
        self.t.assertEqual(len(counts), 1)
        if max(counts) == self.last + 1:
            self.last = max(counts)
        return True

    def sync(self, between=None):
        for _ in range(4):
            token = self._pull()
            if between:
                between()
                between = None
            if self._push(token):
                return
        self.t.fail("sync did not converge in 4 attempts")

    def values(self):
        return {k: v[0] for k, v in self.local.items() if v[0] is not None}


class TwoDevices(ServerTestCase):
    def test_conflict_then_convergence(self):
        pool, ident = self.ids()
        a = Device(self, self.server.client(), pool, ident, "game")
        b = Device(self, self.server.client(), pool, ident, "game")
        a.set("score", "1")
        a.sync()
        b.sync()
        self.assertEqual(b.values(), {"score": "1"})

        a.set("score", "5")
        b.set("score", "7")
        b.set("b_only", "x")
        a.set("a_only", "y")
        # B lists, then A pushes before B does: B's push hits a 409, B re-lists, merges, pushes.
        b.sync(between=a.sync)
        a.sync()
        b.sync()
        expected = {"score": "7", "a_only": "y", "b_only": "x"}
        self.assertEqual(a.values(), expected)
        self.assertEqual(b.values(), expected)
        server, page = self.all_records(pool, ident, "game")
        self.assertEqual({k: r["Value"] for k, r in server.items() if "Value" in r}, expected)
        self.assertEqual(a.last, page["DatasetSyncCount"])
        self.assertEqual(b.last, page["DatasetSyncCount"])
        # sync counts agree between replicas and server
        for k, r in server.items():
            self.assertEqual(a.local[k][1], r["SyncCount"])
            self.assertEqual(b.local[k][1], r["SyncCount"])

    def test_conflicting_push_is_409(self):
        pool, ident = self.ids()
        a = Device(self, self.server.client(), pool, ident, "g2")
        b = Device(self, self.server.client(), pool, ident, "g2")
        a.set("k", "1")
        a.sync()
        b.sync()
        token_b = b._pull()
        a.set("k", "2")
        a.sync()
        b.set("k", "3")
        self.assertFalse(b._push(token_b), "stale push from B must be refused with 409")
        b.sync()
        a.sync()
        self.assertEqual(a.values(), {"k": "3"})
        self.assertEqual(b.values(), {"k": "3"})


if __name__ == "__main__":
    unittest.main()
