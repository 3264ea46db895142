"""sigv4 mode without static keys (README "Security"): the pool comes from the config file's
[pools] table and no key is configured, so only credentials minted by GetCredentialsForIdentity
authenticate. boto3 gets an identity and its keys unsigned, syncs its own dataset signed with them
and is refused elsewhere; developer operations of both services are refused with a
NotAuthorizedException naming the missing developer key; the startup log and `config show` say so."""
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

import boto3
from botocore import UNSIGNED
from botocore.config import Config

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support"))

from cogsync_server import REGION, binary_path  # noqa: E402
from e2e_base import ServerTestCase, error_code, error_message, http_status, replace  # noqa: E402

POOL = "us-east-1:5e5e5e5e-aaaa-4bbb-8ccc-ddddeeeeffff"
CONFIG = f'auth = "sigv4"\n\n[pools."{POOL}"]\nname = "app"\nallow_unauthenticated = true\n'
NO_DEVELOPER_KEY = "needs a developer key and this server has none"


def identity_client(endpoint, signed=False):
    cfg = dict(retries={"total_max_attempts": 1})
    if not signed:
        cfg["signature_version"] = UNSIGNED
    return boto3.session.Session().client(
        "cognito-identity", endpoint_url=endpoint, region_name=REGION,
        aws_access_key_id="AKIDNOSUCHKEY000", aws_secret_access_key="unused", config=Config(**cfg))


class MintedKeysOnly(ServerTestCase):
    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.mkdtemp(prefix="cogsync-minted-only-")
        cls.config = os.path.join(cls.dir, "cogsync.toml")
        with open(cls.config, "w") as f:
            f.write(CONFIG)
        cls.SERVER_ARGS = ("--config", cls.config)
        try:
            super().setUpClass()
        except BaseException:
            shutil.rmtree(cls.dir, True)
            raise
        cls.unsigned = identity_client(cls.server.endpoint)

    @classmethod
    def tearDownClass(cls):
        try:
            super().tearDownClass()
        finally:
            shutil.rmtree(cls.dir, True)

    def minted(self):
        identity = self.unsigned.get_id(IdentityPoolId=POOL)["IdentityId"]
        creds = self.unsigned.get_credentials_for_identity(IdentityId=identity)["Credentials"]
        return identity, self.server.signed_client(creds["AccessKeyId"], creds["SecretKey"], creds["SessionToken"])

    def assertNoDeveloperKey(self, status, fn, **kw):
        with self.assertRaises(Exception) as ctx:
            fn(**kw)
        self.assertEqual(error_code(ctx.exception), "NotAuthorizedException")
        self.assertEqual(http_status(ctx.exception), status)
        self.assertIn(NO_DEVELOPER_KEY, error_message(ctx.exception))

    def test_startup_log_says_only_minted_keys_authenticate(self):
        out = self.server.output()
        self.assertIn("auth mode sigv4: 0 access key(s)", out)
        self.assertIn("auth mode sigv4 without a developer key: only keys minted by GetCredentialsForIdentity", out)

    def test_minted_keys_sync_their_own_identity_only(self):
        identity, sync = self.minted()
        other, _ = self.minted()
        token = sync.list_records(IdentityPoolId=POOL, IdentityId=identity, DatasetName="d")["SyncSessionToken"]
        sync.update_records(IdentityPoolId=POOL, IdentityId=identity, DatasetName="d", SyncSessionToken=token,
                            RecordPatches=[replace("k", "v", 0)])
        got = sync.list_records(IdentityPoolId=POOL, IdentityId=identity, DatasetName="d")["Records"]
        self.assertEqual([(r["Key"], r["Value"], r["SyncCount"]) for r in got], [("k", "v", 1)])
        with self.assertRaises(Exception) as ctx:
            sync.list_records(IdentityPoolId=POOL, IdentityId=other, DatasetName="d")
        self.assertEqual((error_code(ctx.exception), http_status(ctx.exception)), ("NotAuthorizedException", 403))

    def test_unsigned_sync_request_refused(self):
        res = self.server.request("GET", f"/identitypools/{POOL}/identities/{POOL}/datasets")
        self.assertEqual(res.status, 403, res)
        self.assertEqual(res.header("x-amzn-ErrorType").split(":")[0], "MissingAuthenticationTokenException")

    def test_developer_operations_refused_for_want_of_a_developer_key(self):
        _, sync = self.minted()
        self.assertNoDeveloperKey(403, sync.describe_identity_pool_usage, IdentityPoolId=POOL)
        for client in (self.unsigned, identity_client(self.server.endpoint, signed=True)):
            self.assertNoDeveloperKey(400, client.describe_identity_pool, IdentityPoolId=POOL)
            self.assertNoDeveloperKey(400, client.list_identity_pools, MaxResults=10)

    def test_config_show_says_so(self):
        env = {k: v for k, v in os.environ.items() if not k.startswith("COGSYNC_")}
        res = subprocess.run([binary_path(), "config", "show", "--config", self.config],
                             capture_output=True, text=True, env=env, timeout=30)
        self.assertEqual(res.returncode, 0, res.stderr)
        self.assertIn('auth = "sigv4"', res.stdout)
        self.assertIn("# no developer key: only keys minted by GetCredentialsForIdentity authenticate", res.stdout)


if __name__ == "__main__":
    unittest.main()
