"""Three cogsync nodes on one PostgreSQL behind HAProxy (docker/cluster/, README: Scaling out),
all real processes this test starts and stops by their handles: concurrent writers spread over
the nodes get the distinct sync counts 1..N and lose nothing; a token one node issued is good on
another; kill -9 of the node delivering the stream sink under write load loses no acknowledged
write and no event, and the sink moves to another node; PostgreSQL stopped under load makes
every node unready, and once it is back the nodes serve again without a restart. The compose
stack's configuration and its example client run here too. The test starts its own PostgreSQL
(scripts/pg-test-server.sh), since it stops it."""
import hashlib
import http.client
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import unittest
import urllib.parse
import uuid

import yaml

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support"))

from botocore.exceptions import BotoCoreError, ClientError  # noqa: E402
from cluster import ClusterServer, free_port  # noqa: E402
from cogsync_server import binary_path, new_identity, new_pool, signed_client  # noqa: E402
from e2e_base import replace  # noqa: E402
from hooks_base import first_seen, lease_held  # noqa: E402
from webhook_receiver import WebhookReceiver, write_hooks_file  # noqa: E402

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
SCRIPT = os.path.join(ROOT, "scripts", "pg-test-server.sh")
COMPOSE_DIR = os.path.join(ROOT, "docker", "cluster")
EXAMPLE = os.path.join(ROOT, "docker", "example", "sync_example.py")
ROLE = "arn:aws:iam::123456789012:role/s"


def wait_until(predicate, what, timeout=30.0):
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.05)


def ready(port):
    try:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
        conn.request("GET", "/ready")
        return conn.getresponse().status == 200
    except OSError:
        return False


class Writer(threading.Thread):
    """Syncs its own dataset through `endpoint` until stopped: ListRecords, then UpdateRecords of
    one new key with the token. An answer is an acknowledged write, kept in `acked` as (key,
    count); an error (a node killed mid-request, the database down) is not, and the writer lists
    again. Counts of writes that committed without an answer are learnt from the next listing."""

    def __init__(self, cluster, pool, dataset):
        super().__init__(daemon=True)
        self.c = cluster.client(connect_timeout=5, read_timeout=30)
        self.pool, self.identity, self.dataset = pool, new_identity(), dataset
        self.acked = []
        self.errors = 0
        self.halt = threading.Event()

    def run(self):
        n = 0
        while not self.halt.is_set():
            try:
                token = self.c.list_records(IdentityPoolId=self.pool, IdentityId=self.identity,
                                            DatasetName=self.dataset)["SyncSessionToken"]
                out = self.c.update_records(IdentityPoolId=self.pool, IdentityId=self.identity,
                                            DatasetName=self.dataset, SyncSessionToken=token,
                                            RecordPatches=[replace(f"k{n}", str(n), 0)])
                self.acked.append((f"k{n}", out["Records"][0]["SyncCount"]))
                n += 1
            except (ClientError, BotoCoreError):
                self.errors += 1
                n += 1  # a write whose fate is unknown keeps its key; the next one takes a new key
                time.sleep(0.05)

    def stored(self, cluster):
        c = cluster.client()
        out = c.list_records(IdentityPoolId=self.pool, IdentityId=self.identity, DatasetName=self.dataset)
        return {r["Key"]: r["SyncCount"] for r in out["Records"]}, out["DatasetSyncCount"]


class Cluster(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.pg_dir = os.path.join(tempfile.gettempdir(), "cogsync-pg-" + uuid.uuid4().hex[:12])
        cls.admin = subprocess.run([SCRIPT, "start", cls.pg_dir], check=True, capture_output=True,
                                   text=True).stdout.strip()

    @classmethod
    def tearDownClass(cls):
        subprocess.run([SCRIPT, "stop", cls.pg_dir], check=True)

    def database(self):
        name = "c_" + uuid.uuid4().hex[:16]
        subprocess.run(["psql", "-qAtX", self.admin, "-c", f"CREATE DATABASE {name}"], check=True)
        return urllib.parse.urlunsplit(urllib.parse.urlsplit(self.admin)._replace(path="/" + name))

    def cluster(self, *args):
        c = ClusterServer(*args, store=self.database(), nodes=3)
        self.addCleanup(c.close)
        return c.start()

    def test_sixteen_writers_on_one_dataset_get_the_counts_one_to_n(self):
        cluster = self.cluster()
        pool, identity = new_pool(), new_identity()
        landed, lock = [], threading.Lock()

        def writer(i):
            c = cluster.client()
            for _ in range(200):
                out = c.list_records(IdentityPoolId=pool, IdentityId=identity, DatasetName="shared")
                try:
                    up = c.update_records(IdentityPoolId=pool, IdentityId=identity, DatasetName="shared",
                                          SyncSessionToken=out["SyncSessionToken"],
                                          RecordPatches=[replace(f"w{i}", str(i), 0)])
                except ClientError as e:
                    if e.response["Error"]["Code"] != "ResourceConflictException":
                        raise
                    continue
                with lock:
                    landed.append(up["Records"][0]["SyncCount"])
                return
            raise AssertionError(f"writer {i} never landed")

        threads = [threading.Thread(target=writer, args=(i,)) for i in range(16)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(120)
        self.assertEqual(sorted(landed), list(range(1, 17)))
        out = cluster.client().list_records(IdentityPoolId=pool, IdentityId=identity, DatasetName="shared")
        self.assertEqual(out["DatasetSyncCount"], 16)
        self.assertEqual({r["Key"]: r["Value"] for r in out["Records"]}, {f"w{i}": str(i) for i in range(16)})
        cluster.stop()

    def test_a_token_of_one_node_is_good_on_another(self):
        cluster = self.cluster()
        pool, identity = new_pool(), new_identity()
        a, b, c = cluster.nodes
        token = a.client().list_records(IdentityPoolId=pool, IdentityId=identity,
                                        DatasetName="ds")["SyncSessionToken"]
        b.client().update_records(IdentityPoolId=pool, IdentityId=identity, DatasetName="ds",
                                  SyncSessionToken=token, RecordPatches=[replace("k", "v", 0)])
        records = c.client().list_records(IdentityPoolId=pool, IdentityId=identity, DatasetName="ds")["Records"]
        self.assertEqual([(r["Key"], r["Value"], r["SyncCount"]) for r in records], [("k", "v", 1)])
        cluster.stop()

    def test_kill_9_of_the_delivering_node_under_load_loses_no_write_and_no_event(self):
        with tempfile.TemporaryDirectory(prefix="cogsync-e2e-") as tmp, WebhookReceiver() as receiver:
            hooks = write_hooks_file(tmp, {"sink.s": {"type": "webhook", "url": receiver.url("/s"), "streams": "*"}})
            cluster = self.cluster("--hooks-file", hooks, "--sink-lease-ms", "1000")
            pool = new_pool()
            cluster.client().set_identity_pool_configuration(IdentityPoolId=pool, CognitoStreams={
                "StreamName": "s", "RoleArn": ROLE, "StreamingStatus": "ENABLED"})
            holders = [n for n in cluster.nodes if lease_held(n, "sink.s")]
            self.assertEqual(len(holders), 1, "one node delivers the sink")
            victim = holders[0]
            writers = [Writer(cluster, pool, "ds") for _ in range(6)]
            for w in writers:
                w.start()
            wait_until(lambda: all(len(w.acked) >= 5 for w in writers), "writes before the kill")
            victim.kill9()
            before = [len(w.acked) for w in writers]
            wait_until(lambda: all(len(w.acked) >= b + 10 for w, b in zip(writers, before)),
                       "writes after the kill")
            for w in writers:
                w.halt.set()
            for w in writers:
                w.join(60)
            survivors = [n for n in cluster.nodes if n is not victim]
            wait_until(lambda: sum(lease_held(n, "sink.s") for n in survivors) == 1, "the sink to move")

            # Every acknowledged write is stored, whichever node answered it.
            final = {}
            for w in writers:
                stored, count = w.stored(cluster)
                for key, sync_count in w.acked:
                    self.assertEqual(stored.get(key), sync_count, f"{w.identity}: acknowledged {key} lost")
                final[w.identity] = count

            # Every committed write's event reaches the receiver (answered or not), none beyond the
            # dataset's count, first seen in count order.
            def counts(deliveries):
                got = {i: [] for i in final}
                for d in deliveries:
                    got[d.json["identityId"]].append(d.json["syncCount"])
                return got

            deliveries = receiver.wait_for(
                lambda ds: all(set(range(1, final[i] + 1)) <= set(g) for i, g in counts(ds).items()), timeout=30)
            for identity, got in counts(deliveries).items():
                self.assertEqual(first_seen(got), list(range(1, final[identity] + 1)), identity)
            for n in survivors:
                n.stop()

    def test_the_database_stopped_under_load_makes_every_node_unready_and_loses_nothing(self):
        cluster = self.cluster()
        pool = new_pool()
        writers = [Writer(cluster, pool, "ds") for _ in range(4)]
        for w in writers:
            w.start()
        wait_until(lambda: all(len(w.acked) >= 5 for w in writers), "writes before the stop")
        subprocess.run([SCRIPT, "halt", self.pg_dir], check=True)
        try:
            wait_until(lambda: all(n.request("GET", "/ready").status == 503 for n in cluster.nodes),
                       "every node to say it is not ready")
            cluster.wait_states(lambda i: "DOWN")
            during = [len(w.acked) for w in writers]
        finally:
            subprocess.run([SCRIPT, "resume", self.pg_dir], check=True)
        wait_until(lambda: all(n.request("GET", "/ready").status == 200 for n in cluster.nodes),
                   "every node to be ready again")
        cluster.wait_all_up()
        wait_until(lambda: all(len(w.acked) >= d + 5 for w, d in zip(writers, during)), "writes after the restart")
        for w in writers:
            w.halt.set()
        for w in writers:
            w.join(60)
        for w in writers:
            stored, _ = w.stored(cluster)
            for key, sync_count in w.acked:
                self.assertEqual(stored.get(key), sync_count, f"{w.identity}: acknowledged {key} lost")
        cluster.stop()


class ServeClusterScript(unittest.TestCase):
    """scripts/serve-cluster.sh, the README's command for a local cluster: up behind HAProxy on
    the port asked, a write through it, SIGTERM stops every process it started; started again, it
    serves the same database."""

    def run_script(self, cluster_dir, port):
        env = dict(os.environ, COGSYNC_CLUSTER_DIR=cluster_dir, COGSYNC_CLUSTER_PORT=str(port))
        proc = subprocess.Popen([os.path.join(ROOT, "scripts", "serve-cluster.sh")], env=env,
                                stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        self.addCleanup(lambda: proc.poll() is None and (proc.kill(), proc.wait()))
        client = signed_client(f"http://127.0.0.1:{port}", "test", "test")
        wait_until(lambda: ready(port), "the script's cluster to answer")
        return proc, client

    def test_the_script_serves_a_cluster_and_stops_it(self):
        tmp = tempfile.mkdtemp(prefix="cogsync-e2e-")
        cluster_dir = os.path.join(tmp, "cluster")
        pg_dir = os.path.join(tempfile.gettempdir(), "cogsync-cluster-pg-" + hashlib.md5(
            os.path.realpath(cluster_dir).encode()).hexdigest()[:12])
        self.addCleanup(subprocess.run, [SCRIPT, "stop", pg_dir])
        self.addCleanup(shutil.rmtree, tmp, True)
        pool, identity = new_pool(), new_identity()
        port = free_port()
        for run in (1, 2):
            proc, c = self.run_script(cluster_dir, port)
            out = c.list_records(IdentityPoolId=pool, IdentityId=identity, DatasetName="ds")
            self.assertEqual(out["DatasetSyncCount"], run - 1)  # the second run finds the first's write
            c.update_records(IdentityPoolId=pool, IdentityId=identity, DatasetName="ds",
                             SyncSessionToken=out["SyncSessionToken"], RecordPatches=[replace(f"k{run}", "v", 0)])
            proc.send_signal(signal.SIGTERM)
            output = proc.communicate(timeout=60)[0].decode()
            self.assertEqual(proc.returncode, 0, output)
            self.assertIn("cluster stopped", output)
            for i in (1, 2, 3):
                with open(os.path.join(cluster_dir, f"node{i}.log"), encoding="utf-8") as f:
                    self.assertIn("[info] stopped", f.read().splitlines()[-1])
            self.assertFalse(os.path.exists(os.path.join(pg_dir, "data", "postmaster.pid")), "database left running")


class ComposeStack(unittest.TestCase):
    """docker/cluster/: the compose file's shape, and its configuration and HAProxy file run for
    real (the HAProxy file is the one every cluster test runs behind)."""

    @classmethod
    def setUpClass(cls):
        with open(os.path.join(COMPOSE_DIR, "docker-compose.yml")) as f:
            cls.compose = yaml.safe_load(f)

    def test_three_nodes_share_the_database_behind_haproxy(self):
        services = self.compose["services"]
        nodes = [s for s in services if s.startswith("cogsync-")]
        self.assertEqual(nodes, ["cogsync-1", "cogsync-2", "cogsync-3"])
        urls = {services[n]["environment"]["COGSYNC_STORE"] for n in nodes}
        self.assertEqual(len(urls), 1)
        self.assertEqual(urllib.parse.urlsplit(urls.pop()).hostname, "postgres")
        for n in nodes:
            self.assertEqual(services[n]["depends_on"], {"postgres": {"condition": "service_healthy"}})
            self.assertEqual(services[n]["healthcheck"]["test"], ["CMD", "cogsync", "probe"])
        with open(os.path.join(COMPOSE_DIR, "haproxy.cfg")) as f:
            cfg = f.read()
        for n in nodes:
            self.assertIn(f"server {n} {n}:8080", cfg)
        self.assertIn("./haproxy.cfg:/usr/local/etc/haproxy/haproxy.cfg:ro", services["haproxy"]["volumes"])
        done = subprocess.run(["/usr/sbin/haproxy", "-c", "-f", os.path.join(COMPOSE_DIR, "haproxy.cfg")],
                              capture_output=True, text=True)
        self.assertEqual(done.returncode, 0, done.stdout + done.stderr)

    def test_the_example_client_syncs_through_the_stack(self):
        config = os.path.join(COMPOSE_DIR, "cogsync.toml")
        done = subprocess.run([binary_path(), "config", "check", config], capture_output=True, text=True)
        self.assertEqual((done.returncode, done.stdout.strip()), (0, "ok"), done.stderr)
        pg_dir = os.path.join(tempfile.gettempdir(), "cogsync-pg-" + uuid.uuid4().hex[:12])
        admin = subprocess.run([SCRIPT, "start", pg_dir], check=True, capture_output=True, text=True).stdout.strip()
        self.addCleanup(subprocess.run, [SCRIPT, "stop", pg_dir], check=True)
        cluster = ClusterServer("--config", config, store=admin, nodes=3)
        self.addCleanup(cluster.close)
        cluster.start()
        kept = os.path.join(cluster.tmp_dir, "identity")
        for run in (1, 2):
            env = dict(os.environ, COGSYNC_ENDPOINT=cluster.endpoint, DATASET="cluster-example",
                       AWS_MAX_ATTEMPTS="1", IDENTITY_FILE=kept)
            done = subprocess.run([sys.executable, EXAMPLE], env=env, capture_output=True, text=True, timeout=60)
            self.assertEqual(done.returncode, 0, done.stdout + done.stderr)
            self.assertIn(f"cluster-example: sync count {run - 1}, {run - 1} record(s) on the server", done.stdout)
        cluster.stop()


if __name__ == "__main__":
    unittest.main()
