"""BulkPublish (PROTOCOL.md 7.5) to a file stream sink: every live dataset of the pool is
published as a "replace" record, GetBulkPublishDetails reports SUCCEEDED, and a second request
within the interval is AlreadyStreamedException (or accepted once a 1 s interval has passed)."""
import json
import os
import time
import unittest

from hooks_base import ClientError, HooksTestCase, ROLE_ARN, error_code, new_identity, new_pool, replace


def bulk_lines(path, pool):
    if not os.path.exists(path):
        return []
    with open(path, encoding="utf-8") as f:
        lines = [json.loads(l) for l in f if l.strip()]
    return [l for l in lines if "/" in l["eventId"] and l["record"]["identityPoolId"] == pool]


class BulkBase(HooksTestCase):
    @classmethod
    def hooks(cls, receiver, tmp_dir):
        cls.file = os.path.join(tmp_dir, "bulk.ndjson")
        return {"sink.audit": {"type": "file", "path": cls.file, "fsync": "never", "streams": "*"}}

    def fill_pool(self, identities=10, datasets=3):
        pool = new_pool()
        expected = {}
        for i in range(identities):
            ident = new_identity()
            for d in range(datasets):
                self.push(pool, ident, f"ds{d}", [replace("a", f"{i}-{d}", 0), replace("b", "x", 0)])
                expected[(ident, f"ds{d}")] = f"{i}-{d}"
        # a deleted dataset is not published
        self.c.delete_dataset(IdentityPoolId=pool, IdentityId=ident, DatasetName="ds0")
        del expected[(ident, "ds0")]
        self.enable_streams(pool, "bulk-stream")
        return pool, expected

    def wait_status(self, pool, timeout=30):
        deadline = time.monotonic() + timeout
        while True:
            d = self.c.get_bulk_publish_details(IdentityPoolId=pool)
            if d["BulkPublishStatus"] in ("SUCCEEDED", "FAILED") or time.monotonic() > deadline:
                return d
            time.sleep(0.1)


class BulkPublish(BulkBase):
    def test_publishes_every_live_dataset_then_refuses_a_second(self):
        pool, expected = self.fill_pool()
        self.assertEqual(self.c.bulk_publish(IdentityPoolId=pool)["IdentityPoolId"], pool)
        d = self.wait_status(pool)
        self.assertEqual(d["BulkPublishStatus"], "SUCCEEDED", d)
        self.assertIn("BulkPublishCompleteTime", d)
        lines = bulk_lines(self.file, pool)
        got = {(l["record"]["identityId"], l["record"]["dataSetName"]): l["record"] for l in lines}
        self.assertEqual(set(got), set(expected))
        for key, rec in got.items():
            self.assertEqual(rec["operation"], "replace")
            self.assertEqual({r["key"]: r["value"] for r in rec["kinesisSyncRecords"]},
                             {"a": expected[key], "b": "x"})
        self.assertEqual(len({l["eventId"] for l in lines}), len(lines))
        with self.assertRaises(ClientError) as cm:
            self.c.bulk_publish(IdentityPoolId=pool)
        self.assertEqual(error_code(cm.exception), "AlreadyStreamedException")

    def test_disabled_streams_is_refused_or_fails(self):
        pool = new_pool()
        self.push(pool, new_identity(), "ds", [replace("k", "v", 0)])
        self.c.set_identity_pool_configuration(
            IdentityPoolId=pool,
            CognitoStreams={"StreamName": "x", "RoleArn": ROLE_ARN, "StreamingStatus": "DISABLED"})
        try:
            self.c.bulk_publish(IdentityPoolId=pool)
        except ClientError:
            return  # refused up front (PROTOCOL.md 7.5)
        self.assertEqual(self.wait_status(pool)["BulkPublishStatus"], "FAILED")


class BulkPublishShortInterval(BulkBase):
    SERVER_ARGS = ("--bulk-publish-interval-seconds", "1")

    def test_second_publish_after_the_interval(self):
        pool, expected = self.fill_pool(identities=3, datasets=2)
        self.c.bulk_publish(IdentityPoolId=pool)
        self.assertEqual(self.wait_status(pool)["BulkPublishStatus"], "SUCCEEDED")
        time.sleep(1.2)
        self.c.bulk_publish(IdentityPoolId=pool)
        self.assertEqual(self.wait_status(pool)["BulkPublishStatus"], "SUCCEEDED")
        lines = bulk_lines(self.file, pool)
        self.assertEqual(len(lines), 2 * len(expected))


if __name__ == "__main__":
    unittest.main()
