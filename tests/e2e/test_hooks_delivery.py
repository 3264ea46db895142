"""At-least-once delivery (server/hooks/sink_worker.hpp): while the receiver is down deliveries fail and
back off; once it is back every event arrives. After kill -9 with undelivered events and a
restart, every event arrives and none is invented: the set of event ids delivered equals the set
of changes made (duplicates allowed)."""
import shutil
import tempfile
import time
import unittest

from hooks_base import (CogsyncServer, WebhookReceiver, new_identity, new_pool, replace,
                        write_hooks_file, ROLE_ARN)


class Delivery(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="cogsync-delivery-")
        self.receiver = WebhookReceiver().start()
        path = write_hooks_file(self.tmp, {
            "sink.hook": {"type": "webhook", "url": self.receiver.url("/stream"), "streams": "*",
                          "timeout_ms": "2000"}})
        self.server = CogsyncServer("--hooks-file", path)
        self.server.start()
        self.c = self.server.client()
        self.pool, self.ident = new_pool(), new_identity()
        self.c.set_identity_pool_configuration(
            IdentityPoolId=self.pool,
            CognitoStreams={"StreamName": "s", "RoleArn": ROLE_ARN, "StreamingStatus": "ENABLED"})
        self.expected = set()  # (dataset, syncCount) of every change made
        self.counts = {}

    def tearDown(self):
        try:
            if self.server.proc is not None:
                self.server.stop()
        finally:
            self.server.close()
            self.receiver.close()
            shutil.rmtree(self.tmp, ignore_errors=True)

    def write(self, n, ds="ds"):
        for i in range(n):
            token = self.c.list_records(IdentityPoolId=self.pool, IdentityId=self.ident,
                                        DatasetName=ds)["SyncSessionToken"]
            out = self.c.update_records(
                IdentityPoolId=self.pool, IdentityId=self.ident, DatasetName=ds, SyncSessionToken=token,
                RecordPatches=[replace("k", f"v{i}", self.counts.get(ds, 0))])
            self.counts[ds] = out["Records"][0]["SyncCount"]
            self.expected.add((ds, self.counts[ds]))

    def delivered(self, deliveries):
        """{event id: (dataset, syncCount)}; asserts an id never names two different changes."""
        out = {}
        for d in deliveries:
            key = (d.json["dataSetName"], d.json["syncCount"])
            self.assertEqual(out.setdefault(d.event_id, key), key, "one event id, two changes")
        return out

    def wait_all(self):
        got = self.receiver.wait_for(
            lambda ds: {(d.json["dataSetName"], d.json["syncCount"]) for d in ds} >= self.expected,
            timeout=45, path="/stream")
        ids = self.delivered(got)
        self.assertEqual(set(ids.values()), self.expected)  # nothing invented
        self.assertEqual(len(ids), len(self.expected))      # one id per change
        return got

    def test_receiver_down_then_back(self):
        self.write(5)
        self.receiver.wait_for(lambda ds: len(ds) >= 5, path="/stream")
        self.receiver.stop()
        self.write(10, ds="second")
        time.sleep(2.0)  # several failed attempts, backing off
        self.assertIn("delivery of event", self.server.output())
        self.assertIn("sink sink.hook", self.server.output())
        self.receiver.start()  # same port, earlier deliveries kept
        got = self.wait_all()

    def test_answer_500_then_recover(self):
        self.receiver.status = 500
        self.write(6)
        deadline = time.monotonic() + 10
        while self.receiver.refused < 3 and time.monotonic() < deadline:
            time.sleep(0.05)
        self.assertGreaterEqual(self.receiver.refused, 3)  # retried, with backoff
        self.receiver.status = None
        self.wait_all()

    def test_kill9_with_undelivered_events(self):
        self.write(4)
        self.receiver.wait_for(lambda ds: len(ds) >= 4, path="/stream")
        self.receiver.stop()
        self.write(12, ds="pending")
        time.sleep(0.5)
        self.server.kill9()
        self.server.restart()
        self.c = self.server.client()
        self.write(3, ds="after")
        self.receiver.start()  # same port, earlier deliveries kept
        self.wait_all()


if __name__ == "__main__":
    unittest.main()
