"""The configuration file (README "## Configuration"): `serve --config FILE` with boto3 seeing the
settings, the precedence flags > COGSYNC_* variables > file > defaults, `config check` and
`config show`."""
import json
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support"))

from cogsync_server import CogsyncServer, binary_path, new_identity, new_pool  # noqa: E402
from e2e_base import ServerTestCase, replace  # noqa: E402
from webhook_receiver import WebhookReceiver, write_hooks_file  # noqa: E402

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


FUNCTION = "arn:aws:lambda:us-east-1:123456789012:function:validate"
ROLE_ARN = "arn:aws:iam::123456789012:role/cognito-sync"


def hooks_toml(sections):
    """The hooks file's sections ({"sink.x": {setting: value}}) as tables of the config file."""
    return "".join(f"[{name}]\n" + "".join(f"{k} = {json.dumps(v)}\n" for k, v in settings.items()) + "\n"
                   for name, settings in sections.items())


def upper_trigger(path, body):
    event = json.loads(body)
    for rec in event["datasetRecords"].values():
        rec["newValue"] = rec["newValue"].upper()
    return 200, json.dumps(event).encode()


def without_dates(value):
    if isinstance(value, dict):
        return {k: without_dates(v) for k, v in value.items() if "Date" not in k and k != "eventId"}
    if isinstance(value, list):
        return [without_dates(v) for v in value]
    return value


class HooksInTheFile(unittest.TestCase):
    """[sink.*] and [trigger.*] tables of the config file: a Sync Trigger and a stream webhook
    called exactly as the same sections of a hooks file call them."""

    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="cogsync-hooks-")
        self.paths = []

    def tearDown(self):
        for p in self.paths:
            os.remove(p)
        shutil.rmtree(self.tmp, ignore_errors=True)

    def deliveries(self, source):
        """Runs one UpdateRecords through a server whose hooks come from `source` ("ini" or
        "toml"); returns (the records boto3 got, the trigger calls, the stream records)."""
        pool, ident = POOL, IDENT
        with WebhookReceiver() as receiver:
            receiver.reply = lambda path, body: upper_trigger(path, body) if path == "/trigger" else (200, b"{}")
            sections = {"trigger.validate": {"type": "webhook", "url": receiver.url("/trigger"), "functions": FUNCTION},
                        "sink.stream": {"type": "webhook", "url": receiver.url("/stream"), "streams": "*"}}
            if source == "ini":
                args = ("--hooks-file", write_hooks_file(self.tmp, sections))
            else:
                self.paths.append(write_config("max-records = 10\n" + hooks_toml(sections)))
                args = ("--config", self.paths[-1])
            with CogsyncServer(*args) as server:
                c = server.client()
                c.set_cognito_events(IdentityPoolId=pool, Events={"SyncTrigger": FUNCTION})
                c.set_identity_pool_configuration(
                    IdentityPoolId=pool,
                    CognitoStreams={"StreamName": "s", "RoleArn": ROLE_ARN, "StreamingStatus": "ENABLED"})
                token = c.list_records(IdentityPoolId=pool, IdentityId=ident, DatasetName="ds")["SyncSessionToken"]
                out = c.update_records(IdentityPoolId=pool, IdentityId=ident, DatasetName="ds",
                                       RecordPatches=[replace("k", "shout", 0)], SyncSessionToken=token)
                streamed = receiver.wait_for(lambda ds: len(ds) >= 1, path="/stream")
                self.assertIn(f"from {args[1]}", server.output())
                server.stop()
            records = [(r["Key"], r["Value"], r["SyncCount"]) for r in out["Records"]]
            return records, [d.json for d in receiver.snapshot("/trigger")], [without_dates(d.json) for d in streamed]

    def test_toml_tables_deliver_what_the_hooks_file_delivers(self):
        from_ini = self.deliveries("ini")
        from_toml = self.deliveries("toml")
        self.assertEqual(from_toml[0], [("k", "SHOUT", 1)])
        self.assertEqual(len(from_toml[1]), 1)
        self.assertEqual(from_toml, from_ini)

    def test_both_sources_at_once_are_refused_naming_both(self):
        path = write_hooks_file(self.tmp, {"sink.p": {"type": "log", "platforms": "*"}})
        self.paths.append(write_config(hooks_toml({"sink.q": {"type": "log", "platforms": "*"}})))
        res = run_cogsync("serve", "--listen", "127.0.0.1:0", "--data-dir", os.path.join(self.tmp, "data"),
                          "--config", self.paths[-1], "--hooks-file", path)
        self.assertEqual(res.returncode, 2)
        self.assertIn("--hooks-file", res.stderr)
        self.assertIn("[sink.*] and [trigger.*] tables", res.stderr)

    def test_check_names_the_line_of_a_hooks_mistake_with_the_hooks_file_message(self):
        path = write_config('max-records = 2\n\n[sink.p]\ntype = "webhook"\nurl = "ftp://x"\nplatforms = "*"\n')
        self.paths.append(path)
        res = run_cogsync("config", "check", path)
        self.assertEqual(res.returncode, 2)
        self.assertEqual(res.stderr, f"{path}:5: key 'sink.p': url must start with http:// or https://\n")

    def test_show_prints_the_tables_with_keys_and_url_secrets_masked_and_check_accepts_them(self):
        sections = {"sink.k": {"type": "kinesis", "endpoint": "http://127.0.0.1:4567", "region": "us-east-1",
                               "access_key": "AKIDHOOKS", "secret_key": "hooks/secret+key", "streams": ["a", "b"]},
                    "trigger.t": {"type": "webhook", "url": "https://user:pass@hooks.example/t?token=tok3n",
                                  "functions": "*"}}
        self.paths.append(write_config(hooks_toml(sections)))
        res = run_cogsync("config", "show", "--config", self.paths[-1])
        self.assertEqual(res.returncode, 0, res.stderr)
        for secret in ("AKIDHOOKS", "hooks/secret+key", "pass", "tok3n"):
            self.assertNotIn(secret, res.stdout)
        self.assertIn('[sink.k]\ntype = "kinesis"\nstreams = ["a", "b"]\n', res.stdout)
        self.assertIn('url = "https://user:****@hooks.example/t?****"', res.stdout)
        self.assertIn('log-format = "text"', res.stdout.splitlines())
        self.paths.append(write_config(res.stdout))
        self.assertEqual(run_cogsync("config", "check", self.paths[-1]).stdout, "ok\n")


if __name__ == "__main__":
    unittest.main()
