"""Cognito Streams on a fresh server. Without a hooks file, stream records go to the embedded
default sink: one newline-delimited JSON file per stream under <data-dir>/streams, so
UpdateRecords and BulkPublish publish out of the box. With a hooks file, a StreamName no stream
sink serves is refused by SetIdentityPoolConfiguration with InvalidConfigurationException."""
import json
import os
import time
import unittest

from hooks_base import ClientError, HooksTestCase, ROLE_ARN, error_code, new_identity, new_pool, replace
from e2e_base import ServerTestCase  # noqa: E402 (hooks_base puts tests/support on the path)


def stream_config(name):
    return {"StreamName": name, "RoleArn": ROLE_ARN, "StreamingStatus": "ENABLED"}


class NoHooksFile(ServerTestCase):
    def push(self, pool, ident, ds, patches):
        token = self.c.list_records(IdentityPoolId=pool, IdentityId=ident, DatasetName=ds)["SyncSessionToken"]
        return self.c.update_records(IdentityPoolId=pool, IdentityId=ident, DatasetName=ds,
                                     RecordPatches=patches, SyncSessionToken=token)

    def lines(self, stream):
        path = os.path.join(self.server.data_dir, "streams", stream + ".ndjson")
        if not os.path.exists(path):
            return []
        with open(path, encoding="utf-8") as f:
            return [json.loads(l) for l in f if l.strip()]

    def test_updates_and_bulk_publish_reach_a_file_per_stream(self):
        pool, ident = new_pool(), new_identity()
        self.push(pool, ident, "before", [replace("a", "1", 0)])
        self.c.set_identity_pool_configuration(IdentityPoolId=pool, CognitoStreams=stream_config("dev-stream"))
        self.push(pool, ident, "after", [replace("b", "2", 0)])
        self.c.bulk_publish(IdentityPoolId=pool)
        deadline = time.monotonic() + 30
        while True:
            status = self.c.get_bulk_publish_details(IdentityPoolId=pool)["BulkPublishStatus"]
            if status in ("SUCCEEDED", "FAILED") or time.monotonic() > deadline:
                break
            time.sleep(0.05)
        self.assertEqual(status, "SUCCEEDED")
        got = [(l["record"]["dataSetName"], "/" in l["eventId"]) for l in self.lines("dev-stream")
               if l["record"]["identityPoolId"] == pool]
        # the live update, then the bulk publish of both datasets (the status waits for them)
        self.assertEqual(got[0], ("after", False))
        self.assertEqual(sorted(d for d, bulk in got if bulk), ["after", "before"])
        self.assertEqual(self.lines("dev-stream")[0]["streamName"], "dev-stream")


class HooksFileServesOneStream(HooksTestCase):
    @classmethod
    def hooks(cls, receiver, tmp_dir):
        return {"sink.audit": {"type": "file", "path": os.path.join(tmp_dir, "s.ndjson"), "streams": "served"}}

    def test_unserved_stream_name_is_refused_naming_it(self):
        pool = new_pool()
        with self.assertRaises(ClientError) as cm:
            self.c.set_identity_pool_configuration(IdentityPoolId=pool, CognitoStreams=stream_config("nobody"))
        self.assertEqual(error_code(cm.exception), "InvalidConfigurationException")
        self.assertIn("'nobody'", cm.exception.response["Error"]["Message"])
        self.assertNotIn("CognitoStreams", self.c.get_identity_pool_configuration(IdentityPoolId=pool))
        self.c.set_identity_pool_configuration(IdentityPoolId=pool, CognitoStreams=stream_config("served"))


if __name__ == "__main__":
    unittest.main()
