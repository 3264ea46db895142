"""Storage rules clients never see fail but a hostile caller could abuse: binary-safe pagination
cursors, bounded tombstones, reads that store nothing. PROTOCOL.md 5.3, 5.6, 5.9, 6.1."""
import os
import sys
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support"))

from e2e_base import ServerTestCase, remove, replace  # noqa: E402

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
        self.assertEqual({k: r["Value"] for k, r in seen.items()}, {"a": "2", "a\0b": "3", "a\0c": "4"})
        delta, _ = self.all_records(pool, ident, DS, MaxResults=1, LastSyncCount=1)
        self.assertEqual(sorted(delta), ["a\0b", "a\0c"])


if __name__ == "__main__":
    unittest.main()
