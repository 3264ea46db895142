"""The Sync Trigger (PROTOCOL.md 7.3) through a `lambda` trigger target: cogsync calls the Lambda
Invoke API, POST /2015-03-31/functions/<FunctionName>/invocations, SigV4-signed with service
"lambda". The fake Lambda here checks every signature by recomputing it (tests/support/sigv4.py,
with the keys it knows and the request's X-Amz-Date) and answers 403 on a mismatch, as AWS does.
Through boto3: a reply rewrites a value and adds a key (returned and stored); a function error
(X-Amz-Function-Error) and a wrongly signed call are InvalidLambdaFunctionOutputException with
nothing written."""
import datetime
import hashlib
import http.server
import json
import re
import threading
import unittest
import urllib.parse

from hooks_base import ClientError, HooksTestCase, error_code, new_identity, new_pool, replace
import sigv4  # noqa: E402 (tests/support, on the path once hooks_base is imported)

ACCESS_KEY = "AKIDLAMBDATEST"
SECRET = "lambda-secret/K7MDENG+bPxRfiCYEXAMPLEKEY"
FUNCTION = "arn:aws:lambda:us-east-1:123456789012:function:validate"
WRONG_KEY_FUNCTION = "arn:aws:lambda:us-east-1:123456789012:function:wrong-key"
AUTH_RE = re.compile(r"^AWS4-HMAC-SHA256 Credential=([^/]+)/(\d{8})/([^/]+)/lambda/aws4_request, "
                     r"SignedHeaders=([a-z0-9;-]+), Signature=[0-9a-f]{64}$")


class FakeLambda:
    """POST /2015-03-31/functions/<FunctionName>/invocations on 127.0.0.1, port 0. `invoked`
    holds (function name, event) of correctly signed calls, `refused` the reasons of 403s."""

    def __init__(self, secrets):
        self.secrets = secrets
        self.invoked = []
        self.refused = []
        self._lock = threading.Lock()
        fake = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                status, headers, out = fake.answer(self.path, self.headers, body)
                self.send_response(status)
                for k, v in {**headers, "Content-Type": "application/json", "Content-Length": str(len(out))}.items():
                    self.send_header(k, v)
                self.end_headers()
                self.wfile.write(out)

        self._server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.endpoint = f"http://127.0.0.1:{self._server.server_address[1]}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    def close(self):
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(5)

    def signature_problem(self, path, headers, body):
        """None when the request is signed correctly, else why not."""
        m = AUTH_RE.match(headers.get("Authorization", ""))
        if not m:
            return "malformed Authorization: " + headers.get("Authorization", "")
        key, date, region, signed = m.group(1), m.group(2), m.group(3), m.group(4).split(";")
        if key not in self.secrets:
            return "unknown access key"
        if hashlib.sha256(body).hexdigest() != headers.get("X-Amz-Content-Sha256"):
            return "body does not match X-Amz-Content-Sha256"
        when = datetime.datetime.strptime(headers["X-Amz-Date"], "%Y%m%dT%H%M%SZ")
        if when.strftime("%Y%m%d") != date:
            return "credential scope date differs from X-Amz-Date"
        expected = sigv4.authorization("POST", f"http://{headers['Host']}{path}",
                                       {h: headers[h] for h in signed}, body, key,
                                       self.secrets[key], region, "lambda")
        if expected != headers["Authorization"]:
            return "signature mismatch"
        return None

    def answer(self, path, headers, body):
        m = re.fullmatch(r"/2015-03-31/functions/([^/]+)/invocations", path)
        if not m:
            return 404, {}, b'{"Message":"unknown path"}'
        problem = self.signature_problem(path, headers, body)
        if problem:
            with self._lock:
                self.refused.append(problem)
            return 403, {"x-amzn-ErrorType": "InvalidSignatureException"}, json.dumps({"message": problem}).encode()
        function, event = urllib.parse.unquote(m.group(1)), json.loads(body)
        with self._lock:
            self.invoked.append((function, json.loads(body)))
        if event["datasetName"] == "throws":
            return 200, {"X-Amz-Function-Error": "Unhandled"}, b'{"errorMessage":"no","errorType":"Error"}'
        recs = event["datasetRecords"]
        if recs.get("upper", {}).get("newValue") is not None:
            recs["upper"]["newValue"] = recs["upper"]["newValue"].upper()
        recs["added"] = {"newValue": "by-lambda", "op": "replace"}
        return 200, {}, json.dumps(event).encode()


class LambdaTrigger(HooksTestCase):
    @classmethod
    def hooks(cls, receiver, tmp_dir):
        cls.fake = FakeLambda({ACCESS_KEY: SECRET})
        common = {"type": "lambda", "endpoint": cls.fake.endpoint, "region": "us-east-1", "access_key": ACCESS_KEY}
        return {"trigger.aws": {**common, "secret_key": SECRET, "functions": FUNCTION},
                "trigger.wrong": {**common, "secret_key": "not-the-secret", "functions": WRONG_KEY_FUNCTION}}

    @classmethod
    def tearDownClass(cls):
        try:
            super().tearDownClass()
        finally:
            if getattr(cls, "fake", None) is not None:
                cls.fake.close()

    def use(self, function):
        self.pool, self.ident = new_pool(), new_identity()
        self.c.set_cognito_events(IdentityPoolId=self.pool, Events={"SyncTrigger": function})

    def records(self, ds):
        out = self.c.list_records(IdentityPoolId=self.pool, IdentityId=self.ident, DatasetName=ds)
        return {r["Key"]: r.get("Value") for r in out["Records"] if r.get("Value") is not None}

    def calls(self):
        return [(f, e) for f, e in self.fake.invoked if e["identityId"] == self.ident]

    def test_signed_invoke_rewrites_and_adds(self):
        self.use(FUNCTION)
        out = self.push(self.pool, self.ident, "ok", [replace("upper", "shout", 0), replace("plain", "p", 0)])
        got = {r["Key"]: r.get("Value") for r in out["Records"]}
        self.assertEqual(got, {"upper": "SHOUT", "plain": "p", "added": "by-lambda"})
        self.assertEqual(self.records("ok"), {"upper": "SHOUT", "plain": "p", "added": "by-lambda"})
        [(function, event)] = self.calls()
        self.assertEqual(function, FUNCTION)
        self.assertEqual((event["eventType"], event["identityPoolId"]), ("SyncTrigger", self.pool))
        self.assertEqual(event["datasetRecords"]["upper"]["newValue"], "shout")

    def check_rejected(self, ds):
        with self.assertRaises(ClientError) as cm:
            self.push(self.pool, self.ident, ds, [replace("k", "v", 0)])
        self.assertEqual(error_code(cm.exception), "InvalidLambdaFunctionOutputException")
        self.assertEqual(self.records(ds), {})

    def test_function_error_rejects_the_write(self):
        self.use(FUNCTION)
        self.check_rejected("throws")
        self.assertEqual(len(self.calls()), 1)

    def test_wrong_secret_key_is_refused_by_the_endpoint(self):
        self.use(WRONG_KEY_FUNCTION)
        refused_before = len(self.fake.refused)
        self.check_rejected("ok")
        self.assertEqual(self.calls(), [])
        self.assertEqual(self.fake.refused[refused_before:], ["signature mismatch"])


if __name__ == "__main__":
    unittest.main()
