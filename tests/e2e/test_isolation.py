"""Authorization between keys (PROTOCOL.md 8): an identity key touches only its own pool and
identity, developer-only and identity-only operations refuse the other kind of key, and a
developer key with a pool list sees only those pools. Every refusal is 403
NotAuthorizedException, decided before the operation runs, so the victim's data never changes."""
import os
import sys
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support"))

from cogsync_server import new_identity, new_pool  # noqa: E402
from e2e_base import ClientError, CredentialsServerTestCase, error_code, replace  # noqa: E402

NA = "NotAuthorizedException"

POOL = new_pool()            # A and B live here
OTHER_POOL = new_pool()      # C lives here
P1, P2 = new_pool(), new_pool()
IDENT_A, IDENT_B, IDENT_C = new_identity(), new_identity(), new_identity()

DEV = ("AKIDEVELOPER0001", "devsecret")
DEV_P1 = ("AKIDEVELOPERP001", "p1secret")
DEV_P1_ACCOUNT = "210987654321"
KEY_A = ("ASIAIDENTITYA001", "asecret")
KEY_B = ("ASIAIDENTITYB001", "bsecret")

KEYS = {
    DEV[0]: {"secret": DEV[1], "kind": "developer", "pools": "*"},
    DEV_P1[0]: {"secret": DEV_P1[1], "kind": "developer", "pools": P1, "account": DEV_P1_ACCOUNT},
    KEY_A[0]: {"secret": KEY_A[1], "kind": "identity", "pool": POOL, "identity": IDENT_A},
    KEY_B[0]: {"secret": KEY_B[1], "kind": "identity", "pool": POOL, "identity": IDENT_B},
}

DS = "victim"
PLATFORM_ARN = "arn:aws:sns:us-east-1:123456789012:app/GCM/cogsync"
ROLE_ARN = "arn:aws:iam::123456789012:role/cogsync"
LAMBDA_ARN = "arn:aws:lambda:us-east-1:123456789012:function:trigger"


def operations(pool, ident, ds="victim", token="garbage-token"):
    """All 17 operations of the model with minimal valid parameters on (pool, ident):
    name -> (credential kind, fn(client))."""
    ids = {"IdentityPoolId": pool, "IdentityId": ident}
    return {
        "BulkPublish": ("dev", lambda c: c.bulk_publish(IdentityPoolId=pool)),
        "DeleteDataset": ("both", lambda c: c.delete_dataset(DatasetName=ds, **ids)),
        "DescribeDataset": ("both", lambda c: c.describe_dataset(DatasetName=ds, **ids)),
        "DescribeIdentityPoolUsage": (
            "dev", lambda c: c.describe_identity_pool_usage(IdentityPoolId=pool)),
        "DescribeIdentityUsage": ("both", lambda c: c.describe_identity_usage(**ids)),
        "GetBulkPublishDetails": (
            "dev", lambda c: c.get_bulk_publish_details(IdentityPoolId=pool)),
        "GetCognitoEvents": ("dev", lambda c: c.get_cognito_events(IdentityPoolId=pool)),
        "GetIdentityPoolConfiguration": (
            "dev", lambda c: c.get_identity_pool_configuration(IdentityPoolId=pool)),
        "ListDatasets": ("both", lambda c: c.list_datasets(**ids)),
        "ListIdentityPoolUsage": ("dev", lambda c: c.list_identity_pool_usage(MaxResults=10)),
        "ListRecords": ("both", lambda c: c.list_records(DatasetName=ds, **ids)),
        "RegisterDevice": (
            "id", lambda c: c.register_device(Platform="GCM", Token="push-token", **ids)),
        "SetCognitoEvents": (
            "dev", lambda c: c.set_cognito_events(IdentityPoolId=pool,
                                                  Events={"SyncTrigger": LAMBDA_ARN})),
        "SetIdentityPoolConfiguration": (
            "dev", lambda c: c.set_identity_pool_configuration(
                IdentityPoolId=pool,
                PushSync={"ApplicationArns": [PLATFORM_ARN], "RoleArn": ROLE_ARN})),
        "SubscribeToDataset": (
            "id", lambda c: c.subscribe_to_dataset(DatasetName=ds, DeviceId="device-1", **ids)),
        "UnsubscribeFromDataset": (
            "id", lambda c: c.unsubscribe_from_dataset(DatasetName=ds, DeviceId="device-1",
                                                       **ids)),
        "UpdateRecords": (
            "both", lambda c: c.update_records(
                DatasetName=ds, SyncSessionToken=token,
                RecordPatches=[replace("stolen", "yes", 0), replace("score", "0", 1)], **ids)),
    }


class IsolationTestCase(CredentialsServerTestCase):
    CREDENTIALS = KEYS

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.dev = cls.server.signed_client(*DEV)
        cls.dev_p1 = cls.server.signed_client(*DEV_P1)
        cls.a = cls.server.signed_client(*KEY_A)
        cls.b = cls.server.signed_client(*KEY_B)

    def assertNotAuthorized(self, fn, label, message=None):
        try:
            out = fn()
        except ClientError as exc:
            self.assertEqual(error_code(exc), NA, f"{label}: {exc.response}")
            self.assertEqual(exc.response["ResponseMetadata"]["HTTPStatusCode"], 403,
                             f"{label}: {exc.response}")
            if message is not None:
                self.assertEqual(exc.response["Error"].get("Message"), message,
                                 f"{label}: {exc.response}")
            return exc
        self.fail(f"{label} succeeded but should be 403 {NA}: {out}")

    def assertAllowed(self, fn, label):
        """Succeeds, or fails for a reason other than authorization."""
        try:
            return fn()
        except ClientError as exc:
            self.assertNotEqual(error_code(exc), NA, f"{label}: {exc.response}")
            self.assertNotEqual(exc.response["ResponseMetadata"]["HTTPStatusCode"], 403,
                                f"{label}: {exc.response}")
            return None

    def snapshot(self, pool, ident, client=None):
        """Everything observable about an identity's data, read with the developer key."""
        c = client or self.dev
        records = {}
        listed = c.list_records(IdentityPoolId=pool, IdentityId=ident, DatasetName=DS)
        for r in listed["Records"]:
            records[r["Key"]] = (r.get("Value"), r["SyncCount"], r["LastModifiedBy"])
        datasets = sorted((d["DatasetName"], d["NumRecords"], d["DataStorage"])
                          for d in c.list_datasets(IdentityPoolId=pool,
                                                   IdentityId=ident)["Datasets"])
        usage = c.describe_identity_usage(IdentityPoolId=pool, IdentityId=ident)["IdentityUsage"]
        return {"records": records, "sync": listed["DatasetSyncCount"], "datasets": datasets,
                "usage": (usage["DatasetCount"], usage["DataStorage"])}


class IdentityIsolation(IsolationTestCase):
    def setUp(self):
        # B stores something with its own key, so there is something to steal or clobber.
        if not self.list_records(POOL, IDENT_B, DS, client=self.b)["DatasetExists"]:
            self.put_new(POOL, IDENT_B, DS, {"score": "100", "name": "bee"}, client=self.b)

    def test_every_operation_on_another_identity_is_refused(self):
        before = self.snapshot(POOL, IDENT_B)
        self.assertEqual(before["records"]["score"][0], "100")
        # A real token of B's dataset (issued to the developer key) makes UpdateRecords
        # otherwise valid.
        token = self.list_records(POOL, IDENT_B, DS, client=self.dev)["SyncSessionToken"]
        ops = operations(POOL, IDENT_B, token=token)
        self.assertEqual(len(ops), 17)
        for name, (kind, fn) in ops.items():
            with self.subTest(op=name):
                exc = self.assertNotAuthorized(lambda: fn(self.a), f"A on B: {name}")
                if kind != "dev":
                    self.assertEqual(exc.response["Error"].get("Message"),
                                     f"Access to Identity '{IDENT_B}' is forbidden.", name)
        self.assertEqual(self.snapshot(POOL, IDENT_B), before, "B's data changed")

    def test_every_operation_in_another_pool_is_refused(self):
        # Another pool altogether, first with an identity id that is not A's ...
        for name, (kind, fn) in operations(OTHER_POOL, IDENT_C).items():
            with self.subTest(op=name, ident="C"):
                self.assertNotAuthorized(lambda: fn(self.a), f"A on other pool: {name}")
        # ... then with A's own identity id under the wrong pool.
        for name, (kind, fn) in operations(OTHER_POOL, IDENT_A).items():
            with self.subTest(op=name, ident="A"):
                exc = self.assertNotAuthorized(lambda: fn(self.a), f"A in other pool: {name}")
                if kind != "dev":
                    self.assertEqual(exc.response["Error"].get("Message"),
                                     f"Access to IdentityPool '{OTHER_POOL}' is forbidden.", name)
        self.assertEqual(self.dev.list_datasets(IdentityPoolId=OTHER_POOL,
                                                IdentityId=IDENT_A)["Datasets"], [])

    def test_own_identity_is_served(self):
        ds = "mine"
        first = self.list_records(POOL, IDENT_A, ds, client=self.a)
        out = self.update(POOL, IDENT_A, ds, [replace("k", "v", 0)], first["SyncSessionToken"],
                          client=self.a)
        self.assertEqual(out["Records"][0]["LastModifiedBy"], IDENT_A)
        self.assertEqual(self.describe(POOL, IDENT_A, ds, client=self.a)["Dataset"]["NumRecords"],
                         1)
        names = [d["DatasetName"] for d in
                 self.a.list_datasets(IdentityPoolId=POOL, IdentityId=IDENT_A)["Datasets"]]
        self.assertIn(ds, names)
        usage = self.a.describe_identity_usage(IdentityPoolId=POOL, IdentityId=IDENT_A)
        self.assertEqual(usage["IdentityUsage"]["IdentityId"], IDENT_A)
        deleted = self.a.delete_dataset(IdentityPoolId=POOL, IdentityId=IDENT_A, DatasetName=ds)
        self.assertEqual(deleted["Dataset"]["DatasetName"], ds)
        # The identity-only operations are not yet served, but authorization lets A through.
        for name, (kind, fn) in operations(POOL, IDENT_A, ds=ds).items():
            if kind == "id":
                with self.subTest(op=name):
                    self.assertAllowed(lambda: fn(self.a), f"A on A: {name}")

    def test_b_reads_its_data_unchanged_after_the_attempts(self):
        self.test_every_operation_on_another_identity_is_refused()
        listed = self.list_records(POOL, IDENT_B, DS, client=self.b)
        values = {r["Key"]: r["Value"] for r in listed["Records"]}
        self.assertEqual(values.get("score"), "100")
        self.assertNotIn("stolen", values)


class CredentialKinds(IsolationTestCase):
    def test_developer_only_operations_refuse_identity_keys(self):
        for name, (kind, fn) in operations(POOL, IDENT_A).items():
            if kind == "dev":
                with self.subTest(op=name):
                    self.assertNotAuthorized(lambda: fn(self.a), f"identity key: {name}")

    def test_identity_only_operations_refuse_developer_keys(self):
        for name, (kind, fn) in operations(POOL, IDENT_A).items():
            if kind == "id":
                with self.subTest(op=name):
                    self.assertNotAuthorized(lambda: fn(self.dev), f"developer key: {name}")

    def test_developer_key_may_use_the_rest(self):
        pool, ident = new_pool(), new_identity()
        token = self.list_records(pool, ident, "d", client=self.dev)["SyncSessionToken"]
        for name, (kind, fn) in operations(pool, ident, ds="d", token=token).items():
            if kind != "id":
                with self.subTest(op=name):
                    self.assertAllowed(lambda: fn(self.dev), f"developer key: {name}")


class PoolRestrictedDeveloper(IsolationTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.p1_ident, cls.p2_ident = new_identity(), new_identity()
        for pool, ident in ((P1, cls.p1_ident), (P2, cls.p2_ident)):
            token = cls.dev.list_records(IdentityPoolId=pool, IdentityId=ident,
                                         DatasetName=DS)["SyncSessionToken"]
            cls.dev.update_records(IdentityPoolId=pool, IdentityId=ident, DatasetName=DS,
                                   SyncSessionToken=token,
                                   RecordPatches=[replace("k", "v", 0)])

    def test_refused_on_other_pools(self):
        before = self.snapshot(P2, self.p2_ident)
        token = self.list_records(P2, self.p2_ident, DS, client=self.dev)["SyncSessionToken"]
        for name, (kind, fn) in operations(P2, self.p2_ident, token=token).items():
            if kind == "id" or name == "ListIdentityPoolUsage":
                continue
            with self.subTest(op=name):
                self.assertNotAuthorized(lambda: fn(self.dev_p1), f"P1 key on P2: {name}",
                                         f"Access to IdentityPool '{P2}' is forbidden.")
        self.assertEqual(self.snapshot(P2, self.p2_ident), before, "P2 data changed")

    def test_served_on_its_pool(self):
        listed = self.list_records(P1, self.p1_ident, DS, client=self.dev_p1)
        self.assertEqual([(r["Key"], r["Value"]) for r in listed["Records"]], [("k", "v")])
        out = self.update(P1, self.p1_ident, DS, [replace("k2", "v2", 0)],
                          listed["SyncSessionToken"], client=self.dev_p1)
        self.assertEqual(out["Records"][0]["LastModifiedBy"], DEV_P1_ACCOUNT)
        usage = self.dev_p1.describe_identity_pool_usage(IdentityPoolId=P1)
        self.assertEqual(usage["IdentityPoolUsage"]["IdentityPoolId"], P1)

    def test_list_identity_pool_usage_shows_only_its_pools(self):
        def all_pools(client):
            pools, token = [], None
            while True:
                page = client.list_identity_pool_usage(MaxResults=60,
                                                       **({"NextToken": token} if token else {}))
                pools += [p["IdentityPoolId"] for p in page["IdentityPoolUsages"]]
                token = page.get("NextToken")
                if not token:
                    return pools
        everything = all_pools(self.dev)
        self.assertIn(P1, everything)
        self.assertIn(P2, everything)
        self.assertEqual(all_pools(self.dev_p1), [P1])


if __name__ == "__main__":
    unittest.main()
