"""A client of the compose stack: syncs one dataset against cogsync with boto3, the way a device's
sync manager does, and prints what it synced.

As an app: GetId on the stack's identity pool (docker/cogsync.toml declares it), the IdentityId
kept in a file as a device keeps it, then GetCredentialsForIdentity, whose minted keys sign the
Cognito Sync calls: ListRecords for the sync count and session token, UpdateRecords with both,
ListRecords again. With IDENTITY_ID set it skips Cognito Identity and signs with placeholder keys
instead, which only a server in open auth mode accepts.
  COGSYNC_ENDPOINT  default http://cogsync:8080 (the compose service)
  IDENTITY_POOL_ID  default the pool of docker/cogsync.toml
  IDENTITY_FILE     where the IdentityId is kept, default /tmp/cogsync-example-identity
  IDENTITY_ID       a fixed identity (open mode only)
  DATASET           default settings
Exit code 0 once the second ListRecords shows the record just written."""
import os
import sys
from datetime import datetime, timezone

import boto3
from botocore import UNSIGNED
from botocore.config import Config

ENDPOINT = os.environ.get("COGSYNC_ENDPOINT", "http://cogsync:8080")
POOL = os.environ.get("IDENTITY_POOL_ID", "us-east-1:0d8f0000-0000-4000-8000-00000000e1a1")
IDENTITY_FILE = os.environ.get("IDENTITY_FILE", "/tmp/cogsync-example-identity")
DATASET = os.environ.get("DATASET", "settings")
REGION = "us-east-1"


def cached_identity(identity):
    """The IdentityId this device got before, or the one GetId gives now (then kept)."""
    try:
        with open(IDENTITY_FILE, encoding="ascii") as f:
            return f.read().strip()
    except FileNotFoundError:
        pass
    got = identity.get_id(IdentityPoolId=POOL)["IdentityId"]
    with open(IDENTITY_FILE, "w", encoding="ascii") as f:
        f.write(got + "\n")
    return got


def sync_client():
    """(IdentityId, a cognito-sync client that signs for it)."""
    if os.environ.get("IDENTITY_ID"):
        return os.environ["IDENTITY_ID"], boto3.client(
            "cognito-sync", endpoint_url=ENDPOINT, region_name=REGION,
            aws_access_key_id="example", aws_secret_access_key="example")
    identity = boto3.client("cognito-identity", endpoint_url=ENDPOINT, region_name=REGION,
                            config=Config(signature_version=UNSIGNED))
    identity_id = cached_identity(identity)
    keys = identity.get_credentials_for_identity(IdentityId=identity_id)["Credentials"]
    print(f"identity {identity_id}, keys {keys['AccessKeyId']} until {keys['Expiration']:%H:%M:%S}")
    return identity_id, boto3.client(
        "cognito-sync", endpoint_url=ENDPOINT, region_name=REGION, aws_access_key_id=keys["AccessKeyId"],
        aws_secret_access_key=keys["SecretKey"], aws_session_token=keys["SessionToken"])


def main():
    identity_id, sync = sync_client()
    where = {"IdentityPoolId": POOL, "IdentityId": identity_id, "DatasetName": DATASET}

    before = sync.list_records(**where)
    count = before["DatasetSyncCount"]
    print(f"{DATASET}: sync count {count}, {len(before['Records'])} record(s) on the server")

    value = datetime.now(timezone.utc).isoformat(timespec="seconds")
    current = next((r for r in before["Records"] if r["Key"] == "last-sync"), None)
    written = sync.update_records(**where, SyncSessionToken=before["SyncSessionToken"], RecordPatches=[{
        "Op": "replace", "Key": "last-sync", "Value": value,
        "SyncCount": current["SyncCount"] if current else 0}])["Records"]
    print(f"pushed last-sync={value} (record sync count {written[0]['SyncCount']})")

    after = sync.list_records(**where)
    for r in after["Records"]:
        print(f"  {r['Key']} = {r.get('Value')} (sync count {r['SyncCount']})")
    print(f"{DATASET}: sync count {after['DatasetSyncCount']}")
    synced = any(r["Key"] == "last-sync" and r.get("Value") == value for r in after["Records"])
    return 0 if synced and after["DatasetSyncCount"] > count else 1


if __name__ == "__main__":
    sys.exit(main())
