"""Rate limits of the unsigned Cognito Identity operations (README "Limits"): GetId per client
address and per pool, GetCredentialsForIdentity per identity, answered with 400
TooManyRequestsException in the JSON 1.1 shape, which boto3 (retries off) raises by that name.
Buckets are set small and slow so that the test counts requests, never time."""
import os
import sys
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support"))

from cogsync_server import CogsyncServer, identity_client  # noqa: E402
from e2e_base import ClientError, ServerTestCase, error_code, http_status  # noqa: E402

SLOW = "0.0001"  # a token every 10 000 s: within a test, a bucket only empties


class IdentityLimitsTestCase(ServerTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.ci = identity_client(cls.server.endpoint)

    def new_pool(self):
        return self.ci.create_identity_pool(IdentityPoolName="limits",
                                            AllowUnauthenticatedIdentities=True)["IdentityPoolId"]

    def assertThrottled(self, fn, **kw):
        with self.assertRaises(ClientError) as ctx:
            fn(**kw)
        self.assertEqual((error_code(ctx.exception), http_status(ctx.exception)), ("TooManyRequestsException", 400))
        self.assertEqual(ctx.exception.response["Error"]["Message"], "Rate exceeded")
        self.assertEqual(ctx.exception.response["ResponseMetadata"]["HTTPHeaders"]["content-type"],
                         "application/x-amz-json-1.1")


class PerAddress(IdentityLimitsTestCase):
    SERVER_ARGS = ("--get-id-address-rate-limit", SLOW, "--get-id-address-rate-limit-burst", "3",
                   "--get-id-rate-limit", "0", "--credentials-rate-limit", "0")

    def test_get_id_limited_per_client_address_whatever_the_pool(self):
        pools = [self.new_pool() for _ in range(4)]
        ids = [self.ci.get_id(IdentityPoolId=p)["IdentityId"] for p in pools[:3]]
        self.assertThrottled(self.ci.get_id, IdentityPoolId=pools[3])
        self.assertEqual(self.ci.list_identities(IdentityPoolId=pools[3], MaxResults=10)["Identities"], [],
                         "a throttled GetId creates no identity")
        # Only GetId draws on the address's bucket.
        for identity in ids:
            self.assertIn("Credentials", self.ci.get_credentials_for_identity(IdentityId=identity))


class PerPoolAndIdentity(IdentityLimitsTestCase):
    SERVER_ARGS = ("--get-id-address-rate-limit", "0", "--get-id-rate-limit", SLOW, "--get-id-rate-limit-burst", "2",
                   "--credentials-rate-limit", SLOW, "--credentials-rate-limit-burst", "2")

    def test_get_id_limited_per_pool(self):
        busy, other = self.new_pool(), self.new_pool()
        for _ in range(2):
            self.ci.get_id(IdentityPoolId=busy)
        self.assertThrottled(self.ci.get_id, IdentityPoolId=busy)
        self.assertEqual(len(self.ci.list_identities(IdentityPoolId=busy, MaxResults=10)["Identities"]), 2)
        self.assertTrue(self.ci.get_id(IdentityPoolId=other)["IdentityId"])

    def test_credentials_limited_per_identity(self):
        pool = self.new_pool()
        one, two = (self.ci.get_id(IdentityPoolId=pool)["IdentityId"] for _ in range(2))
        for _ in range(2):
            self.ci.get_credentials_for_identity(IdentityId=one)
        self.assertThrottled(self.ci.get_credentials_for_identity, IdentityId=one)
        self.assertIn("Credentials", self.ci.get_credentials_for_identity(IdentityId=two))


class Defaults(unittest.TestCase):
    def test_defaults_are_on_and_logged(self):
        with CogsyncServer() as server:
            self.assertIn("identity rate limits (0 = off): GetId 50/s per pool, 5/s per client address; "
                          "GetCredentialsForIdentity 1/s per identity", server.output())
            server.stop()


if __name__ == "__main__":
    unittest.main()
