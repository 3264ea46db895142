"""The Sync Trigger (PROTOCOL.md 7.3) through a webhook trigger target: the function's reply is
the effective change set (a rewritten value, an added key); a failing or garbage reply rejects
the write with InvalidLambdaFunctionOutputException and nothing is written. Open mode callers
act as the path identity (8), so the trigger applies to them. Successive calls reuse one
keep-alive connection (server/hooks/http_pool.hpp). A function that outlives its timeout is
400 LambdaSocketTimeoutException, which no SDK retries, so it is called once per UpdateRecords;
the event names the server's --region."""
import json
import threading
import time
import unittest

from hooks_base import ClientError, HooksTestCase, error_code, new_identity, new_pool, replace

FUNCTION = "arn:aws:lambda:us-east-1:123456789012:function:validate"
UNSERVED = "arn:aws:lambda:us-east-1:123456789012:function:nobody"


def trigger(path, body):
    event = json.loads(body)
    ds = event["datasetName"]
    if ds == "reject":
        return 500, b'{"errorMessage":"rejected"}'
    if ds == "garbage":
        return 200, b"this is not json"
    if ds == "slow":
        time.sleep(6)  # past the 5 s limit
        return 200, body
    if ds == "throttle":
        return 429, b"{}"
    if ds == "deep":
        return 200, b'{"a":' + b"[" * 110_000
    recs = event["datasetRecords"]
    if "upper" in recs and recs["upper"].get("newValue") is not None:
        recs["upper"]["newValue"] = recs["upper"]["newValue"].upper()
    recs["added"] = {"newValue": "by-trigger", "op": "replace"}
    return 200, json.dumps(event).encode()


class TriggerWebhook(HooksTestCase):
    SERVER_ARGS = ("--region", "eu-west-3")

    @classmethod
    def hooks(cls, receiver, tmp_dir):
        receiver.reply = trigger
        return {"trigger.validate": {"type": "webhook", "url": receiver.url("/trigger"), "functions": FUNCTION}}

    def setUp(self):
        self.pool, self.ident = new_pool(), new_identity()
        self.c.set_cognito_events(IdentityPoolId=self.pool, Events={"SyncTrigger": FUNCTION})

    def records(self, ds):
        out = self.c.list_records(IdentityPoolId=self.pool, IdentityId=self.ident, DatasetName=ds)
        return {r["Key"]: r.get("Value") for r in out["Records"] if r.get("Value") is not None}

    def test_reply_rewrites_a_value_and_adds_a_key(self):
        out = self.push(self.pool, self.ident, "ok", [replace("upper", "shout", 0), replace("plain", "p", 0)])
        got = {r["Key"]: r.get("Value") for r in out["Records"]}
        self.assertEqual(got["upper"], "SHOUT")
        self.assertEqual(got["added"], "by-trigger")
        self.assertEqual(got["plain"], "p")
        self.assertEqual(len({r["SyncCount"] for r in out["Records"]}), 1)
        self.assertEqual(self.records("ok"), {"upper": "SHOUT", "added": "by-trigger", "plain": "p"})
        [sent] = [d.json for d in self.receiver.snapshot("/trigger") if d.json["identityId"] == self.ident]
        self.assertEqual(sent["eventType"], "SyncTrigger")
        self.assertEqual(sent["region"], "eu-west-3")
        self.assertEqual(sent["identityPoolId"], self.pool)
        self.assertEqual(sent["datasetRecords"]["upper"]["newValue"], "shout")

    def check_rejected(self, ds, code):
        with self.assertRaises(ClientError) as cm:
            self.push(self.pool, self.ident, ds, [replace("k", "v", 0)])
        self.assertEqual(error_code(cm.exception), code)
        self.assertEqual(self.records(ds), {})

    def test_error_reply_rejects_the_write(self):
        self.check_rejected("reject", "InvalidLambdaFunctionOutputException")

    def test_garbage_reply_rejects_the_write(self):
        self.check_rejected("garbage", "InvalidLambdaFunctionOutputException")

    def test_deeply_nested_reply_rejects_the_write(self):
        self.check_rejected("deep", "InvalidLambdaFunctionOutputException")
        self.push(self.pool, self.ident, "ok", [replace("after", "v", 0)])  # the server lives on

    def test_throttled_function(self):
        self.check_rejected("throttle", "LambdaThrottledException")

    def test_function_slower_than_5_s(self):
        start = time.monotonic()
        self.check_rejected("slow", "LambdaSocketTimeoutException")
        self.assertLess(time.monotonic() - start, 5.9)

    def test_calls_share_a_keep_alive_connection(self):
        before = self.receiver.connections
        for i in range(5):
            self.push(self.pool, self.ident, "ok", [replace(f"k{i}", "v", 0)])
        calls = [d for d in self.receiver.snapshot("/trigger") if d.json["identityId"] == self.ident]
        self.assertEqual(len(calls), 5)
        self.assertLessEqual(self.receiver.connections - before, 1)  # 0 when an earlier test left one open

    def test_function_arn_with_cr_lf_is_refused(self):
        # the ARN goes out as the X-Cogsync-Function-Arn header: CR/LF would inject headers
        for arn in (FUNCTION + "\r\nX-Injected: 1", FUNCTION + "\r\n\r\nPOST /smuggled HTTP/1.1", "validate"):
            with self.assertRaises(ClientError) as cm:
                self.c.set_cognito_events(IdentityPoolId=self.pool, Events={"SyncTrigger": arn})
            self.assertEqual(error_code(cm.exception), "InvalidParameterException")
        self.assertEqual(self.c.get_cognito_events(IdentityPoolId=self.pool)["Events"], {"SyncTrigger": FUNCTION})

    def test_function_no_target_serves(self):
        self.c.set_cognito_events(IdentityPoolId=self.pool, Events={"SyncTrigger": UNSERVED})
        self.check_rejected("ok", "InvalidLambdaFunctionOutputException")


class TriggerTimeout(HooksTestCase):
    """A function that answers only after the client got its error: every call the server made
    for one UpdateRecords, the SDK's retries included, has been counted by then."""

    @classmethod
    def hooks(cls, receiver, tmp_dir):
        cls.calls = 0
        cls.release = threading.Event()
        cls.count_lock = threading.Lock()

        def slow(path, body):
            with cls.count_lock:
                cls.calls += 1
            cls.release.wait(30)
            return 200, body
        receiver.reply = slow
        return {"trigger.slow": {"type": "webhook", "url": receiver.url("/slow"), "functions": FUNCTION,
                                 "timeout_ms": "300"}}

    def tearDown(self):
        self.release.set()

    def check_called_once(self, retries):
        pool, ident = new_pool(), new_identity()
        self.c.set_cognito_events(IdentityPoolId=pool, Events={"SyncTrigger": FUNCTION})
        with self.count_lock:
            type(self).calls = 0
        self.release.clear()
        client = self.server.client(retries=retries)
        with self.assertRaises(ClientError) as cm:
            self.push(pool, ident, "ds", [replace("k", "v", 0)], client=client)
        self.assertEqual(error_code(cm.exception), "LambdaSocketTimeoutException")
        self.assertEqual(cm.exception.response["ResponseMetadata"]["HTTPStatusCode"], 400)
        self.assertEqual(cm.exception.response["ResponseMetadata"]["RetryAttempts"], 0)
        with self.count_lock:
            self.assertEqual(self.calls, 1)
        self.release.set()

    def test_legacy_retries_call_the_function_once(self):
        self.check_called_once({"mode": "legacy"})  # boto3's default: up to 5 attempts

    def test_standard_retries_call_the_function_once(self):
        self.check_called_once({"mode": "standard"})


if __name__ == "__main__":
    unittest.main()
