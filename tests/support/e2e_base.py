"""unittest base class for the end-to-end tests: one cogsync server per test class.

Tests use fresh ids (new_pool()/new_identity()) so they never see each other's data.
"""
import datetime
import os
import shutil
import tempfile
import unittest

from botocore.exceptions import ClientError

from cogsync_server import (CogsyncServer, TOKEN_RE, dataset_path, error_code, error_message,
                            http_status, new_identity, new_pool, write_credentials_file)

__all__ = ["ServerTestCase", "CredentialsServerTestCase", "ClientError", "dataset_path",
           "new_identity", "new_pool", "TOKEN_RE", "error_code", "error_message", "http_status",
           "replace", "remove", "aws_cli_home", "aws_cli_env", "aws_cli_command"]


def replace(key, value, sync_count, **extra):
    p = {"Op": "replace", "Key": key, "Value": value, "SyncCount": sync_count}
    p.update(extra)
    return p


def remove(key, sync_count):
    return {"Op": "remove", "Key": key, "SyncCount": sync_count}


def aws_cli_home():
    """A temp dir with empty aws cli config and credentials files; the caller removes it."""
    cfg_dir = tempfile.mkdtemp(prefix="cogsync-awscli-")
    for name in ("config", "credentials"):
        open(os.path.join(cfg_dir, name), "w").close()
    return cfg_dir


def aws_cli_env(cfg_dir, key, secret):
    """The environment for the aws cli: ours without AWS_*, the given key, cfg_dir's files
    (aws_cli_home()), one attempt, no pager."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env.update({
        "AWS_ACCESS_KEY_ID": key, "AWS_SECRET_ACCESS_KEY": secret,
        "AWS_DEFAULT_REGION": "us-east-1",
        "AWS_CONFIG_FILE": os.path.join(cfg_dir, "config"),
        "AWS_SHARED_CREDENTIALS_FILE": os.path.join(cfg_dir, "credentials"),
        "AWS_MAX_ATTEMPTS": "1", "AWS_PAGER": "",
    })
    return env


def aws_cli_command(aws, endpoint, *args, service="cognito-sync", region="us-east-1"):
    """`aws SERVICE ARGS` against endpoint, JSON output, in region."""
    return [aws, service, *args, "--endpoint-url", endpoint,
            "--output", "json", "--region", region]


class ServerTestCase(unittest.TestCase):
    """Starts one server for the class (extra flags in SERVER_ARGS, extra environment variables
    in SERVER_ENV); stops it with SIGTERM and checks the exit code."""

    SERVER_ARGS = ()
    SERVER_ENV = {}
    server = None

    @classmethod
    def setUpClass(cls):
        cls.server = CogsyncServer(*cls.SERVER_ARGS, env=cls.SERVER_ENV)
        try:
            cls.server.start()
        except BaseException:
            cls.server.close()
            raise
        cls.c = cls.server.client()

    @classmethod
    def tearDownClass(cls):
        try:
            if cls.server.proc is not None:
                cls.server.stop()
        finally:
            cls.server.close()

    # ---- ids -------------------------------------------------------------------------------
    def ids(self):
        """(pool, identity) fresh for this call."""
        return new_pool(), new_identity()

    # ---- operations ------------------------------------------------------------------------
    def list_records(self, pool, ident, ds, client=None, **kw):
        c = client or self.c
        return c.list_records(IdentityPoolId=pool, IdentityId=ident, DatasetName=ds, **kw)

    def update(self, pool, ident, ds, patches, token, client=None, **kw):
        c = client or self.c
        return c.update_records(IdentityPoolId=pool, IdentityId=ident, DatasetName=ds,
                                RecordPatches=patches, SyncSessionToken=token, **kw)

    def push(self, pool, ident, ds, patches, client=None):
        """ListRecords for a token, then UpdateRecords with it. Returns the UpdateRecords reply."""
        token = self.list_records(pool, ident, ds, client=client)["SyncSessionToken"]
        return self.update(pool, ident, ds, patches, token, client=client)

    def put_new(self, pool, ident, ds, mapping, client=None):
        """Write new keys (SyncCount 0) in one call; returns the new dataset sync count."""
        out = self.push(pool, ident, ds, [replace(k, v, 0) for k, v in mapping.items()],
                        client=client)
        return out["Records"][0]["SyncCount"] if out["Records"] else None

    def all_records(self, pool, ident, ds, client=None, **kw):
        """Every record (following NextToken), as {key: record}, plus the last page."""
        out = {}
        token = None
        while True:
            args = dict(kw)
            if token:
                args["NextToken"] = token
            page = self.list_records(pool, ident, ds, client=client, **args)
            for r in page["Records"]:
                self.assertNotIn(r["Key"], out, "a record came back twice while paginating")
                out[r["Key"]] = r
            token = page.get("NextToken")
            if not token:
                return out, page

    def describe(self, pool, ident, ds, client=None):
        c = client or self.c
        return c.describe_dataset(IdentityPoolId=pool, IdentityId=ident, DatasetName=ds)

    # ---- assertions ------------------------------------------------------------------------
    def assertClientError(self, fn, code, status=None, message=None):
        with self.assertRaises(ClientError) as cm:
            fn()
        exc = cm.exception
        self.assertEqual(error_code(exc), code, exc.response)
        if status is not None:
            self.assertEqual(http_status(exc), status, exc.response)
        if message is not None:
            self.assertEqual(error_message(exc), message, exc.response)
        return exc

    def assertRecentDatetime(self, value, slack_s=120):
        self.assertIsInstance(value, datetime.datetime)
        now = datetime.datetime.now(datetime.timezone.utc)
        self.assertLess(abs((value - now).total_seconds()), slack_s, value)

    def assertAwsError(self, res, status, code=None):
        """A raw HttpResult carrying an AWS-shaped error."""
        self.assertEqual(res.status, status, res)
        etype = res.header_exact("x-amzn-ErrorType")
        self.assertIsNotNone(etype, f"no x-amzn-ErrorType header (exact casing): {res}")
        self.assertIsNotNone(res.header_exact("x-amzn-RequestId"), res)
        ctype = res.header("Content-Type") or ""
        self.assertTrue(ctype.startswith("application/json"), res)
        body = res.json()
        self.assertIsInstance(body, dict, res)
        self.assertIn("message", body, res)
        self.assertIsInstance(body["message"], str, res)
        self.assertIn("__type", body, res)
        self.assertEqual(body["__type"].split("#")[-1].split(":")[0], etype.split(":")[0], res)
        if code is not None:
            self.assertEqual(etype.split(":")[0], code, res)
        return body


class CredentialsServerTestCase(ServerTestCase):
    """A ServerTestCase whose server reads a credentials file holding CREDENTIALS
    ({access key: settings}, see write_credentials_file); the file lives as long as the class.
    SIGNED_CLIENTS ({attribute: (access key, secret)}) names the boto3 clients the class gets,
    signing with those keys."""

    CREDENTIALS = {}
    SIGNED_CLIENTS = {}
    EXTRA_SERVER_ARGS = ()

    @classmethod
    def setUpClass(cls):
        cls.cred_dir = tempfile.mkdtemp(prefix="cogsync-creds-")
        cls.cred_path = write_credentials_file(cls.cred_dir, cls.CREDENTIALS)
        cls.SERVER_ARGS = ("--credentials-file", cls.cred_path) + tuple(cls.EXTRA_SERVER_ARGS)
        try:
            super().setUpClass()
        except BaseException:
            shutil.rmtree(cls.cred_dir, ignore_errors=True)
            raise
        for name, (key, secret) in cls.SIGNED_CLIENTS.items():
            setattr(cls, name, cls.server.signed_client(key, secret))

    @classmethod
    def tearDownClass(cls):
        try:
            super().tearDownClass()
        finally:
            shutil.rmtree(cls.cred_dir, ignore_errors=True)
