"""Cognito Streams (PROTOCOL.md 7.4) through file and webhook stream sinks: one record per
UpdateRecords and DeleteDataset, of the documented shape, for pools whose streaming is ENABLED."""
import json
import os
import time
import unittest

from hooks_base import ClientError, HooksTestCase, ROLE_ARN, error_code, new_identity, new_pool, replace


def check_record_shape(test, rec, pool, ident, ds, operation):
    test.assertEqual(set(rec), {"identityPoolId", "identityId", "dataSetName", "operation",
                                "kinesisSyncRecords", "lastModifiedDate", "payloadType", "syncCount"})
    test.assertEqual((rec["identityPoolId"], rec["identityId"], rec["dataSetName"]), (pool, ident, ds))
    test.assertEqual(rec["operation"], operation)
    test.assertEqual(rec["payloadType"], "Inline")
    test.assertIsInstance(rec["syncCount"], int)
    test.assertGreater(rec["lastModifiedDate"], 10**12)  # epoch milliseconds
    for r in rec["kinesisSyncRecords"]:
        test.assertLessEqual(set(r), {"key", "value", "syncCount", "lastModifiedDate",
                                      "deviceLastModifiedDate", "op"})
        test.assertIn(r["op"], ("replace", "remove"))
        test.assertGreater(r["lastModifiedDate"], 10**12)


def read_lines(path):
    if not os.path.exists(path):
        return []
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def wait_lines(path, predicate, timeout=20.0):
    deadline = time.monotonic() + timeout
    while True:
        lines = read_lines(path)
        if predicate(lines):
            return lines
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out; {len(lines)} lines: {lines[:10]}")
        time.sleep(0.05)


class StreamSinks(HooksTestCase):
    @classmethod
    def hooks(cls, receiver, tmp_dir):
        cls.file = os.path.join(tmp_dir, "changes.ndjson")
        return {"sink.audit": {"type": "file", "path": cls.file, "fsync": "always", "streams": "*"},
                "sink.hook": {"type": "webhook", "url": receiver.url("/stream"), "streams": "only-this"}}

    def test_each_update_and_delete_becomes_one_record(self):
        pool, ident = new_pool(), new_identity()
        self.enable_streams(pool, "only-this")
        counts = []
        count = 0
        for i in range(4):
            out = self.push(pool, ident, "ds", [replace("k", f"v{i}", count), replace(f"n{i}", "x", 0)])
            count = out["Records"][0]["SyncCount"]
            counts.append(count)
        self.c.delete_dataset(IdentityPoolId=pool, IdentityId=ident, DatasetName="ds")

        def mine_file(lines):
            return [l for l in lines if l["record"]["identityId"] == ident]
        lines = mine_file(wait_lines(self.file, lambda ls: len(mine_file(ls)) >= 5))
        hooks = self.receiver.wait_for(
            lambda ds: len([d for d in ds if d.json["identityId"] == ident]) >= 5, path="/stream")
        hooks = [d for d in hooks if d.json["identityId"] == ident]
        self.assertEqual(len({l["eventId"] for l in lines}), 5)
        self.assertEqual([l["eventId"] for l in lines], [d.event_id for d in hooks])
        for l in lines:
            self.assertEqual(l["streamName"], "only-this")
            self.assertEqual(l["partitionKey"], ident)
        for i, l in enumerate(lines[:4]):
            rec = l["record"]
            check_record_shape(self, rec, pool, ident, "ds", "replace")
            self.assertEqual(rec["syncCount"], counts[i])
            by_key = {r["key"]: r for r in rec["kinesisSyncRecords"]}
            self.assertEqual(by_key["k"]["value"], f"v{i}")
            self.assertEqual(by_key["k"]["op"], "replace")
            self.assertEqual(by_key["k"]["syncCount"], counts[i])
            self.assertEqual(by_key[f"n{i}"]["value"], "x")
        check_record_shape(self, lines[4]["record"], pool, ident, "ds", "remove")
        self.assertEqual([d.json for d in hooks], [l["record"] for l in lines])
        self.assertEqual(hooks[0].headers["x-cogsync-stream"], "only-this")
        self.assertEqual(hooks[0].headers["x-cogsync-partition-key"], ident)

    def test_removed_record_has_op_remove_and_no_value(self):
        pool, ident = new_pool(), new_identity()
        self.enable_streams(pool, "s2")
        out = self.push(pool, ident, "ds", [replace("gone", "v", 0)])
        count = out["Records"][0]["SyncCount"]
        self.push(pool, ident, "ds", [{"Op": "remove", "Key": "gone", "SyncCount": count}])
        lines = wait_lines(self.file, lambda ls: len([l for l in ls if l["record"]["identityId"] == ident]) >= 2)
        rec = [l for l in lines if l["record"]["identityId"] == ident][1]["record"]
        self.assertEqual(rec["operation"], "replace")
        [r] = rec["kinesisSyncRecords"]
        self.assertEqual(r["op"], "remove")
        self.assertNotIn("value", r)

    def test_disabled_or_unconfigured_streams_publish_nothing(self):
        pool, ident = new_pool(), new_identity()
        self.c.set_identity_pool_configuration(
            IdentityPoolId=pool,
            CognitoStreams={"StreamName": "s3", "RoleArn": ROLE_ARN, "StreamingStatus": "DISABLED"})
        self.push(pool, ident, "ds", [replace("k", "v", 0)])
        other_pool, other = new_pool(), new_identity()
        self.push(other_pool, other, "ds", [replace("k", "v", 0)])
        # a later enabled pool's record proves the sink has passed the earlier events
        marker_pool, marker = new_pool(), new_identity()
        self.enable_streams(marker_pool, "s3")
        self.push(marker_pool, marker, "ds", [replace("k", "v", 0)])
        lines = wait_lines(self.file, lambda ls: any(l["record"]["identityId"] == marker for l in ls))
        self.assertFalse([l for l in lines if l["record"]["identityId"] in (ident, other)])

    def test_stream_name_with_cr_lf_is_refused(self):
        # the name goes out as the X-Cogsync-Stream header: CR/LF would inject headers or a request
        pool = new_pool()
        for name in ("only-this\r\nX-Injected: 1", "only-this\r\n\r\nPOST /smuggled HTTP/1.1", "a b"):
            with self.assertRaises(ClientError) as cm:
                self.enable_streams(pool, name)
            self.assertEqual(error_code(cm.exception), "InvalidParameterException")
        self.assertNotIn("CognitoStreams", self.c.get_identity_pool_configuration(IdentityPoolId=pool))


if __name__ == "__main__":
    unittest.main()
