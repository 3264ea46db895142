"""Cognito Streams on a fresh server. Without a hooks file, stream records go to the embedded
default sink: one newline-delimited JSON file per stream under <data-dir>/streams, so
UpdateRecords and BulkPublish publish out of the box. With a hooks file, a StreamName no stream
sink serves is refused by SetIdentityPoolConfiguration with InvalidConfigurationException.
A record beyond Kinesis's 1 MiB carries payloadType S3Url and a URL, signed by this server and
valid for --stream-payload-ttl-seconds, that serves its kinesisSyncRecords."""
import json
import os
import time
import unittest
import urllib.error
import urllib.request

from hooks_base import ClientError, HooksTestCase, ROLE_ARN, error_code, new_identity, new_pool, replace
from e2e_base import CredentialsServerTestCase, ServerTestCase  # noqa: E402 (hooks_base puts tests/support on the path)


def stream_config(name):
    return {"StreamName": name, "RoleArn": ROLE_ARN, "StreamingStatus": "ENABLED"}


def fetch(url):
    """(status, body) of a GET, 4xx/5xx included."""
    try:
        with urllib.request.urlopen(url, timeout=30) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()


BIG = [replace(f"k{i:04d}", "x" * 1000, 0) for i in range(1000)]  # ~1 MB, under the dataset limit


class StreamsBase(ServerTestCase):
    """A server without a hooks file, and helpers; the tests are in the subclasses."""

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

    def big_record(self, stream):
        pool, ident = new_pool(), new_identity()
        self.c.set_identity_pool_configuration(IdentityPoolId=pool, CognitoStreams=stream_config(stream))
        self.push(pool, ident, "big", BIG)
        deadline = time.monotonic() + 30
        while not self.lines(stream) and time.monotonic() < deadline:
            time.sleep(0.05)
        [line] = self.lines(stream)
        return line["record"]


class NoHooksFile(StreamsBase):
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

    def test_record_beyond_1_mib_points_to_a_signed_url(self):
        rec = self.big_record("big-stream")
        self.assertEqual(rec["payloadType"], "S3Url")
        self.assertNotIn("kinesisSyncRecords", rec)
        url = rec["kinesisSyncRecordsURL"]
        self.assertTrue(url.startswith(self.server.endpoint + "/streams/payload/"), url)
        status, body = fetch(url)
        self.assertEqual(status, 200)
        records = json.loads(body)
        self.assertEqual(len(records), 1000)
        self.assertEqual({r["key"]: r["value"] for r in records}, {p["Key"]: p["Value"] for p in BIG})
        tampered_sig = url[:-1] + ("0" if url[-1] != "0" else "1")
        later = url.replace("expires=", "expires=9")
        for bad in (tampered_sig, later, url.split("?")[0]):
            status, body = fetch(bad)
            self.assertEqual(status, 403, bad)
            self.assertEqual(json.loads(body)["__type"], "NotAuthorizedException")


class ShortPayloadTtl(StreamsBase):
    SERVER_ARGS = ("--stream-payload-ttl-seconds", "1")

    def test_expired_url_is_403_and_its_payload_is_deleted(self):
        url = self.big_record("short")["kinesisSyncRecordsURL"]
        expires = int(url.split("expires=")[1].split("&")[0])
        while time.time() < expires + 0.1:  # the URL's own expiry time, then one request
            time.sleep(0.1)
        status, body = fetch(url)
        self.assertEqual(status, 403)
        self.assertIn("expired", json.loads(body)["message"])
        # The next payload kept sweeps the expired one out of the store.
        later = self.big_record("short-later")["kinesisSyncRecordsURL"]
        kept = [row[0] for row in self.server.store_rows("SELECT id FROM stream_payloads")]
        self.assertEqual(kept, [later.split("/streams/payload/")[1].split("?")[0]])


class SignedServer(CredentialsServerTestCase, StreamsBase):
    """With SigV4 required, a payload URL is still fetched unsigned: its signature authorizes it."""

    CREDENTIALS = {"AKIDEVELOPER0001": {"secret": "devsecret", "kind": "developer", "pools": "*"}}

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.c = cls.server.signed_client("AKIDEVELOPER0001", "devsecret")

    def test_payload_url_needs_no_sigv4(self):
        url = self.big_record("signed")["kinesisSyncRecordsURL"]
        status, body = fetch(url)
        self.assertEqual(status, 200)
        self.assertEqual(len(json.loads(body)), 1000)
        status, body = fetch(self.server.endpoint + "/streams/other")
        self.assertEqual(json.loads(body)["__type"], "MissingAuthenticationTokenException")


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
