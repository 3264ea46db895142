"""DescribeIdentityUsage, DescribeIdentityPoolUsage, ListIdentityPoolUsage. PROTOCOL.md 3.2, 6.1."""
import datetime
import os
import sys
import time
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support"))

from e2e_base import TOKEN_RE, ServerTestCase, new_identity, new_pool  # noqa: E402


def size(mapping):
    return sum(len(k.encode()) + len(v.encode()) for k, v in mapping.items())


class Usage(ServerTestCase):
    def test_describe_identity_usage(self):
        pool, ident = self.ids()
        d1 = {"a": "1", "bb": "22"}
        d2 = {"ключ": "значение"}
        self.put_new(pool, ident, "one", d1)
        self.put_new(pool, ident, "two", d2)
        self.put_new(pool, ident, "gone", {"x": "yyyy"})
        self.c.delete_dataset(IdentityPoolId=pool, IdentityId=ident, DatasetName="gone")
        self.push(pool, ident, "one", [{"Op": "remove", "Key": "a", "SyncCount": 1}])
        u = self.c.describe_identity_usage(IdentityPoolId=pool, IdentityId=ident)["IdentityUsage"]
        self.assertEqual(u["IdentityId"], ident)
        self.assertEqual(u["IdentityPoolId"], pool)
        self.assertEqual(u["DatasetCount"], 2)
        self.assertEqual(u["DataStorage"], size({"bb": "22"}) + size(d2))
        self.assertIsInstance(u["LastModifiedDate"], datetime.datetime)
        self.assertRecentDatetime(u["LastModifiedDate"])
        # usage is per identity
        other = new_identity()
        self.put_new(pool, other, "one", {"z": "z"})
        u = self.c.describe_identity_usage(IdentityPoolId=pool, IdentityId=ident)["IdentityUsage"]
        self.assertEqual(u["DatasetCount"], 2)

    def test_describe_identity_pool_usage(self):
        pool = new_pool()
        a, b = new_identity(), new_identity()
        self.put_new(pool, a, "ds", {"k": "v"})              # 1 ListRecords
        self.put_new(pool, a, "ds2", {"kk": "vv"})           # 1 ListRecords
        self.put_new(pool, b, "ds", {"key": "value"})        # 1 ListRecords
        for _ in range(4):
            self.list_records(pool, b, "ds")                 # 4 ListRecords
        expected_storage = size({"k": "v"}) + size({"kk": "vv"}) + size({"key": "value"})
        # The first ListRecords came before the pool held any dataset: its session counts only if
        # the count was stored after that first write (reads on never-written pools store nothing).
        lists_made = 6
        deadline = time.monotonic() + 3.0
        while True:
            u = self.c.describe_identity_pool_usage(IdentityPoolId=pool)["IdentityPoolUsage"]
            if u.get("SyncSessionsCount", 0) >= lists_made or time.monotonic() > deadline:
                break
            time.sleep(0.1)  # documented: the session count may be flushed up to ~1 s later
        self.assertEqual(u["IdentityPoolId"], pool)
        self.assertEqual(u["DataStorage"], expected_storage)
        self.assertGreaterEqual(u.get("SyncSessionsCount", 0), lists_made, u)
        self.assertIsInstance(u["LastModifiedDate"], datetime.datetime)
        # another pool is separate
        other = new_pool()
        self.put_new(other, a, "ds", {"q": "q"})
        u2 = self.c.describe_identity_pool_usage(IdentityPoolId=pool)["IdentityPoolUsage"]
        self.assertEqual(u2["DataStorage"], expected_storage)

    def test_list_identity_pool_usage_pagination(self):
        pools = [new_pool() for _ in range(5)]
        for i, p in enumerate(pools):
            self.put_new(p, new_identity(), "ds", {"k": "v" * (i + 1)})
        seen = {}
        token = None
        pages = 0
        while True:
            kw = {"MaxResults": 2}
            if token:
                kw["NextToken"] = token
            out = self.c.list_identity_pool_usage(**kw)
            pages += 1
            self.assertLessEqual(len(out["IdentityPoolUsages"]), 2)
            self.assertEqual(out["Count"], len(out["IdentityPoolUsages"]))
            self.assertEqual(out["MaxResults"], 2)
            for u in out["IdentityPoolUsages"]:
                self.assertNotIn(u["IdentityPoolId"], seen, "pool listed twice")
                seen[u["IdentityPoolId"]] = u
            token = out.get("NextToken")
            if token is None:
                break
            self.assertRegex(token, TOKEN_RE)
            self.assertLess(pages, 100)
        for i, p in enumerate(pools):
            self.assertIn(p, seen)
            self.assertEqual(seen[p]["DataStorage"], 1 + i + 1)
        self.assertGreaterEqual(pages, 3)

    def test_list_identity_pool_usage_single_page(self):
        p = new_pool()
        self.put_new(p, new_identity(), "ds", {"k": "v"})
        ids = []
        kw = {}
        for _ in range(100):
            out = self.c.list_identity_pool_usage(**kw)
            page = [u["IdentityPoolId"] for u in out["IdentityPoolUsages"]]
            self.assertEqual(out["Count"], len(page))
            self.assertIsInstance(out.get("MaxResults"), int)
            self.assertLessEqual(len(page), out["MaxResults"])
            ids += page
            if "NextToken" not in out:
                break
            kw = {"NextToken": out["NextToken"]}
        self.assertIn(p, ids)

    def test_invalid_next_token(self):
        self.assertClientError(lambda: self.c.list_identity_pool_usage(NextToken="%%bad%%"),
                               "InvalidParameterException", 400)


if __name__ == "__main__":
    unittest.main()
