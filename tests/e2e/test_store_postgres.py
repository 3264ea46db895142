"""--store postgres://... (README: Running on PostgreSQL): a bad or unreachable URL stops the
server at start with a clear message; nodes sharing one database share its data and the token
key, so a SyncSessionToken one node issued is good on another; /ready follows the database.
The command-line tools take --store too. These tests start a throwaway PostgreSQL of their own
(scripts/pg-test-server.sh)."""
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
import unittest
import urllib.parse
import urllib.request
import uuid

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support"))

import metrics_text  # noqa: E402
from cogsync_server import CogsyncServer, binary_path, identity_client, new_identity, new_pool  # noqa: E402
from e2e_base import replace  # noqa: E402
from hooks_base import first_seen, lease_held  # noqa: E402
from webhook_receiver import WebhookReceiver, write_hooks_file  # noqa: E402

SCRIPT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "scripts", "pg-test-server.sh")


def refused_start(*args):
    """Runs `cogsync serve ARGS` and returns (exit code, output) of a server that must not start."""
    with tempfile.TemporaryDirectory(prefix="cogsync-e2e-") as data:
        proc = subprocess.run([binary_path(), "serve", "--listen", "127.0.0.1:0", "--data-dir", data, *args],
                              stdin=subprocess.DEVNULL, capture_output=True, timeout=60)
    return proc.returncode, (proc.stdout + proc.stderr).decode("utf-8", "replace")


def cli(*args):
    return subprocess.run([binary_path(), *args], stdin=subprocess.DEVNULL, capture_output=True, text=True,
                          timeout=120)


class BadStore(unittest.TestCase):
    def test_a_store_that_is_not_a_postgres_url_is_refused(self):
        code, out = refused_start("--store", "mysql://user@localhost/db")
        self.assertNotEqual(code, 0, out)
        self.assertIn("--store", out)
        self.assertIn("postgres://", out)

    def test_an_unreachable_database_stops_the_start(self):
        missing = os.path.join(tempfile.gettempdir(), "cogsync-no-such-socket-dir-" + uuid.uuid4().hex)
        code, out = refused_start("--store", f"postgresql://cogsync@/postgres?host={missing}")
        self.assertEqual(code, 1, out)
        self.assertIn("cannot connect", out)
        self.assertNotIn("listening on", out)


class SharedDatabase(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.pg_dir = os.path.join(tempfile.gettempdir(), "cogsync-pg-" + uuid.uuid4().hex[:12])
        cls.admin = admin = subprocess.run([SCRIPT, "start", cls.pg_dir], check=True, capture_output=True,
                                           text=True).stdout.strip()
        subprocess.run(["psql", "-qAtX", admin, "-c", "CREATE DATABASE shared"], check=True)
        cls.url = urllib.parse.urlunsplit(urllib.parse.urlsplit(admin)._replace(path="/shared"))

    @classmethod
    def tearDownClass(cls):
        subprocess.run([SCRIPT, "stop", cls.pg_dir], check=True)

    def test_a_session_token_of_one_node_is_good_on_another(self):
        pool, identity = new_pool(), new_identity()
        with CogsyncServer("--store", self.url) as a, CogsyncServer("--store", self.url) as b:
            token = a.client().list_records(IdentityPoolId=pool, IdentityId=identity,
                                            DatasetName="shared")["SyncSessionToken"]
            b.client().update_records(IdentityPoolId=pool, IdentityId=identity, DatasetName="shared",
                                      SyncSessionToken=token, RecordPatches=[replace("k", "v", 0)])
            records = a.client().list_records(IdentityPoolId=pool, IdentityId=identity,
                                              DatasetName="shared")["Records"]
            self.assertEqual([(r["Key"], r["Value"], r["SyncCount"]) for r in records], [("k", "v", 1)])
            a.stop()
            b.stop()

    def test_a_stream_payload_url_one_node_handed_out_is_served_by_another(self):
        pool, identity = new_pool(), new_identity()
        big = [replace(f"k{i:04d}", "x" * 1000, 0) for i in range(1000)]  # a stream record beyond 1 MiB
        with CogsyncServer("--store", self.url) as a, CogsyncServer("--store", self.url) as b:
            c = a.client()
            c.set_identity_pool_configuration(IdentityPoolId=pool, CognitoStreams={
                "StreamName": "moved", "RoleArn": "arn:aws:iam::123456789012:role/s", "StreamingStatus": "ENABLED"})
            token = c.list_records(IdentityPoolId=pool, IdentityId=identity, DatasetName="big")["SyncSessionToken"]
            c.update_records(IdentityPoolId=pool, IdentityId=identity, DatasetName="big", SyncSessionToken=token,
                             RecordPatches=big)
            # The embedded file sink of whichever node delivers the event writes the record.
            files = [os.path.join(n.data_dir, "streams", "moved.ndjson") for n in (a, b)]
            deadline = time.monotonic() + 30
            while not any(os.path.exists(f) and os.path.getsize(f) for f in files) and time.monotonic() < deadline:
                time.sleep(0.05)
            delivered = next(f for f in files if os.path.exists(f))
            with open(delivered, encoding="utf-8") as f:
                url = json.loads(f.readline())["record"]["kinesisSyncRecordsURL"]
            writer, other = (a, b) if delivered == files[0] else (b, a)
            self.assertTrue(url.startswith(writer.endpoint), url)
            with urllib.request.urlopen(other.endpoint + url[len(writer.endpoint):], timeout=30) as r:
                self.assertEqual(len(json.loads(r.read())), len(big))
            a.stop()
            b.stop()

    def test_a_killed_nodes_sinks_move_to_another_node_and_no_event_is_lost_or_invented(self):
        """Two nodes with one webhook stream sink: one delivers it; kill -9 of that node hands the
        sink to the other within the lease (1 s here), which goes on from the stored cursor.
        Every acknowledged write reaches the receiver, first seen in sync-count order per
        dataset; a delivery the dead node made after its last stored cursor may come again."""
        pool, identities = new_pool(), [new_identity() for _ in range(4)]
        acked = {i: [] for i in identities}

        def write_rounds(node, rounds):
            c = node.client()
            for _ in range(rounds):
                for i in identities:
                    token = c.list_records(IdentityPoolId=pool, IdentityId=i, DatasetName="ds")["SyncSessionToken"]
                    out = c.update_records(IdentityPoolId=pool, IdentityId=i, DatasetName="ds", SyncSessionToken=token,
                                           RecordPatches=[replace(f"k{len(acked[i])}", "v", 0)])
                    acked[i].append(out["Records"][0]["SyncCount"])

        def delivered(deliveries):
            got = {i: [] for i in identities}
            for d in deliveries:
                got[d.json["identityId"]].append(d.json["syncCount"])
            return got

        def all_acked(deliveries):
            got = delivered(deliveries)
            return all(set(acked[i]) <= set(got[i]) for i in identities)

        with tempfile.TemporaryDirectory(prefix="cogsync-e2e-") as tmp, WebhookReceiver() as receiver:
            hooks = write_hooks_file(tmp, {"sink.hook": {"type": "webhook", "url": receiver.url("/s"), "streams": "*"}})
            args = ("--store", self.database("leases"), "--hooks-file", hooks, "--sink-lease-ms", "1000")
            with CogsyncServer(*args) as a, CogsyncServer(*args) as b:
                a.client().set_identity_pool_configuration(IdentityPoolId=pool, CognitoStreams={
                    "StreamName": "s", "RoleArn": "arn:aws:iam::123456789012:role/s", "StreamingStatus": "ENABLED"})
                write_rounds(a, 2)
                write_rounds(b, 2)
                receiver.wait_for(all_acked, timeout=30)
                held = {n: lease_held(n, "sink.hook") for n in (a, b)}
                self.assertEqual(sorted(held.values()), [0, 1], "exactly one node delivers the sink")
                holder, survivor = (a, b) if held[a] else (b, a)
                holder.kill9()
                write_rounds(survivor, 3)
                deliveries = receiver.wait_for(all_acked, timeout=30)
                self.assertEqual(lease_held(survivor, "sink.hook"), 1)
                got = delivered(deliveries)
                for i in identities:
                    self.assertEqual(acked[i], list(range(1, 8)))
                    self.assertEqual(first_seen(got[i]), acked[i], "lost, out of order or invented")
                survivor.stop()

    def database(self, name):
        subprocess.run(["psql", "-qAtX", self.admin, "-c", f"CREATE DATABASE {name}"], check=True)
        return urllib.parse.urlunsplit(urllib.parse.urlsplit(self.admin)._replace(path="/" + name))

    def test_the_command_line_tools_work_on_the_database(self):
        """export, import, dead-letters and migrate take --store: a SQLite store moves into
        PostgreSQL with export and import and comes out again line for line, and the server then
        serves it; backup refuses, naming pg_dump."""
        url = self.database("moved")
        ids = dict(IdentityPoolId=new_pool(), IdentityId=new_identity(), DatasetName="moving")
        with tempfile.TemporaryDirectory(prefix="cogsync-e2e-") as tmp:
            with CogsyncServer() as source:
                c = source.client()
                token = c.list_records(**ids)["SyncSessionToken"]
                c.update_records(SyncSessionToken=token, RecordPatches=[replace("a", "1", 0), replace("b", "2", 0)],
                                 **ids)
                token = c.list_records(LastSyncCount=1, **ids)["SyncSessionToken"]
                c.update_records(SyncSessionToken=token, RecordPatches=[{"Op": "remove", "Key": "b", "SyncCount": 1}],
                                 **ids)
                first = os.path.join(tmp, "sqlite.ndjson")
                self.assertEqual(cli("export", "--data-dir", source.data_dir, "--output", first).returncode, 0)
            imported = cli("import", first, "--store", url)
            self.assertEqual(imported.returncode, 0, imported.stderr)
            self.assertIn("refused 0", imported.stderr)
            again = os.path.join(tmp, "postgres.ndjson")
            exported = cli("export", "--store", url, "--output", again)
            self.assertEqual(exported.returncode, 0, exported.stderr)
            with open(first, encoding="utf-8") as a, open(again, encoding="utf-8") as b:
                self.assertEqual(a.read().splitlines()[1:], b.read().splitlines()[1:])
            listed = cli("dead-letters", "list", "--store", url)
            self.assertEqual(listed.returncode, 0, listed.stderr)
            refused = cli("backup", os.path.join(tmp, "copy.db"), "--store", url)
            self.assertNotEqual(refused.returncode, 0)
            self.assertIn("pg_dump", refused.stderr)
            self.assertFalse(os.path.exists(os.path.join(tmp, "copy.db")))
        with CogsyncServer("--store", url) as server:
            records = server.client().list_records(**ids)["Records"]
            self.assertEqual(sorted((r["Key"], r.get("Value"), r["SyncCount"]) for r in records),
                             [("a", "1", 1), ("b", None, 2)])
            server.stop()

    def test_a_developer_user_gets_one_identity_however_many_first_calls_race(self):
        """Concurrent first GetOpenIdTokenForDeveloperIdentity calls for one developer user: the
        writers that lose the race to link the user are run again by the store and answer the
        winner's identity; none fails, and no identity is left behind by an attempt."""
        callers, users = 12, 4
        with CogsyncServer("--store", self.database("developers")) as server:
            ci = identity_client(server.endpoint)
            pool = ci.create_identity_pool(IdentityPoolName="race", AllowUnauthenticatedIdentities=False,
                                           DeveloperProviderName="login.race")["IdentityPoolId"]
            for user in range(users):
                answers, start = [None] * callers, threading.Barrier(callers)

                def call(i):
                    start.wait()
                    try:
                        answers[i] = identity_client(server.endpoint).get_open_id_token_for_developer_identity(
                            IdentityPoolId=pool, Logins={"login.race": f"user-{user}"})["IdentityId"]
                    except Exception as e:  # reported below
                        answers[i] = e

                threads = [threading.Thread(target=call, args=(i,)) for i in range(callers)]
                for t in threads:
                    t.start()
                for t in threads:
                    t.join(60)
                self.assertEqual(len(set(answers)), 1, answers)
                self.assertTrue(str(answers[0]).startswith("us-east-1:"), answers)
            listed = ci.list_identities(IdentityPoolId=pool, MaxResults=60)["Identities"]
            self.assertEqual(len(listed), users)
            server.stop()

    def test_metrics_count_the_round_trips_to_the_database(self):
        pool, identity = new_pool(), new_identity()
        with CogsyncServer("--store", self.database("metrics")) as node:
            def scrape():
                return metrics_text.parse(node.request("GET", "/metrics").body.decode("utf-8"))

            before = scrape()[("cogsync_pg_round_trips_total", frozenset())]
            node.client().list_records(IdentityPoolId=pool, IdentityId=identity, DatasetName="ds")
            samples = scrape()
            self.assertGreater(samples[("cogsync_pg_round_trips_total", frozenset())], before)
            self.assertEqual(samples[("cogsync_pg_connections", frozenset({"pool": "writers"}.items()))], 8)
            self.assertEqual(samples[("cogsync_pg_connections", frozenset({"pool": "readers"}.items()))], 8)
            self.assertEqual(samples[("cogsync_pg_write_reruns_total", frozenset())], 0)
            node.stop()
        with CogsyncServer("--store", self.database("sized"), "--store-writers", "2", "--store-readers", "3") as node:
            samples = metrics_text.parse(node.request("GET", "/metrics").body.decode("utf-8"))
            self.assertEqual(samples[("cogsync_pg_connections", frozenset({"pool": "writers"}.items()))], 2)
            self.assertEqual(samples[("cogsync_pg_connections", frozenset({"pool": "readers"}.items()))], 3)
            node.client().list_records(IdentityPoolId=pool, IdentityId=identity, DatasetName="ds")
            node.stop()

    def test_a_list_records_costs_one_round_trip_and_an_update_records_two(self):
        # Targets of the README's PostgreSQL performance section. The counter covers every
        # connection of the node: a scrape's own reads (the outbox backlog, dead letters...) are
        # taken off, and the node's ticks (sessions, idle reads) may add one now and then, so
        # the fewest seen over several tries is the request's own cost.
        pool = new_pool()
        with CogsyncServer("--store", self.database("round_trips")) as node:
            client = node.client()

            def total():
                samples = metrics_text.parse(node.request("GET", "/metrics").body.decode("utf-8"))
                return samples[("cogsync_pg_round_trips_total", frozenset())]

            scrapes = [total() for _ in range(9)]
            scrape = min(b - a for a, b in zip(scrapes, scrapes[1:]))

            def cost(call):
                before = total()
                out = call()
                return total() - before - scrape, out

            costs = {"list": [], "list with token": [], "new dataset": [], "update": []}
            for i in range(8):
                ids = dict(IdentityPoolId=pool, IdentityId=new_identity(), DatasetName="ds")
                n, listed = cost(lambda: client.list_records(**ids))
                costs["list"].append(n)
                n, _ = cost(lambda: client.update_records(**ids, SyncSessionToken=listed["SyncSessionToken"],
                                                          RecordPatches=[replace("a", "1", 0), replace("b", "2", 0)]))
                costs["new dataset"].append(n)
                n, listed = cost(lambda: client.list_records(**ids, LastSyncCount=0))
                self.assertEqual(len(listed["Records"]), 2)
                costs["list"].append(n)
                n, again = cost(lambda: client.list_records(**ids, LastSyncCount=0,
                                                            SyncSessionToken=listed["SyncSessionToken"]))
                self.assertEqual(len(again["Records"]), 2)
                costs["list with token"].append(n)
                n, out = cost(lambda: client.update_records(**ids, SyncSessionToken=listed["SyncSessionToken"],
                                                            RecordPatches=[replace("a", "3", 1)]))
                self.assertEqual(out["Records"][0]["SyncCount"], 2)
                costs["update"].append(n)
            fewest = {k: min(v) for k, v in costs.items()}
            self.assertEqual(fewest, {"list": 1, "list with token": 1, "new dataset": 2, "update": 2}, costs)
            node.stop()

    def test_requests_after_a_database_restart_are_served_on_new_connections(self):
        """Every pooled connection dies with the restart; the first request on each (no /ready
        in between to notice) is run again on a new connection instead of failing."""
        pool, identity = new_pool(), new_identity()
        with CogsyncServer("--store", self.url) as server:
            c = server.client()

            def sync(key):
                token = c.list_records(IdentityPoolId=pool, IdentityId=identity, DatasetName="ds")["SyncSessionToken"]
                c.update_records(IdentityPoolId=pool, IdentityId=identity, DatasetName="ds", SyncSessionToken=token,
                                 RecordPatches=[replace(key, "v", 0)])

            threads = [threading.Thread(target=lambda i=i: server.client().list_records(
                IdentityPoolId=pool, IdentityId=new_identity(), DatasetName="ds")) for i in range(16)]
            for t in threads:
                t.start()
            for t in threads:
                t.join(30)
            sync("before")
            subprocess.run([SCRIPT, "halt", self.pg_dir], check=True)
            subprocess.run([SCRIPT, "resume", self.pg_dir], check=True)
            for i in range(12):
                sync(f"after{i}")
            records = c.list_records(IdentityPoolId=pool, IdentityId=identity, DatasetName="ds")["Records"]
            self.assertEqual(len(records), 13)
            server.stop()

    def test_ready_turns_503_while_the_database_is_down(self):
        with CogsyncServer("--store", self.url) as server:
            self.assertEqual(server.request("GET", "/ready").status, 200)
            subprocess.run([SCRIPT, "halt", self.pg_dir], check=True)
            try:
                res = server.request("GET", "/ready")
                self.assertEqual(res.status, 503, res)
                self.assertEqual(res.json(), {"status": "store unreachable"})
            finally:
                subprocess.run([SCRIPT, "resume", self.pg_dir], check=True)
            self.assertEqual(server.request("GET", "/ready").status, 200)
            server.stop()


if __name__ == "__main__":
    unittest.main()
