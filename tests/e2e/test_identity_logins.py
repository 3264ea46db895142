"""Logins in GetId (api/identity/verify_logins.hpp): id tokens signed in the test with RSA and EC
keys whose JWKS the server reads from its configuration file ([oidc_providers."<login key>"]),
driven through boto3's cognito-identity client against the real binary. Nothing is fetched: a
provider without configured keys is refused."""
import base64
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import unittest

from botocore import UNSIGNED
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support"))

from e2e_base import ServerTestCase, aws_cli_command, aws_cli_env, aws_cli_home  # noqa: E402
from test_identity_pools import identity_client  # noqa: E402

GOOGLE_CLIENT = "google-client.apps"
AWS = shutil.which("aws")
CUSTOM_KEY = "login.example.test/oidc"
CUSTOM_ISSUER = "https://login.example.test/oidc"
USER_POOL = "cognito-idp.eu-west-3.amazonaws.com/eu-west-3_Pool1"
USER_POOL_CLIENT = "userpoolclient1"


def b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def int_bytes(n):
    return n.to_bytes((n.bit_length() + 7) // 8, "big")


class Signer:
    """One key pair: its public JWK and id tokens signed with it."""

    def __init__(self, kid, kind):
        self.kid, self.kind = kid, kind
        if kind == "RS256":
            self.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
            pub = self.key.public_key().public_numbers()
            self.jwk = {"kty": "RSA", "kid": kid, "alg": "RS256", "use": "sig", "n": b64url(int_bytes(pub.n)),
                        "e": b64url(int_bytes(pub.e))}
        else:
            self.key = ec.generate_private_key(ec.SECP256R1())
            pub = self.key.public_key().public_numbers()
            self.jwk = {"kty": "EC", "kid": kid, "alg": "ES256", "use": "sig", "crv": "P-256",
                        "x": b64url(pub.x.to_bytes(32, "big")), "y": b64url(pub.y.to_bytes(32, "big"))}

    def token(self, iss, sub, aud, lifetime=600, alg=None, **extra):
        now = int(time.time())
        header = {"alg": alg or self.kind, "kid": self.kid, "typ": "JWT"}
        claims = {"iss": iss, "sub": sub, "aud": aud, "iat": now, "exp": now + lifetime, **extra}
        signing_input = (b64url(json.dumps(header).encode()) + "." + b64url(json.dumps(claims).encode())).encode()
        if alg == "none":
            return signing_input.decode() + "."
        if self.kind == "RS256":
            sig = self.key.sign(signing_input, padding.PKCS1v15(), hashes.SHA256())
        else:
            r, s = decode_dss_signature(self.key.sign(signing_input, ec.ECDSA(hashes.SHA256())))
            sig = r.to_bytes(32, "big") + s.to_bytes(32, "big")
        return signing_input.decode() + "." + b64url(sig)


class Logins(ServerTestCase):
    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.mkdtemp(prefix="cogsync-logins-")
        cls.google = Signer("g1", "RS256")
        cls.custom = Signer("c1", "ES256")
        cls.user_pool = Signer("u1", "RS256")
        for name, signer in (("google", cls.google), ("custom", cls.custom), ("userpool", cls.user_pool)):
            with open(os.path.join(cls.dir, name + ".json"), "w") as f:
                json.dump({"keys": [signer.jwk]}, f)
        config = f"""
[oidc_providers."accounts.google.com"]
issuer = "https://accounts.google.com"
client_ids = ["{GOOGLE_CLIENT}"]
jwks_file = "google.json"

[oidc_providers."{CUSTOM_KEY}"]
issuer = "{CUSTOM_ISSUER}"
jwks_file = "custom.json"

[oidc_providers."{USER_POOL}"]
issuer = "https://{USER_POOL}"
jwks_file = "userpool.json"
"""
        cls.config = os.path.join(cls.dir, "cogsync.toml")
        with open(cls.config, "w") as f:
            f.write(config)
        cls.SERVER_ARGS = ("--config", cls.config, "--region", "eu-west-3")
        super().setUpClass()
        cls.ci = identity_client(cls.server.endpoint)
        cls.anon = identity_client(cls.server.endpoint, unsigned=True)
        cls.pool = cls.ci.create_identity_pool(
            IdentityPoolName="logins", AllowUnauthenticatedIdentities=False,
            SupportedLoginProviders={"accounts.google.com": GOOGLE_CLIENT, "graph.facebook.com": "fbapp"},
            OpenIdConnectProviderARNs=["arn:aws:iam::123456789012:oidc-provider/" + CUSTOM_KEY],
            CognitoIdentityProviders=[{"ProviderName": USER_POOL, "ClientId": USER_POOL_CLIENT}])["IdentityPoolId"]

    @classmethod
    def tearDownClass(cls):
        super().tearDownClass()
        shutil.rmtree(cls.dir)

    def google_token(self, sub, **kw):
        return self.google.token("https://accounts.google.com", sub, GOOGLE_CLIENT, **kw)

    def get_id(self, logins, pool=None):
        return self.anon.get_id(IdentityPoolId=pool or self.pool, Logins=logins)["IdentityId"]

    def assertRefused(self, error, logins, message=None, pool=None):
        with self.assertRaises(getattr(self.anon.exceptions, error)) as ctx:
            self.get_id(logins, pool)
        if message:
            self.assertIn(message, ctx.exception.response["Error"]["Message"])

    def test_same_subject_same_identity_other_subject_another(self):
        first = self.get_id({"accounts.google.com": self.google_token("alice")})
        self.assertTrue(first.startswith("eu-west-3:"))
        self.assertEqual(self.get_id({"accounts.google.com": self.google_token("alice")}), first)
        self.assertNotEqual(self.get_id({"accounts.google.com": self.google_token("bob")}), first)

    def test_second_provider_linked_to_the_found_identity(self):
        ident = self.get_id({"accounts.google.com": self.google_token("carol")})
        custom = self.custom.token(CUSTOM_ISSUER, "carol-custom", "any-client")
        self.assertEqual(self.get_id({"accounts.google.com": self.google_token("carol"), CUSTOM_KEY: custom}), ident)
        self.assertEqual(self.get_id({CUSTOM_KEY: custom}), ident)

    def test_describe_identity_lists_linked_providers(self):
        custom = self.custom.token(CUSTOM_ISSUER, "ivan-custom", "any-client")
        ident = self.get_id({"accounts.google.com": self.google_token("ivan"), CUSTOM_KEY: custom})
        self.assertEqual(sorted(self.ci.describe_identity(IdentityId=ident)["Logins"]),
                         sorted(["accounts.google.com", CUSTOM_KEY]))
        listed = [i for i in self.ci.list_identities(IdentityPoolId=self.pool, MaxResults=60)["Identities"]
                  if i["IdentityId"] == ident]
        self.assertEqual(sorted(listed[0]["Logins"]), sorted(["accounts.google.com", CUSTOM_KEY]))

    def test_unlink_identity(self):
        custom = self.custom.token(CUSTOM_ISSUER, "judy-custom", "any-client")
        ident = self.get_id({"accounts.google.com": self.google_token("judy"), CUSTOM_KEY: custom})
        stranger = {"accounts.google.com": self.google_token("mallory")}
        self.get_id(stranger)
        for logins in (stranger, {}):
            with self.subTest(logins=list(logins)), self.assertRaises(self.anon.exceptions.NotAuthorizedException):
                self.anon.unlink_identity(IdentityId=ident, Logins=logins, LoginsToRemove=[CUSTOM_KEY])
        self.assertEqual(sorted(self.ci.describe_identity(IdentityId=ident)["Logins"]),
                         sorted(["accounts.google.com", CUSTOM_KEY]))
        self.anon.unlink_identity(IdentityId=ident, Logins={"accounts.google.com": self.google_token("judy")},
                                  LoginsToRemove=[CUSTOM_KEY])
        self.assertEqual(self.ci.describe_identity(IdentityId=ident)["Logins"], ["accounts.google.com"])
        self.assertNotEqual(self.get_id({CUSTOM_KEY: custom}), ident)
        with self.assertRaises(self.anon.exceptions.ResourceNotFoundException):
            self.anon.unlink_identity(IdentityId="eu-west-3:00000000-0000-4000-8000-000000000000",
                                      Logins=stranger, LoginsToRemove=[CUSTOM_KEY])

    @unittest.skipUnless(AWS, "aws cli not installed")
    def test_aws_cli_get_id_and_unlink(self):
        cfg = aws_cli_home()
        self.addCleanup(shutil.rmtree, cfg, True)
        env = aws_cli_env(cfg, "test", "test")

        def cli(*args, check=True):
            cmd = aws_cli_command(AWS, self.server.endpoint, *args, service="cognito-identity", region="eu-west-3")
            return subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=120, check=check)

        login = "accounts.google.com=" + self.google_token("kate")
        ident = json.loads(cli("get-id", "--identity-pool-id", self.pool, "--logins", login).stdout)["IdentityId"]
        self.assertEqual(json.loads(cli("get-id", "--identity-pool-id", self.pool, "--logins", login).stdout)["IdentityId"],
                         ident)
        expired = cli("get-id", "--identity-pool-id", self.pool, "--logins",
                      "accounts.google.com=" + self.google_token("kate", lifetime=-3600), check=False)
        self.assertNotEqual(expired.returncode, 0)
        self.assertIn("NotAuthorizedException", expired.stderr)
        cli("unlink-identity", "--identity-id", ident, "--logins", login, "--logins-to-remove", "accounts.google.com")
        self.assertEqual(json.loads(cli("describe-identity", "--identity-id", ident).stdout)["Logins"], [])

    def test_logins_of_two_identities_conflict(self):
        self.get_id({"accounts.google.com": self.google_token("dave")})
        self.get_id({CUSTOM_KEY: self.custom.token(CUSTOM_ISSUER, "erin", "x")})
        self.assertRefused("ResourceConflictException", {"accounts.google.com": self.google_token("dave"),
                                                         CUSTOM_KEY: self.custom.token(CUSTOM_ISSUER, "erin", "x")})

    def test_user_pool_client_id_checked_against_aud(self):
        iss = "https://" + USER_POOL
        ident = self.get_id({USER_POOL: self.user_pool.token(iss, "frank", USER_POOL_CLIENT, token_use="id")})
        self.assertEqual(self.get_id({USER_POOL: self.user_pool.token(iss, "frank", USER_POOL_CLIENT, token_use="id")}),
                         ident)
        self.assertRefused("NotAuthorizedException",
                           {USER_POOL: self.user_pool.token(iss, "frank", "otherclient", token_use="id")},
                           "Invalid login token.")

    def test_bad_tokens_refused(self):
        cases = {
            "expired": self.google_token("gina", lifetime=-3600),
            "wrong audience": self.google.token("https://accounts.google.com", "gina", "someone-else"),
            "wrong issuer": self.google.token("https://evil.example", "gina", GOOGLE_CLIENT),
            "alg none": self.google_token("gina", alg="none"),
            "other key": self.custom.token("https://accounts.google.com", "gina", GOOGLE_CLIENT),
            "garbage": "not-a-token",
        }
        for why, token in cases.items():
            with self.subTest(why):
                self.assertRefused("NotAuthorizedException", {"accounts.google.com": token}, "Invalid login token.")

    def test_provider_not_on_the_pool(self):
        other = self.ci.create_identity_pool(IdentityPoolName="nologins", AllowUnauthenticatedIdentities=True)
        self.assertRefused("NotAuthorizedException", {"accounts.google.com": self.google_token("hank")},
                           "not from a supported provider", pool=other["IdentityPoolId"])

    def test_provider_without_keys_refused_never_accepted(self):
        self.assertRefused("NotAuthorizedException", {"graph.facebook.com": "EAAopaqueaccesstoken"},
                           "verifies login tokens offline")

    def test_login_needs_no_unauthenticated_access(self):
        self.assertRefused("NotAuthorizedException", {}, "Unauthenticated access is not supported")


if __name__ == "__main__":
    unittest.main()
