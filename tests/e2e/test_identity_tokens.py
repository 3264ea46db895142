"""The keys that verify cogsync's OpenID tokens, published unsigned under /.well-known/ on the real
binary in sigv4 mode: a token from GetOpenIdTokenForDeveloperIdentity (boto3) verified with Python's
cryptography against the key the discovery document's jwks_uri serves (never with cogsync's own
code), and the documents under the token issuer's path."""
import base64
import json
import os
import shutil
import sys
import tempfile
import unittest
import urllib.request

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support"))

from cogsync_server import CogsyncServer  # noqa: E402
from e2e_base import CredentialsServerTestCase  # noqa: E402
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

if __name__ == "__main__":
    unittest.main()
