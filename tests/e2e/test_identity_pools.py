"""The Cognito Identity endpoint (api/identity/): boto3's and the aws cli's cognito-identity
clients against the real binary on the same port as Cognito Sync. Pool CRUD, unauthenticated
GetId, identities described, listed and deleted, every error parsed by botocore into the
exception class of reference/cognito-identity/service-2.json, and the access kinds in sigv4 mode:
developer operations signed by a developer key for the signing name cognito-identity,
unauthenticated ones served unsigned."""
import json
import os
import shutil
import subprocess
import sys
import unittest

import boto3
from botocore import UNSIGNED
from botocore.config import Config

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support"))

from cogsync_server import REGION, new_pool  # noqa: E402
from e2e_base import CredentialsServerTestCase, ServerTestCase, aws_cli_command, aws_cli_env, aws_cli_home  # noqa: E402

AWS = shutil.which("aws")
SERVER_REGION = "eu-west-3"
TARGET = "AWSCognitoIdentityService."

DEV_KEY, DEV_SECRET = "AKIDEVELOPER0001", "devsecret"
LIMITED_KEY, LIMITED_SECRET = "AKIDEVELOPER0002", "limitedsecret"
ID_KEY, ID_SECRET = "ASIAIDENTITY0001", "idsecret"
ONLY_POOL = new_pool()


def identity_client(endpoint, key="test", secret="test", unsigned=False):
    cfg = dict(retries={"total_max_attempts": 1}, connect_timeout=10, read_timeout=60)
    if unsigned:
        cfg["signature_version"] = UNSIGNED
    return boto3.session.Session().client(
        "cognito-identity", endpoint_url=endpoint, region_name=REGION,
        aws_access_key_id=key, aws_secret_access_key=secret, config=Config(**cfg))


class IdentityCase:
    def create_pool(self, client, pool_name="pool one", unauthenticated=True, **kw):
        return client.create_identity_pool(IdentityPoolName=pool_name, AllowUnauthenticatedIdentities=unauthenticated,
                                           **kw)

    def assertRaisesModelled(self, client, error, fn, *args, **kw):
        with self.assertRaises(getattr(client.exceptions, error)) as ctx:
            fn(*args, **kw)
        self.assertEqual(ctx.exception.response["Error"]["Code"], error)
        self.assertEqual(ctx.exception.response["ResponseMetadata"]["HTTPStatusCode"], 400)
        return ctx.exception


class OpenMode(IdentityCase, ServerTestCase):
    SERVER_ARGS = ("--region", SERVER_REGION)

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.ci = identity_client(cls.server.endpoint)

    def test_pool_crud(self):
        created = self.create_pool(self.ci, SupportedLoginProviders={"accounts.google.com": "client.apps"},
                                   IdentityPoolTags={"team": "sync"}, DeveloperProviderName="login.crud")
        pool = created["IdentityPoolId"]
        self.assertRegex(pool, r"^eu-west-3:[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")
        described = self.ci.describe_identity_pool(IdentityPoolId=pool)
        self.assertEqual(described["SupportedLoginProviders"], {"accounts.google.com": "client.apps"})
        self.assertEqual(described["IdentityPoolTags"], {"team": "sync"})
        self.assertEqual(described["DeveloperProviderName"], "login.crud")
        updated = self.ci.update_identity_pool(IdentityPoolId=pool, IdentityPoolName="renamed",
                                               AllowUnauthenticatedIdentities=False)
        self.assertEqual(updated["IdentityPoolName"], "renamed")
        described = self.ci.describe_identity_pool(IdentityPoolId=pool)
        self.assertNotIn("SupportedLoginProviders", described)
        self.assertIs(described["AllowUnauthenticatedIdentities"], False)
        self.assertEqual(described["DeveloperProviderName"], "login.crud")
        self.assertRaisesModelled(self.ci, "ResourceConflictException", self.create_pool, self.ci,
                                  DeveloperProviderName="login.crud")
        self.ci.delete_identity_pool(IdentityPoolId=pool)
        self.assertRaisesModelled(self.ci, "ResourceNotFoundException", self.ci.describe_identity_pool,
                                  IdentityPoolId=pool)

    def test_list_pools_pages(self):
        made = {self.create_pool(self.ci, pool_name=f"page {i}")["IdentityPoolId"] for i in range(3)}
        seen, token = [], None
        while True:
            kw = {"NextToken": token} if token else {}
            page = self.ci.list_identity_pools(MaxResults=1, **kw)
            self.assertLessEqual(len(page["IdentityPools"]), 1)
            seen += [p["IdentityPoolId"] for p in page["IdentityPools"]]
            token = page.get("NextToken")
            if not token:
                break
        self.assertTrue(made <= set(seen))
        self.assertEqual(len(seen), len(set(seen)))

    def test_get_id_and_identities(self):
        pool = self.create_pool(self.ci)["IdentityPoolId"]
        first = self.ci.get_id(IdentityPoolId=pool, AccountId="123456789012")["IdentityId"]
        second = self.ci.get_id(IdentityPoolId=pool)["IdentityId"]
        self.assertNotEqual(first, second)
        self.assertTrue(first.startswith(SERVER_REGION + ":"))
        described = self.ci.describe_identity(IdentityId=first)
        self.assertEqual(described["Logins"], [])
        self.assertEqual(described["CreationDate"].year >= 2024, True)
        listed = self.ci.list_identities(IdentityPoolId=pool, MaxResults=1)
        self.assertEqual(len(listed["Identities"]), 1)
        rest = self.ci.list_identities(IdentityPoolId=pool, MaxResults=60, NextToken=listed["NextToken"])
        self.assertEqual({i["IdentityId"] for i in listed["Identities"] + rest["Identities"]}, {first, second})
        unknown = SERVER_REGION + ":00000000-0000-4000-8000-000000000000"
        out = self.ci.delete_identities(IdentityIdsToDelete=[first, unknown])
        self.assertEqual(out["UnprocessedIdentityIds"], [{"IdentityId": unknown, "ErrorCode": "AccessDenied"}])
        self.assertRaisesModelled(self.ci, "ResourceNotFoundException", self.ci.describe_identity, IdentityId=first)

    def test_get_id_refused_when_unauthenticated_is_off(self):
        pool = self.create_pool(self.ci, unauthenticated=False)["IdentityPoolId"]
        e = self.assertRaisesModelled(self.ci, "NotAuthorizedException", self.ci.get_id, IdentityPoolId=pool)
        self.assertEqual(e.response["Error"]["Message"], "Unauthenticated access is not supported for this identity pool.")
        self.assertRaisesModelled(self.ci, "ResourceNotFoundException", self.ci.get_id,
                                  IdentityPoolId=SERVER_REGION + ":00000000-0000-4000-8000-000000000000")
        e = self.assertRaisesModelled(self.ci, "NotAuthorizedException", self.ci.get_id, IdentityPoolId=pool,
                                      Logins={"accounts.google.com": "token"})
        self.assertEqual(e.response["Error"]["Message"], "Token is not from a supported provider of this identity pool.")

    def test_invalid_input_names_the_member(self):
        unvalidated = boto3.session.Session().client(
            "cognito-identity", endpoint_url=self.server.endpoint, region_name=REGION,
            aws_access_key_id="test", aws_secret_access_key="test",
            config=Config(retries={"total_max_attempts": 1}, parameter_validation=False))
        e = self.assertRaisesModelled(unvalidated, "InvalidParameterException", unvalidated.list_identity_pools,
                                      MaxResults=61)
        self.assertIn("MaxResults", e.response["Error"]["Message"])
        e = self.assertRaisesModelled(unvalidated, "InvalidParameterException", self.create_pool, unvalidated,
                                      pool_name="bad/name")
        self.assertIn("IdentityPoolName", e.response["Error"]["Message"])

    def test_targets_outside_the_service(self):
        untargeted = self.server.request("POST", "/", body=b"{}")
        self.assertEqual(untargeted.status, 404, untargeted.body)
        self.assertEqual(json.loads(untargeted.body)["__type"], "UnknownOperationException")
        for headers in ({"X-Amz-Target": "DynamoDB_20120810.ListTables"}, {"X-Amz-Target": TARGET + "Nope"}):
            res = self.server.request("POST", "/", body=b"{}",
                                      headers={"Content-Type": "application/x-amz-json-1.1", **headers})
            self.assertEqual(res.status, 400, res.body)
            self.assertEqual(res.header("x-amzn-ErrorType"), "UnknownOperationException")
            self.assertEqual(json.loads(res.body)["__type"], "UnknownOperationException")
            self.assertEqual(res.header("Content-Type"), "application/x-amz-json-1.1")

    @unittest.skipUnless(AWS, "aws cli not installed")
    def test_aws_cli(self):
        cfg = aws_cli_home()
        self.addCleanup(shutil.rmtree, cfg, True)
        env = aws_cli_env(cfg, "test", "test")

        def cli(*args, check=True):
            cmd = aws_cli_command(AWS, self.server.endpoint, *args, service="cognito-identity", region=REGION)
            return subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=120, check=check)

        pool = json.loads(cli("create-identity-pool", "--identity-pool-name", "cli pool",
                              "--allow-unauthenticated-identities").stdout)["IdentityPoolId"]
        listed = json.loads(cli("list-identity-pools", "--max-results", "60").stdout)
        self.assertIn(pool, [p["IdentityPoolId"] for p in listed["IdentityPools"]])
        ident = json.loads(cli("get-id", "--identity-pool-id", pool).stdout)["IdentityId"]
        self.assertEqual(json.loads(cli("describe-identity", "--identity-id", ident).stdout)["IdentityId"], ident)
        cli("delete-identity-pool", "--identity-pool-id", pool)
        failed = cli("describe-identity-pool", "--identity-pool-id", pool, check=False)
        self.assertNotEqual(failed.returncode, 0)
        self.assertIn("ResourceNotFoundException", failed.stderr)


class SignedMode(IdentityCase, CredentialsServerTestCase):
    CREDENTIALS = {
        DEV_KEY: {"secret": DEV_SECRET, "kind": "developer", "pools": "*"},
        LIMITED_KEY: {"secret": LIMITED_SECRET, "kind": "developer", "pools": ONLY_POOL},
        ID_KEY: {"secret": ID_SECRET, "kind": "identity", "pool": ONLY_POOL,
                 "identity": "us-east-1:00000000-0000-4000-8000-000000000001"},
    }

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.dev = identity_client(cls.server.endpoint, DEV_KEY, DEV_SECRET)
        cls.unsigned = identity_client(cls.server.endpoint, unsigned=True)

    def test_developer_operations_need_a_developer_signature(self):
        pool = self.create_pool(self.dev)["IdentityPoolId"]
        with self.assertRaises(Exception) as ctx:
            self.unsigned.describe_identity_pool(IdentityPoolId=pool)
        self.assertEqual(ctx.exception.response["Error"]["Code"], "MissingAuthenticationTokenException")
        identity_key = identity_client(self.server.endpoint, ID_KEY, ID_SECRET)
        self.assertRaisesModelled(identity_key, "NotAuthorizedException", identity_key.list_identity_pools,
                                  MaxResults=10)
        wrong = identity_client(self.server.endpoint, "AKIDUNKNOWN00000", "nope")
        with self.assertRaises(Exception) as ctx:
            wrong.list_identity_pools(MaxResults=10)
        self.assertEqual(ctx.exception.response["Error"]["Code"], "UnrecognizedClientException")

    def test_sync_signing_name_is_refused(self):
        res = self.server.signed_request("POST", "/", DEV_KEY, DEV_SECRET, body=b'{"MaxResults":10}',
                                         headers={"Content-Type": "application/x-amz-json-1.1",
                                                  "X-Amz-Target": TARGET + "ListIdentityPools"})
        self.assertEqual(res.status, 403, res.body)
        self.assertEqual(res.header("x-amzn-ErrorType"), "InvalidSignatureException")
        self.assertIn("cognito-identity", json.loads(res.body)["message"])

    def test_unauthenticated_operations_need_no_signature(self):
        pool = self.create_pool(self.dev)["IdentityPoolId"]
        self.assertTrue(self.unsigned.get_id(IdentityPoolId=pool)["IdentityId"])
        signed_by_stranger = identity_client(self.server.endpoint, "AKIDUNKNOWN00000", "nope")
        self.assertTrue(signed_by_stranger.get_id(IdentityPoolId=pool)["IdentityId"])

    def test_limited_developer_key(self):
        pool = self.create_pool(self.dev)["IdentityPoolId"]
        limited = identity_client(self.server.endpoint, LIMITED_KEY, LIMITED_SECRET)
        self.assertRaisesModelled(limited, "NotAuthorizedException", self.create_pool, limited)
        self.assertRaisesModelled(limited, "NotAuthorizedException", limited.describe_identity_pool,
                                  IdentityPoolId=pool)
        self.assertNotIn(pool, [p["IdentityPoolId"] for p in limited.list_identity_pools(MaxResults=60)["IdentityPools"]])
        self.assertIn(pool, [p["IdentityPoolId"] for p in self.dev.list_identity_pools(MaxResults=60)["IdentityPools"]])


if __name__ == "__main__":
    unittest.main()
