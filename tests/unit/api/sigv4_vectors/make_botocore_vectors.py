#!/usr/bin/env python3
"""Regenerates tests/unit/api/sigv4_vectors/botocore/*: requests signed by botocore itself.

Each case is a real `cognito-sync` call serialised and signed by a boto3 client (or, for the
presigned case, botocore.auth.SigV4QueryAuth), captured at the 'before-send' hook so nothing goes
on the wire. The clock is pinned so the output is stable. Writes request.txt (raw HTTP/1.1 text:
request line with the path and query exactly as sent, headers, blank line, body) and context.txt
(the credentials, service and signing time the C++ test verifies with).

Usage: python3 make_botocore_vectors.py   (needs boto3/botocore; output is committed)
"""
import datetime
import os
import urllib.parse

import boto3
import botocore.auth
from botocore.awsrequest import AWSRequest, AWSResponse
from botocore.credentials import Credentials

HERE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "botocore")
WHEN = datetime.datetime(2024, 3, 1, 12, 0, 0)
ACCESS_KEY, SECRET = "AKIDCOGSYNCTEST01", "c29tZS1zZWNyZXQta2V5LWZvci1jb2dzeW5jLXRlc3Q"
SESSION = ("ASIACOGSYNCTEST02", "dGVtcG9yYXJ5LXNlY3JldA/with+slash",
           "IQoJb3JpZ2luX2VjEXAMPLE//token+with/odd=chars")
POOL = "us-east-1:0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0"
IDENTITY = "us-east-1:11111111-2222-3333-4444-555555555555"

botocore.auth.get_current_datetime = lambda: WHEN


def write_case(name, method, url, headers, body, access_key, secret, token=None, unsigned=False):
    parts = urllib.parse.urlsplit(url)
    target = parts.path + ("?" + parts.query if parts.query else "")
    headers = dict(headers)
    headers.setdefault("Host", parts.netloc)  # added by urllib3 after signing; botocore signs the netloc
    if "amz-sdk-invocation-id" in headers:
        headers["amz-sdk-invocation-id"] = "00000000-0000-4000-8000-000000000000"  # unsigned; pinned
    lines = [f"{method} {target} HTTP/1.1"]
    lines += [f"{k}:{v}" for k, v in headers.items()]
    if isinstance(body, str):
        body = body.encode("utf-8")
    out = ("\n".join(lines) + "\n\n").encode("utf-8") + (body or b"")
    d = os.path.join(HERE, name)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, "request.txt"), "wb") as f:
        f.write(out)
    ctx = [f"access_key = {access_key}", f"secret = {secret}", "service = cognito-sync",
           f"time = {WHEN.strftime('%Y%m%dT%H%M%SZ')}"]
    if token:
        ctx.append(f"session_token = {token}")
    if unsigned:
        ctx.append("payload = UNSIGNED-PAYLOAD")
    with open(os.path.join(d, "context.txt"), "w") as f:
        f.write("\n".join(ctx) + "\n")


def capture(name, access_key, secret, token, call):
    client = boto3.client("cognito-sync", region_name="us-east-1", endpoint_url="http://localhost:8080",
                          aws_access_key_id=access_key, aws_secret_access_key=secret,
                          aws_session_token=token)

    def before_send(request, **kwargs):
        headers = {k: (v.decode() if isinstance(v, bytes) else v) for k, v in request.headers.items()}
        write_case(name, request.method, request.url, headers, request.body, access_key, secret, token)
        return AWSResponse(request.url, 200, {}, None)

    client.meta.events.register("before-send", before_send)
    try:
        call(client)
    except Exception:
        pass  # the fake empty response does not parse; the request is already captured


class UnsignedPayloadQueryAuth(botocore.auth.SigV4QueryAuth):
    """botocore's presigner with the payload left unsigned, as its S3 presigner does."""

    def payload(self, request):
        return botocore.auth.UNSIGNED_PAYLOAD


def presigned(name, auth_class=botocore.auth.SigV4QueryAuth):
    url = (f"http://localhost:8080/identitypools/{urllib.parse.quote(POOL, safe='')}/identities/"
           f"{urllib.parse.quote(IDENTITY, safe='')}/datasets/settings/records?maxResults=5")
    req = AWSRequest(method="GET", url=url)
    creds = Credentials(ACCESS_KEY, SECRET)
    auth_class(creds, "cognito-sync", "us-east-1", expires=300).add_auth(req)
    prepared = req.prepare()
    write_case(name, "GET", prepared.url, {}, b"", ACCESS_KEY, SECRET,
               unsigned=auth_class is UnsignedPayloadQueryAuth)


def main():
    dev = (ACCESS_KEY, SECRET, None)
    capture("list-records", *dev, lambda c: c.list_records(
        IdentityPoolId=POOL, IdentityId=IDENTITY, DatasetName="settings", LastSyncCount=3, MaxResults=10,
        NextToken="a+b/c=d e", SyncSessionToken="tok/with+plus=="))
    capture("update-records", *dev, lambda c: c.update_records(
        IdentityPoolId=POOL, IdentityId=IDENTITY, DatasetName="settings", SyncSessionToken="sess-1",
        DeviceId="device:1", ClientContext="eyJjIjoxfQ==",
        RecordPatches=[{"Op": "replace", "Key": "colour", "Value": "blue \u00e9\u2603", "SyncCount": 0}]))
    capture("delete-dataset-session", *SESSION, lambda c: c.delete_dataset(
        IdentityPoolId=POOL, IdentityId=IDENTITY, DatasetName="old.data_set-1"))
    capture("describe-identity-pool-usage", *dev, lambda c: c.describe_identity_pool_usage(
        IdentityPoolId=POOL))
    presigned("list-records-presigned")
    presigned("list-records-presigned-unsigned-payload", UnsignedPayloadQueryAuth)


if __name__ == "__main__":
    main()
