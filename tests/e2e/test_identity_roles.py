"""SetIdentityPoolRoles / GetIdentityPoolRoles through boto3 and the aws cli against the real binary:
Roles and RoleMappings stored and returned as set, the model's shapes checked, developer only,
ResourceNotFoundException for an unknown pool. cogsync assumes no role: they are kept for
compatibility and migration."""
import json
import os
import shutil
import subprocess
import sys
import unittest

import boto3
from botocore.config import Config

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support"))

from cogsync_server import REGION  # noqa: E402
from e2e_base import CredentialsServerTestCase, aws_cli_command, aws_cli_env, aws_cli_home  # noqa: E402
from test_minted_credentials import identity_client  # noqa: E402

AWS = shutil.which("aws")
DEV_KEY, DEV_SECRET = "AKIDEVROLES000001", "devsecret"
AUTH_ARN = "arn:aws:iam::123456789012:role/Cognito_Auth"
UNAUTH_ARN = "arn:aws:iam::123456789012:role/Cognito_Unauth"
USER_POOL = "cognito-idp.us-east-1.amazonaws.com/us-east-1_abcdefghi:app_client_id"
UNKNOWN_POOL = "us-east-1:00000000-0000-4000-8000-000000000000"


def rule(n):
    return {"Claim": "custom:level", "MatchType": "Equals", "Value": str(n), "RoleARN": AUTH_ARN}


class IdentityPoolRoles(CredentialsServerTestCase):
    CREDENTIALS = {DEV_KEY: {"secret": DEV_SECRET, "kind": "developer", "pools": "*"}}

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.dev = identity_client(cls.server.endpoint, DEV_KEY, DEV_SECRET)
        cls.anon = identity_client(cls.server.endpoint)

    def pool(self):
        return self.dev.create_identity_pool(IdentityPoolName="roles", AllowUnauthenticatedIdentities=True)["IdentityPoolId"]

    def refused(self, error, **kw):
        with self.assertRaises(getattr(self.dev.exceptions, error)):
            self.dev.set_identity_pool_roles(**kw)

    def test_roles_and_mappings_round_trip(self):
        pool = self.pool()
        self.assertEqual(self.dev.get_identity_pool_roles(IdentityPoolId=pool)["Roles"], {})
        mappings = {USER_POOL: {"Type": "Rules", "AmbiguousRoleResolution": "Deny",
                                "RulesConfiguration": {"Rules": [rule(1), rule(2)]}},
                    "accounts.google.com": {"Type": "Token", "AmbiguousRoleResolution": "AuthenticatedRole"}}
        roles = {"authenticated": AUTH_ARN, "unauthenticated": UNAUTH_ARN}
        self.dev.set_identity_pool_roles(IdentityPoolId=pool, Roles=roles, RoleMappings=mappings)
        got = self.dev.get_identity_pool_roles(IdentityPoolId=pool)
        self.assertEqual((got["IdentityPoolId"], got["Roles"], got["RoleMappings"]), (pool, roles, mappings))
        self.dev.update_identity_pool(IdentityPoolId=pool, IdentityPoolName="renamed", AllowUnauthenticatedIdentities=False)
        self.assertEqual(self.dev.get_identity_pool_roles(IdentityPoolId=pool)["RoleMappings"], mappings)
        self.dev.set_identity_pool_roles(IdentityPoolId=pool, Roles={"authenticated": AUTH_ARN})
        got = self.dev.get_identity_pool_roles(IdentityPoolId=pool)
        self.assertEqual(got["Roles"], {"authenticated": AUTH_ARN})
        self.assertNotIn("RoleMappings", got)

    def test_unknown_pool_and_unsigned_caller_refused(self):
        with self.assertRaises(self.dev.exceptions.ResourceNotFoundException):
            self.dev.get_identity_pool_roles(IdentityPoolId=UNKNOWN_POOL)
        self.refused("ResourceNotFoundException", IdentityPoolId=UNKNOWN_POOL, Roles={"authenticated": AUTH_ARN})
        pool = self.pool()
        for call in (lambda: self.anon.get_identity_pool_roles(IdentityPoolId=pool),
                     lambda: self.anon.set_identity_pool_roles(IdentityPoolId=pool, Roles={})):
            with self.assertRaises(self.anon.exceptions.ClientError) as ctx:
                call()
            self.assertEqual(ctx.exception.response["Error"]["Code"], "MissingAuthenticationTokenException")

    def test_shapes_checked_against_the_model(self):
        pool = self.pool()
        bad = {
            "role key": {"Roles": {"admin": AUTH_ARN}},
            "short arn": {"Roles": {"authenticated": "arn:short"}},
            "type": {"Roles": {}, "RoleMappings": {USER_POOL: {"Type": "Claims", "AmbiguousRoleResolution": "Deny"}}},
            "resolution missing": {"Roles": {}, "RoleMappings": {USER_POOL: {"Type": "Token"}}},
            "resolution": {"Roles": {}, "RoleMappings": {USER_POOL: {"Type": "Token", "AmbiguousRoleResolution": "Allow"}}},
            "rules missing": {"Roles": {}, "RoleMappings": {USER_POOL: {"Type": "Rules", "AmbiguousRoleResolution": "Deny"}}},
            "no rules": {"Roles": {}, "RoleMappings": {USER_POOL: {"Type": "Rules", "AmbiguousRoleResolution": "Deny",
                                                                   "RulesConfiguration": {"Rules": []}}}},
            "26 rules": {"Roles": {}, "RoleMappings": {USER_POOL: {
                "Type": "Rules", "AmbiguousRoleResolution": "Deny",
                "RulesConfiguration": {"Rules": [rule(n) for n in range(26)]}}}},
            "match type": {"Roles": {}, "RoleMappings": {USER_POOL: {
                "Type": "Rules", "AmbiguousRoleResolution": "Deny",
                "RulesConfiguration": {"Rules": [dict(rule(1), MatchType="Regex")]}}}},
        }
        unvalidated = boto3.session.Session().client(
            "cognito-identity", endpoint_url=self.server.endpoint, region_name=REGION, aws_access_key_id=DEV_KEY,
            aws_secret_access_key=DEV_SECRET, config=Config(retries={"total_max_attempts": 1}, parameter_validation=False))
        for name, kw in bad.items():
            with self.subTest(name):
                with self.assertRaises(unvalidated.exceptions.InvalidParameterException):
                    unvalidated.set_identity_pool_roles(IdentityPoolId=pool, **kw)
        self.assertEqual(self.dev.get_identity_pool_roles(IdentityPoolId=pool)["Roles"], {})
        twenty_five = {USER_POOL: {"Type": "Rules", "AmbiguousRoleResolution": "Deny",
                                   "RulesConfiguration": {"Rules": [rule(n) for n in range(25)]}}}
        self.dev.set_identity_pool_roles(IdentityPoolId=pool, Roles={}, RoleMappings=twenty_five)
        self.assertEqual(self.dev.get_identity_pool_roles(IdentityPoolId=pool)["RoleMappings"], twenty_five)

    @unittest.skipUnless(AWS, "aws cli not installed")
    def test_aws_cli_set_and_get(self):
        cfg = aws_cli_home()
        self.addCleanup(shutil.rmtree, cfg, True)
        env = aws_cli_env(cfg, DEV_KEY, DEV_SECRET)

        def cli(*args, check=True):
            cmd = aws_cli_command(AWS, self.server.endpoint, *args, service="cognito-identity")
            return subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=120, check=check)

        pool = self.pool()
        mappings = {USER_POOL: {"Type": "Rules", "AmbiguousRoleResolution": "AuthenticatedRole",
                                "RulesConfiguration": {"Rules": [rule(7)]}}}
        cli("set-identity-pool-roles", "--identity-pool-id", pool, "--roles", f"authenticated={AUTH_ARN}",
            "--role-mappings", json.dumps(mappings))
        got = json.loads(cli("get-identity-pool-roles", "--identity-pool-id", pool).stdout)
        self.assertEqual(got, {"IdentityPoolId": pool, "Roles": {"authenticated": AUTH_ARN}, "RoleMappings": mappings})
        missing = cli("get-identity-pool-roles", "--identity-pool-id", UNKNOWN_POOL, check=False)
        self.assertNotEqual(missing.returncode, 0)
        self.assertIn("ResourceNotFoundException", missing.stderr)


if __name__ == "__main__":
    unittest.main()
