"""A slow Sync Trigger holds up only the calls that wait for it (README: --trigger-concurrency,
--outbound-threads). The function here answers only when the test lets it: while 64
UpdateRecords of one pool wait on it, at most --trigger-concurrency (8 by default) of its calls
run at once, and /health and another pool's ListRecords and UpdateRecords are answered. Then the
function answers, and every one of the 64 writes (each to its own dataset, with its own token)
is 200.

The server gives a function 5 s (PROTOCOL.md 7.3) and answers LambdaSocketTimeoutException after
that, so the calls can be held only that long: what the test does meanwhile takes a fraction of
it, unless those requests wait behind the held calls. Then the held calls time out first, and
their writes are not 200."""
import os
import sys
import threading
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support"))

from cogsync_server import list_records_request, update_records_request  # noqa: E402
from hooks_base import HooksTestCase, new_identity, new_pool, replace  # noqa: E402
from webhook_receiver import HeldReplies  # noqa: E402

FUNCTION = "arn:aws:lambda:us-east-1:123456789012:function:held"
WRITES = 64
CAP = 8                 # the default --trigger-concurrency
OTHERS_TIMEOUT_S = 10   # catches a hang only
WRITE_TIMEOUT_S = 120


class TriggerIsolation(HooksTestCase):
    SERVER_ARGS = ("--max-datasets", str(WRITES))
    held = None

    @classmethod
    def hooks(cls, receiver, tmp_dir):
        cls.held = HeldReplies()
        receiver.reply = cls.held
        return {"trigger.held": {"type": "webhook", "url": receiver.url("/trigger"),
                                 "functions": FUNCTION}}

    @classmethod
    def tearDownClass(cls):
        if cls.held is not None:
            cls.held.release()
        super().tearDownClass()

    def test_held_function_blocks_only_its_own_calls(self):
        pool, ident = new_pool(), new_identity()
        self.c.set_cognito_events(IdentityPoolId=pool, Events={"SyncTrigger": FUNCTION})
        datasets = [f"ds{i:02d}" for i in range(WRITES)]
        conn = self.server.connection()
        try:
            tokens = [self.server.request(*list_records_request(pool, ident, ds), conn=conn)
                      .json()["SyncSessionToken"] for ds in datasets]
        finally:
            conn.close()
        answers = [None] * WRITES

        def update(i):
            conn = self.server.connection(timeout=WRITE_TIMEOUT_S)
            try:
                answers[i] = self.server.request(*update_records_request(
                    pool, ident, datasets[i], tokens[i], [replace("k", f"v{i}", 0)]), conn=conn)
            except BaseException as e:  # reported below
                answers[i] = e
            finally:
                conn.close()

        writers = [threading.Thread(target=update, args=(i,), daemon=True) for i in range(WRITES)]
        for t in writers:
            t.start()
        try:
            self.held.wait_held(CAP)
            self.check_others_answer()
            held_meanwhile = self.held.held
        finally:
            self.held.release()
            for t in writers:
                t.join(WRITE_TIMEOUT_S)
        self.assertFalse(any(t.is_alive() for t in writers), "an UpdateRecords hung")
        self.assertEqual([(i, getattr(a, "status", a)) for i, a in enumerate(answers)
                          if getattr(a, "status", None) != 200],
                         [], "every write must be 200: its function answered within its time "
                         "limit, the other requests did not wait for it")
        self.assertEqual(held_meanwhile, CAP)
        self.assertEqual(self.held.most_held, CAP, f"at most {CAP} calls of a pool run at once")
        self.assertEqual(self.held.arrived, WRITES)
        listed = self.c.list_datasets(IdentityPoolId=pool, IdentityId=ident)
        self.assertEqual(sorted(d["DatasetName"] for d in listed["Datasets"]), datasets)

    def check_others_answer(self):
        """/health, and another pool's reads and writes."""
        conn = self.server.connection(timeout=OTHERS_TIMEOUT_S)
        try:
            self.assertEqual(self.server.request("GET", "/health", conn=conn).status, 200)
        finally:
            conn.close()
        other = self.server.client(read_timeout=OTHERS_TIMEOUT_S, connect_timeout=OTHERS_TIMEOUT_S)
        pool, ident = new_pool(), new_identity()
        out = self.push(pool, ident, "free", [replace("k", "v", 0)], client=other)
        self.assertEqual([(r["Key"], r["SyncCount"]) for r in out["Records"]], [("k", 1)])
        page = other.list_records(IdentityPoolId=pool, IdentityId=ident, DatasetName="free")
        self.assertEqual([(r["Key"], r["Value"]) for r in page["Records"]], [("k", "v")])


if __name__ == "__main__":
    unittest.main()
