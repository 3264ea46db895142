"""deploy/cogsync.service: systemd accepts it (systemd-analyze verify, and its offline security
review rates the sandbox), and its command line cannot drift from the binary: ExecStart's
options and deploy/cogsync.toml go through the real `cogsync config show`, and the unit's stop
timeout, open-file limit and Type follow from what the server does."""
import os
import re
import shutil
import subprocess
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support"))

from cogsync_server import binary_path  # noqa: E402

DEPLOY = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "deploy")
UNIT = os.path.join(DEPLOY, "cogsync.service")
INSTALLED_BINARY = "/usr/local/bin/cogsync"
INSTALLED_CONFIG = "/etc/cogsync/cogsync.toml"
ANALYZE = shutil.which("systemd-analyze")
# --max-connections' reserve for the server's own files with the default threads (README).
FD_RESERVE = 136


def unit_settings():
    """key -> value of the unit's assignments (the last one wins, as in systemd)."""
    with open(UNIT) as f:
        return dict(re.findall(r"^(\w+)=(.*)$", f.read(), re.M))


def config_show_of_exec_start():
    """`cogsync config show` with ExecStart's options, the installed config read from deploy/."""
    args = unit_settings()["ExecStart"].split()
    assert args[:2] == [INSTALLED_BINARY, "serve"], args
    options = [os.path.join(DEPLOY, "cogsync.toml") if a == INSTALLED_CONFIG else a for a in args[2:]]
    env = {k: v for k, v in os.environ.items() if not k.startswith("COGSYNC_")}
    return subprocess.run([binary_path(), "config", "show", *options], env=env, capture_output=True, text=True)


def shown(text, key):
    return re.search(rf'^{key} = "?([^"\n]*)"?$', text, re.M).group(1)


@unittest.skipIf(ANALYZE is None, "systemd-analyze not installed")
class SystemdAccepts(unittest.TestCase):
    def setUp(self):
        # verify insists that ExecStart's binary exists: the built one stands in for the installed.
        self.tmp = tempfile.mkdtemp(prefix="cogsync-unit-")
        self.unit = os.path.join(self.tmp, "cogsync.service")
        with open(UNIT) as f, open(self.unit, "w") as out:
            out.write(f.read().replace(INSTALLED_BINARY, binary_path()))

    def tearDown(self):
        shutil.rmtree(self.tmp)

    def test_verify_has_nothing_to_say(self):
        done = subprocess.run([ANALYZE, "verify", self.unit], capture_output=True, text=True)
        self.assertEqual((done.returncode, done.stdout + done.stderr), (0, ""))

    def test_security_review_rates_the_sandbox_ok(self):
        done = subprocess.run([ANALYZE, "security", "--offline=yes", self.unit], capture_output=True, text=True)
        level = re.search(r"Overall exposure level for cogsync.service: ([\d.]+)", done.stdout)
        self.assertIsNotNone(level, done.stdout + done.stderr)
        self.assertLessEqual(float(level.group(1)), 2.0, done.stdout)


class UnitMatchesTheBinary(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.unit = unit_settings()
        cls.show = config_show_of_exec_start()

    def test_exec_start_options_and_config_are_accepted(self):
        self.assertEqual(self.show.returncode, 0, self.show.stderr)
        done = subprocess.run([binary_path(), "config", "check", os.path.join(DEPLOY, "cogsync.toml")],
                              capture_output=True, text=True)
        self.assertEqual((done.returncode, done.stdout.strip()), (0, "ok"), done.stderr)

    def test_data_dir_is_the_state_directory(self):
        self.assertEqual(shown(self.show.stdout, "data-dir"), "/var/lib/" + self.unit["StateDirectory"])

    def test_stop_timeout_outlasts_the_drain(self):
        grace_ms = int(shown(self.show.stdout, "shutdown-grace-ms"))
        self.assertGreater(int(self.unit["TimeoutStopSec"]) * 1000, grace_ms)

    def test_open_file_limit_holds_the_connections(self):
        connections = int(shown(self.show.stdout, "max-connections"))
        self.assertGreaterEqual(int(self.unit["LimitNOFILE"]), connections + FD_RESERVE)

    def test_type_notify_only_if_the_server_notifies(self):
        with open(binary_path(), "rb") as f:
            notifies = b"NOTIFY_SOCKET" in f.read()
        self.assertEqual(self.unit["Type"], "notify" if notifies else "exec")

    def test_sandbox(self):
        for key, value in {"DynamicUser": "yes", "ProtectSystem": "strict", "ProtectHome": "yes",
                           "PrivateTmp": "yes", "PrivateDevices": "yes", "NoNewPrivileges": "yes",
                           "CapabilityBoundingSet": "", "MemoryDenyWriteExecute": "yes",
                           "RestrictAddressFamilies": "AF_INET AF_INET6 AF_UNIX",
                           "SystemCallFilter": "@system-service", "LockPersonality": "yes",
                           "RestrictNamespaces": "yes", "ProtectKernelTunables": "yes",
                           "ProtectKernelModules": "yes", "ProtectKernelLogs": "yes",
                           "ExecReload": "/bin/kill -HUP $MAINPID"}.items():
            self.assertEqual(self.unit.get(key), value, key)


if __name__ == "__main__":
    unittest.main()
