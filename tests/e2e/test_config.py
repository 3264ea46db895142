"""The configuration file (README "## Configuration"): `serve --config FILE` with boto3 seeing the
settings, the precedence flags > COGSYNC_* variables > file > defaults, `config check` and
`config show`."""
import os
import subprocess
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support"))

from cogsync_server import CogsyncServer, binary_path, new_identity, new_pool  # noqa: E402
from e2e_base import ServerTestCase  # noqa: E402

LE = "LimitExceededException"
DEV_KEY, DEV_SECRET = "AKIDEVELOPER0001", "devsecret/with+chars"
ID_KEY, ID_SECRET, ID_TOKEN = "ASIAIDENTITY0001", "idsecret", "FwoGZXIvYXdzEXAMPLEsessiontoken="
POOL, IDENT = new_pool(), new_identity()
CREDENTIALS = f"""
[credentials.{DEV_KEY}]
secret = "{DEV_SECRET}"
kind = "developer"
pools = ["{POOL}"]

[credentials.{ID_KEY}]
secret = "{ID_SECRET}"
kind = "identity"
pool = "{POOL}"
identity = "{IDENT}"
session_token = "{ID_TOKEN}"
"""


def write_config(text):
    fd, path = tempfile.mkstemp(prefix="cogsync-config-", suffix=".toml")
    with os.fdopen(fd, "w") as f:
        f.write(text)
    return path


def run_cogsync(*args, env=None):
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("COGSYNC_") or k == "COGSYNC_BIN"}
    full_env.update(env or {})
    return subprocess.run([binary_path(), *args], capture_output=True, text=True, env=full_env, timeout=30)


class ConfiguredServerTestCase(ServerTestCase):
    """A server started with --config, a file holding CONFIG for as long as the class runs."""

    CONFIG = ""

    @classmethod
    def setUpClass(cls):
        cls.path = write_config(cls.CONFIG)
        cls.SERVER_ARGS = ("--config", cls.path)
        super().setUpClass()

    @classmethod
    def tearDownClass(cls):
        super().tearDownClass()
        os.remove(cls.path)


class Precedence(ConfiguredServerTestCase):
    """max-records = 2 in the file; each server shows which source won by where writes stop."""

    CONFIG = "# records per dataset\nmax-records = 2\ndurability = \"normal\"\n"

    def assert_record_limit(self, client, limit):
        pool, ident = self.ids()
        self.put_new(pool, ident, "ds", {f"k{i}": "v" for i in range(limit)}, client=client)
        self.assertClientError(lambda: self.put_new(pool, ident, "ds", {"over": "v"}, client=client), LE, 400)

    def test_the_file_sets_the_limit(self):
        self.assert_record_limit(self.c, 2)

    def test_the_environment_overrides_the_file(self):
        with CogsyncServer("--config", self.path, env={"COGSYNC_MAX_RECORDS": "3"}) as server:
            self.assert_record_limit(server.client(), 3)

    def test_a_flag_overrides_the_environment(self):
        with CogsyncServer("--config", self.path, "--max-records", "4", env={"COGSYNC_MAX_RECORDS": "3"}) as server:
            self.assert_record_limit(server.client(), 4)

    def test_cogsync_config_names_the_file(self):
        with CogsyncServer(env={"COGSYNC_CONFIG": self.path}) as server:
            self.assert_record_limit(server.client(), 2)


class CredentialsInTheFile(ConfiguredServerTestCase):
    """[credentials.KEY] tables stand for a credentials file: sigv4 is on, with their keys."""

    CONFIG = CREDENTIALS

    def test_their_keys_sign_and_others_are_refused(self):
        dev = self.server.signed_client(DEV_KEY, DEV_SECRET)
        self.put_new(POOL, new_identity(), "ds", {"k": "v"}, client=dev)
        self.assertClientError(lambda: self.put_new(new_pool(), new_identity(), "ds", {"k": "v"}, client=dev),
                               "NotAuthorizedException", 403)
        wrong = self.server.signed_client(DEV_KEY, DEV_SECRET + "x")
        self.assertClientError(lambda: self.list_records(POOL, IDENT, "ds", client=wrong),
                               "InvalidSignatureException", 403)
        self.assertClientError(lambda: self.list_records(POOL, IDENT, "ds", client=self.c),
                               "UnrecognizedClientException", 403)

    def test_show_masks_every_secret(self):
        res = run_cogsync("config", "show", "--config", self.path)
        self.assertEqual(res.returncode, 0, res.stderr)
        for secret in (DEV_SECRET, ID_SECRET, ID_TOKEN):
            self.assertNotIn(secret, res.stdout)
        self.assertIn(f'[credentials.{DEV_KEY}]\nsecret = "****"\n', res.stdout)
        self.assertIn('session_token = "****"', res.stdout)
        self.assertIn('auth = "sigv4"', res.stdout.splitlines())


class Commands(unittest.TestCase):
    def setUp(self):
        self.paths = []

    def tearDown(self):
        for p in self.paths:
            os.remove(p)

    def config(self, text):
        self.paths.append(write_config(text))
        return self.paths[-1]

    def test_check_accepts_a_good_file(self):
        res = run_cogsync("config", "check", self.config('listen = "0.0.0.0:9000"\nmax-records = 2\n'))
        self.assertEqual((res.returncode, res.stdout), (0, "ok\n"), res.stderr)

    def test_check_names_line_and_key_of_each_mistake(self):
        path = self.config('max-records = 2\n\nmax-recrods = 3\nio-threads = 0\ndurability = "maybe"\n')
        res = run_cogsync("config", "check", path)
        self.assertEqual(res.returncode, 2)
        lines = res.stderr.splitlines()
        self.assertEqual(lines[0], f"{path}:3: key 'max-recrods': unknown key")
        self.assertTrue(lines[1].startswith(f"{path}:4: key 'io-threads': "), lines)
        self.assertTrue(lines[2].startswith(f"{path}:5: key 'durability': "), lines)
        self.assertEqual(len(lines), 3, lines)
        self.assertEqual(res.stdout, "")

    def test_check_names_the_line_of_a_syntax_error(self):
        path = self.config('max-records = 2\nlisten = "127.0.0.1:1\n')
        res = run_cogsync("config", "check", path)
        self.assertEqual(res.returncode, 2)
        self.assertTrue(res.stderr.startswith(f"{path}:2: "), res.stderr)

    def test_serve_refuses_a_bad_file_before_listening(self):
        path = self.config("max-records = 0\n")
        res = run_cogsync("serve", "--listen", "127.0.0.1:0", "--config", path)
        self.assertEqual(res.returncode, 2)
        self.assertIn(f"{path}:1: key 'max-records': ", res.stderr)

    def test_show_prints_the_effective_configuration_which_check_accepts(self):
        path = self.config('max-records = 2\nmax-datasets = 3\nregion = "eu-west-1"\n')
        res = run_cogsync("config", "show", "--config", path, "--max-datasets", "5",
                          env={"COGSYNC_MAX_RECORDS": "4"})
        self.assertEqual(res.returncode, 0, res.stderr)
        lines = res.stdout.splitlines()
        for expected in ("max-records = 4", "max-datasets = 5", 'region = "eu-west-1"', 'auth = "open"',
                         'durability = "full"', 'listen = "127.0.0.1:8080"'):
            self.assertIn(expected, lines)
        self.assertEqual(run_cogsync("config", "check", self.config(res.stdout)).stdout, "ok\n")

    def test_oidc_providers_show_and_check(self):
        jwks = self.config('{"keys": [{"kty": "RSA", "kid": "k1", "n": "AQAB", "e": "AQAB"}]}')
        path = self.config(f'token-issuer = "https://sync.example.com"\n'
                           f'[oidc_providers."accounts.google.com"]\nclient_ids = ["app-1"]\njwks_file = "{jwks}"\n'
                           f'[oidc_providers."cognito-idp.us-east-1.amazonaws.com/us-east-1_AbC"]\n'
                           f'jwks_file = "{os.path.basename(jwks)}"\n')
        self.assertEqual(run_cogsync("config", "check", path).stdout, "ok\n")
        res = run_cogsync("config", "show", "--config", path)
        self.assertEqual(res.returncode, 0, res.stderr)
        self.assertIn('token-issuer = "https://sync.example.com"', res.stdout.splitlines())
        self.assertIn(f'[oidc_providers."accounts.google.com"]\nissuer = "https://accounts.google.com"\n'
                      f'client_ids = ["app-1"]\njwks_file = "{jwks}"\n', res.stdout)
        self.assertIn('[oidc_providers."cognito-idp.us-east-1.amazonaws.com/us-east-1_AbC"]\n'
                      'issuer = "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_AbC"\n', res.stdout)
        self.assertEqual(run_cogsync("config", "check", self.config(res.stdout)).stdout, "ok\n")

    def test_oidc_provider_without_keys_is_refused(self):
        path = self.config('[oidc_providers."idp.example.com"]\nissuer = "https://idp.example.com"\n')
        res = run_cogsync("serve", "--listen", "127.0.0.1:0", "--config", path)
        self.assertEqual(res.returncode, 2)
        self.assertIn(f"{path}:1: key 'oidc_providers.idp.example.com': needs jwks_file or jwks", res.stderr)


if __name__ == "__main__":
    unittest.main()
