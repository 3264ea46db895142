"""Cognito Streams to a real Kinesis API (kinesalite from npm, tests/e2e/js): after N UpdateRecords
the stream holds N records of the PROTOCOL.md 7.4 shape, partition key = identity id, read back
with boto3 GetShardIterator/GetRecords. PutRecord is SigV4-signed (service kinesis)."""
import json
import os
import shutil
import socket
import subprocess
import tempfile
import time
import unittest

import boto3

from hooks_base import ROLE_ARN, HooksServerMixin, new_identity, new_pool, replace, write_hooks_file

JS_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "js")
KINESALITE = os.path.join(JS_DIR, "node_modules", "kinesalite", "cli.js")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@unittest.skipUnless(os.path.exists(KINESALITE), "kinesalite not installed (npm install in tests/e2e/js)")
class KinesisSink(HooksServerMixin, unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="cogsync-kinesis-")
        cls.kinesalite = None
        cls.server = None
        try:
            cls.start_kinesalite()
            cls.k = boto3.session.Session().client(
                "kinesis", endpoint_url=f"http://127.0.0.1:{cls.kport}", region_name="us-east-1",
                aws_access_key_id="AKIDKINESIS", aws_secret_access_key="kinesis-secret")
            path = write_hooks_file(cls.tmp, {"sink.analytics": {
                "type": "kinesis", "endpoint": f"http://127.0.0.1:{cls.kport}", "region": "us-east-1",
                "access_key": "AKIDKINESIS", "secret_key": "kinesis-secret", "streams": "*"}})
            cls.start_server(path)
        except BaseException:
            cls.tearDownClass()
            raise

    @classmethod
    def start_kinesalite(cls):
        for _ in range(5):
            cls.kport = free_port()
            cls.kinesalite = subprocess.Popen(
                ["node", KINESALITE, "--port", str(cls.kport), "--createStreamMs", "10"],
                stdout=subprocess.PIPE, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
            line = cls.kinesalite.stdout.readline().decode()
            if "Listening" in line:
                return
            cls.kinesalite.kill()
            cls.kinesalite.wait()
            cls.kinesalite = None
        raise RuntimeError("kinesalite did not start")

    @classmethod
    def tearDownClass(cls):
        try:
            cls.stop_server()
        finally:
            if cls.kinesalite is not None:
                cls.kinesalite.kill()
                cls.kinesalite.wait()
                cls.kinesalite.stdout.close()
            shutil.rmtree(cls.tmp, ignore_errors=True)

    def create_stream(self, name):
        self.k.create_stream(StreamName=name, ShardCount=1)
        deadline = time.monotonic() + 10
        while self.k.describe_stream(StreamName=name)["StreamDescription"]["StreamStatus"] != "ACTIVE":
            self.assertLess(time.monotonic(), deadline)
            time.sleep(0.05)

    def read_stream(self, name, want, timeout=20):
        shard = self.k.describe_stream(StreamName=name)["StreamDescription"]["Shards"][0]["ShardId"]
        it = self.k.get_shard_iterator(StreamName=name, ShardId=shard,
                                       ShardIteratorType="TRIM_HORIZON")["ShardIterator"]
        out = []
        deadline = time.monotonic() + timeout
        while len(out) < want and time.monotonic() < deadline:
            page = self.k.get_records(ShardIterator=it, Limit=1000)
            out += page["Records"]
            it = page["NextShardIterator"]
            if len(out) < want:
                time.sleep(0.1)
        return out

    def test_n_updates_make_n_records(self):
        pool, ident = new_pool(), new_identity()
        self.create_stream("cognito-changes")
        self.c.set_identity_pool_configuration(
            IdentityPoolId=pool,
            CognitoStreams={"StreamName": "cognito-changes", "RoleArn": ROLE_ARN, "StreamingStatus": "ENABLED"})
        n, count, counts = 7, 0, []
        for i in range(n):
            token = self.c.list_records(IdentityPoolId=pool, IdentityId=ident, DatasetName="ds")["SyncSessionToken"]
            out = self.c.update_records(IdentityPoolId=pool, IdentityId=ident, DatasetName="ds",
                                        SyncSessionToken=token, RecordPatches=[replace("k", f"v{i}", count)])
            count = out["Records"][0]["SyncCount"]
            counts.append(count)
        records = self.read_stream("cognito-changes", n)
        time.sleep(0.5)
        records += self.read_stream("cognito-changes", 0)[len(records):]
        self.assertEqual(len(records), n, records)
        for i, r in enumerate(records):
            self.assertEqual(r["PartitionKey"], ident)
            rec = json.loads(r["Data"])
            self.assertEqual(set(rec), {"identityPoolId", "identityId", "dataSetName", "operation",
                                        "kinesisSyncRecords", "lastModifiedDate", "payloadType", "syncCount"})
            self.assertEqual((rec["identityPoolId"], rec["identityId"], rec["dataSetName"]), (pool, ident, "ds"))
            self.assertEqual((rec["operation"], rec["payloadType"], rec["syncCount"]), ("replace", "Inline", counts[i]))
            [kr] = rec["kinesisSyncRecords"]
            self.assertEqual((kr["key"], kr["value"], kr["op"], kr["syncCount"]), ("k", f"v{i}", "replace", counts[i]))

    def test_missing_stream_is_retried_until_it_exists(self):
        pool, ident = new_pool(), new_identity()
        self.c.set_identity_pool_configuration(
            IdentityPoolId=pool,
            CognitoStreams={"StreamName": "late-stream", "RoleArn": ROLE_ARN, "StreamingStatus": "ENABLED"})
        token = self.c.list_records(IdentityPoolId=pool, IdentityId=ident, DatasetName="ds")["SyncSessionToken"]
        self.c.update_records(IdentityPoolId=pool, IdentityId=ident, DatasetName="ds",
                              SyncSessionToken=token, RecordPatches=[replace("k", "v", 0)])
        time.sleep(1.0)
        self.assertIn("late-stream", self.server.output())  # the failure is logged with the stream
        self.create_stream("late-stream")
        records = self.read_stream("late-stream", 1, timeout=40)
        self.assertGreaterEqual(len(records), 1)
        self.assertEqual(json.loads(records[0]["Data"])["identityId"], ident)


if __name__ == "__main__":
    unittest.main()
