"""Push sync (PROTOCOL.md 7.1) through a `log` push sink: a change to a dataset a device subscribed
to writes one log line (the server's captured output) naming that device and the dataset; the
writing device gets none."""
import time
import unittest
import uuid

from hooks_base import GCM_ARN, ROLE_ARN, HooksTestCase, new_identity, new_pool, replace


class LogPush(HooksTestCase):
    @classmethod
    def hooks(cls, receiver, tmp_dir):
        return {"sink.devlog": {"type": "log", "platforms": "*"}}

    def lines_naming(self, *words):
        return [line for line in self.server.output().splitlines() if all(w in line for w in words)]

    def test_one_line_per_subscribed_device_naming_device_and_dataset(self):
        pool, ident = new_pool(), new_identity()
        ds = "logged-" + uuid.uuid4().hex[:12]
        self.c.set_identity_pool_configuration(
            IdentityPoolId=pool, PushSync={"ApplicationArns": [GCM_ARN], "RoleArn": ROLE_ARN})
        count = self.push(pool, ident, ds, [replace("k", "v0", 0)])["Records"][0]["SyncCount"]
        # A push goes to the devices subscribed when the sink delivers the change: a sink still
        # behind this first change (a PostgreSQL node takes its lease first) would push it to the
        # devices subscribed below as well.
        self.wait_delivered()
        devices = []
        for token in ("gcm-listener", "gcm-writer"):
            out = self.c.register_device(IdentityPoolId=pool, IdentityId=ident, Platform="GCM", Token=token)
            self.c.subscribe_to_dataset(IdentityPoolId=pool, IdentityId=ident, DatasetName=ds,
                                        DeviceId=out["DeviceId"])
            devices.append(out["DeviceId"])
        listener, writer = devices
        self.push(pool, ident, ds, [replace("k", "v1", count)], DeviceId=writer)

        deadline = time.monotonic() + 20
        while not self.lines_naming(listener, ds):
            self.assertLess(time.monotonic(), deadline, self.server.output()[-4000:])
            time.sleep(0.05)
        time.sleep(0.5)  # a duplicate or a push to the writer would show up by now
        lines = self.lines_naming(listener, ds)
        self.assertEqual(len(lines), 1, lines)
        self.assertIn("push sink devlog", lines[0])
        self.assertIn("gcm-listener", lines[0])
        self.assertEqual(self.lines_naming(writer, ds), [])
        self.assertEqual(self.lines_naming("gcm-writer"), [])


if __name__ == "__main__":
    unittest.main()
