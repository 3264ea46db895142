"""Credentials minted by GetCredentialsForIdentity (api/identity/ops/get_credentials_for_identity.cpp)
and accepted on the sync side in sigv4 mode (api/auth/access.cpp): boto3 gets an identity and its
credentials from the server, then a boto3 cognito-sync client signing with those keys and session
token syncs that identity's dataset and registers and subscribes its device, and is refused on
another identity's, on developer-only operations, with a wrong session token, once expired and once
the identity is deleted."""
import os
import sys
import time
import unittest

import boto3
from botocore import UNSIGNED
from botocore.config import Config

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support"))

from cogsync_server import REGION  # noqa: E402
from e2e_base import CredentialsServerTestCase  # noqa: E402

DEV_KEY, DEV_SECRET = "AKIDEVELOPER0001", "devsecret"
TTL_SECONDS = 3
GCM_ARN = "arn:aws:sns:us-east-1:123456789012:app/GCM/minted"
ROLE_ARN = "arn:aws:iam::123456789012:role/push"


def identity_client(endpoint, key=None, secret=None):
    cfg = dict(retries={"total_max_attempts": 1}, connect_timeout=10, read_timeout=60)
    if key is None:
        cfg["signature_version"] = UNSIGNED
    return boto3.session.Session().client(
        "cognito-identity", endpoint_url=endpoint, region_name=REGION,
        aws_access_key_id=key or "unused", aws_secret_access_key=secret or "unused", config=Config(**cfg))


class MintedCredentials(CredentialsServerTestCase):
    CREDENTIALS = {DEV_KEY: {"secret": DEV_SECRET, "kind": "developer", "pools": "*"}}
    EXTRA_SERVER_ARGS = ("--credentials-ttl-seconds", str(TTL_SECONDS))

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.dev = identity_client(cls.server.endpoint, DEV_KEY, DEV_SECRET)
        cls.unsigned = identity_client(cls.server.endpoint)

    def new_pool(self, unauthenticated=True):
        return self.dev.create_identity_pool(IdentityPoolName="minted",
                                             AllowUnauthenticatedIdentities=unauthenticated)["IdentityPoolId"]

    def credentials(self, pool):
        identity = self.unsigned.get_id(IdentityPoolId=pool)["IdentityId"]
        got = self.unsigned.get_credentials_for_identity(IdentityId=identity)
        self.assertEqual(got["IdentityId"], identity)
        return identity, got["Credentials"]

    def sync_client(self, creds, token=None):
        return self.server.signed_client(creds["AccessKeyId"], creds["SecretKey"],
                                         token if token is not None else creds["SessionToken"])

    def assertCode(self, code, status, fn, *args, **kw):
        with self.assertRaises(Exception) as ctx:
            fn(*args, **kw)
        self.assertEqual(ctx.exception.response["Error"]["Code"], code)
        self.assertEqual(ctx.exception.response["ResponseMetadata"]["HTTPStatusCode"], status)

    def test_minted_credentials_look_like_aws_temporary_credentials(self):
        before = time.time()
        _, creds = self.credentials(self.new_pool())
        self.assertRegex(creds["AccessKeyId"], r"^ASIA[A-Z0-9]{16}$")
        self.assertEqual(len(creds["SecretKey"]), 40)
        self.assertRegex(creds["SessionToken"], r"^[A-Za-z0-9+/]{200,}={0,2}$")
        expires = creds["Expiration"].timestamp()
        self.assertGreaterEqual(expires, int(before) + TTL_SECONDS - 1)
        self.assertLessEqual(expires, time.time() + TTL_SECONDS + 1)

    def test_minted_key_syncs_its_own_dataset_only(self):
        pool = self.new_pool()
        identity, creds = self.credentials(pool)
        other, _ = self.credentials(pool)
        sync = self.sync_client(creds)
        listed = sync.list_records(IdentityPoolId=pool, IdentityId=identity, DatasetName="d")
        sync.update_records(IdentityPoolId=pool, IdentityId=identity, DatasetName="d",
                            SyncSessionToken=listed["SyncSessionToken"],
                            RecordPatches=[{"Op": "replace", "Key": "k", "Value": "v", "SyncCount": 0}])
        again = sync.list_records(IdentityPoolId=pool, IdentityId=identity, DatasetName="d")
        self.assertEqual([(r["Key"], r["Value"]) for r in again["Records"]], [("k", "v")])
        self.assertEqual(again["Records"][0]["LastModifiedBy"], identity)
        self.assertCode("NotAuthorizedException", 403, sync.list_records,
                        IdentityPoolId=pool, IdentityId=other, DatasetName="d")
        self.assertCode("NotAuthorizedException", 403, sync.describe_identity_pool_usage, IdentityPoolId=pool)

    def test_minted_key_may_not_call_developer_identity_operations(self):
        _, creds = self.credentials(self.new_pool())
        minted = boto3.session.Session().client(
            "cognito-identity", endpoint_url=self.server.endpoint, region_name=REGION,
            aws_access_key_id=creds["AccessKeyId"], aws_secret_access_key=creds["SecretKey"],
            aws_session_token=creds["SessionToken"], config=Config(retries={"total_max_attempts": 1}))
        self.assertCode("NotAuthorizedException", 400, minted.list_identity_pools, MaxResults=10)

    def test_minted_key_registers_and_subscribes_its_own_device_only(self):
        """RegisterDevice, SubscribeToDataset and UnsubscribeFromDataset are the identity's own
        operations: minted keys may call them for their identity, not for another; the pool's push
        configuration and BulkPublish stay the developer's."""
        pool = self.new_pool()
        identity, creds = self.credentials(pool)
        other, _ = self.credentials(pool)
        push = {"ApplicationArns": [GCM_ARN], "RoleArn": ROLE_ARN}
        self.server.signed_client(DEV_KEY, DEV_SECRET).set_identity_pool_configuration(IdentityPoolId=pool,
                                                                                      PushSync=push)
        sync = self.sync_client(creds)
        mine = dict(IdentityPoolId=pool, IdentityId=identity)
        listed = sync.list_records(DatasetName="d", **mine)
        sync.update_records(DatasetName="d", SyncSessionToken=listed["SyncSessionToken"],
                            RecordPatches=[{"Op": "replace", "Key": "k", "Value": "v", "SyncCount": 0}], **mine)
        device = sync.register_device(Platform="GCM", Token="minted-device", **mine)["DeviceId"]
        self.assertEqual(sync.register_device(Platform="GCM", Token="minted-device", **mine)["DeviceId"], device)
        sync.subscribe_to_dataset(DatasetName="d", DeviceId=device, **mine)
        sync.unsubscribe_from_dataset(DatasetName="d", DeviceId=device, **mine)
        theirs = dict(IdentityPoolId=pool, IdentityId=other)
        self.assertCode("NotAuthorizedException", 403, sync.register_device, Platform="GCM", Token="t", **theirs)
        self.assertCode("NotAuthorizedException", 403, sync.subscribe_to_dataset, DatasetName="d",
                        DeviceId=device, **theirs)
        self.assertCode("NotAuthorizedException", 403, sync.set_identity_pool_configuration, IdentityPoolId=pool,
                        PushSync=push)
        self.assertCode("NotAuthorizedException", 403, sync.set_cognito_events, IdentityPoolId=pool, Events={})
        self.assertCode("NotAuthorizedException", 403, sync.bulk_publish, IdentityPoolId=pool)

    def test_wrong_or_missing_session_token_refused(self):
        pool = self.new_pool()
        identity, creds = self.credentials(pool)
        for token in ("", creds["SessionToken"][:-4] + "AAAA"):
            sync = self.server.signed_client(creds["AccessKeyId"], creds["SecretKey"], token or None)
            self.assertCode("UnrecognizedClientException", 403, sync.list_records,
                            IdentityPoolId=pool, IdentityId=identity, DatasetName="d")

    def accepted_client(self):
        """A pool, an identity of it, its credentials and a sync client they have signed for once."""
        pool = self.new_pool()
        identity, creds = self.credentials(pool)
        sync = self.sync_client(creds)
        sync.list_records(IdentityPoolId=pool, IdentityId=identity, DatasetName="d")
        return pool, identity, creds, sync

    def test_expired_credentials_refused(self):
        pool, identity, creds, sync = self.accepted_client()
        deadline = creds["Expiration"].timestamp()
        while time.time() <= deadline:
            time.sleep(0.1)
        self.assertCode("ExpiredTokenException", 403, sync.list_records,
                        IdentityPoolId=pool, IdentityId=identity, DatasetName="d")

    def test_deleted_identity_credentials_revoked(self):
        pool, identity, _, sync = self.accepted_client()
        self.dev.delete_identities(IdentityIdsToDelete=[identity])
        self.assertCode("UnrecognizedClientException", 403, sync.list_records,
                        IdentityPoolId=pool, IdentityId=identity, DatasetName="d")

    def test_unknown_identity_and_pool_without_unauthenticated_access(self):
        with self.assertRaises(self.unsigned.exceptions.ResourceNotFoundException):
            self.unsigned.get_credentials_for_identity(IdentityId="us-east-1:00000000-0000-4000-8000-00000000dead")
        pool = self.new_pool()
        identity = self.unsigned.get_id(IdentityPoolId=pool)["IdentityId"]
        self.dev.update_identity_pool(IdentityPoolId=pool, IdentityPoolName="minted",
                                      AllowUnauthenticatedIdentities=False)
        with self.assertRaises(self.unsigned.exceptions.NotAuthorizedException):
            self.unsigned.get_credentials_for_identity(IdentityId=identity)
        with self.assertRaises(self.unsigned.exceptions.NotAuthorizedException):
            self.unsigned.get_credentials_for_identity(IdentityId=identity, Logins={"accounts.google.com": "t"})


if __name__ == "__main__":
    unittest.main()
