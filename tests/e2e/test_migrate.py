"""`cogsync migrate` off a live deployment: a SOURCE cogsync in sigv4 mode with a developer key,
populated through boto3 (developer and unauthenticated identities, datasets synced several times,
a tombstone, a deleted dataset, a merge, pool configuration and events), is read through the
public APIs into an empty data dir, and the TARGET answers every read as the source did. A run
killed part-way resumes from its checkpoint; a rerun after changes on the source catches up; a
device that synced with the source goes on against the target with its cached counts: nothing to
download again, no conflict."""
import http.server
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import unittest

import boto3
from botocore.config import Config

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support"))

from cogsync_server import REGION, CogsyncServer, binary_path, postgres_store, write_credentials_file  # noqa: E402
from e2e_base import remove, replace  # noqa: E402
from test_identity_logins import GOOGLE_CLIENT, Signer  # noqa: E402

KEY, SECRET = "AKIDMIGRATESOURCE01", "migrate-secret"
NODE = shutil.which("node")
JS_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "js")
GCM_ARN = "arn:aws:sns:us-east-1:123456789012:app/GCM/app"
ROLE = "arn:aws:iam::123456789012:role/cognito"
TRIGGER = "arn:aws:lambda:us-east-1:123456789012:function:sync"
PROVIDER = "login.migrate"


_stores = {}


def target_options(data_dir):
    """The options naming a target: its data dir (the checkpoint's home) and, on a PostgreSQL run
    (COGSYNC_E2E_STORE=postgres), --store with a fresh database of its own."""
    if data_dir not in _stores:
        _stores[data_dir] = postgres_store()
    url = _stores[data_dir]
    return ["--data-dir", data_dir] + (["--store", url] if url else [])


def serve(server, data_dir):
    """Points a not yet started server at a target."""
    server.data_dir = data_dir
    target_options(data_dir)
    server.store = _stores[data_dir]
    return server


def clients(endpoint, key="test", secret="test"):
    cfg = Config(retries={"total_max_attempts": 1})
    session = boto3.session.Session()
    kw = dict(endpoint_url=endpoint, region_name=REGION, aws_access_key_id=key, aws_secret_access_key=secret,
              config=cfg)
    return session.client("cognito-identity", **kw), session.client("cognito-sync", **kw)


def sync(c, ids, patches, last=0):
    token = c.list_records(LastSyncCount=last, **ids)["SyncSessionToken"]
    return c.update_records(SyncSessionToken=token, RecordPatches=patches, **ids)["Records"]


def strip(answer):
    return {k: v for k, v in answer.items() if k not in ("ResponseMetadata", "SyncSessionToken")}


def answers(ci, c, pool):
    """Everything a server answers about the pool through boto3."""
    out = {"pool": strip(ci.describe_identity_pool(IdentityPoolId=pool)),
           "config": strip(c.get_identity_pool_configuration(IdentityPoolId=pool)),
           "events": strip(c.get_cognito_events(IdentityPoolId=pool)),
           "roles": strip(ci.get_identity_pool_roles(IdentityPoolId=pool)),
           "identities": {}}
    for i in ci.list_identities(IdentityPoolId=pool, MaxResults=60)["Identities"]:
        ident = i["IdentityId"]
        users = ci.lookup_developer_identity(IdentityPoolId=pool, IdentityId=ident, MaxResults=60) \
            if PROVIDER in i.get("Logins", []) else {}
        entry = {"description": i, "users": users.get("DeveloperUserIdentifierList"), "datasets": {}}
        for d in c.list_datasets(IdentityPoolId=pool, IdentityId=ident)["Datasets"]:
            ids = dict(IdentityPoolId=pool, IdentityId=ident, DatasetName=d["DatasetName"])
            entry["datasets"][d["DatasetName"]] = {"listed": d, "records": strip(c.list_records(**ids)),
                                                   "describe": strip(c.describe_dataset(**ids))}
        out["identities"][ident] = entry
    return out


class Migrate(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="cogsync-migrate-")
        self.addCleanup(shutil.rmtree, self.tmp, True)
        self.creds = write_credentials_file(self.tmp, {KEY: {"secret": SECRET, "kind": "developer", "pools": "*"}})
        self.source = CogsyncServer("--credentials-file", self.creds)
        self.addCleanup(self.source.close)
        self.source.start()
        self.ci, self.c = clients(self.source.endpoint, KEY, SECRET)
        self.target_dir = os.path.join(self.tmp, "target")
        self.checkpoint = os.path.join(self.target_dir, "migrate-checkpoint.json")

    def migrate_command(self, *extra):
        return [binary_path(), "migrate", "--source-endpoint", self.source.endpoint, "--region", REGION,
                "--identity-pool-id", self.pool, *target_options(self.target_dir), *extra]

    @staticmethod
    def migrate_env():
        env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
        return dict(env, AWS_ACCESS_KEY_ID=KEY, AWS_SECRET_ACCESS_KEY=SECRET)

    def migrate(self, *extra):
        res = subprocess.run(self.migrate_command(*extra), env=self.migrate_env(), capture_output=True, text=True,
                             timeout=120)
        self.assertEqual(res.returncode, 0, res.stderr)
        return res.stderr

    def populate(self):
        ci, c = self.ci, self.c
        self.pool = ci.create_identity_pool(IdentityPoolName="moving", AllowUnauthenticatedIdentities=True,
                                            DeveloperProviderName=PROVIDER,
                                            SupportedLoginProviders={"accounts.google.com": "client.apps"},
                                            IdentityPoolTags={"team": "a"})["IdentityPoolId"]
        pool = self.pool
        c.set_identity_pool_configuration(IdentityPoolId=pool, PushSync={"ApplicationArns": [GCM_ARN], "RoleArn": ROLE})
        c.set_cognito_events(IdentityPoolId=pool, Events={"SyncTrigger": TRIGGER})
        ci.set_identity_pool_roles(IdentityPoolId=pool, Roles={"authenticated": ROLE}, RoleMappings={
            "accounts.google.com": {"Type": "Token", "AmbiguousRoleResolution": "AuthenticatedRole"}})
        self.users = {u: ci.get_open_id_token_for_developer_identity(
            IdentityPoolId=pool, Logins={PROVIDER: u})["IdentityId"] for u in ("alice", "bob", "src")}
        ci.get_open_id_token_for_developer_identity(IdentityPoolId=pool, Logins={PROVIDER: "alice2"},
                                                    IdentityId=self.users["alice"])
        self.guests = [ci.get_id(IdentityPoolId=pool)["IdentityId"] for _ in range(3)]
        alice = dict(IdentityPoolId=pool, IdentityId=self.users["alice"], DatasetName="settings")
        sync(c, alice, [replace("theme", "dark", 0), replace("lang", "en", 0), replace("tmp", "x", 0)])
        sync(c, alice, [replace("theme", "light", 1), remove("tmp", 1)], last=1)
        gone = dict(IdentityPoolId=pool, IdentityId=self.users["alice"], DatasetName="gone")
        sync(c, gone, [replace("a", "1", 0)])
        c.delete_dataset(**gone)
        for who in ("bob", "src"):
            sync(c, dict(IdentityPoolId=pool, IdentityId=self.users[who], DatasetName="profile"),
                 [replace("name", who, 0)])
        ci.merge_developer_identities(SourceUserIdentifier="src", DestinationUserIdentifier="bob",
                                      DeveloperProviderName=PROVIDER, IdentityPoolId=pool)
        for n, guest in enumerate(self.guests):
            sync(c, dict(IdentityPoolId=pool, IdentityId=guest, DatasetName="prefs"), [replace("n", str(n), 0)])

    def serve_target(self):
        """A server on the target data dir, with the source's developer key; the caller stops it."""
        target = CogsyncServer("--credentials-file", self.creds)
        self.addCleanup(target.close)
        serve(target, self.target_dir)
        if target.store:  # the run wrote into the database, not beside its checkpoint
            self.assertFalse(os.path.exists(os.path.join(self.target_dir, "cogsync.db")))
        return target.start()

    def target_answers(self):
        target = self.serve_target()
        try:
            return answers(*clients(target.endpoint, KEY, SECRET), self.pool)
        finally:
            target.stop()

    def wait_for_progress(self, proc):
        """Polls the checkpoint until it records a finished identity; returns their number."""
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and proc.poll() is None:
            try:
                with open(self.checkpoint) as f:
                    done = json.load(f)["pools"].get(self.pool, {})
            except (OSError, ValueError):
                done = {}
            if done:
                return len(done)
            time.sleep(0.02)
        self.fail("the checkpoint recorded no identity while migrate ran")

    def js_device(self, endpoint, *changes):
        """amazon-cognito-js syncing alice's "device-js" with the local storage kept in the test's
        dir (js/sync_device.mjs): what each ListRecords answered, any conflict, the count."""
        res = subprocess.run([NODE, "sync_device.mjs", endpoint, self.pool, self.users["alice"],
                              os.path.join(self.tmp, "device-storage.json"), KEY, SECRET, *changes],
                             cwd=JS_DIR, capture_output=True, text=True, timeout=120)
        self.assertEqual(res.returncode, 0, res.stdout + res.stderr)
        return json.loads(res.stdout.strip().splitlines()[-1])

    @unittest.skipUnless(NODE, "node not installed")
    def test_migrate_resume_delta_and_a_device_that_goes_on(self):
        self.populate()
        # amazon-cognito-js on a device: its dataset synced with the source, kept in its storage.
        first = self.js_device(self.source.endpoint, "volume=3", "mute=no")
        self.assertEqual((first["conflict"], first["lastSyncCount"]), (False, 1))
        # A device (boto3) syncs a dataset of alice with the source and caches what it got.
        device = dict(IdentityPoolId=self.pool, IdentityId=self.users["alice"], DatasetName="device")
        held = sync(self.c, device, [replace("volume", "3", 0), replace("mute", "no", 0)])
        cached_count = held[0]["SyncCount"]
        expected = answers(self.ci, self.c, self.pool)
        self.assertEqual(len(expected["identities"]), 5)
        self.assertEqual(expected["identities"][self.users["bob"]]["datasets"]["profile"]["records"]
                         ["MergedDatasetNames"], ["profile." + self.users["src"]])

        # A slow run, killed once the checkpoint shows progress, then resumed.
        proc = subprocess.Popen(self.migrate_command("--max-rps", "3"), env=self.migrate_env(),
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            done = self.wait_for_progress(proc)
        finally:
            proc.kill()
            proc.wait()
        self.assertLess(done, 5, "the run ended before it was stopped")
        out = self.migrate()
        skipped = int(re.search(r"skipped (\d+)", out).group(1))
        self.assertGreaterEqual(skipped, done, out)
        self.assertRegex(out, r"run 1, identities \d+ \(skipped \d+, refused 0\)")
        self.assertEqual(self.target_answers(), expected)

        # A second run with nothing changed reads every dataset as a delta and writes nothing.
        out = self.migrate()
        self.assertRegex(out, r"run 2, identities 5 \(skipped 0, refused 0\), datasets read 0 \(unchanged 8, "
                              r"deleted 0\), records written 0")

        # Changes on the source (records, a deleted dataset, a new identity) reach the target,
        # while it serves: the run writes into a served store, which serves them at once.
        target = self.serve_target()
        alice = dict(IdentityPoolId=self.pool, IdentityId=self.users["alice"], DatasetName="settings")
        sync(self.c, alice, [replace("lang", "fr", 1), replace("new", "key", 0)], last=2)
        self.c.delete_dataset(IdentityPoolId=self.pool, IdentityId=self.guests[0], DatasetName="prefs")
        late = self.ci.get_id(IdentityPoolId=self.pool)["IdentityId"]
        sync(self.c, dict(IdentityPoolId=self.pool, IdentityId=late, DatasetName="prefs"), [replace("n", "late", 0)])
        out = self.migrate()
        self.assertRegex(out, r"run 3, identities 6 .*datasets read 2 \(unchanged 6, deleted 1\)")
        _, t = clients(target.endpoint, KEY, SECRET)
        self.assertEqual(answers(*clients(target.endpoint, KEY, SECRET), self.pool),
                         answers(self.ci, self.c, self.pool))
        # The developer backend's users get their identities from the target.
        target_ci, _ = clients(target.endpoint, KEY, SECRET)
        owners = {"alice": self.users["alice"], "alice2": self.users["alice"], "src": self.users["bob"]}
        for user, ident in owners.items():
            got = target_ci.get_open_id_token_for_developer_identity(IdentityPoolId=self.pool, Logins={PROVIDER: user})
            self.assertEqual(got["IdentityId"], ident)
        # A device that held the deleted dataset learns of the deletion from the target.
        gone = dict(IdentityPoolId=self.pool, IdentityId=self.guests[0], DatasetName="prefs", LastSyncCount=1)
        told = strip(t.list_records(**gone))
        self.assertEqual((told["DatasetExists"], told["DatasetDeletedAfterRequestedSyncCount"]), (False, True))

        # A dataset deleted and created again: a device at the old count is told to list afresh.
        at = self.c.list_records(**alice)["DatasetSyncCount"]
        self.c.delete_dataset(**alice)
        sync(self.c, alice, [replace("theme", "reborn", 0)])
        out = self.migrate()
        self.assertRegex(out, r"run 4, identities 6 .*datasets read 1 \(unchanged 7, deleted 0\)")
        self.assertEqual(answers(*clients(target.endpoint, KEY, SECRET), self.pool),
                         answers(self.ci, self.c, self.pool))
        stale = t.list_records(LastSyncCount=at, **alice)
        self.assertTrue(stale["DatasetDeletedAfterRequestedSyncCount"])
        self.assertEqual([r["Key"] for r in stale["Records"]], ["theme"])

        # The devices, pointed at the target with their caches: nothing new to download, and
        # their next change is accepted with the counts they hold, without a conflict.
        again = self.js_device(target.endpoint, "volume=4")
        self.assertEqual(again, {"listed": [[]], "conflict": False, "lastSyncCount": 2})
        listed = t.list_records(LastSyncCount=cached_count, **device)
        self.assertEqual(listed["Records"], [])
        self.assertEqual(listed["DatasetSyncCount"], cached_count)
        counts = {r["Key"]: r["SyncCount"] for r in held}
        pushed = t.update_records(SyncSessionToken=listed["SyncSessionToken"],
                                  RecordPatches=[replace("volume", "4", counts["volume"])], **device)
        self.assertEqual(pushed["Records"][0]["SyncCount"], cached_count + 1)
        target.stop()


class MigrateOpenIdConnectLogins(unittest.TestCase):
    """What README "Migrating off AWS" says of OpenID Connect logins: the identity and its data
    are copied, not the link; the link loaded afterwards (export, the login added to the
    identity's line, import) makes GetId with the login's token answer the migrated identity."""

    def test_the_link_is_not_carried_and_can_be_loaded(self):
        tmp = tempfile.mkdtemp(prefix="cogsync-migrate-oidc-")
        self.addCleanup(shutil.rmtree, tmp, True)
        google = Signer("g1", "RS256")
        with open(os.path.join(tmp, "google.json"), "w") as f:
            json.dump({"keys": [google.jwk]}, f)
        config = os.path.join(tmp, "cogsync.toml")
        with open(config, "w") as f:
            f.write(f'[oidc_providers."accounts.google.com"]\nissuer = "https://accounts.google.com"\n'
                    f'client_ids = ["{GOOGLE_CLIENT}"]\njwks_file = "google.json"\n')

        def get_id(server, sub):
            token = google.token("https://accounts.google.com", sub, GOOGLE_CLIENT)
            return clients(server.endpoint)[0].get_id(IdentityPoolId=pool,
                                                      Logins={"accounts.google.com": token})["IdentityId"]

        source = CogsyncServer("--config", config)
        self.addCleanup(source.close)
        source.start()
        pool = clients(source.endpoint)[0].create_identity_pool(
            IdentityPoolName="oidc", AllowUnauthenticatedIdentities=False,
            SupportedLoginProviders={"accounts.google.com": GOOGLE_CLIENT})["IdentityPoolId"]
        alice, bob = get_id(source, "alice-sub"), get_id(source, "bob-sub")
        data = os.path.join(tmp, "target")
        env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
        env.update(AWS_ACCESS_KEY_ID="test", AWS_SECRET_ACCESS_KEY="test")
        res = subprocess.run([binary_path(), "migrate", "--source-endpoint", source.endpoint, "--identity-pool-id",
                              pool, *target_options(data)], env=env, capture_output=True, text=True, timeout=120)
        self.assertEqual(res.returncode, 0, res.stderr)
        self.assertIn("OIDC links not carried 2", res.stderr)

        exported = subprocess.run([binary_path(), "export", *target_options(data)], capture_output=True, text=True,
                                  timeout=60, check=True).stdout.splitlines()
        lines = [json.loads(line) for line in exported]
        alice_line = next(x for x in lines if x.get("kind") == "identity" and x["identity"] == alice)
        self.assertEqual(alice_line["logins"], [])
        alice_line["logins"] = [{"provider": "accounts.google.com", "subject": "alice-sub"}]
        res = subprocess.run([binary_path(), "import", "-", *target_options(data)],
                             input=exported[0] + "\n" + json.dumps(alice_line) + "\n", capture_output=True, text=True,
                             timeout=60)
        self.assertEqual(res.returncode, 0, res.stderr)

        target = CogsyncServer("--config", config)
        self.addCleanup(target.close)
        serve(target, data)
        target.start()
        self.assertEqual(get_id(target, "alice-sub"), alice)
        self.assertNotIn(get_id(target, "bob-sub"), (alice, bob))
        target.stop()


class FakeSource(http.server.ThreadingHTTPServer):
    """A source answering a pool with no identities; `plan(n, request)` gives the n-th request's
    (status, body), or None for the normal answer. Keeps (time, target or path) of each request."""

    POOL = f"{REGION}:00000000-0000-4000-8000-00000000fa4e"

    def __init__(self, plan):
        self.plan, self.seen, self.lock = plan, [], threading.Lock()
        super().__init__(("127.0.0.1", 0), FakeHandler)
        threading.Thread(target=self.serve_forever, daemon=True).start()

    def normal(self, what):
        if what.endswith("DescribeIdentityPool"):
            return {"IdentityPoolId": self.POOL, "IdentityPoolName": "fake", "AllowUnauthenticatedIdentities": True}
        if what.endswith("ListIdentities"):
            return {"IdentityPoolId": self.POOL, "Identities": [{"IdentityId": "not an id", "Logins": []}]} \
                if self.hostile else {"IdentityPoolId": self.POOL, "Identities": []}
        if what.endswith("/events"):
            return {"Events": {}}
        if what.endswith("/datasets?maxResults=64"):
            return {"Datasets": [], "Count": 0}
        return {"IdentityPoolId": self.POOL}

    hostile = False


class FakeHandler(http.server.BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def answer(self):
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        what = self.headers.get("X-Amz-Target") or self.path
        with self.server.lock:
            self.server.seen.append((time.monotonic(), what))
            n = len(self.server.seen)
        planned = self.server.plan(n, what)
        status, body = planned if planned else (200, self.server.normal(what))
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/x-amz-json-1.1")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    do_GET = do_POST = answer


class MigrateFromAnUnreliableSource(unittest.TestCase):
    """Against a fake source: throttling and 5xx are retried within --max-rps, an error that
    outlasts --max-attempts stops the run with the AWS error, and an answer the import refuses is
    reported with exit 1."""

    def run_migrate(self, source, *extra):
        tmp = tempfile.mkdtemp(prefix="cogsync-migrate-fake-")
        self.addCleanup(shutil.rmtree, tmp, True)
        env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
        env.update(AWS_ACCESS_KEY_ID="AKIDFAKE", AWS_SECRET_ACCESS_KEY="fake")
        return subprocess.run([binary_path(), "migrate", "--source-endpoint", f"http://127.0.0.1:{source.server_port}",
                               "--identity-pool-id", FakeSource.POOL, *target_options(tmp), *extra],
                              env=env, capture_output=True, text=True, timeout=120)

    def fake(self, plan):
        source = FakeSource(plan)
        self.addCleanup(source.server_close)
        self.addCleanup(source.shutdown)
        return source

    def test_throttling_and_5xx_are_retried_within_the_rate(self):
        throttled = {1: (400, {"__type": "TooManyRequestsException", "message": "slow down"}),
                     3: (429, {"message": "Rate exceeded"}), 5: (503, {"message": "busy"})}
        source = self.fake(lambda n, what: throttled.get(n))
        res = self.run_migrate(source, "--max-rps", "8")
        self.assertEqual(res.returncode, 0, res.stderr)
        self.assertIn("requests 5 (retries 3)", res.stderr)
        self.assertRegex(res.stderr, r"(?m)^migrate: POST DescribeIdentityPool: HTTP 400, again in 200 ms$")
        # Eight requests, each retry 200 ms after its failure and every start 1/8 s after the one
        # before: 3 x 200 ms + 4 x 125 ms at least. Requests sent back to back after a backoff
        # would take about 600 ms. (The total, not each gap: arrival jitter may shorten one gap.)
        times = [t for t, _ in source.seen]
        self.assertEqual(len(times), 8)
        self.assertGreaterEqual(times[-1] - times[0], 1.0)

    def test_an_error_that_outlasts_the_attempts_stops_the_run(self):
        source = self.fake(lambda n, what: (500, {"__type": "InternalErrorException", "message": "boom"}))
        res = self.run_migrate(source, "--max-attempts", "2")
        self.assertEqual(res.returncode, 1)
        self.assertIn("cogsync migrate: InternalErrorException (HTTP 500): boom", res.stderr)
        self.assertEqual(len(source.seen), 2)

    def test_an_answer_import_refuses_is_reported(self):
        source = self.fake(lambda n, what: None)
        source.hostile = True
        res = self.run_migrate(source)
        self.assertEqual(res.returncode, 1, res.stderr)
        self.assertRegex(res.stderr, r"(?m)^migrate: identity not an id: .*identity")
        self.assertIn("refused 1", res.stderr)


if __name__ == "__main__":
    unittest.main()
