"""The Unity build of the .NET SDK (PROTOCOL.md 1.2): it cannot send DELETE, so DeleteDataset and
UnsubscribeFromDataset go out as POST with X-HTTP-Method-Override: DELETE and body {}, signed as
DELETE (aws-sdk-net sdk/src/Services/CognitoSync/Custom/Internal/_unity/
AmazonCognitoSyncPostMarshallHandler.cs adds the header and the body before the signer runs,
AmazonCognitoSyncPostSignHandler.cs sets the method to POST after it). The requests are replayed
as the SDK builds them, in open mode and in sigv4 mode: .NET's AWS4Signer signs every header the
request has at that point (Host, X-Amz-Date, X-Amz-Content-SHA256, X-HTTP-Method-Override), and
the User-Agent is added afterwards."""
import datetime
import hashlib
import os
import sys
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support"))

import sigv4  # noqa: E402
from cogsync_server import dataset_path, new_identity, new_pool  # noqa: E402
from e2e_base import CredentialsServerTestCase, ServerTestCase, error_code, replace  # noqa: E402

GCM_ARN = "arn:aws:sns:us-east-1:123456789012:app/GCM/UnityApp"
ROLE_ARN = "arn:aws:iam::123456789012:role/cognito-sync"
POOL, IDENT = new_pool(), new_identity()
DEV_KEY, DEV_SECRET = "AKIDEVELOPER0001", "devsecret"
ID_KEY, ID_SECRET = "ASIAIDENTITY0001", "idsecret"


class UnityCases:
    """The tests both modes run; subclasses provide dev, idc (boto3 clients) and key, secret
    (what the Unity client signs with)."""

    def unity(self, method, path, override, body=b"{}"):
        """`path` as the .NET SDK sends it after its pipeline: signed as `override`, sent as
        `method` with the X-HTTP-Method-Override header."""
        headers = {
            "Host": f"127.0.0.1:{self.server.port}",
            "X-Amz-Date": sigv4.amz_date(datetime.datetime.now(datetime.timezone.utc)),
            "X-Amz-Content-SHA256": hashlib.sha256(body).hexdigest(),
            "X-HTTP-Method-Override": override,
        }
        headers["Authorization"] = sigv4.authorization(
            override, self.server.endpoint + path, headers, body, self.key, self.secret,
            "us-east-1", "cognito-sync")
        headers["User-Agent"] = "aws-sdk-unity/3.3.0 .NET_Runtime/2.0 UnityEngine"
        return self.server.request(method, path, body, headers)

    def test_delete_dataset(self):
        self.put_new(POOL, IDENT, "unitydel", {"a": "1", "b": "2"}, client=self.idc)
        res = self.unity("POST", dataset_path(POOL, IDENT, "unitydel"), "DELETE")
        self.assertEqual(res.status, 200, res)
        self.assertEqual(res.json()["Dataset"]["DatasetName"], "unitydel")
        listed = self.list_records(POOL, IDENT, "unitydel", client=self.idc)
        self.assertIs(listed["DatasetExists"], False)

    def test_unsubscribe_from_dataset(self):
        self.dev.set_identity_pool_configuration(
            IdentityPoolId=POOL, PushSync={"ApplicationArns": [GCM_ARN], "RoleArn": ROLE_ARN})
        device = self.idc.register_device(IdentityPoolId=POOL, IdentityId=IDENT, Platform="GCM",
                                          Token="unity-token")["DeviceId"]
        ids = dict(IdentityPoolId=POOL, IdentityId=IDENT, DatasetName="unitysub", DeviceId=device)
        self.put_new(POOL, IDENT, "unitysub", {"k": "v"}, client=self.idc)
        self.idc.subscribe_to_dataset(**ids)
        res = self.unity("POST", dataset_path(POOL, IDENT, "unitysub", "/subscriptions/" + device),
                         "DELETE")
        self.assertEqual(res.status, 200, res)
        self.assertEqual(res.json(), {})
        # No longer subscribed: a second unsubscribe finds nothing to remove.
        self.assertClientError(lambda: self.idc.unsubscribe_from_dataset(**ids),
                               "ResourceNotFoundException", 404)

    def test_override_naming_the_own_method_changes_nothing(self):
        token = self.list_records(POOL, IDENT, "unitypost", client=self.idc)["SyncSessionToken"]
        body = ('{"SyncSessionToken":"%s","RecordPatches":[{"Op":"replace","Key":"k",'
                '"Value":"v","SyncCount":0}]}' % token).encode()
        res = self.unity("POST", dataset_path(POOL, IDENT, "unitypost"), "POST", body)
        self.assertEqual(res.status, 200, res)
        self.assertEqual(res.json()["Records"][0]["SyncCount"], 1)

    def test_other_overrides_are_refused(self):
        self.put_new(POOL, IDENT, "unitykeep", {"k": "v"}, client=self.idc)
        path = dataset_path(POOL, IDENT, "unitykeep")
        for method, override in (("POST", "PUT"), ("GET", "DELETE"), ("DELETE", "GET")):
            with self.subTest(method=method, override=override):
                res = self.unity(method, path, override)
                self.assertAwsError(res, 400, "InvalidParameterException")
        self.assertEqual(self.list_records(POOL, IDENT, "unitykeep", client=self.idc)["Count"], 1)


class UnityOpenMode(UnityCases, ServerTestCase):
    key, secret = "AKIDUNITYANYKEY0", "any"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.dev = cls.idc = cls.c


class UnitySigned(UnityCases, CredentialsServerTestCase):
    CREDENTIALS = {
        DEV_KEY: {"secret": DEV_SECRET, "kind": "developer", "pools": "*"},
        ID_KEY: {"secret": ID_SECRET, "kind": "identity", "pool": POOL, "identity": IDENT},
    }
    SIGNED_CLIENTS = {"dev": (DEV_KEY, DEV_SECRET), "idc": (ID_KEY, ID_SECRET)}
    key, secret = ID_KEY, ID_SECRET

    def test_signature_still_covers_the_override(self):
        """The override is signed: a DELETE signature does not authenticate the POST without it."""
        path = dataset_path(POOL, IDENT, "unitysig")
        headers = {"X-Amz-Date": sigv4.amz_date(datetime.datetime.now(datetime.timezone.utc)),
                   "Host": f"127.0.0.1:{self.server.port}"}
        headers["Authorization"] = sigv4.authorization("DELETE", self.server.endpoint + path, headers,
                                                       b"", ID_KEY, ID_SECRET, "us-east-1",
                                                       "cognito-sync")
        res = self.server.request("POST", path, None, headers)
        self.assertAwsError(res, 403, "InvalidSignatureException")


if __name__ == "__main__":
    unittest.main()
