"""Wire format seen by raw HTTP: header casing, CORS, preflight, JSON number encoding,
keep-alive, Content-Type / X-Amz-Target ignored, percent-encoded path segments.
PROTOCOL.md 1.2, 1.3, 2, 4.1."""
import json
import os
import re
import sys
import time
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support"))

from cogsync_server import enc  # noqa: E402
from e2e_base import ServerTestCase, dataset_path, replace  # noqa: E402

EXPOSE = ["x-amzn-RequestId", "x-amzn-ErrorType", "x-amzn-ErrorMessage", "Date"]
PREFLIGHT_HEADERS = ["authorization", "content-type", "x-amz-date", "x-amz-security-token",
                     "x-amz-user-agent", "x-amz-content-sha256", "x-amz-client-context",
                     "amz-sdk-invocation-id", "amz-sdk-request"]
UUID_RE = re.compile(r"^[0-9a-fA-F-]{16,}$")


def csv_set(value):
    return {p.strip().lower() for p in (value or "").split(",") if p.strip()}


class Wire(ServerTestCase):
    def setUp(self):
        self.pool, self.ident = self.ids()
        self.put_new(self.pool, self.ident, "ds", {"a": "1", "b": "2"})

    def records_path(self, ds="ds", query=""):
        return dataset_path(self.pool, self.ident, ds, "/records") + query

    def token(self, ds="ds"):
        return self.list_records(self.pool, self.ident, ds)["SyncSessionToken"]

    def assertRequestId(self, res):
        names = [k for k, _ in res.raw_headers if k.lower() == "x-amzn-requestid"]
        self.assertEqual(names, ["x-amzn-RequestId"], f"request id header casing: {res}")
        self.assertRegex(res.header_exact("x-amzn-RequestId"), UUID_RE)

    def assertJsonType(self, res):
        self.assertTrue((res.header("Content-Type") or "").startswith("application/json"), res)

    def assertCors(self, res):
        self.assertEqual(res.header("Access-Control-Allow-Origin"), "*", res)
        exposed = csv_set(res.header("Access-Control-Expose-Headers"))
        for h in EXPOSE:
            self.assertIn(h.lower(), exposed, res)

    def assertErrorTypeExact(self, res):
        names = [k for k, _ in res.raw_headers if k.lower() == "x-amzn-errortype"]
        self.assertEqual(names, ["x-amzn-ErrorType"], f"error type header casing: {res}")

    # ---- headers ---------------------------------------------------------------------------
    def test_success_headers(self):
        for res in (self.server.request("GET", self.records_path()),
                    self.server.request("GET", dataset_path(self.pool, self.ident, "ds")),
                    self.server.request("GET", dataset_path(self.pool, self.ident, None))):
            with self.subTest(res=res):
                self.assertEqual(res.status, 200, res)
                self.assertRequestId(res)
                self.assertJsonType(res)
                self.assertCors(res)
                self.assertIsNone(res.header("x-amzn-ErrorType"), res)
                self.assertIsInstance(res.json(), dict)

    def test_request_ids_differ(self):
        a = self.server.request("GET", self.records_path())
        b = self.server.request("GET", self.records_path())
        self.assertNotEqual(a.header("x-amzn-RequestId"), b.header("x-amzn-RequestId"))

    def test_error_headers(self):
        conflict = self.server.request(
            "POST", dataset_path(self.pool, self.ident, "ds"),
            {"SyncSessionToken": self.token(), "RecordPatches": [replace("a", "x", 0)]})
        bad = self.server.request("GET", self.records_path(query="?lastSyncCount=x"))
        missing = self.server.request("GET", dataset_path(self.pool, self.ident, "nope"))
        unknown = self.server.request("GET", "/no/such/path")
        for res, status, code in ((conflict, 409, "ResourceConflictException"),
                                  (bad, 400, "InvalidParameterException"),
                                  (missing, 404, "ResourceNotFoundException"),
                                  (unknown, 404, None)):
            with self.subTest(status=status, code=code):
                body = self.assertAwsError(res, status, code)
                self.assertErrorTypeExact(res)
                self.assertRequestId(res)
                self.assertJsonType(res)
                self.assertCors(res)
                self.assertEqual(set(body) - {"__type", "message"}, set(), body)
                self.assertTrue(all(isinstance(v, str) for v in body.values()), body)
                self.assertNotIn("#", res.header_exact("x-amzn-ErrorType"))
        self.assertEqual(conflict.json()["message"], "Current SyncCount for: a is: 1 not: 0")
        self.assertEqual(conflict.json()["__type"].split("#")[-1], "ResourceConflictException")

    def test_preflight(self):
        res = self.server.request("OPTIONS", self.records_path(), headers={
            "Origin": "http://example.test",
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "authorization,content-type,x-amz-date"})
        self.assertGreaterEqual(res.status, 200, res)
        self.assertLess(res.status, 300, res)
        self.assertRequestId(res)
        self.assertEqual(res.header("Access-Control-Allow-Origin"), "*", res)
        methods = {m.upper() for m in csv_set(res.header("Access-Control-Allow-Methods"))}
        self.assertTrue({"GET", "POST", "DELETE"} <= methods, res)
        allowed = csv_set(res.header("Access-Control-Allow-Headers"))
        for h in PREFLIGHT_HEADERS:
            self.assertIn(h, allowed, res)

    def test_preflight_on_any_path(self):
        for path in (dataset_path(self.pool, self.ident, "ds"), "/identitypools",
                     "/identitypools/" + enc(self.pool)):
            with self.subTest(path=path):
                res = self.server.request("OPTIONS", path, headers={
                    "Origin": "http://x.test", "Access-Control-Request-Method": "DELETE"})
                self.assertTrue(200 <= res.status < 300, res)
                self.assertRequestId(res)

    # ---- JSON encoding ---------------------------------------------------------------------
    def test_integers_are_plain_literals(self):
        self.push(self.pool, self.ident, "ds", [replace("a", "3", 1)])
        bodies = [
            self.server.request("GET", self.records_path()).body,
            self.server.request("GET", dataset_path(self.pool, self.ident, "ds")).body,
            self.server.request("GET", dataset_path(self.pool, self.ident, None)).body,
            self.server.request("POST", dataset_path(self.pool, self.ident, "ds"),
                                {"SyncSessionToken": self.token(),
                                 "RecordPatches": [replace("c", "x", 0)]}).body,
        ]
        for body in bodies:
            text = body.decode()
            for member in ("SyncCount", "DatasetSyncCount", "Count", "DataStorage",
                           "NumRecords"):
                for m in re.finditer(rf'"{member}"\s*:\s*([^,}}\]\s]+)', text):
                    self.assertRegex(m.group(1), r"^\d+$", f"{member} in {text}")
        text = bodies[0].decode()
        self.assertRegex(text, r'"SyncCount":\d+[,}]')
        self.assertNotRegex(text, r'"SyncCount":\d+\.')
        self.assertRegex(text, r'"DatasetSyncCount":2[,}]')
        parsed = json.loads(text)
        self.assertIs(parsed["DatasetExists"], True)
        self.assertIs(parsed["DatasetDeletedAfterRequestedSyncCount"], False)

    def test_timestamps_are_epoch_seconds(self):
        now = time.time()
        bodies = [
            self.server.request("GET", self.records_path()).body,
            self.server.request("GET", dataset_path(self.pool, self.ident, "ds")).body,
            self.server.request("GET", dataset_path(self.pool, self.ident, None)).body,
            self.server.request(
                "GET", f"/identitypools/{enc(self.pool)}/identities/{enc(self.ident)}").body,
        ]
        found = 0
        for body in bodies:
            text = body.decode()
            for m in re.finditer(r'"(\w*(?:Date|Time))"\s*:\s*([^,}\]\s]+)', text):
                found += 1
                member, raw = m.group(1), m.group(2)
                self.assertRegex(raw, r"^\d+(\.\d{1,3})?$", f"{member}={raw} in {text}")
                if member != "DeviceLastModifiedDate":
                    self.assertLess(abs(float(raw) - now), 60,
                                    f"{member}={raw} is not epoch seconds close to now")
        self.assertGreaterEqual(found, 6)

    def test_client_device_date_with_fraction(self):
        res = self.server.request(
            "POST", dataset_path(self.pool, self.ident, "ds"),
            {"SyncSessionToken": self.token(),
             "RecordPatches": [dict(replace("d", "x", 0), DeviceLastModifiedDate=1700574873.059)]})
        self.assertEqual(res.status, 200, res)
        rec = res.json()["Records"][0]
        self.assertAlmostEqual(rec["DeviceLastModifiedDate"], 1700574873.059, places=3)
        res = self.server.request(
            "POST", dataset_path(self.pool, self.ident, "ds"),
            {"SyncSessionToken": self.token(),
             "RecordPatches": [dict(replace("e", "x", 0), DeviceLastModifiedDate=1577934245)]})
        self.assertEqual(res.status, 200, res)
        self.assertEqual(res.json()["Records"][0]["DeviceLastModifiedDate"], 1577934245)

    def test_tombstone_has_no_value_member(self):
        self.push(self.pool, self.ident, "ds", [{"Op": "remove", "Key": "a", "SyncCount": 1}])
        recs = {r["Key"]: r for r in
                self.server.request("GET", self.records_path()).json()["Records"]}
        self.assertNotIn("Value", recs["a"])
        for member in ("Key", "SyncCount", "LastModifiedDate", "LastModifiedBy",
                       "DeviceLastModifiedDate"):
            self.assertIn(member, recs["a"])

    # ---- connection handling ---------------------------------------------------------------
    def test_keep_alive(self):
        conn = self.server.connection()
        try:
            first = self.server.request("GET", self.records_path(), conn=conn)
            self.assertEqual(first.status, 200, first)
            sock = conn.sock
            self.assertIsNotNone(sock, "server closed the connection after a 200")
            steps = [
                ("POST", dataset_path(self.pool, self.ident, "ds"),
                 {"SyncSessionToken": first.json()["SyncSessionToken"],
                  "RecordPatches": [replace("k", "v", 0)]}, 200),
                ("GET", dataset_path(self.pool, self.ident, "nope"), None, 404),
                ("POST", dataset_path(self.pool, self.ident, "ds"),
                 {"SyncSessionToken": self.token(), "RecordPatches": [replace("a", "v", 0)]},
                 409),
                ("GET", "/no/such/thing", None, 404),
                ("GET", "/health", None, 200),
                ("GET", self.records_path(), None, 200),
            ]
            for method, path, body, status in steps:
                res = self.server.request(method, path, body, conn=conn)
                self.assertEqual(res.status, status, res)
                self.assertIs(conn.sock, sock, f"connection not kept alive after {res}")
        finally:
            conn.close()

    def test_content_type_and_target_are_ignored(self):
        legacy = {"Content-Type": "application/x-amz-json-1.1",
                  "X-Amz-Target": "AWSCognitoSyncService.ListDatasets"}
        res = self.server.request("GET", self.records_path(), headers=legacy)
        self.assertEqual(res.status, 200, res)
        self.assertIn("Records", res.json())
        token = res.json()["SyncSessionToken"]
        body = json.dumps({"SyncSessionToken": token, "RecordPatches": [replace("n", "1", 0)]})
        res = self.server.request("POST", dataset_path(self.pool, self.ident, "ds"), body,
                                  headers={"Content-Type": "application/x-amz-json-1.0",
                                           "X-Amz-Target": "AWSCognitoSyncService.UpdateRecords"})
        self.assertEqual(res.status, 200, res)
        self.assertEqual(res.json()["Records"][0]["Key"], "n")
        # no Content-Type at all
        res = self.server.request("POST", dataset_path(self.pool, self.ident, "ds"),
                                  json.dumps({"SyncSessionToken": self.token(),
                                              "RecordPatches": [replace("m", "1", 0)]}).encode())
        self.assertEqual(res.status, 200, res)

    def test_expect_continue_and_chunked_bodies(self):
        """.NET and curl send Expect: 100-continue; some HTTP stacks send chunked bodies."""
        body = json.dumps({"SyncSessionToken": self.token(),
                           "RecordPatches": [replace("e", "x" * 5000, 0)]}).encode()
        res = self.server.request("POST", dataset_path(self.pool, self.ident, "ds"), body,
                                  headers={"Content-Type": "application/json",
                                           "Expect": "100-continue"})
        self.assertEqual(res.status, 200, res)
        conn = self.server.connection()
        try:
            chunks = [b'{"SyncSessionToken": "', self.token().encode(), b'", "RecordPatches": ',
                      json.dumps([replace("c", "chunked", 0)]).encode(), b"}"]
            conn.request("POST", dataset_path(self.pool, self.ident, "ds"), body=iter(chunks),
                         headers={"Content-Type": "application/json"}, encode_chunked=True)
            res = conn.getresponse()
            data = res.read()
            self.assertEqual(res.status, 200, data)
            self.assertEqual(json.loads(data)["Records"][0]["Value"], "chunked")
        finally:
            conn.close()
        recs = {r["Key"]: r["Value"] for r in self.list_records(self.pool, self.ident, "ds")[
            "Records"]}
        self.assertEqual((recs["e"], recs["c"]), ("x" * 5000, "chunked"))

    def test_percent_encoded_and_raw_segments(self):
        name = "a.b:c-d_e"
        p, i = self.pool, self.ident
        encoded = f"/identitypools/{enc(p)}/identities/{enc(i)}/datasets/{enc(name)}"
        self.assertIn("%3A", encoded)
        res = self.server.request("GET", encoded + "/records")
        self.assertEqual(res.status, 200, res)
        res = self.server.request("POST", encoded, {"SyncSessionToken": res.json()[
            "SyncSessionToken"], "RecordPatches": [replace("k", "v", 0)]})
        self.assertEqual(res.status, 200, res)
        unencoded = f"/identitypools/{p}/identities/{i}/datasets/{name}"
        res = self.server.request("GET", unencoded + "/records")
        self.assertEqual(res.status, 200, res)
        self.assertEqual([r["Key"] for r in res.json()["Records"]], ["k"])
        lower = encoded.replace("%3A", "%3a")
        self.assertEqual(self.server.request("GET", lower).json()["Dataset"]["DatasetName"], name)
        names = [d["DatasetName"] for d in self.c.list_datasets(
            IdentityPoolId=p, IdentityId=i)["Datasets"]]
        self.assertIn(name, names)
        self.assertEqual(self.describe(p, i, name)["Dataset"]["NumRecords"], 1)

    def test_pipelined_requests(self):
        import socket
        sock = socket.create_connection(("127.0.0.1", self.server.port), 10)
        try:
            req = (f"GET {self.records_path()} HTTP/1.1\r\nHost: x\r\n\r\n").encode()
            sock.sendall(req * 3)
            data = b""
            while data.count(b"HTTP/1.1 ") < 3 or not data.endswith(b"}"):
                chunk = sock.recv(65536)
                if not chunk:
                    break
                data += chunk
        finally:
            sock.close()
        self.assertEqual(data.count(b"HTTP/1.1 200"), 3, data)

    def test_any_credentials_and_session_token_accepted(self):
        """Open mode: any signing keys (also temporary ones with X-Amz-Security-Token)."""
        import boto3
        c = boto3.session.Session().client(
            "cognito-sync", endpoint_url=self.server.endpoint, region_name="eu-central-1",
            aws_access_key_id="ASIAOTHERKEY", aws_secret_access_key="other/secret+key",
            aws_session_token="FwoGZXIvYXdzEJr//////////session+token=")
        page = c.list_records(IdentityPoolId=self.pool, IdentityId=self.ident, DatasetName="ds")
        self.assertEqual(page["Count"], 2)
        out = c.update_records(IdentityPoolId=self.pool, IdentityId=self.ident, DatasetName="ds",
                               SyncSessionToken=page["SyncSessionToken"],
                               RecordPatches=[replace("a", "signed-elsewhere", 1)])
        self.assertEqual(out["Records"][0]["SyncCount"], 2)

    def test_health(self):
        res = self.server.request("GET", "/health")
        self.assertEqual(res.status, 200, res)
        self.assertRequestId(res)


if __name__ == "__main__":
    unittest.main()
