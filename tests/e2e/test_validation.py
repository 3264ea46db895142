"""Validation and routing errors: every bad request is a 400/404/405/413 with an AWS-shaped JSON
error, and earlier data is unchanged afterwards. Operations of later releases answer an AWS error.
PROTOCOL.md 1.2, 4, 6.2."""
import json
import os
import re
import sys
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support"))

from cogsync_server import enc  # noqa: E402
from e2e_base import ClientError, ServerTestCase, dataset_path, replace  # noqa: E402

IP = "InvalidParameterException"
SER = "SerializationException"
DS = "valid"


class Validation(ServerTestCase):
    def setUp(self):
        self.pool, self.ident = self.ids()
        self.put_new(self.pool, self.ident, "baseline", {"b1": "one", "b2": "two"})
        self.put_new(self.pool, self.ident, DS, {"k": "v"})

    def assertBaselineIntact(self):
        out = self.list_records(self.pool, self.ident, "baseline")
        self.assertEqual(out["DatasetSyncCount"], 1)
        self.assertEqual({r["Key"]: r["Value"] for r in out["Records"]}, {"b1": "one", "b2": "two"})
        out = self.list_records(self.pool, self.ident, DS)
        self.assertEqual(out["DatasetSyncCount"], 1)
        self.assertEqual({r["Key"]: r["Value"] for r in out["Records"]}, {"k": "v"})
        names = sorted(d["DatasetName"] for d in self.c.list_datasets(
            IdentityPoolId=self.pool, IdentityId=self.ident)["Datasets"])
        self.assertEqual(names, ["baseline", DS])

    def assertNamesField(self, body, field):
        squashed = re.sub(r"[^a-z]", "", body["message"].lower())
        self.assertIn(field.lower(), squashed, f"message does not name {field}: {body}")

    def token(self, ds=DS):
        return self.list_records(self.pool, self.ident, ds)["SyncSessionToken"]

    def post_update(self, body, ds=DS, raw=False, headers=None):
        path = dataset_path(self.pool, self.ident, ds)
        if raw:
            hdrs = {"Content-Type": "application/json"}
            hdrs.update(headers or {})
            return self.server.request("POST", path, body, hdrs)
        return self.server.request("POST", path, body, headers)

    # ---- RecordPatch fields ----------------------------------------------------------------
    def test_bad_op_through_boto3(self):
        # botocore does not validate enums on the client side: the server must
        c = self.server.client()
        with self.assertRaises(ClientError) as cm:
            c.update_records(IdentityPoolId=self.pool, IdentityId=self.ident, DatasetName=DS,
                             SyncSessionToken=self.token(),
                             RecordPatches=[{"Op": "upsert", "Key": "k", "Value": "x",
                                             "SyncCount": 1}])
        self.assertEqual(cm.exception.response["Error"]["Code"], IP)
        self.assertBaselineIntact()

    def test_bad_op_raw(self):
        res = self.post_update({"SyncSessionToken": self.token(),
                                "RecordPatches": [{"Op": "upsert", "Key": "k", "Value": "x",
                                                   "SyncCount": 1}]})
        self.assertNamesField(self.assertAwsError(res, 400, IP), "op")
        self.assertBaselineIntact()

    def test_key_too_long(self):
        res = self.post_update({"SyncSessionToken": self.token(),
                                "RecordPatches": [replace("k" * 1025, "x", 0)]})
        self.assertNamesField(self.assertAwsError(res, 400, IP), "key")
        # 1024 characters is fine
        self.push(self.pool, self.ids()[1], "longkey", [replace("k" * 1024, "x", 0)])
        self.assertBaselineIntact()

    def test_empty_key(self):
        res = self.post_update({"SyncSessionToken": self.token(),
                                "RecordPatches": [replace("", "x", 0)]})
        self.assertNamesField(self.assertAwsError(res, 400, IP), "key")
        self.assertBaselineIntact()

    def test_value_too_long(self):
        res = self.post_update({"SyncSessionToken": self.token(),
                                "RecordPatches": [replace("v", "x" * 1048576, 0)]})
        self.assertNamesField(self.assertAwsError(res, 400, IP), "value")
        self.assertBaselineIntact()

    def test_negative_sync_count(self):
        res = self.post_update({"SyncSessionToken": self.token(),
                                "RecordPatches": [replace("k", "x", -1)]})
        self.assertNamesField(self.assertAwsError(res, 400, IP), "synccount")
        self.assertBaselineIntact()

    def test_huge_sync_count_is_a_conflict_not_a_crash(self):
        res = self.post_update({"SyncSessionToken": self.token(),
                                "RecordPatches": [replace("k", "x", 2 ** 53)]})
        self.assertIn(res.status, (400, 409), res)
        self.assertAwsError(res, res.status)
        self.assertBaselineIntact()

    def test_bad_percent_encoding_in_path(self):
        base = f"/identitypools/{enc(self.pool)}/identities/{enc(self.ident)}/datasets/"
        for seg in ("%ZZ", "abc%", "%4"):
            with self.subTest(seg=seg):
                res = self.server.request("GET", base + seg + "/records")
                self.assertIn(res.status, (400, 404), res)
                self.assertAwsError(res, res.status)
        self.assertBaselineIntact()

    def test_missing_required_patch_members(self):
        for patch in ({"Key": "k", "Value": "x", "SyncCount": 1},          # no Op
                      {"Op": "replace", "Value": "x", "SyncCount": 1},      # no Key
                      {"Op": "replace", "Key": "k", "Value": "x"}):         # no SyncCount
            with self.subTest(patch=patch):
                res = self.post_update({"SyncSessionToken": self.token(),
                                        "RecordPatches": [patch]})
                self.assertAwsError(res, 400)
        self.assertBaselineIntact()

    # ---- path parameters -------------------------------------------------------------------
    def test_bad_dataset_names(self):
        base = f"/identitypools/{enc(self.pool)}/identities/{enc(self.ident)}/datasets/"
        for seg in ("bad%20name", "bad%2Fname", "a" * 129, "b%C3%A4d", "bad%24"):
            for method, suffix in (("GET", "/records"), ("GET", ""), ("DELETE", "")):
                with self.subTest(name=seg, method=method, suffix=suffix):
                    res = self.server.request(method, base + seg + suffix)
                    self.assertNamesField(self.assertAwsError(res, 400, IP), "datasetname")
        res = self.server.request("POST", base + "a" * 129,
                                  {"SyncSessionToken": self.token(),
                                   "RecordPatches": [replace("k", "v", 0)]})
        self.assertAwsError(res, 400, IP)
        # 128 characters and every allowed punctuation are fine
        self.put_new(self.pool, self.ident, "a" * 128, {"k": "v"})
        self.c.delete_dataset(IdentityPoolId=self.pool, IdentityId=self.ident,
                              DatasetName="a" * 128)
        self.assertBaselineIntact()

    def test_bad_identity_ids(self):
        upper = "us-east-1:" + "ABCDEF00-0000-4000-8000-000000000000"
        too_long = "us-east-1:" + "0" * 46
        for ident in (upper, "us-east-1-no-colon", too_long, "us-east-1:xyz", ""):
            with self.subTest(identity=ident):
                res = self.server.request("GET", dataset_path(self.pool, ident, DS, "/records"))
                if ident == "":
                    self.assertIn(res.status, (400, 404), res)
                    self.assertAwsError(res, res.status)
                else:
                    self.assertNamesField(self.assertAwsError(res, 400, IP), "identityid")
        self.assertBaselineIntact()

    def test_bad_pool_ids(self):
        for pool in ("us-east-1-0000", "us-east-1:ABC", "us-east-1:" + "0" * 46):
            with self.subTest(pool=pool):
                res = self.server.request("GET", dataset_path(pool, self.ident, DS, "/records"))
                self.assertNamesField(self.assertAwsError(res, 400, IP), "identitypoolid")
                res = self.server.request("GET", f"/identitypools/{enc(pool)}")
                self.assertAwsError(res, 400, IP)
        self.assertBaselineIntact()

    # ---- query parameters ------------------------------------------------------------------
    def test_bad_query_numbers(self):
        path = dataset_path(self.pool, self.ident, DS, "/records")
        for query, field in (("lastSyncCount=abc", "lastsynccount"),
                             ("lastSyncCount=-1", "lastsynccount"),
                             ("lastSyncCount=1.5", "lastsynccount"),
                             ("lastSyncCount=99999999999999999999", "lastsynccount"),
                             ("maxResults=abc", "maxresults"),
                             ("maxResults=-3", "maxresults")):
            with self.subTest(query=query):
                res = self.server.request("GET", f"{path}?{query}")
                self.assertNamesField(self.assertAwsError(res, 400, IP), field)
        res = self.server.request(
            "GET", dataset_path(self.pool, self.ident, None) + "?maxResults=xyz")
        self.assertNamesField(self.assertAwsError(res, 400, IP), "maxresults")
        self.assertBaselineIntact()

    # ---- JSON bodies -----------------------------------------------------------------------
    def test_malformed_json(self):
        for body in (b"{not json", b'{"RecordPatches": [', b"\xff\xfe", b"[1,2]", b'"str"'):
            with self.subTest(body=body):
                res = self.post_update(body, raw=True)
                self.assertEqual(res.status, 400, res)
                body_json = self.assertAwsError(res, 400)
                self.assertIn(res.header_exact("x-amzn-ErrorType").split(":")[0], (SER, IP),
                              body_json)
        self.assertBaselineIntact()

    def test_wrong_json_types(self):
        cases = ({"SyncSessionToken": self.token(), "RecordPatches": "x"},
                 {"SyncSessionToken": self.token(),
                  "RecordPatches": [{"Op": "replace", "Key": "k", "Value": 12, "SyncCount": 1}]},
                 {"SyncSessionToken": self.token(),
                  "RecordPatches": [{"Op": "replace", "Key": 7, "Value": "x", "SyncCount": 1}]},
                 {"SyncSessionToken": self.token(),
                  "RecordPatches": [{"Op": "replace", "Key": "k", "Value": "x",
                                     "SyncCount": "one"}]},
                 {"SyncSessionToken": 5, "RecordPatches": []})
        for body in cases:
            with self.subTest(body=body):
                self.assertAwsError(self.post_update(body), 400, SER)
        self.assertBaselineIntact()

    def test_unknown_members_ignored(self):
        res = self.post_update({"SyncSessionToken": self.token(), "Unknown": {"a": [1, 2]},
                                "RecordPatches": [dict(replace("k", "w", 1), Extra=True)]})
        self.assertEqual(res.status, 200, res)
        self.assertEqual(res.json()["Records"][0]["Value"], "w")
        recs = self.list_records(self.pool, self.ident, DS)["Records"]
        self.assertEqual([(r["Key"], r["Value"]) for r in recs], [("k", "w")])

    def test_null_members_treated_as_absent(self):
        res = self.post_update({"SyncSessionToken": self.token(), "DeviceId": None,
                                "RecordPatches": [dict(replace("n", "v", 0),
                                                       DeviceLastModifiedDate=None)]})
        self.assertEqual(res.status, 200, res)

    # ---- routing ---------------------------------------------------------------------------
    def assertUtf8Json(self, res):
        """The body decodes as strict UTF-8 JSON (json.loads would accept lone surrogates in
        escapes, so the bytes are decoded first)."""
        body = json.loads(res.body.decode("utf-8", errors="strict"))
        self.assertIsInstance(body, dict, res)
        return body

    def test_invalid_utf8_is_refused_and_never_reflected(self):
        subscription = dataset_path(self.pool, self.ident, DS, "/subscriptions/")
        for device in ("%C0%AF", "%ED%A0%80", "%F4%90%80%80", "%FF"):
            for method in ("POST", "DELETE"):
                with self.subTest(device=device, method=method):
                    res = self.server.request(method, subscription + device)
                    self.assertAwsError(res, 400, IP)
                    self.assertNamesField(self.assertUtf8Json(res), "DeviceId")
        # A lone surrogate escape is valid JSON syntax but no UTF-8 string.
        token = self.list_records(self.pool, self.ident, DS)["SyncSessionToken"]
        for patch in ('{"Op":"replace","Key":"u","Value":"\\udc00","SyncCount":0}',
                      '{"Op":"replace","Key":"\\udfff","Value":"v","SyncCount":0}'):
            body = '{"SyncSessionToken":"%s","RecordPatches":[%s]}' % (token, patch)
            res = self.server.request("POST", dataset_path(self.pool, self.ident, DS), body,
                                      headers={"Content-Type": "application/json"})
            self.assertAwsError(res, 400, IP)
        # Raw bytes in the path are quoted in the error as U+FFFD, never as they came.
        res = self.server.raw_request("GET", "/no/such/\xc0\xaf/route")  # sent as latin-1 bytes
        self.assertGreaterEqual(res.status, 400, res)
        self.assertUtf8Json(res)
        listed = self.server.request("GET", dataset_path(self.pool, self.ident, DS, "/records"))
        self.assertUtf8Json(listed)
        self.assertBaselineIntact()

    def test_unknown_path_is_404(self):
        for method, path in (("GET", "/nope"), ("GET", "/identitypools/x/y/z/w/v/u/t"),
                             ("POST", "/"), ("GET", "/identitypools/" + enc(self.pool) + "/foo")):
            with self.subTest(method=method, path=path):
                self.assertAwsError(self.server.request(method, path), 404)
        self.assertBaselineIntact()

    def test_wrong_method_is_405(self):
        ds = dataset_path(self.pool, self.ident, DS)
        for method, path in (("PUT", ds), ("PATCH", ds), ("POST", ds + "/records"),
                             ("DELETE", ds + "/records"),
                             ("PUT", dataset_path(self.pool, self.ident, None))):
            with self.subTest(method=method, path=path):
                res = self.server.request(method, path, b"{}" if method != "DELETE" else None)
                self.assertAwsError(res, 405)
        self.assertBaselineIntact()


class HookOperationsWithoutConfiguration(ServerTestCase):
    """Push, streams and events operations on a pool that configured nothing: the documented
    errors (PROTOCOL.md 7.1, 7.5), empty configurations, and stored data untouched."""

    def assertClientError(self, call, code, status):
        with self.assertRaises(ClientError) as cm:
            call()
        err = cm.exception.response
        self.assertEqual(err["Error"]["Code"], code, err)
        self.assertEqual(err["ResponseMetadata"]["HTTPStatusCode"], status, err)
        self.assertTrue(err["Error"].get("Message"), err)

    def test_each_answers_as_documented(self):
        pool, ident = self.ids()
        self.put_new(pool, ident, "d", {"k": "v"})
        c = self.c
        self.assertClientError(lambda: c.register_device(
            IdentityPoolId=pool, IdentityId=ident, Platform="GCM", Token="tok"),
            "InvalidConfigurationException", 400)
        self.assertClientError(lambda: c.subscribe_to_dataset(
            IdentityPoolId=pool, IdentityId=ident, DatasetName="d", DeviceId="dev"),
            "ResourceNotFoundException", 404)
        self.assertClientError(lambda: c.unsubscribe_from_dataset(
            IdentityPoolId=pool, IdentityId=ident, DatasetName="d", DeviceId="dev"),
            "ResourceNotFoundException", 404)
        self.assertClientError(lambda: c.bulk_publish(IdentityPoolId=pool), "InvalidParameterException", 400)
        self.assertClientError(lambda: c.set_cognito_events(
            IdentityPoolId=pool, Events={"NotAnEvent": "arn:aws:lambda:us-east-1:1:function:f"}),
            "InvalidParameterException", 400)
        config = c.get_identity_pool_configuration(IdentityPoolId=pool)
        self.assertEqual(config["IdentityPoolId"], pool)
        self.assertNotIn("PushSync", config)
        self.assertNotIn("CognitoStreams", config)
        self.assertEqual(c.get_cognito_events(IdentityPoolId=pool)["Events"], {})
        details = c.get_bulk_publish_details(IdentityPoolId=pool)
        self.assertEqual(details["BulkPublishStatus"], "NOT_STARTED")
        self.assertNotIn("BulkPublishStartTime", details)
        recs = self.list_records(pool, ident, "d")["Records"]
        self.assertEqual([(r["Key"], r["Value"]) for r in recs], [("k", "v")])

    def test_invalid_configuration_values_are_refused(self):
        pool, _ = self.ids()
        c = self.c
        for push, streams in (
                ({"ApplicationArns": ["not-an-arn"]}, None),
                ({"ApplicationArns": ["arn:aws:sns:us-east-1:123456789012:app/GCM/App"], "RoleArn": "arn:aws:iam::123456789012:user/not-a-role"}, None),
                (None, {"StreamName": "s", "StreamingStatus": "SOMETIMES"}),
                (None, {"StreamName": "x" * 129})):
            kwargs = {"IdentityPoolId": pool}
            if push is not None:
                kwargs["PushSync"] = push
            if streams is not None:
                kwargs["CognitoStreams"] = streams
            with self.subTest(kwargs=kwargs):
                with self.assertRaises(ClientError) as cm:
                    c.set_identity_pool_configuration(**kwargs)
                self.assertIn(cm.exception.response["Error"]["Code"],
                              ("InvalidParameterException", "ValidationException"))
        self.assertNotIn("PushSync", c.get_identity_pool_configuration(IdentityPoolId=pool))


class BodyLimit(ServerTestCase):
    SERVER_ARGS = ("--max-body-bytes", "100000")

    def test_oversized_body_is_413_and_server_keeps_serving(self):
        pool, ident = self.ids()
        self.put_new(pool, ident, "d", {"k": "v"})
        token = self.list_records(pool, ident, "d")["SyncSessionToken"]
        body = json.dumps({"SyncSessionToken": token,
                           "RecordPatches": [replace("big", "x" * 150000, 0)]}).encode()
        res = self.server.raw_request("POST", dataset_path(pool, ident, "d"), body,
                                      {"Content-Type": "application/json"})
        self.assertAwsError(res, 413)
        self.assertEqual(self.server.request("GET", "/health").status, 200)
        recs = self.list_records(pool, ident, "d")["Records"]
        self.assertEqual([(r["Key"], r["Value"]) for r in recs], [("k", "v")])
        # a body under the limit still works
        self.push(pool, ident, "d", [replace("k", "y" * 50000, 1)])


if __name__ == "__main__":
    unittest.main()
