#!/usr/bin/env python3
"""Round trips to PostgreSQL per ListRecords and per UpdateRecords of one cogsync node on
--store postgres://..., from its cogsync_pg_round_trips_total counter (/metrics) around N calls
of each, after a warm-up that prepares the statements on the pooled connections.

    bench/pg_round_trips.py http://127.0.0.1:PORT [N]

Prints one line per operation. Nothing else may use the node meanwhile (a load balancer's /ready
checks count: each is one round trip)."""
import json
import sys
import urllib.request
import uuid

ENDPOINT = sys.argv[1].rstrip("/")
N = int(sys.argv[2]) if len(sys.argv) > 2 else 200
POOL = "us-east-1:" + str(uuid.uuid4())


def call(method, path, body=None):
    req = urllib.request.Request(ENDPOINT + path, method=method, data=None if body is None else json.dumps(body).encode(),
                                 headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=30) as r:
        return json.loads(r.read() or b"{}")


def round_trips():
    with urllib.request.urlopen(ENDPOINT + "/metrics", timeout=30) as r:
        for line in r.read().decode().splitlines():
            if line.startswith("cogsync_pg_round_trips_total "):
                return float(line.split()[1])
    raise SystemExit("no cogsync_pg_round_trips_total on /metrics: is the node on --store postgres://?")


def path(identity, dataset):
    return f"/identitypools/{POOL.replace(':', '%3A')}/identities/{identity.replace(':', '%3A')}/datasets/{dataset}"


def sync(identity, dataset, count, key):
    listed = call("GET", path(identity, dataset) + f"/records?lastSyncCount={count}")
    out = call("POST", path(identity, dataset), {"SyncSessionToken": listed["SyncSessionToken"],
                                                 "RecordPatches": [{"Op": "replace", "Key": key, "Value": "v",
                                                                    "SyncCount": 0}]})
    return out["Records"][0]["SyncCount"]


identities = ["us-east-1:" + str(uuid.uuid4()) for _ in range(N)]
for i in identities[:50]:  # warm-up: every statement prepared on the connections that run it
    sync(i, "warm", 0, "k")
before = round_trips()
for i in identities:
    call("GET", path(i, "ds") + "/records?lastSyncCount=0")
after_lists = round_trips()
for i in identities:
    sync(i, "ds", 0, "k")
after_syncs = round_trips()
# The /metrics scrapes between are not store calls; each ListRecords then UpdateRecords pair.
per_list = (after_lists - before) / N
per_pair = (after_syncs - after_lists) / N
print(f"ListRecords (delta, new dataset): {per_list:.2f} round trips")
print(f"UpdateRecords (one record, new dataset; its ListRecords excluded): {per_pair - per_list:.2f} round trips")
