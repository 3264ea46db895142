"""A client of the compose stack: syncs one dataset of a fixed identity against cogsync with
boto3, the way a device's sync manager does (ListRecords for the sync count and session token,
UpdateRecords with both, ListRecords again), and prints what it synced.

cogsync runs in open auth mode here: any credentials sign, and the identity pool and identity are
fixed, since this server has no Cognito Identity endpoint (GetId) yet.
  COGSYNC_ENDPOINT  default http://cogsync:8080 (the compose service)
  IDENTITY_POOL_ID, IDENTITY_ID, DATASET  which dataset to sync
Exit code 0 once the second ListRecords shows the record just written."""
import os
import sys
from datetime import datetime, timezone

import boto3

ENDPOINT = os.environ.get("COGSYNC_ENDPOINT", "http://cogsync:8080")
POOL = os.environ.get("IDENTITY_POOL_ID", "us-east-1:0d8f0000-0000-4000-8000-00000000e1a1")
IDENTITY = os.environ.get("IDENTITY_ID", "us-east-1:1b2c0000-0000-4000-8000-00000000e1a1")
DATASET = os.environ.get("DATASET", "settings")


def main():
    sync = boto3.client("cognito-sync", endpoint_url=ENDPOINT, region_name="us-east-1",
                        aws_access_key_id="example", aws_secret_access_key="example")
    where = {"IdentityPoolId": POOL, "IdentityId": IDENTITY, "DatasetName": DATASET}

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
