"""Developer identities through boto3's and the aws cli's cognito-identity clients against the
real binary: GetOpenIdTokenForDeveloperIdentity (same user, same identity; the token's claims),
LookupDeveloperIdentity, UnlinkDeveloperIdentity, and DescribeIdentity naming the provider."""
import base64
import json
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

import boto3
from botocore.config import Config

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support"))

from cogsync_server import REGION, binary_path  # noqa: E402
from e2e_base import ServerTestCase, aws_cli_command, aws_cli_env, aws_cli_home  # noqa: E402

AWS = shutil.which("aws")


def claims_of(token):
    body = token.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))


class DeveloperIdentities(ServerTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.ci = boto3.session.Session().client(
            "cognito-identity", endpoint_url=cls.server.endpoint, region_name=REGION, aws_access_key_id="test",
            aws_secret_access_key="test", config=Config(retries={"total_max_attempts": 1}))

    def dev_pool(self, provider):
        return self.ci.create_identity_pool(IdentityPoolName="dev", AllowUnauthenticatedIdentities=False,
                                            DeveloperProviderName=provider)["IdentityPoolId"]

    def test_same_user_same_identity_and_token_claims(self):
        pool = self.dev_pool("login.same")
        first = self.ci.get_open_id_token_for_developer_identity(
            IdentityPoolId=pool, Logins={"login.same": "alice"}, TokenDuration=600, PrincipalTags={"team": "a"})
        again = self.ci.get_open_id_token_for_developer_identity(IdentityPoolId=pool, Logins={"login.same": "alice"})
        self.assertEqual(first["IdentityId"], again["IdentityId"])
        other = self.ci.get_open_id_token_for_developer_identity(IdentityPoolId=pool, Logins={"login.same": "bob"})
        self.assertNotEqual(other["IdentityId"], first["IdentityId"])
        claims = claims_of(first["Token"])
        self.assertEqual(claims["sub"], first["IdentityId"])
        self.assertEqual(claims["aud"], pool)
        self.assertEqual(claims["amr"], ["authenticated", "login.same"])
        self.assertEqual(claims["exp"] - claims["iat"], 600)
        self.assertEqual(claims_of(again["Token"])["exp"] - claims_of(again["Token"])["iat"], 900)
        described = self.ci.describe_identity(IdentityId=first["IdentityId"])
        self.assertEqual(described["Logins"], ["login.same"])
        with self.assertRaises(self.ci.exceptions.NotAuthorizedException):
            self.ci.get_open_id_token_for_developer_identity(IdentityPoolId=pool, Logins={"login.other": "alice"})
        with self.assertRaises(self.ci.exceptions.DeveloperUserAlreadyRegisteredException):
            self.ci.get_open_id_token_for_developer_identity(IdentityPoolId=pool, Logins={"login.same": "alice"},
                                                             IdentityId=other["IdentityId"])

    def test_lookup_and_unlink(self):
        pool = self.dev_pool("login.lookup")
        ident = self.ci.get_open_id_token_for_developer_identity(
            IdentityPoolId=pool, Logins={"login.lookup": "u1"})["IdentityId"]
        self.ci.get_open_id_token_for_developer_identity(IdentityPoolId=pool, Logins={"login.lookup": "u2"},
                                                         IdentityId=ident)
        found = self.ci.lookup_developer_identity(IdentityPoolId=pool, DeveloperUserIdentifier="u2")
        self.assertEqual(found["IdentityId"], ident)
        listed = self.ci.lookup_developer_identity(IdentityPoolId=pool, IdentityId=ident, MaxResults=10)
        self.assertEqual(listed["DeveloperUserIdentifierList"], ["u1", "u2"])
        self.ci.unlink_developer_identity(IdentityId=ident, IdentityPoolId=pool, DeveloperProviderName="login.lookup",
                                          DeveloperUserIdentifier="u1")
        listed = self.ci.lookup_developer_identity(IdentityPoolId=pool, IdentityId=ident, MaxResults=10)
        self.assertEqual(listed["DeveloperUserIdentifierList"], ["u2"])
        with self.assertRaises(self.ci.exceptions.ResourceNotFoundException):
            self.ci.lookup_developer_identity(IdentityPoolId=pool, DeveloperUserIdentifier="u1")

    def test_merge_end_to_end(self):
        pool = self.dev_pool("login.merge")
        dest = self.ci.get_open_id_token_for_developer_identity(
            IdentityPoolId=pool, Logins={"login.merge": "dest"})["IdentityId"]
        src = self.ci.get_open_id_token_for_developer_identity(
            IdentityPoolId=pool, Logins={"login.merge": "src"})["IdentityId"]
        self.put_new(pool, src, "profile", {"name": "old", "gone": "x"})
        self.push(pool, src, "profile", [{"Op": "remove", "Key": "gone", "SyncCount": 1}])
        self.put_new(pool, dest, "profile", {"name": "new"})

        merged = self.ci.merge_developer_identities(SourceUserIdentifier="src", DestinationUserIdentifier="dest",
                                                    DeveloperProviderName="login.merge", IdentityPoolId=pool)
        self.assertEqual(merged["IdentityId"], dest)
        merged_name = "profile." + src
        self.assertEqual(self.list_records(pool, dest, "profile")["MergedDatasetNames"], [merged_name])
        records, page = self.all_records(pool, dest, merged_name)
        self.assertEqual({k: (r["Value"], r["SyncCount"]) for k, r in records.items()}, {"name": ("old", 1)})
        self.assertEqual(page["DatasetSyncCount"], 1)
        self.assertEqual(self.ci.lookup_developer_identity(IdentityPoolId=pool, DeveloperUserIdentifier="src")["IdentityId"],
                         dest)
        with self.assertRaises(self.ci.exceptions.ResourceNotFoundException):
            self.ci.describe_identity(IdentityId=src)
        with self.assertRaises(self.ci.exceptions.ResourceConflictException):
            self.ci.merge_developer_identities(SourceUserIdentifier="src", DestinationUserIdentifier="dest",
                                               DeveloperProviderName="login.merge", IdentityPoolId=pool)

        self.c.delete_dataset(IdentityPoolId=pool, IdentityId=dest, DatasetName=merged_name)
        self.assertNotIn("MergedDatasetNames", self.list_records(pool, dest, "profile"))

    @unittest.skipUnless(AWS, "aws cli not installed")
    def test_aws_cli(self):
        pool = self.dev_pool("login.cli")
        cfg = aws_cli_home()
        self.addCleanup(shutil.rmtree, cfg, True)

        def cli(*args):
            cmd = aws_cli_command(AWS, self.server.endpoint, *args, service="cognito-identity", region=REGION)
            res = subprocess.run(cmd, env=aws_cli_env(cfg, "test", "test"), capture_output=True, text=True,
                                 timeout=120, check=True)
            return json.loads(res.stdout)

        got = cli("get-open-id-token-for-developer-identity", "--identity-pool-id", pool,
                  "--logins", "login.cli=carol", "--token-duration", "120")
        self.assertEqual(claims_of(got["Token"])["sub"], got["IdentityId"])
        found = cli("lookup-developer-identity", "--identity-pool-id", pool, "--developer-user-identifier", "carol")
        self.assertEqual(found["IdentityId"], got["IdentityId"])


class PoolCli(ServerTestCase):
    """`cogsync pool create|list|delete` on the store of a running server, seen by boto3 at once."""

    def pool_cli(self, *args, check=True):
        store = ["--store", self.server.store] if self.server.store else []
        return subprocess.run([binary_path(), "pool", *args, "--data-dir", self.server.data_dir, *store],
                               capture_output=True, text=True, timeout=60, check=check)

    def test_create_list_delete_while_serving(self):
        ci = boto3.session.Session().client(
            "cognito-identity", endpoint_url=self.server.endpoint, region_name=REGION, aws_access_key_id="test",
            aws_secret_access_key="test", config=Config(retries={"total_max_attempts": 1}))
        pool = self.pool_cli("create", "--name", "cli pool", "--allow-unauthenticated",
                             "--developer-provider", "login.cli-pool").stdout.strip()
        self.assertRegex(pool, r"^[\w-]+:[0-9a-f-]+$")
        described = ci.describe_identity_pool(IdentityPoolId=pool)
        self.assertEqual(described["IdentityPoolName"], "cli pool")
        self.assertEqual(described["DeveloperProviderName"], "login.cli-pool")
        self.assertTrue(ci.get_id(IdentityPoolId=pool)["IdentityId"])
        fixed = "us-east-1:12345678-1111-4222-8333-444455556666"
        self.assertEqual(self.pool_cli("create", "--name", "fixed", "--id", fixed).stdout.strip(), fixed)
        self.assertIn(f"{fixed} fixed", self.pool_cli("list").stdout.splitlines())
        self.assertEqual(self.pool_cli("create", "--name", "again", "--id", fixed, check=False).returncode, 1)
        self.assertEqual(self.pool_cli("create", "--name", "bad", "--id", "no id", check=False).returncode, 1)
        self.pool_cli("delete", fixed)
        with self.assertRaises(ci.exceptions.ResourceNotFoundException):
            ci.describe_identity_pool(IdentityPoolId=fixed)
        self.assertEqual(self.pool_cli("delete", fixed, check=False).returncode, 1)


DECLARED = "us-east-1:0f0f0f0f-1111-4222-8333-444455556666"


class DeclaredPools(ServerTestCase):
    """A [pools."<id>"] table: the pool exists at startup with that id, usable by boto3; a changed
    declaration is applied at the next start, and identities stay."""

    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.mkdtemp(prefix="cogsync-pools-")
        cls.config = os.path.join(cls.dir, "cogsync.toml")
        cls.write_config("compose pool", "login.compose")
        cls.SERVER_ARGS = ("--config", cls.config)
        super().setUpClass()

    @classmethod
    def tearDownClass(cls):
        super().tearDownClass()
        shutil.rmtree(cls.dir, True)

    @classmethod
    def write_config(cls, name, provider):
        with open(cls.config, "w") as f:
            f.write(f'[pools."{DECLARED}"]\nname = "{name}"\nallow_unauthenticated = true\n'
                    f'developer_provider = "{provider}"\n'
                    'supported_login_providers = { "accounts.google.com" = "client.apps" }\n')

    def client(self):
        return boto3.session.Session().client(
            "cognito-identity", endpoint_url=self.server.endpoint, region_name=REGION, aws_access_key_id="test",
            aws_secret_access_key="test", config=Config(retries={"total_max_attempts": 1}))

    def test_declared_pool_at_startup_and_after_a_change(self):
        ci = self.client()
        described = ci.describe_identity_pool(IdentityPoolId=DECLARED)
        self.assertEqual(described["IdentityPoolName"], "compose pool")
        self.assertEqual(described["DeveloperProviderName"], "login.compose")
        self.assertEqual(described["SupportedLoginProviders"], {"accounts.google.com": "client.apps"})
        ident = ci.get_id(IdentityPoolId=DECLARED)["IdentityId"]
        self.write_config("renamed", "login.compose")
        self.server.stop()
        self.server.start()
        ci = self.client()
        self.assertEqual(ci.describe_identity_pool(IdentityPoolId=DECLARED)["IdentityPoolName"], "renamed")
        self.assertEqual(ci.describe_identity(IdentityId=ident)["IdentityId"], ident)


if __name__ == "__main__":
    unittest.main()
