"""A receiver that refuses one delivery for good (4xx other than 429) no longer blocks its sink:
that delivery becomes a dead letter, listed and replayed by `cogsync dead-letters` while the
server runs. Push deliveries to different devices are independent: a failing device delays no
other, and its push is retried on its own with the same event id."""
import json
import subprocess
import threading
import time
import unittest

from hooks_base import GCM_ARN, ROLE_ARN, HooksTestCase, new_identity, new_pool, replace
from cogsync_server import binary_path


class Refusals:
    """A receiver `reply`: refuses (status) every delivery whose body contains one of the
    markers, records every attempt's event id, accepts the rest."""

    def __init__(self):
        self.refuse = {}  # marker -> status
        self.attempts = []  # (event id, body) of every call, refused or not
        self._lock = threading.Lock()

    def __call__(self, path, body):
        text = body.decode("utf-8", "replace")
        event = json.loads(text).get("eventId") if path == "/push" else None
        with self._lock:
            self.attempts.append((event, text))
            for marker, status in self.refuse.items():
                if marker in text:
                    return status, b'{"error":"refused by test"}'
        return 200, b"{}"

    def tried(self, marker):
        with self._lock:
            return [e for e, t in self.attempts if marker in t]


class DeadLetters(HooksTestCase):
    SERVER_ARGS = ("--hook-max-attempts", "3")

    @classmethod
    def hooks(cls, receiver, tmp_dir):
        cls.refusals = Refusals()
        receiver.reply = cls.refusals
        return {"sink.devices": {"type": "webhook", "url": receiver.url("/push"), "platforms": "*"},
                "sink.stream": {"type": "webhook", "url": receiver.url("/stream"), "streams": "*"}}

    def cli(self, *args):
        store = ["--store", self.server.store] if self.server.store else []
        out = subprocess.run([binary_path(), "dead-letters", *args, "--data-dir", self.server.data_dir, *store],
                             capture_output=True, text=True, timeout=30)
        return out.returncode, out.stdout

    def dead_lines(self, marker):
        code, out = self.cli("list")
        self.assertEqual(code, 0, out)
        return [line for line in out.splitlines() if marker in line]

    def wait_dead(self, marker, timeout=20.0):
        deadline = time.monotonic() + timeout
        while True:
            lines = self.dead_lines(marker)
            if lines:
                return lines
            if time.monotonic() > deadline:
                raise AssertionError(f"no dead letter for {marker}: {self.cli('list')[1]}")
            time.sleep(0.1)

    def setup_push(self):
        pool, ident = new_pool(), new_identity()
        self.c.set_identity_pool_configuration(
            IdentityPoolId=pool, PushSync={"ApplicationArns": [GCM_ARN], "RoleArn": ROLE_ARN})
        self.push(pool, ident, "ds", [replace("k", "v0", 0)])
        devices = {}
        for token in ("uninstalled-" + ident, "ok-" + ident, "flaky-" + ident):
            dev = self.c.register_device(IdentityPoolId=pool, IdentityId=ident, Platform="GCM", Token=token)["DeviceId"]
            self.c.subscribe_to_dataset(IdentityPoolId=pool, IdentityId=ident, DatasetName="ds", DeviceId=dev)
            devices[token.split("-")[0]] = dev
        return pool, ident, devices

    def test_a_refused_device_is_a_dead_letter_and_other_devices_and_pools_go_on(self):
        pool, ident, devs = self.setup_push()
        self.refusals.refuse["uninstalled-" + ident] = 400
        count = 1
        for i in range(3):
            count = self.push(pool, ident, "ds", [replace("k", f"v{i + 1}", count)])["Records"][0]["SyncCount"]
        got = self.receiver.wait_for(
            lambda ds: len([d for d in ds if d.json["deviceId"] == devs["ok"]]) >= 3, path="/push")
        self.assertEqual(sorted(int(d.json["payload"]["data"]["syncCount"]) for d in got
                                if d.json["deviceId"] == devs["ok"]), [2, 3, 4])
        # another pool's pushes are not held up either
        other_pool, other_ident, other_devs = self.setup_push()
        self.push(other_pool, other_ident, "ds", [replace("k", "x", 1)])
        self.receiver.wait_for(lambda ds: any(d.json["deviceId"] == other_devs["ok"] for d in ds), path="/push")

        lines = self.wait_dead(devs["uninstalled"])
        self.assertTrue(all("sink.devices" in line and "HTTP 400" in line for line in lines), lines)
        deadline = time.monotonic() + 20
        while len(self.dead_lines(devs["uninstalled"])) < 3 and time.monotonic() < deadline:
            time.sleep(0.1)
        lines = self.dead_lines(devs["uninstalled"])
        self.assertEqual(len(lines), 3, lines)
        self.assertIn("dead letter", self.server.output())
        _, listing = self.cli("list", "--sink", "devices")
        self.assertRegex(listing, r"sink sink\.devices dead [0-9]+ total [0-9]+")

        # the device is back: replaying one dead letter delivers it, with its own event id
        del self.refusals.refuse["uninstalled-" + ident]
        dead_id, _, event_id = lines[0].split()[:3]
        code, out = self.cli("replay", "--sink", "devices", "--id", dead_id)
        self.assertEqual((code, out.strip()), (0, "replayed 1"))
        got = self.receiver.wait_for(lambda ds: any(d.event_id == event_id for d in ds), path="/push")
        self.assertEqual([d.json["deviceId"] for d in got if d.event_id == event_id], [devs["uninstalled"]])
        self.assertEqual(len(self.dead_lines(devs["uninstalled"])), 2)
        self.assertEqual(self.cli("replay", "--id", dead_id)[0], 1)  # no longer a dead letter

    def test_a_refused_stream_record_is_a_dead_letter_and_the_stream_goes_on(self):
        pool, ident = new_pool(), new_identity()
        self.enable_streams(pool, "changes")
        marker = "too-big-" + ident
        self.refusals.refuse[marker] = 413
        count = self.push(pool, ident, "ds", [replace("k", marker, 0)])["Records"][0]["SyncCount"]
        self.push(pool, ident, "ds", [replace("k", "after", count)])
        got = self.receiver.wait_for(
            lambda ds: any(d.json["identityId"] == ident and d.json["kinesisSyncRecords"][0]["value"] == "after"
                           for d in ds), path="/stream")
        self.assertFalse(any(marker in d.raw.decode() for d in got))
        lines = self.wait_dead("sink.stream")
        self.assertTrue(any("HTTP 413" in line for line in lines), lines)

    def test_a_record_failing_past_the_attempt_limit_is_a_dead_letter(self):
        pool, ident = new_pool(), new_identity()
        self.enable_streams(pool, "changes")
        marker = "down-" + ident
        self.refusals.refuse[marker] = 503
        count = self.push(pool, ident, "ds", [replace("k", marker, 0)])["Records"][0]["SyncCount"]
        self.push(pool, ident, "ds", [replace("k", "next-" + ident, count)])
        self.receiver.wait_for(lambda ds: any(("next-" + ident) in d.raw.decode() for d in ds), path="/stream")
        self.assertEqual(len(self.refusals.tried(marker)), 3)
        lines = [line for line in self.wait_dead("sink.stream") if "attempts 3 HTTP 503" in line]
        self.assertTrue(lines, self.cli("list")[1])


class FailingDevice(DeadLetters):
    """No attempt limit: a device that keeps failing is retried until it takes the push."""
    SERVER_ARGS = ()

    def test_a_failing_device_is_retried_alone_with_the_same_event_id(self):
        pool, ident, devs = self.setup_push()
        self.refusals.refuse["flaky-" + ident] = 503
        self.push(pool, ident, "ds", [replace("k", "v1", 1)])
        self.receiver.wait_for(lambda ds: any(d.json["deviceId"] == devs["ok"] for d in ds), path="/push")
        deadline = time.monotonic() + 20
        while len(self.refusals.tried("flaky-" + ident)) < 2:
            self.assertLess(time.monotonic(), deadline, "the failing device's push was not retried")
            time.sleep(0.05)
        del self.refusals.refuse["flaky-" + ident]
        got = self.receiver.wait_for(lambda ds: any(d.json["deviceId"] == devs["flaky"] for d in ds), path="/push")
        delivered = [d.event_id for d in got if d.json["deviceId"] == devs["flaky"]]
        self.assertEqual(set(self.refusals.tried("flaky-" + ident)), set(delivered))
        self.assertEqual(self.dead_lines(devs["flaky"]), [])

    # the tests of DeadLetters need its attempt limit; they run there
    test_a_refused_device_is_a_dead_letter_and_other_devices_and_pools_go_on = None
    test_a_refused_stream_record_is_a_dead_letter_and_the_stream_goes_on = None
    test_a_record_failing_past_the_attempt_limit_is_a_dead_letter = None


if __name__ == "__main__":
    unittest.main()
