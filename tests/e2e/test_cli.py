"""The unmodified aws cli (v1) against cogsync, pointed at it with --endpoint-url only."""
import json
import os
import shutil
import subprocess
import sys
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support"))

from e2e_base import TOKEN_RE, ServerTestCase, aws_cli_command, aws_cli_env, aws_cli_home  # noqa: E402

AWS = shutil.which("aws")


@unittest.skipIf(AWS is None, "aws cli not installed")
class AwsCli(ServerTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.cfg_dir = aws_cli_home()
        cls.env = aws_cli_env(cls.cfg_dir, "test", "test")

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.cfg_dir, ignore_errors=True)
        super().tearDownClass()

    def aws(self, *args, expect_ok=True):
        cmd = aws_cli_command(AWS, self.server.endpoint, *args)
        res = subprocess.run(cmd, capture_output=True, env=self.env, timeout=60, text=True)
        if expect_ok:
            self.assertEqual(res.returncode, 0, f"{cmd}\nstdout={res.stdout}\nstderr={res.stderr}")
            return json.loads(res.stdout) if res.stdout.strip() else {}
        return res

    def test_every_operation(self):
        pool, ident = self.ids()
        ids = ["--identity-pool-id", pool, "--identity-id", ident]
        out = self.aws("list-records", *ids, "--dataset-name", "cli")
        self.assertEqual(out["Records"], [])
        self.assertIs(out["DatasetExists"], False)
        token = out["SyncSessionToken"]
        self.assertRegex(token, TOKEN_RE)

        patches = [{"Op": "replace", "Key": "greeting", "Value": "héllo wörld", "SyncCount": 0},
                   {"Op": "replace", "Key": "n", "Value": "1", "SyncCount": 0}]
        out = self.aws("update-records", *ids, "--dataset-name", "cli",
                       "--sync-session-token", token, "--record-patches", json.dumps(patches))
        self.assertEqual({r["Key"]: (r["Value"], r["SyncCount"]) for r in out["Records"]},
                         {"greeting": ("héllo wörld", 1), "n": ("1", 1)})

        out = self.aws("list-records", *ids, "--dataset-name", "cli", "--last-sync-count", "0")
        self.assertEqual(out["DatasetSyncCount"], 1)
        self.assertEqual(out["Count"], 2)

        out = self.aws("describe-dataset", *ids, "--dataset-name", "cli")
        self.assertEqual(out["Dataset"]["NumRecords"], 2)
        self.assertEqual(out["Dataset"]["DataStorage"],
                         len("greetinghéllo wörld".encode()) + 2)

        out = self.aws("list-datasets", *ids)
        self.assertEqual([d["DatasetName"] for d in out["Datasets"]], ["cli"])

        out = self.aws("describe-identity-usage", *ids)
        self.assertEqual(out["IdentityUsage"]["DatasetCount"], 1)
        self.assertEqual(out["IdentityUsage"]["IdentityId"], ident)

        out = self.aws("describe-identity-pool-usage", "--identity-pool-id", pool)
        self.assertEqual(out["IdentityPoolUsage"]["IdentityPoolId"], pool)
        self.assertEqual(out["IdentityPoolUsage"]["DataStorage"],
                         len("greetinghéllo wörld".encode()) + 2)

        out = self.aws("list-identity-pool-usage", "--max-results", "60")
        self.assertIn("IdentityPoolUsages", out)
        self.assertIsInstance(out["Count"], int)

        out = self.aws("delete-dataset", *ids, "--dataset-name", "cli")
        self.assertEqual(out["Dataset"]["DatasetName"], "cli")
        res = self.aws("describe-dataset", *ids, "--dataset-name", "cli", expect_ok=False)
        self.assertNotEqual(res.returncode, 0)
        self.assertIn("ResourceNotFoundException", res.stderr)

    def test_conflict_error(self):
        pool, ident = self.ids()
        ids = ["--identity-pool-id", pool, "--identity-id", ident, "--dataset-name", "c"]
        self.put_new(pool, ident, "c", {"k": "v"})
        token = self.aws("list-records", *ids)["SyncSessionToken"]
        res = self.aws("update-records", *ids, "--sync-session-token", token, "--record-patches",
                       json.dumps([{"Op": "replace", "Key": "k", "Value": "w", "SyncCount": 0}]),
                       expect_ok=False)
        self.assertNotEqual(res.returncode, 0)
        self.assertIn("ResourceConflictException", res.stderr)
        self.assertIn("Current SyncCount for: k is: 1 not: 0", res.stderr)


if __name__ == "__main__":
    unittest.main()
