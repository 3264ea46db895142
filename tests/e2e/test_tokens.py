"""SyncSessionToken rules: required, single use, not spent by a 409, bound to identity and
dataset, garbage refused, expiry. PROTOCOL.md 5.3-5.5."""
import json
import os
import sys
import time
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support"))

from e2e_base import TOKEN_RE, ServerTestCase, dataset_path, replace  # noqa: E402

DS = "tokens"
IP = "InvalidParameterException"


class TokenRules(ServerTestCase):
    def test_update_without_token_raw_http(self):
        pool, ident = self.ids()
        res = self.server.request("POST", dataset_path(pool, ident, DS),
                                  {"RecordPatches": [replace("k", "v", 0)]})
        self.assertAwsError(res, 400, IP)
        self.assertEqual(self.list_records(pool, ident, DS)["DatasetExists"], False)

    def test_update_with_empty_token(self):
        pool, ident = self.ids()
        res = self.server.request("POST", dataset_path(pool, ident, DS),
                                  {"RecordPatches": [replace("k", "v", 0)],
                                   "SyncSessionToken": ""})
        self.assertAwsError(res, 400, IP)

    def test_garbage_tokens(self):
        pool, ident = self.ids()
        real = self.list_records(pool, ident, DS)["SyncSessionToken"]
        tampered = real[:-2] + ("AA" if real[-2:] != "AA" else "BB")
        for bad in ("garbage", "AAAA", "x" * 500, tampered, real + "x", "!!!", "a.b.c"):
            with self.subTest(token=bad):
                self.assertClientError(
                    lambda: self.update(pool, ident, DS, [replace("k", "v", 0)], bad), IP, 400)
        self.assertClientError(
            lambda: self.list_records(pool, ident, DS, SyncSessionToken="garbage"), IP, 400)
        self.assertEqual(self.list_records(pool, ident, DS)["DatasetExists"], False)

    def test_token_is_single_use(self):
        pool, ident = self.ids()
        token = self.list_records(pool, ident, DS)["SyncSessionToken"]
        self.update(pool, ident, DS, [replace("k", "v1", 0)], token)
        self.assertClientError(
            lambda: self.update(pool, ident, DS, [replace("k", "v2", 1)], token), IP, 400)
        self.assertClientError(
            lambda: self.list_records(pool, ident, DS, SyncSessionToken=token), IP, 400)
        recs = self.list_records(pool, ident, DS)["Records"]
        self.assertEqual([(r["Key"], r["Value"], r["SyncCount"]) for r in recs], [("k", "v1", 1)])

    def test_conflict_does_not_spend_token(self):
        pool, ident = self.ids()
        self.put_new(pool, ident, DS, {"k": "v1"})                 # count 1
        token = self.list_records(pool, ident, DS)["SyncSessionToken"]
        self.assertClientError(
            lambda: self.update(pool, ident, DS, [replace("k", "v2", 0)], token),
            "ResourceConflictException", 409)
        out = self.update(pool, ident, DS, [replace("k", "v2", 1)], token)
        self.assertEqual(out["Records"][0]["SyncCount"], 2)
        self.assertClientError(
            lambda: self.update(pool, ident, DS, [replace("k", "v3", 2)], token), IP, 400)

    def test_token_bound_to_identity(self):
        pool, ident = self.ids()
        other = self.ids()[1]
        token = self.list_records(pool, ident, DS)["SyncSessionToken"]
        self.assertClientError(
            lambda: self.update(pool, other, DS, [replace("k", "v", 0)], token), IP, 400)
        self.assertClientError(
            lambda: self.list_records(pool, other, DS, SyncSessionToken=token), IP, 400)
        # still usable where it belongs
        self.update(pool, ident, DS, [replace("k", "v", 0)], token)

    def test_token_bound_to_dataset(self):
        pool, ident = self.ids()
        token = self.list_records(pool, ident, DS)["SyncSessionToken"]
        self.assertClientError(
            lambda: self.update(pool, ident, "another", [replace("k", "v", 0)], token), IP, 400)
        self.assertEqual(self.list_records(pool, ident, "another")["DatasetExists"], False)
        self.update(pool, ident, DS, [replace("k", "v", 0)], token)

    def test_list_accepts_unused_token_and_returns_fresh_one(self):
        pool, ident = self.ids()
        token = self.list_records(pool, ident, DS)["SyncSessionToken"]
        out = self.list_records(pool, ident, DS, SyncSessionToken=token)
        self.assertRegex(out["SyncSessionToken"], TOKEN_RE)
        self.assertNotEqual(out["SyncSessionToken"], token)
        # both the retried token and the fresh one are still unused
        self.update(pool, ident, DS, [replace("k", "v", 0)], token)
        self.update(pool, ident, DS, [replace("k", "w", 1)], out["SyncSessionToken"])

    def test_tokens_are_distinct(self):
        pool, ident = self.ids()
        tokens = {self.list_records(pool, ident, DS)["SyncSessionToken"] for _ in range(5)}
        self.assertEqual(len(tokens), 5)

    def test_token_travels_in_query_string_untouched(self):
        """Raw ListRecords with the token in the query string, as all SDKs send it."""
        pool, ident = self.ids()
        token = self.list_records(pool, ident, DS)["SyncSessionToken"]
        res = self.server.request(
            "GET", dataset_path(pool, ident, DS, "/records") + f"?syncSessionToken={token}")
        self.assertEqual(res.status, 200, res)
        self.assertRegex(json.loads(res.body)["SyncSessionToken"], TOKEN_RE)


class TokenExpiry(ServerTestCase):
    SERVER_ARGS = ("--session-ttl-seconds", "1")

    def test_expired_token_refused(self):
        pool, ident = self.ids()
        token = self.list_records(pool, ident, DS)["SyncSessionToken"]
        time.sleep(2.5)  # documented TTL case: the server was started with a 1 s lifetime
        self.assertClientError(
            lambda: self.update(pool, ident, DS, [replace("k", "v", 0)], token), IP, 400)
        self.assertClientError(
            lambda: self.list_records(pool, ident, DS, SyncSessionToken=token), IP, 400)
        # a fresh token works
        fresh = self.list_records(pool, ident, DS)["SyncSessionToken"]
        self.update(pool, ident, DS, [replace("k", "v", 0)], fresh)


if __name__ == "__main__":
    unittest.main()
