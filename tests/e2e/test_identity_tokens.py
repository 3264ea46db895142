"""The token-issuing side of Cognito Identity through boto3 and the aws cli against the real binary
in sigv4 mode: GetOpenIdToken, Logins in GetCredentialsForIdentity (an id token from a configured
provider, or cogsync's own token as cognito-identity.amazonaws.com, the developer-authenticated
flow of every SDK), and the JWKS / OpenID discovery documents that verify cogsync's tokens
(checked with Python's cryptography, never with cogsync's own code)."""
import base64
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import unittest
import urllib.request

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support"))

from cogsync_server import CogsyncServer  # noqa: E402
from e2e_base import CredentialsServerTestCase, aws_cli_command, aws_cli_env, aws_cli_home  # noqa: E402
from test_identity_logins import GOOGLE_CLIENT, Signer, b64url  # noqa: E402
from test_minted_credentials import identity_client  # noqa: E402

AWS = shutil.which("aws")
DEV_KEY, DEV_SECRET = "AKIDEVTOKENS00001", "devsecret"
OWN = "cognito-identity.amazonaws.com"


def b64decode(part):
    return base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))


def parts(token):
    header, claims, sig = token.split(".")
    return json.loads(b64decode(header)), json.loads(b64decode(claims)), b64decode(sig)


class IdentityTokens(CredentialsServerTestCase):
    CREDENTIALS = {DEV_KEY: {"secret": DEV_SECRET, "kind": "developer", "pools": "*"}}

    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.mkdtemp(prefix="cogsync-tokens-")
        cls.google = Signer("g1", "RS256")
        with open(os.path.join(cls.dir, "google.json"), "w") as f:
            json.dump({"keys": [cls.google.jwk]}, f)
        cls.config = os.path.join(cls.dir, "cogsync.toml")
        with open(cls.config, "w") as f:
            f.write(f'[oidc_providers."accounts.google.com"]\nissuer = "https://accounts.google.com"\n'
                    f'client_ids = ["{GOOGLE_CLIENT}"]\njwks_file = "google.json"\n')
        cls.EXTRA_SERVER_ARGS = ("--config", cls.config)
        super().setUpClass()
        cls.dev = identity_client(cls.server.endpoint, DEV_KEY, DEV_SECRET)
        cls.anon = identity_client(cls.server.endpoint)

    @classmethod
    def tearDownClass(cls):
        super().tearDownClass()
        shutil.rmtree(cls.dir)

    def pool(self, unauthenticated=True, **kw):
        return self.dev.create_identity_pool(IdentityPoolName="tokens", AllowUnauthenticatedIdentities=unauthenticated,
                                             **kw)["IdentityPoolId"]

    def google_pool(self):
        return self.pool(False, SupportedLoginProviders={"accounts.google.com": GOOGLE_CLIENT})

    def google_login(self, sub, **kw):
        return {"accounts.google.com": self.google.token("https://accounts.google.com", sub, GOOGLE_CLIENT, **kw)}

    def refused(self, error, fn, message=None, **kw):
        with self.assertRaises(getattr(self.anon.exceptions, error)) as ctx:
            fn(**kw)
        if message:
            self.assertIn(message, ctx.exception.response["Error"]["Message"])

    def fetch(self, path):
        with urllib.request.urlopen(self.server.endpoint + path, timeout=30) as r:
            self.assertEqual(r.status, 200)
            return json.loads(r.read())

    def assertVerifiesWithPublishedKey(self, token, pool, identity):
        """Signature with the JWKS key of the token's kid, fetched from the jwks_uri the discovery
        document names, then iss, aud and sub."""
        discovery = self.fetch("/.well-known/openid-configuration")
        jwks_path = discovery["jwks_uri"][len(self.server.endpoint):]
        self.assertEqual(jwks_path, "/.well-known/jwks_uri")
        jwks = self.fetch(jwks_path)
        self.assertEqual(self.fetch("/.well-known/jwks.json"), jwks)
        header, claims, sig = parts(token)
        self.assertEqual(header["alg"], "RS256")
        (jwk,) = [k for k in jwks["keys"] if k["kid"] == header["kid"]]
        numbers = rsa.RSAPublicNumbers(int.from_bytes(b64decode(jwk["e"]), "big"), int.from_bytes(b64decode(jwk["n"]), "big"))
        numbers.public_key().verify(sig, token.rsplit(".", 1)[0].encode(), padding.PKCS1v15(), hashes.SHA256())
        self.assertEqual(claims["iss"], discovery["issuer"])
        self.assertEqual(claims["aud"], pool)
        self.assertEqual(claims["sub"], identity)
        return claims

    def node_key(self):
        """The server's signing key, read from its store, to sign tokens it would refuse."""
        ((pem,),) = self.server.store_rows("SELECT value FROM node_state WHERE name = 'identity_signing_key'")
        return serialization.load_pem_private_key(pem.encode(), None)

    def developer_token(self, pool, user, **kw):
        got = self.dev.get_open_id_token_for_developer_identity(IdentityPoolId=pool, Logins={"login.tokens": user}, **kw)
        return got["IdentityId"], got["Token"]

    # ---- the published keys -------------------------------------------------------------------
    def test_published_keys_verify_the_developer_token(self):
        pool = self.pool(False, DeveloperProviderName="login.published")
        got = self.dev.get_open_id_token_for_developer_identity(IdentityPoolId=pool, Logins={"login.published": "olivia"})
        self.assertVerifiesWithPublishedKey(got["Token"], pool, got["IdentityId"])

    def test_documents_served_under_the_issuer_path_too(self):
        issuer = "https://sync.example.com/base/"
        with CogsyncServer("--token-issuer", issuer) as other:
            for path in ("/base/.well-known/openid-configuration", "/.well-known/openid-configuration"):
                res = other.request("GET", path)
                self.assertEqual(res.status, 200, res)
                self.assertEqual(res.json()["issuer"], issuer)
                self.assertEqual(res.json()["jwks_uri"], "https://sync.example.com/base/.well-known/jwks_uri")
            keys = other.request("GET", "/base/.well-known/jwks_uri").json()
            self.assertEqual(other.request("GET", "/.well-known/jwks.json").json(), keys)
            self.assertEqual([k["alg"] for k in keys["keys"]], ["RS256"])
            self.assertEqual(other.request("GET", "/base/.well-known/other").status, 404)

    # ---- GetOpenIdToken ---------------------------------------------------------------------
    def test_get_open_id_token_unauthenticated_identity(self):
        pool = self.pool()
        identity = self.anon.get_id(IdentityPoolId=pool)["IdentityId"]
        got = self.anon.get_open_id_token(IdentityId=identity)
        self.assertEqual(got["IdentityId"], identity)
        claims = self.assertVerifiesWithPublishedKey(got["Token"], pool, identity)
        self.assertEqual(claims["amr"], ["unauthenticated"])
        self.assertEqual(claims["exp"] - claims["iat"], 600)
        self.assertLessEqual(abs(claims["iat"] - time.time()), 5)
        self.refused("ResourceNotFoundException", self.anon.get_open_id_token,
                     IdentityId="us-east-1:00000000-0000-4000-8000-00000000dead")
        self.dev.update_identity_pool(IdentityPoolId=pool, IdentityPoolName="tokens", AllowUnauthenticatedIdentities=False)
        self.refused("NotAuthorizedException", self.anon.get_open_id_token, "Unauthenticated access is not supported",
                     IdentityId=identity)

    def test_get_open_id_token_needs_a_linked_login_of_an_authenticated_identity(self):
        pool = self.google_pool()
        identity = self.anon.get_id(IdentityPoolId=pool, Logins=self.google_login("alice"))["IdentityId"]
        self.anon.get_id(IdentityPoolId=pool, Logins=self.google_login("bob"))
        self.refused("NotAuthorizedException", self.anon.get_open_id_token, "Logins don't match", IdentityId=identity)
        self.refused("NotAuthorizedException", self.anon.get_open_id_token, "Logins don't match",
                     IdentityId=identity, Logins=self.google_login("carol"))
        self.refused("ResourceConflictException", self.anon.get_open_id_token,
                     IdentityId=identity, Logins=self.google_login("bob"))
        self.refused("NotAuthorizedException", self.anon.get_open_id_token, "Invalid login token",
                     IdentityId=identity, Logins=self.google_login("alice", lifetime=-3600))
        got = self.anon.get_open_id_token(IdentityId=identity, Logins=self.google_login("alice"))
        claims = self.assertVerifiesWithPublishedKey(got["Token"], pool, identity)
        self.assertEqual(claims["amr"], ["authenticated", "accounts.google.com"])

    # ---- GetCredentialsForIdentity with Logins ------------------------------------------------
    def test_credentials_for_an_authenticated_identity_need_its_login(self):
        pool = self.google_pool()
        identity = self.anon.get_id(IdentityPoolId=pool, Logins=self.google_login("dave"))["IdentityId"]
        self.refused("NotAuthorizedException", self.anon.get_credentials_for_identity, "Logins don't match",
                     IdentityId=identity)
        self.refused("NotAuthorizedException", self.anon.get_credentials_for_identity, "Invalid login token",
                     IdentityId=identity, Logins=self.google_login("dave", lifetime=-3600))
        creds = self.anon.get_credentials_for_identity(IdentityId=identity, Logins=self.google_login("dave"))["Credentials"]
        sync = self.server.signed_client(creds["AccessKeyId"], creds["SecretKey"], creds["SessionToken"])
        self.assertEqual(sync.list_datasets(IdentityPoolId=pool, IdentityId=identity, MaxResults=10)["Count"], 0)

    def test_new_login_links_to_the_unauthenticated_identity(self):
        pool = self.pool(SupportedLoginProviders={"accounts.google.com": GOOGLE_CLIENT})
        identity = self.anon.get_id(IdentityPoolId=pool)["IdentityId"]
        self.anon.get_credentials_for_identity(IdentityId=identity, Logins=self.google_login("erin"))
        self.assertEqual(self.dev.describe_identity(IdentityId=identity)["Logins"], ["accounts.google.com"])
        self.assertEqual(self.anon.get_id(IdentityPoolId=pool, Logins=self.google_login("erin"))["IdentityId"], identity)
        self.refused("NotAuthorizedException", self.anon.get_credentials_for_identity, IdentityId=identity)

    # ---- the developer-authenticated flow: cogsync's own token as a login ---------------------
    def test_developer_flow_end_to_end(self):
        pool = self.pool(False, DeveloperProviderName="login.tokens")
        identity, token = self.developer_token(pool, "frank")
        self.assertVerifiesWithPublishedKey(token, pool, identity)
        creds = self.anon.get_credentials_for_identity(IdentityId=identity, Logins={OWN: token})["Credentials"]
        sync = self.server.signed_client(creds["AccessKeyId"], creds["SecretKey"], creds["SessionToken"])
        self.assertEqual(sync.list_datasets(IdentityPoolId=pool, IdentityId=identity, MaxResults=10)["Count"], 0)
        again = self.anon.get_open_id_token(IdentityId=identity, Logins={OWN: token})
        self.assertEqual(parts(again["Token"])[1]["amr"], ["authenticated", "login.tokens"])
        self.refused("NotAuthorizedException", self.anon.get_credentials_for_identity, IdentityId=identity)

    def test_own_token_for_another_identity_pool_expired_or_tampered_refused(self):
        pool = self.pool(False, DeveloperProviderName="login.refused")
        identity = self.dev.get_open_id_token_for_developer_identity(
            IdentityPoolId=pool, Logins={"login.refused": "grace"})["IdentityId"]
        heidi = self.dev.get_open_id_token_for_developer_identity(IdentityPoolId=pool, Logins={"login.refused": "heidi"})
        other_pool = self.pool(False, DeveloperProviderName="login.elsewhere")
        elsewhere = self.dev.get_open_id_token_for_developer_identity(IdentityPoolId=other_pool,
                                                                      Logins={"login.elsewhere": "grace"})
        header, claims, _ = parts(heidi["Token"])
        expired = dict(claims, sub=identity, iat=claims["iat"] - 7200, exp=claims["iat"] - 3600)
        signing_input = b64url(json.dumps(header).encode()) + "." + b64url(json.dumps(expired).encode())
        expired_token = signing_input + "." + b64url(
            self.node_key().sign(signing_input.encode(), padding.PKCS1v15(), hashes.SHA256()))
        forged = dict(claims, sub=identity)
        tampered = heidi["Token"].split(".")
        tampered[1] = b64url(json.dumps(forged).encode())
        for name, token in (("another identity", heidi["Token"]), ("another pool", elsewhere["Token"]),
                            ("expired", expired_token), ("tampered", ".".join(tampered))):
            for op in (self.anon.get_credentials_for_identity, self.anon.get_open_id_token):
                with self.subTest(name=name, op=op.__name__):
                    self.refused("NotAuthorizedException", op, IdentityId=identity, Logins={OWN: token})

    @unittest.skipUnless(AWS, "aws cli not installed")
    def test_aws_cli_developer_flow_and_get_open_id_token(self):
        cfg = aws_cli_home()
        self.addCleanup(shutil.rmtree, cfg, True)
        env = aws_cli_env(cfg, DEV_KEY, DEV_SECRET)

        def cli(*args, check=True, unsigned=True):
            cmd = aws_cli_command(AWS, self.server.endpoint, *args, service="cognito-identity")
            cmd += ["--no-sign-request"] if unsigned else []
            return subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=120, check=check)

        pool = self.pool(False, DeveloperProviderName="login.cli")
        got = json.loads(cli("get-open-id-token-for-developer-identity", "--identity-pool-id", pool,
                             "--logins", "login.cli=ivan", unsigned=False).stdout)
        identity, token = got["IdentityId"], got["Token"]
        creds = json.loads(cli("get-credentials-for-identity", "--identity-id", identity,
                               "--logins", f"{OWN}={token}").stdout)["Credentials"]
        sync = self.server.signed_client(creds["AccessKeyId"], creds["SecretKey"], creds["SessionToken"])
        self.assertEqual(sync.list_datasets(IdentityPoolId=pool, IdentityId=identity, MaxResults=10)["Count"], 0)
        opened = json.loads(cli("get-open-id-token", "--identity-id", identity, "--logins", f"{OWN}={token}").stdout)
        self.assertVerifiesWithPublishedKey(opened["Token"], pool, identity)
        bare = cli("get-credentials-for-identity", "--identity-id", identity, check=False)
        self.assertNotEqual(bare.returncode, 0)
        self.assertIn("NotAuthorizedException", bare.stderr)
        tampered = token[:-6] + ("AAAAAA" if not token.endswith("AAAAAA") else "BBBBBB")
        refused = cli("get-open-id-token", "--identity-id", identity, "--logins", f"{OWN}={tampered}", check=False)
        self.assertNotEqual(refused.returncode, 0)
        self.assertIn("NotAuthorizedException", refused.stderr)


if __name__ == "__main__":
    unittest.main()
