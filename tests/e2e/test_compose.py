"""docker/docker-compose.yml and its example client, tested without Docker: the example script
syncs against the real binary with the stack's configuration, as an app of its pool (so it cannot
rot), and the compose file holds the stack the README describes (a data volume, the
configuration mounted where --config reads it, the image's health check, the client waiting for
a healthy server)."""
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import unittest

import yaml

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support"))

from cogsync_server import CogsyncServer, binary_path  # noqa: E402

DOCKER = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "docker")
EXAMPLE = os.path.join(DOCKER, "example", "sync_example.py")


CONFIG = os.path.join(DOCKER, "cogsync.toml")
FIXED_IDENTITY = "us-east-1:1b2c0000-0000-4000-8000-00000000e1a1"


def run_example(endpoint, dataset, **env):
    env = dict(os.environ, COGSYNC_ENDPOINT=endpoint, DATASET=dataset, AWS_MAX_ATTEMPTS="1", **env)
    return subprocess.run([sys.executable, EXAMPLE], env=env, capture_output=True, text=True, timeout=60)


class SyncExample(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="cogsync-compose-")
        self.addCleanup(shutil.rmtree, self.tmp, True)

    def test_an_app_of_the_stacks_pool_syncs_and_finds_its_record_again_after_a_restart(self):
        """With the stack's configuration: GetId on the pool it declares, minted keys, a sync; after
        a restart the same device (its IdentityId kept in a file) finds its record."""
        kept = os.path.join(self.tmp, "identity")
        with CogsyncServer("--config", CONFIG) as server:
            first = run_example(server.endpoint, "compose-example", IDENTITY_FILE=kept)
            self.assertEqual(first.returncode, 0, first.stdout + first.stderr)
            with open(kept, encoding="ascii") as f:
                identity = f.read().strip()
            self.assertIn(f"identity {identity}, keys ASIA", first.stdout)
            self.assertIn("compose-example: sync count 0, 0 record(s) on the server", first.stdout)
            self.assertRegex(first.stdout, r"pushed last-sync=\S+ \(record sync count 1\)")
            server.restart()
            second = run_example(server.endpoint, "compose-example", IDENTITY_FILE=kept)
            self.assertEqual(second.returncode, 0, second.stdout + second.stderr)
            self.assertIn(f"identity {identity}, keys ASIA", second.stdout)
            self.assertIn("compose-example: sync count 1, 1 record(s) on the server", second.stdout)
            self.assertIn("compose-example: sync count 2", second.stdout.splitlines()[-1])

    def test_a_fixed_identity_in_open_mode(self):
        """The image test's way (scripts/test-image.sh): no pool, placeholder keys."""
        with CogsyncServer() as server:
            done = run_example(server.endpoint, "compose-example", IDENTITY_ID=FIXED_IDENTITY)
            self.assertEqual(done.returncode, 0, done.stdout + done.stderr)
            self.assertIn("compose-example: sync count 0, 0 record(s) on the server", done.stdout)

    def test_fails_when_the_server_refuses(self):
        """Placeholder keys against a server that verifies signatures."""
        with CogsyncServer("--config", CONFIG, "--auth", "sigv4") as server:
            done = run_example(server.endpoint, "compose-example", IDENTITY_ID=FIXED_IDENTITY)
            self.assertNotEqual(done.returncode, 0)
            self.assertIn("ClientError", done.stderr)


def image_healthcheck():
    with open(os.path.join(DOCKER, "Dockerfile")) as f:
        match = re.search(r"^HEALTHCHECK .*?CMD (\[.*\])$", f.read(), re.M)
    return json.loads(match.group(1))


class ComposeFile(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        with open(os.path.join(DOCKER, "docker-compose.yml")) as f:
            cls.compose = yaml.safe_load(f)
        cls.cogsync = cls.compose["services"]["cogsync"]
        cls.example = cls.compose["services"]["sync-example"]

    def test_data_on_a_named_volume(self):
        self.assertIn("cogsync-data:/data", self.cogsync["volumes"])
        self.assertIn("cogsync-data", self.compose["volumes"])

    def test_the_mounted_configuration_is_the_one_serve_reads_and_it_checks(self):
        command = self.cogsync["command"]
        self.assertEqual(command[:2], ["serve", "--config"])
        mounts = {v.split(":")[1]: v.split(":")[0] for v in self.cogsync["volumes"]}
        source = mounts[command[2]]
        self.assertTrue(self.cogsync["volumes"][1].endswith(":ro"))
        done = subprocess.run([binary_path(), "config", "check", os.path.join(DOCKER, source)],
                              capture_output=True, text=True)
        self.assertEqual((done.returncode, done.stdout.strip()), (0, "ok"), done.stderr)

    def test_health_check_is_the_images(self):
        self.assertEqual(self.cogsync["healthcheck"]["test"], ["CMD", *image_healthcheck()])
        self.assertEqual(image_healthcheck(), ["cogsync", "probe"])

    def test_stop_grace_outlasts_the_drain(self):
        with open(os.path.join(DOCKER, "cogsync.toml")) as f:
            grace_ms = int(re.search(r"^shutdown-grace-ms = (\d+)$", f.read(), re.M).group(1))
        self.assertGreater(int(self.cogsync["stop_grace_period"].rstrip("s")) * 1000, grace_ms)

    def test_example_waits_for_a_healthy_server_and_reaches_it_by_service_name(self):
        self.assertEqual(self.example["depends_on"], {"cogsync": {"condition": "service_healthy"}})
        self.assertEqual(self.example["environment"]["COGSYNC_ENDPOINT"], "http://cogsync:8080")
        self.assertIn("8080:8080", self.cogsync["ports"])

    def test_builds_name_existing_dockerfiles_and_files(self):
        root = os.path.join(DOCKER, self.cogsync["build"]["context"])
        self.assertTrue(os.path.isfile(os.path.join(root, self.cogsync["build"]["dockerfile"])))
        context = os.path.join(DOCKER, self.example["build"]["context"])
        with open(os.path.join(context, "Dockerfile")) as f:
            copies = re.findall(r"^COPY (\S+) ", f.read(), re.M)
        self.assertEqual(copies, ["sync_example.py"])
        self.assertTrue(os.path.isfile(os.path.join(context, copies[0])))


if __name__ == "__main__":
    unittest.main()
