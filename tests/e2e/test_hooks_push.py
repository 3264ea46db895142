"""Push sync (PROTOCOL.md 7.1) through a webhook push sink: every device subscribed to a dataset
gets one silent push per change with the exact platform payload; the writing device does not."""
import json
import unittest

from hooks_base import (APNS_ARN, GCM_ARN, ROLE_ARN, ClientError, HooksTestCase, error_code, new_identity,
                        new_pool, replace)
from cogsync_server import http_status


def push_hooks(receiver):
    return {"sink.devices": {"type": "webhook", "url": receiver.url("/push"), "platforms": "*"}}


class PushWebhook(HooksTestCase):
    @classmethod
    def hooks(cls, receiver, tmp_dir):
        return push_hooks(receiver)

    def test_subscribed_devices_get_one_push_per_change_except_the_writer(self):
        pool, ident = new_pool(), new_identity()
        self.c.set_identity_pool_configuration(
            IdentityPoolId=pool, PushSync={"ApplicationArns": [GCM_ARN, APNS_ARN], "RoleArn": ROLE_ARN})
        first = self.push(pool, ident, "ds", [replace("k", "v0", 0)])
        count = first["Records"][0]["SyncCount"]
        self.wait_delivered()  # the first change reaches no device, whenever its delivery runs
        devices = {}
        for platform, token in [("GCM", "gcm-token-1"), ("APNS", "A1B2C3D4E5"), ("GCM", "gcm-writer")]:
            out = self.c.register_device(IdentityPoolId=pool, IdentityId=ident, Platform=platform, Token=token)
            devices[token] = (platform, out["DeviceId"])
            self.c.subscribe_to_dataset(IdentityPoolId=pool, IdentityId=ident, DatasetName="ds",
                                        DeviceId=out["DeviceId"])
        writer = devices["gcm-writer"][1]
        counts = []
        for i in range(3):
            out = self.push(pool, ident, "ds", [replace("k", f"v{i + 1}", count)], DeviceId=writer)
            count = out["Records"][0]["SyncCount"]
            counts.append(count)

        def mine(ds):
            return [d for d in ds if d.json and d.json["payload"]["data"]["identityId"] == ident]

        got = self.receiver.wait_for(lambda ds: len({(d.event_id, d.json["deviceId"]) for d in mine(ds)}) >= 6,
                                     path="/push")
        got = mine(got)
        # one push per (change, non-writer device), duplicates (at-least-once) collapsed by event id
        unique = {(d.event_id, d.json["deviceId"]): d for d in got}
        self.assertEqual(len(unique), 6, got)
        self.assertNotIn(writer, {d.json["deviceId"] for d in got})
        # each (change, device) delivery has its own id, "cogsync-<change>/<device>", so a gateway
        # dropping duplicates by id drops retries only, never another device's push
        self.assertEqual(len({e for e, _ in unique}), 6)
        for (e, device_id) in unique:
            change, _, suffix = e.partition("/")
            self.assertEqual(suffix, device_id)
            self.assertRegex(change, r"^cogsync-[0-9]+$")
        self.assertEqual(len({e.partition("/")[0] for e, _ in unique}), 3)
        for d in unique.values():
            self.assertEqual(d.headers["content-type"], "application/json")
            self.assertTrue(d.event_id.startswith("cogsync-"), d)
            self.assertEqual(d.json["eventId"], d.event_id)
        by_token = {}
        for d in unique.values():
            by_token.setdefault(d.json["token"], []).append(d.json)
        self.assertEqual(set(by_token), {"gcm-token-1", "A1B2C3D4E5"})
        for token, pushes in by_token.items():
            platform, device_id = devices[token]
            seen_counts = sorted(int(p["payload"]["data"]["syncCount"]) for p in pushes)
            self.assertEqual(seen_counts, counts)
            for p in pushes:
                self.assertEqual(p["platform"], platform)
                self.assertEqual(p["deviceId"], device_id)
                data = {"source": "cognito-sync", "identityPoolId": pool, "identityId": ident,
                        "datasetName": "ds", "syncCount": p["payload"]["data"]["syncCount"]}
                for v in p["payload"]["data"].values():
                    self.assertIsInstance(v, str)  # Android reads every extra as a string
                if platform == "GCM":
                    self.assertEqual(p["payload"], {"data": data})
                else:
                    self.assertEqual(p["payload"], {"aps": {"content-available": 1}, "data": data})

    def test_unsubscribed_and_other_datasets_get_nothing(self):
        pool, ident = new_pool(), new_identity()
        self.c.set_identity_pool_configuration(
            IdentityPoolId=pool, PushSync={"ApplicationArns": [GCM_ARN], "RoleArn": ROLE_ARN})
        self.push(pool, ident, "a", [replace("k", "v", 0)])
        self.push(pool, ident, "b", [replace("k", "v", 0)])
        dev = self.c.register_device(IdentityPoolId=pool, IdentityId=ident, Platform="GCM",
                                     Token="t-" + ident)["DeviceId"]
        self.c.subscribe_to_dataset(IdentityPoolId=pool, IdentityId=ident, DatasetName="a", DeviceId=dev)
        self.c.unsubscribe_from_dataset(IdentityPoolId=pool, IdentityId=ident, DatasetName="a", DeviceId=dev)
        self.c.subscribe_to_dataset(IdentityPoolId=pool, IdentityId=ident, DatasetName="b", DeviceId=dev)
        self.push(pool, ident, "a", [replace("k2", "v", 0)])
        self.push(pool, ident, "b", [replace("k2", "v", 0)])
        got = self.receiver.wait_for(
            lambda ds: any(d.json["deviceId"] == dev for d in ds), path="/push")
        mine = [d.json for d in got if d.json["deviceId"] == dev]
        self.assertEqual({p["payload"]["data"]["datasetName"] for p in mine}, {"b"}, mine)

    def test_devices_per_identity_are_capped_and_a_known_token_never_counts_twice(self):
        pool, ident = new_pool(), new_identity()
        self.c.set_identity_pool_configuration(
            IdentityPoolId=pool, PushSync={"ApplicationArns": [GCM_ARN], "RoleArn": ROLE_ARN})
        ids = [self.c.register_device(IdentityPoolId=pool, IdentityId=ident, Platform="GCM",
                                      Token=f"tok-{i}")["DeviceId"] for i in range(20)]
        with self.assertRaises(ClientError) as refused:
            self.c.register_device(IdentityPoolId=pool, IdentityId=ident, Platform="GCM", Token="tok-20")
        self.assertEqual(error_code(refused.exception), "LimitExceededException")
        self.assertEqual(http_status(refused.exception), 400)
        # re-registering a known token answers its DeviceId, at the limit too
        again = self.c.register_device(IdentityPoolId=pool, IdentityId=ident, Platform="GCM", Token="tok-7")
        self.assertEqual(again["DeviceId"], ids[7])
        # the limit is per identity
        self.c.register_device(IdentityPoolId=pool, IdentityId=new_identity(), Platform="GCM", Token="tok-20")


class PushFanOutLimit(HooksTestCase):
    SERVER_ARGS = ("--max-devices", "4", "--max-subscriptions", "2")

    @classmethod
    def hooks(cls, receiver, tmp_dir):
        return push_hooks(receiver)

    def test_configured_limits_cap_registrations_and_subscriptions_per_dataset(self):
        pool, ident = new_pool(), new_identity()
        self.c.set_identity_pool_configuration(
            IdentityPoolId=pool, PushSync={"ApplicationArns": [GCM_ARN], "RoleArn": ROLE_ARN})
        self.push(pool, ident, "a", [replace("k", "v", 0)])
        self.push(pool, ident, "b", [replace("k", "v", 0)])
        devs = [self.c.register_device(IdentityPoolId=pool, IdentityId=ident, Platform="GCM",
                                       Token=f"t{i}")["DeviceId"] for i in range(4)]
        with self.assertRaises(ClientError) as refused:
            self.c.register_device(IdentityPoolId=pool, IdentityId=ident, Platform="GCM", Token="t4")
        self.assertEqual(error_code(refused.exception), "LimitExceededException")

        def subscribe(ds, dev):
            self.c.subscribe_to_dataset(IdentityPoolId=pool, IdentityId=ident, DatasetName=ds, DeviceId=dev)

        subscribe("a", devs[0])
        subscribe("a", devs[1])
        subscribe("a", devs[1])  # idempotent, not counted twice
        with self.assertRaises(ClientError) as refused:
            subscribe("a", devs[2])
        self.assertEqual(error_code(refused.exception), "LimitExceededException")
        self.assertEqual(http_status(refused.exception), 400)
        subscribe("b", devs[2])  # the limit is per dataset
        self.c.unsubscribe_from_dataset(IdentityPoolId=pool, IdentityId=ident, DatasetName="a", DeviceId=devs[0])
        subscribe("a", devs[2])  # unsubscribing frees a slot
        # one write to "a" pushes to its two subscribers only
        self.push(pool, ident, "a", [replace("k", "v2", 1)])
        got = self.receiver.wait_for(
            lambda ds: {d.json["deviceId"] for d in ds} >= {devs[1], devs[2]}, path="/push")
        self.assertEqual({d.json["deviceId"] for d in got if d.json["payload"]["data"]["identityId"] == ident},
                         {devs[1], devs[2]})


if __name__ == "__main__":
    unittest.main()
