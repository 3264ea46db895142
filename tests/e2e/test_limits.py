"""Quotas: 20 datasets per identity, 1024 records per dataset, 1 MB per dataset (UTF-8 bytes of
key + value over live records). A refused write leaves earlier data intact. PROTOCOL.md 6.1."""
import os
import sys
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support"))

from e2e_base import ServerTestCase, remove, replace  # noqa: E402

LE = "LimitExceededException"
MB = 1048576


class DatasetCountLimit(ServerTestCase):
    def test_21st_dataset_refused(self):
        pool, ident = self.ids()
        for i in range(20):
            self.put_new(pool, ident, f"ds{i:02d}", {"k": str(i)})
        self.assertClientError(lambda: self.put_new(pool, ident, "ds20", {"k": "20"}), LE, 400)
        out = self.c.list_datasets(IdentityPoolId=pool, IdentityId=ident)
        self.assertEqual(sorted(d["DatasetName"] for d in out["Datasets"]),
                         [f"ds{i:02d}" for i in range(20)])
        self.assertIs(self.list_records(pool, ident, "ds20")["DatasetExists"], False)
        for i in (0, 19):
            recs = self.list_records(pool, ident, f"ds{i:02d}")["Records"]
            self.assertEqual([(r["Key"], r["Value"]) for r in recs], [("k", str(i))])
        # writing to an existing dataset is still fine
        self.push(pool, ident, "ds05", [replace("k", "again", 1)])
        # deleting one frees a slot
        self.c.delete_dataset(IdentityPoolId=pool, IdentityId=ident, DatasetName="ds00")
        self.put_new(pool, ident, "ds20", {"k": "20"})
        # the limit is per identity
        other = self.ids()[1]
        self.put_new(pool, other, "ds20", {"k": "x"})


class RecordCountLimit(ServerTestCase):
    def test_1025th_record_refused(self):
        pool, ident = self.ids()
        self.put_new(pool, ident, "big", {f"k{i:04d}": "v" for i in range(1024)})   # count 1
        self.assertClientError(lambda: self.put_new(pool, ident, "big", {"extra": "v"}), LE, 400)
        d = self.describe(pool, ident, "big")["Dataset"]
        self.assertEqual(d["NumRecords"], 1024)
        listed = self.list_records(pool, ident, "big")
        self.assertEqual(listed["DatasetSyncCount"], 1)
        self.assertNotIn("extra", {r["Key"] for r in listed["Records"]})
        # replacing existing records at the limit works
        self.push(pool, ident, "big", [replace("k0000", "w", 1)])                    # count 2
        # tombstones are not live records: remove one, then a new key fits
        self.push(pool, ident, "big", [remove("k0001", 1)])                          # count 3
        self.put_new(pool, ident, "big", {"extra": "v"})                             # count 4
        self.assertEqual(self.describe(pool, ident, "big")["Dataset"]["NumRecords"], 1024)
        self.assertClientError(lambda: self.put_new(pool, ident, "big", {"extra2": "v"}),
                               LE, 400)

    def test_1025_records_in_one_call_refused(self):
        pool, ident = self.ids()
        self.assertClientError(
            lambda: self.put_new(pool, ident, "big2", {f"k{i}": "v" for i in range(1025)}),
            LE, 400)
        self.assertIs(self.list_records(pool, ident, "big2")["DatasetExists"], False)


class DatasetSizeLimit(ServerTestCase):
    def test_exactly_1mb_in_one_escape_heavy_push(self):
        pool, ident = self.ids()
        # 1 + 1048575 bytes: exactly the limit. '"' and \x01 are escaped by JSON ('\"' and
        # '\u0001'), so the request body is about 4 MB.
        value = ('"\x01' * (MB // 2))[:MB - 1]
        out = self.push(pool, ident, "mb", [replace("k", value, 0)])
        self.assertEqual(out["Records"][0]["Value"], value)
        d = self.describe(pool, ident, "mb")["Dataset"]
        self.assertEqual(d["DataStorage"], MB)
        self.assertEqual(self.list_records(pool, ident, "mb")["Records"][0]["Value"], value)
        # one more byte is too much, and the refused write changes nothing
        self.assertClientError(lambda: self.put_new(pool, ident, "mb", {"x": ""}), LE, 400)
        self.assertEqual(self.describe(pool, ident, "mb")["Dataset"]["DataStorage"], MB)
        listed = self.list_records(pool, ident, "mb")
        self.assertEqual([r["Key"] for r in listed["Records"]], ["k"])
        self.assertEqual(listed["DatasetSyncCount"], 1)
        # shrinking then growing within the limit works
        self.push(pool, ident, "mb", [replace("k", "small", 1), replace("x", "", 0)])

    def test_over_1mb_across_records(self):
        pool, ident = self.ids()
        half = "a" * (MB // 2)
        self.put_new(pool, ident, "mb2", {"a": half})                   # 524289 bytes
        self.assertClientError(lambda: self.put_new(pool, ident, "mb2", {"b": half}), LE, 400)
        d = self.describe(pool, ident, "mb2")["Dataset"]
        self.assertEqual((d["NumRecords"], d["DataStorage"]), (1, MB // 2 + 1))
        # removing the first record frees its space but for its key byte
        self.push(pool, ident, "mb2", [remove("a", 1), replace("b", half, 0)])
        self.assertEqual(self.describe(pool, ident, "mb2")["Dataset"]["DataStorage"],
                         MB // 2 + 1)  # DataStorage counts live records only

    def test_size_counts_utf8_bytes_not_characters(self):
        pool, ident = self.ids()
        # 262144 emoji = 1048576 UTF-8 bytes (+1 for the key): over, though only 262144 chars
        self.assertClientError(
            lambda: self.put_new(pool, ident, "emoji", {"k": "😀" * (MB // 4)}), LE, 400)
        fits = "😀" * (MB // 4 - 1) + "abc"                            # 1048575 bytes
        self.put_new(pool, ident, "emoji", {"k": fits})
        self.assertEqual(self.describe(pool, ident, "emoji")["Dataset"]["DataStorage"], MB)


class ConfiguredLimits(ServerTestCase):
    SERVER_ARGS = ("--max-datasets", "2", "--max-records", "3", "--max-dataset-bytes", "10")

    def test_flags_are_honoured(self):
        pool, ident = self.ids()
        self.put_new(pool, ident, "a", {"k": "v"})
        self.put_new(pool, ident, "b", {"k": "v"})
        self.assertClientError(lambda: self.put_new(pool, ident, "c", {"k": "v"}), LE, 400)
        self.put_new(pool, ident, "a", {"k2": "v", "k3": "v"})
        self.assertClientError(lambda: self.put_new(pool, ident, "a", {"k4": "v"}), LE, 400)
        self.assertClientError(lambda: self.put_new(pool, ident, "b", {"long": "123456"}),
                               LE, 400)
        self.put_new(pool, ident, "b", {"ok": "12345"})  # 2 + 7 = 9 bytes


if __name__ == "__main__":
    unittest.main()
