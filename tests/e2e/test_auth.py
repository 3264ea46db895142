"""SigV4 authentication (PROTOCOL.md 1.1, 4.5, 8): with a credentials file every request but OPTIONS
preflights and GET /health must be signed by a known key; boto3, the aws cli and hand-signed
requests (botocore's SigV4Auth / SigV4QueryAuth) are accepted, and each way of getting the
signature wrong is refused with its AWS error before anything is read or written."""
import datetime
import json
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support"))

from cogsync_server import (CogsyncServer, binary_path, new_identity, new_pool,  # noqa: E402
                            sigv4_sign, write_credentials_file)
from e2e_base import (CredentialsServerTestCase, aws_cli_command, aws_cli_env,  # noqa: E402
                      aws_cli_home, dataset_path, error_message, replace)

AWS = shutil.which("aws")

POOL = new_pool()
IDENT = new_identity()      # the identity key's identity
IDENT_ST = new_identity()   # the session-token key's identity

DEV_KEY, DEV_SECRET = "AKIDEVELOPER0001", "devsecret/with+chars"
DEFAULT_ACCOUNT = "000000000000"  # LastModifiedBy of a developer key without an account
ID_KEY, ID_SECRET = "ASIAIDENTITY0001", "idsecret"
ST_KEY, ST_SECRET, ST_TOKEN = "ASIASESSION00001", "stsecret", "FwoGZXIvYXdzEXAMPLEsessiontoken="

KEYS = {
    DEV_KEY: {"secret": DEV_SECRET, "kind": "developer", "pools": "*"},
    ID_KEY: {"secret": ID_SECRET, "kind": "identity", "pool": POOL, "identity": IDENT},
    ST_KEY: {"secret": ST_SECRET, "kind": "identity", "pool": POOL, "identity": IDENT_ST,
             "session_token": ST_TOKEN},
}

UNRECOGNIZED = "UnrecognizedClientException"
BAD_SIG = "InvalidSignatureException"


class SignedServerTestCase(CredentialsServerTestCase):
    """A server started with a credentials file holding KEYS (sigv4 is then the default mode)."""

    CREDENTIALS = KEYS


class BotoSigning(SignedServerTestCase):
    SIGNED_CLIENTS = {"dev": (DEV_KEY, DEV_SECRET), "idc": (ID_KEY, ID_SECRET)}

    def test_developer_key_full_sync_cycle(self):
        pool, ident = new_pool(), new_identity()
        ds = "devcycle"
        first = self.list_records(pool, ident, ds, client=self.dev)
        self.assertIs(first["DatasetExists"], False)
        out = self.update(pool, ident, ds, [replace("a", "1", 0), replace("b", "2", 0)],
                          first["SyncSessionToken"], client=self.dev)
        self.assertEqual(len(out["Records"]), 2)
        for r in out["Records"]:
            self.assertEqual(r["LastModifiedBy"], DEFAULT_ACCOUNT, r)
        listed = self.list_records(pool, ident, ds, client=self.dev)
        self.assertEqual({r["Key"]: r["Value"] for r in listed["Records"]}, {"a": "1", "b": "2"})
        self.assertEqual(listed["LastModifiedBy"], DEFAULT_ACCOUNT, listed)
        for r in listed["Records"]:
            self.assertEqual(r["LastModifiedBy"], DEFAULT_ACCOUNT, r)

        datasets = self.dev.list_datasets(IdentityPoolId=pool, IdentityId=ident)["Datasets"]
        self.assertEqual([d["DatasetName"] for d in datasets], [ds])
        dataset = self.describe(pool, ident, ds, client=self.dev)["Dataset"]
        self.assertEqual(dataset["NumRecords"], 2)
        self.assertEqual(dataset["LastModifiedBy"], DEFAULT_ACCOUNT, dataset)

        usage = self.dev.describe_identity_usage(IdentityPoolId=pool, IdentityId=ident)
        self.assertEqual(usage["IdentityUsage"]["DatasetCount"], 1)
        pool_usage = self.dev.describe_identity_pool_usage(IdentityPoolId=pool)
        self.assertEqual(pool_usage["IdentityPoolUsage"]["IdentityPoolId"], pool)
        pools = []
        token = None
        while True:
            kw = {"NextToken": token} if token else {}
            page = self.dev.list_identity_pool_usage(MaxResults=60, **kw)
            pools += [p["IdentityPoolId"] for p in page["IdentityPoolUsages"]]
            token = page.get("NextToken")
            if not token:
                break
        self.assertIn(pool, pools)

        deleted = self.dev.delete_dataset(IdentityPoolId=pool, IdentityId=ident, DatasetName=ds)
        self.assertEqual(deleted["Dataset"]["DatasetName"], ds)
        self.assertIs(self.list_records(pool, ident, ds, client=self.dev)["DatasetExists"], False)

    def test_identity_key_on_its_own_identity(self):
        ds = "idown"
        out = self.push(POOL, IDENT, ds, [replace("k", "v", 0)], client=self.idc)
        self.assertEqual(out["Records"][0]["LastModifiedBy"], IDENT, out)
        listed = self.list_records(POOL, IDENT, ds, client=self.idc)
        self.assertEqual([(r["Key"], r["Value"]) for r in listed["Records"]], [("k", "v")])
        self.assertEqual(listed["Records"][0]["LastModifiedBy"], IDENT)
        self.assertEqual(self.describe(POOL, IDENT, ds, client=self.idc)["Dataset"]
                         ["LastModifiedBy"], IDENT)
        usage = self.idc.describe_identity_usage(IdentityPoolId=POOL, IdentityId=IDENT)
        self.assertGreaterEqual(usage["IdentityUsage"]["DatasetCount"], 1)
        names = [d["DatasetName"] for d in
                 self.idc.list_datasets(IdentityPoolId=POOL, IdentityId=IDENT)["Datasets"]]
        self.assertIn(ds, names)

    def test_session_token_key(self):
        good = self.server.signed_client(ST_KEY, ST_SECRET, session_token=ST_TOKEN)
        out = self.push(POOL, IDENT_ST, "st", [replace("k", "v", 0)], client=good)
        self.assertEqual(out["Records"][0]["LastModifiedBy"], IDENT_ST)

        for label, token in (("no token", None), ("wrong token", ST_TOKEN + "x"),
                             ("other token", "AQoDYXdzEJr")):
            with self.subTest(label):
                bad = self.server.signed_client(ST_KEY, ST_SECRET, session_token=token)
                self.assertClientError(lambda: self.list_records(POOL, IDENT_ST, "st", client=bad),
                                       UNRECOGNIZED, 403)
                self.assertClientError(
                    lambda: self.push(POOL, IDENT_ST, "st2", [replace("k", "v", 0)], client=bad),
                    UNRECOGNIZED, 403)
        self.assertIs(self.list_records(POOL, IDENT_ST, "st2", client=good)["DatasetExists"],
                      False)

    def test_wrong_secret_and_unknown_key(self):
        pool, ident = new_pool(), new_identity()
        wrong = self.server.signed_client(DEV_KEY, DEV_SECRET + "x")
        exc = self.assertClientError(lambda: self.list_records(pool, ident, "x", client=wrong),
                                     BAD_SIG, 403)
        self.assertTrue(error_message(exc), exc.response)
        unknown = self.server.signed_client("AKIAUNKNOWNKEY000", DEV_SECRET)
        self.assertClientError(lambda: self.list_records(pool, ident, "x", client=unknown),
                               UNRECOGNIZED, 403)
        # Nothing got through: the dataset was never created.
        self.assertIs(self.list_records(pool, ident, "x", client=self.dev)["DatasetExists"], False)

    def test_the_open_mode_client_is_refused(self):
        """The 'test'/'test' key every other e2e test signs with is unknown here."""
        pool, ident = new_pool(), new_identity()
        self.assertClientError(lambda: self.list_records(pool, ident, "x", client=self.c),
                               UNRECOGNIZED, 403)


class RawSignatures(SignedServerTestCase):
    """Requests signed by hand with botocore's signers and sent with http.client."""

    def records_path(self, pool, ident, ds):
        return dataset_path(pool, ident, ds, "/records")

    def token_for(self, pool, ident, ds):
        res = self.server.signed_request("GET", self.records_path(pool, ident, ds), DEV_KEY,
                                         DEV_SECRET)
        self.assertEqual(res.status, 200, res)
        return res.json()["SyncSessionToken"]

    def exists(self, pool, ident, ds):
        res = self.server.signed_request("GET", self.records_path(pool, ident, ds), DEV_KEY,
                                         DEV_SECRET)
        self.assertEqual(res.status, 200, res)
        return res.json()["DatasetExists"]

    def test_good_signature(self):
        pool, ident = new_pool(), new_identity()
        token = self.token_for(pool, ident, "raw")
        body = json.dumps({"SyncSessionToken": token, "RecordPatches": [replace("k", "v", 0)]})
        res = self.server.signed_request("POST", dataset_path(pool, ident, "raw"), DEV_KEY,
                                         DEV_SECRET, body=body)
        self.assertEqual(res.status, 200, res)
        self.assertIs(self.exists(pool, ident, "raw"), True)

    def test_unsigned_request(self):
        pool, ident = new_pool(), new_identity()
        res = self.server.request("GET", self.records_path(pool, ident, "u"))
        body = self.assertAwsError(res, 403, "MissingAuthenticationTokenException")
        self.assertEqual(body["__type"], "MissingAuthenticationTokenException")
        res = self.server.request("POST", dataset_path(pool, ident, "u"),
                                  {"SyncSessionToken": "x", "RecordPatches": []})
        self.assertAwsError(res, 403, "MissingAuthenticationTokenException")
        # Authentication comes before routing: an unknown path does not reveal a 404.
        res = self.server.request("GET", "/no/such/route")
        self.assertAwsError(res, 403, "MissingAuthenticationTokenException")

    def test_wrong_secret_and_unknown_key_raw(self):
        pool, ident = new_pool(), new_identity()
        path = self.records_path(pool, ident, "w")
        res = self.server.signed_request("GET", path, DEV_KEY, "not-the-secret")
        body = self.assertAwsError(res, 403, BAD_SIG)
        self.assertEqual(body["__type"], BAD_SIG)
        res = self.server.signed_request("GET", path, "AKIANOBODY00000", DEV_SECRET)
        body = self.assertAwsError(res, 403, UNRECOGNIZED)
        self.assertEqual(body["__type"], UNRECOGNIZED)

    def test_tampered_body(self):
        pool, ident = new_pool(), new_identity()
        token = self.token_for(pool, ident, "tamper")
        signed = json.dumps({"SyncSessionToken": token, "RecordPatches": [replace("k", "a", 0)]})
        sent = json.dumps({"SyncSessionToken": token, "RecordPatches": [replace("k", "b", 0)]})
        self.assertEqual(len(signed), len(sent))
        res = self.server.signed_request("POST", dataset_path(pool, ident, "tamper"), DEV_KEY,
                                         DEV_SECRET, body=signed, send_body=sent)
        body = self.assertAwsError(res, 403, BAD_SIG)
        self.assertEqual(body["__type"], BAD_SIG)
        self.assertIs(self.exists(pool, ident, "tamper"), False, "a tampered write was stored")

    def test_tampered_signed_header(self):
        pool, ident = new_pool(), new_identity()
        path = self.records_path(pool, ident, "hdr")
        url, headers = self._sign("GET", path, {"x-amz-Client-Context": "c2lnbmVk"})
        headers["x-amz-Client-Context"] = "dGFtcGVyZWQ="
        res = self.server.request("GET", path, headers=headers)
        self.assertAwsError(res, 403, BAD_SIG)
        # The same headers untouched pass, so it is the tampering that was caught.
        url, headers = self._sign("GET", path, {"x-amz-Client-Context": "c2lnbmVk"})
        self.assertEqual(self.server.request("GET", path, headers=headers).status, 200)

    def test_tampered_query(self):
        pool, ident = new_pool(), new_identity()
        path = self.records_path(pool, ident, "q") + "?maxResults=5"
        _, headers = self._sign("GET", path)
        res = self.server.request("GET", path.replace("maxResults=5", "maxResults=6"),
                                  headers=headers)
        self.assertAwsError(res, 403, BAD_SIG)
        res = self.server.request("GET", path + "&lastSyncCount=0", headers=headers)
        self.assertAwsError(res, 403, BAD_SIG)
        self.assertEqual(self.server.request("GET", path, headers=headers).status, 200)

    def test_tampered_path(self):
        pool, ident = new_pool(), new_identity()
        path = self.records_path(pool, ident, "p1")
        _, headers = self._sign("GET", path)
        res = self.server.request("GET", self.records_path(pool, ident, "p2"), headers=headers)
        self.assertAwsError(res, 403, BAD_SIG)

    def test_dot_segments_are_refused_before_authentication(self):
        """The canonical URI drops "." and ".." while routing matches segments as sent: a
        DeleteDataset signature replayed on .../subscriptions/.. would authenticate an
        UnsubscribeFromDataset. Such paths are refused, signed or not."""
        path = dataset_path(POOL, IDENT, "dots")
        _, headers = sigv4_sign("DELETE", self.server.endpoint + path, ID_KEY, ID_SECRET)
        for replayed in (path + "/subscriptions/..", path + "/./records/.."):
            res = self.server.request("DELETE", replayed, headers=headers)
            body = self.assertAwsError(res, 400, "InvalidParameterException")
            self.assertIn("'.' or '..'", body["message"])
        res = self.server.request("GET", path + "/records/..")
        self.assertAwsError(res, 400, "InvalidParameterException")

    def _sign(self, method, path, headers=None, body=b"", **kw):
        return sigv4_sign(method, self.server.endpoint + path, DEV_KEY, DEV_SECRET, body=body,
                          headers=headers, **kw)

    def test_timestamp_past_the_skew(self):
        pool, ident = new_pool(), new_identity()
        path = self.records_path(pool, ident, "skew")
        now = datetime.datetime.now(datetime.timezone.utc)
        for minutes in (-20, 20, -60 * 24):
            with self.subTest(minutes=minutes):
                res = self.server.signed_request("GET", path, DEV_KEY, DEV_SECRET,
                                                 when=now + datetime.timedelta(minutes=minutes))
                body = self.assertAwsError(res, 400, "RequestExpired")
                self.assertEqual(body["__type"], "RequestExpired")
        # A replayed write from 20 minutes ago is refused and writes nothing.
        token = self.token_for(pool, ident, "skew")
        body = json.dumps({"SyncSessionToken": token, "RecordPatches": [replace("k", "v", 0)]})
        res = self.server.signed_request("POST", dataset_path(pool, ident, "skew"), DEV_KEY,
                                         DEV_SECRET, body=body,
                                         when=now - datetime.timedelta(minutes=20))
        self.assertAwsError(res, 400, "RequestExpired")
        self.assertIs(self.exists(pool, ident, "skew"), False)
        # Within the window (a few minutes off) is fine.
        res = self.server.signed_request("GET", path, DEV_KEY, DEV_SECRET,
                                         when=now - datetime.timedelta(minutes=5))
        self.assertEqual(res.status, 200, res)

    def test_malformed_authorization(self):
        pool, ident = new_pool(), new_identity()
        path = self.records_path(pool, ident, "m")
        _, good = self._sign("GET", path)
        amz_date = good["X-Amz-Date"]
        bad_values = [
            "AWS4-HMAC-SHA256",
            "AWS4-HMAC-SHA256 Credential=garbage",
            f"AWS4-HMAC-SHA256 Credential={DEV_KEY}/20200101/us-east-1/cognito-sync/aws4_request",
            f"AWS4-HMAC-SHA256 Credential={DEV_KEY}/{amz_date[:8]}/us-east-1/cognito-sync/"
            "aws4_request, SignedHeaders=host;x-amz-date",
        ]
        for value in bad_values:
            with self.subTest(value=value):
                headers = dict(good)
                headers["Authorization"] = value
                res = self.server.request("GET", path, headers=headers)
                body = self.assertAwsError(res, 400, "IncompleteSignatureException")
                self.assertEqual(body["__type"], "IncompleteSignatureException")

    def test_presigned_get(self):
        pool, ident = new_pool(), new_identity()
        path = self.records_path(pool, ident, "pre") + "?maxResults=5"
        url = self.server.presigned_url("GET", path, DEV_KEY, DEV_SECRET)
        self.assertIn("X-Amz-Signature=", url)
        res = self.server.request("GET", url)
        self.assertEqual(res.status, 200, res)
        self.assertIn("SyncSessionToken", res.json())

        res = self.server.request("GET", url.replace("maxResults=5", "maxResults=6"))
        self.assertAwsError(res, 403, BAD_SIG)
        res = self.server.request("GET", url + "&lastSyncCount=0")
        self.assertAwsError(res, 403, BAD_SIG)
        wrong = self.server.presigned_url("GET", path, DEV_KEY, "wrong-secret")
        self.assertAwsError(self.server.request("GET", wrong), 403, BAD_SIG)

    def test_unsigned_preflight_and_health(self):
        pool, ident = new_pool(), new_identity()
        res = self.server.request("OPTIONS", self.records_path(pool, ident, "o"), headers={
            "Origin": "http://example.com", "Access-Control-Request-Method": "GET",
            "Access-Control-Request-Headers": "authorization,x-amz-date"})
        self.assertEqual(res.status, 200, res)
        self.assertIn("authorization", (res.header("Access-Control-Allow-Headers") or "").lower())
        res = self.server.request("GET", "/health")
        self.assertEqual(res.status, 200, res)


@unittest.skipIf(AWS is None, "aws cli not installed")
class AwsCliSigning(SignedServerTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.cfg_dir = aws_cli_home()

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.cfg_dir, ignore_errors=True)
        super().tearDownClass()

    def aws(self, key, secret, *args):
        env = aws_cli_env(self.cfg_dir, key, secret)
        cmd = aws_cli_command(AWS, self.server.endpoint, *args)
        return subprocess.run(cmd, capture_output=True, env=env, timeout=60, text=True)

    def test_signed_list_and_update(self):
        pool, ident = new_pool(), new_identity()
        ids = ["--identity-pool-id", pool, "--identity-id", ident, "--dataset-name", "cli"]
        res = self.aws(DEV_KEY, DEV_SECRET, "list-records", *ids)
        self.assertEqual(res.returncode, 0, res.stderr)
        token = json.loads(res.stdout)["SyncSessionToken"]
        patches = json.dumps([{"Op": "replace", "Key": "k", "Value": "v", "SyncCount": 0}])
        res = self.aws(DEV_KEY, DEV_SECRET, "update-records", *ids,
                       "--sync-session-token", token, "--record-patches", patches)
        self.assertEqual(res.returncode, 0, res.stderr)
        rec = json.loads(res.stdout)["Records"][0]
        self.assertEqual((rec["Key"], rec["Value"], rec["LastModifiedBy"]),
                         ("k", "v", DEFAULT_ACCOUNT))

        res = self.aws(DEV_KEY, DEV_SECRET + "nope", "list-records", *ids)
        self.assertNotEqual(res.returncode, 0, res.stdout)
        self.assertIn("InvalidSignatureException", res.stderr)


class AccountIds(CredentialsServerTestCase):
    """LastModifiedBy of a developer key is an account id (PROTOCOL.md 5.10): its own `account`,
    else the server's --account-id (here from COGSYNC_ACCOUNT_ID). Mobile clients store and show
    it (iOS AWSCognitoDataset.m syncPull: keeps record.lastModifiedBy), so the access key id
    must never appear there."""

    SERVER_ENV = {"COGSYNC_ACCOUNT_ID": "111122223333"}
    OWN = ("AKIDOWNACCOUNT01", "ownsecret")
    PLAIN = ("AKIDNOACCOUNT001", "plainsecret")
    CREDENTIALS = {
        OWN[0]: {"secret": OWN[1], "kind": "developer", "pools": "*", "account": "444455556666"},
        PLAIN[0]: {"secret": PLAIN[1], "kind": "developer", "pools": "*"},
    }

    def check_writer(self, key, account):
        client = self.server.signed_client(*key)
        pool, ident, ds = new_pool(), new_identity(), "acct"
        out = self.push(pool, ident, ds, [replace("k", "v", 0)], client=client)
        self.assertEqual(out["Records"][0]["LastModifiedBy"], account)
        listed = self.list_records(pool, ident, ds, client=client)
        self.assertEqual(listed["LastModifiedBy"], account)
        self.assertEqual(listed["Records"][0]["LastModifiedBy"], account)
        dataset = self.describe(pool, ident, ds, client=client)["Dataset"]
        self.assertEqual(dataset["LastModifiedBy"], account)
        listed = client.list_datasets(IdentityPoolId=pool, IdentityId=ident)["Datasets"]
        self.assertEqual([d["LastModifiedBy"] for d in listed], [account])
        deleted = client.delete_dataset(IdentityPoolId=pool, IdentityId=ident, DatasetName=ds)
        self.assertEqual(deleted["Dataset"]["LastModifiedBy"], account)

    def test_a_key_with_its_own_account(self):
        self.check_writer(self.OWN, "444455556666")

    def test_a_key_without_one_writes_the_server_account(self):
        self.check_writer(self.PLAIN, "111122223333")

    def test_a_malformed_account_id_stops_the_server(self):
        data_dir = tempfile.mkdtemp(prefix="cogsync-account-")
        try:
            cmd = [binary_path(), "serve", "--listen", "127.0.0.1:0", "--data-dir", data_dir,
                   "--account-id", "AKID12345678"]
            res = subprocess.run(cmd, capture_output=True, text=True, timeout=15,
                                 stdin=subprocess.DEVNULL)
        finally:
            shutil.rmtree(data_dir, ignore_errors=True)
        self.assertNotEqual(res.returncode, 0, res)
        self.assertIn("--account-id: expected 12 digits", res.stderr)


class StartupModes(unittest.TestCase):
    """The startup log names the mode; contradictory settings exit with code 2.

    Each server answers one request before it is stopped: cogsync logs its listening line just
    before it installs its SIGTERM handler, so a signal sent at once may find the default action.
    """

    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="cogsync-authmode-")
        self.cred_path = write_credentials_file(self.tmp, KEYS)
        self.data_dir = os.path.join(self.tmp, "data")
        os.makedirs(self.data_dir)

    def tearDown(self):
        shutil.rmtree(self.tmp, ignore_errors=True)

    def test_open_mode_warns(self):
        with CogsyncServer() as server:
            out = server.output()
            self.assertIn("auth mode open", out)
            self.assertRegex(out, r"(?i)warn")
            res = server.request("GET", dataset_path(new_pool(), new_identity(), "o", "/records"))
            self.assertEqual(res.status, 200, res)
            server.stop()

    def test_explicit_open_mode_warns(self):
        with CogsyncServer("--auth", "open") as server:
            self.assertIn("auth mode open", server.output())
            self.assertEqual(server.request("GET", "/health").status, 200)
            server.stop()

    def test_sigv4_mode_logs_key_count(self):
        with CogsyncServer("--credentials-file", self.cred_path) as server:
            self.assertIn("auth mode sigv4: 3 access key(s)", server.output())
            self.assertNotIn("auth mode open", server.output())
            self.assertEqual(server.request("GET", "/health").status, 200)
            server.stop()
        with CogsyncServer("--auth", "sigv4", "--credentials-file", self.cred_path) as server:
            self.assertIn("auth mode sigv4: 3 access key(s)", server.output())
            self.assertEqual(server.request("GET", "/health").status, 200)
            server.stop()

    def test_sigv4_mode_from_env(self):
        env = {"COGSYNC_CREDENTIALS_FILE": self.cred_path, "COGSYNC_AUTH": "sigv4"}
        with CogsyncServer(env=env) as server:
            self.assertIn("auth mode sigv4: 3 access key(s)", server.output())
            res = server.request("GET", dataset_path(new_pool(), new_identity(), "e", "/records"))
            self.assertEqual(res.status, 403, res)
            server.stop()

    def run_bad(self, *args, env=None):
        full_env = {k: v for k, v in os.environ.items() if not k.startswith("COGSYNC_")}
        full_env.update(env or {})
        cmd = [binary_path(), "serve", "--listen", "127.0.0.1:0", "--data-dir", self.data_dir,
               *args]
        # A server that wrongly starts is killed by subprocess.run's timeout (our own child).
        try:
            res = subprocess.run(cmd, capture_output=True, text=True, timeout=15, env=full_env,
                                 stdin=subprocess.DEVNULL)
        except subprocess.TimeoutExpired as e:
            self.fail(f"{cmd} kept running instead of exiting with code 2: {e.stdout}{e.stderr}")
        return res

    def test_misconfigurations_exit_2(self):
        cases = [
            (("--auth", "open", "--credentials-file", self.cred_path), None),
            ((), {"COGSYNC_AUTH": "open", "COGSYNC_CREDENTIALS_FILE": self.cred_path}),
            (("--io-threads", "0"), None),       # a value out of range
            (("--no-such-option",), None),      # an unknown flag
            (("--max-body-bytes", "lots"), None),
        ]
        for args, env in cases:
            with self.subTest(args=args, env=env):
                res = self.run_bad(*args, env=env)
                self.assertEqual(res.returncode, 2, f"stdout={res.stdout}\nstderr={res.stderr}")
                self.assertNotIn("listening on", res.stdout + res.stderr)

    def test_bad_credentials_file_does_not_start(self):
        bad = os.path.join(self.tmp, "bad.ini")
        with open(bad, "w") as f:
            f.write("[AKIDNOKIND]\nsecret = s\n")
        missing = os.path.join(self.tmp, "missing.ini")
        for path in (bad, missing):
            with self.subTest(path=path):
                res = self.run_bad("--credentials-file", path)
                self.assertNotEqual(res.returncode, 0, res.stdout + res.stderr)
                self.assertNotIn("listening on", res.stdout + res.stderr)


if __name__ == "__main__":
    unittest.main()
