"""GET /ready and GET /metrics (README: Health and metrics): readiness for load balancers, which
turns 503 once a SIGTERM drain began, and the Prometheus exposition."""
import http.client
import json
import os
import signal
import socket
import sys
import time
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support"))

import metrics_text  # noqa: E402
from hooks_base import HooksTestCase  # noqa: E402
from cogsync_server import CogsyncServer, identity_client, new_identity, new_pool  # noqa: E402
from e2e_base import ClientError, http_status, replace  # noqa: E402

SIGNAL_SEEN_S = 10.0


def wait_for(predicate, timeout, what):
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout}s waiting for {what}")
        time.sleep(0.02)


class Ready(unittest.TestCase):
    def test_ready_once_listening(self):
        with CogsyncServer() as server:
            res = server.request("GET", "/ready")
            self.assertEqual(res.status, 200, res)
            self.assertEqual(res.json(), {"status": "ready"})

    def test_ready_needs_no_signature(self):
        with CogsyncServer("--auth", "sigv4", "--credentials-file", os.devnull) as server:
            res = server.request("GET", "/ready")
            self.assertEqual(res.status, 200, res)

    def test_draining_server_answers_503(self):
        """A request the server is reading when SIGTERM arrives is not idle, so the drain lets
        it finish. Expect: 100-continue shows when the server has read the headers: the 100
        comes back before the body is sent; the body then goes out after the drain began."""
        with CogsyncServer("--shutdown-grace-ms", "60000") as server:
            sock = socket.create_connection(("127.0.0.1", server.port), 30)
            try:
                sock.sendall(f"GET /ready HTTP/1.1\r\nHost: 127.0.0.1:{server.port}\r\n"
                             "Content-Length: 2\r\nExpect: 100-continue\r\n\r\n".encode())
                interim = b""
                while not interim.endswith(b"\r\n\r\n"):
                    chunk = sock.recv(1)
                    self.assertTrue(chunk, "closed before 100 Continue")
                    interim += chunk
                self.assertTrue(interim.startswith(b"HTTP/1.1 100"), interim)
                server.send_signal(signal.SIGTERM)
                wait_for(lambda: f"signal {int(signal.SIGTERM)}" in server.output(), SIGNAL_SEEN_S,
                         "the drain to begin")
                sock.sendall(b"{}")
                resp = http.client.HTTPResponse(sock, method="GET")
                resp.begin()
                body = resp.read()
                self.assertEqual(resp.status, 503, body)
                self.assertEqual(json.loads(body), {"status": "draining"})
                self.assertEqual(resp.getheader("Retry-After"), "1")
                self.assertEqual((resp.getheader("Connection") or "").lower(), "close")
            finally:
                sock.close()
            server.wait_exit(SIGNAL_SEEN_S)

def series(name, **labels):
    return (name, frozenset(labels.items()))


def scrape(case, server):
    """GET /metrics, parsed strictly (metrics_text.py)."""
    res = server.request("GET", "/metrics")
    case.assertEqual(res.status, 200, res)
    case.assertEqual(res.header("Content-Type"), "text/plain; version=0.0.4; charset=utf-8")
    return metrics_text.parse(res.body.decode("utf-8"))


class Metrics(unittest.TestCase):
    def scrape(self, server):
        return scrape(self, server)

    def test_boto3_traffic_counted_exactly(self):
        with CogsyncServer() as server:
            client = server.client()
            pool, ident, ds = new_pool(), new_identity(), "metrics"
            before = self.scrape(server)
            token = client.list_records(IdentityPoolId=pool, IdentityId=ident, DatasetName=ds)["SyncSessionToken"]
            client.update_records(IdentityPoolId=pool, IdentityId=ident, DatasetName=ds, SyncSessionToken=token,
                                  RecordPatches=[replace("k", "v", 0)])
            token = client.list_records(IdentityPoolId=pool, IdentityId=ident, DatasetName=ds)["SyncSessionToken"]
            with self.assertRaises(ClientError) as stale:
                client.update_records(IdentityPoolId=pool, IdentityId=ident, DatasetName=ds,
                                      SyncSessionToken=token, RecordPatches=[replace("k", "w", 0)])
            self.assertEqual(http_status(stale.exception), 409)
            self.assertEqual(server.request("GET", "/no/such/operation").status, 404)

            expected = {
                series("cogsync_requests_total", operation="ListRecords", status="200"): 2,
                series("cogsync_requests_total", operation="UpdateRecords", status="200"): 1,
                series("cogsync_requests_total", operation="UpdateRecords", status="409"): 1,
                series("cogsync_requests_total", operation="Unknown", status="404"): 1,
                series("cogsync_request_duration_seconds_count", operation="ListRecords"): 2,
                series("cogsync_request_duration_seconds_count", operation="UpdateRecords"): 2,
                series("cogsync_sync_conflicts_total"): 1,
                series("cogsync_sync_session_tokens_issued_total"): 2,
            }

            def changes(after):
                return {k: after.get(k, 0) - before.get(k, 0) for k in expected}

            # A request is counted once its answer is written, which the client may see a moment
            # before the server's write completion runs: wait until the counts reach the
            # expected values, which must then match exactly.
            deadline = time.monotonic() + 10
            after = self.scrape(server)
            while changes(after) != expected and time.monotonic() < deadline:
                time.sleep(0.05)
                after = self.scrape(server)
            self.assertEqual(changes(after), expected)
            self.assertGreaterEqual(after[series("cogsync_open_connections")], 1)
            self.assertGreater(after[series("cogsync_database_bytes")], 0)
            self.assertGreater(after[series("cogsync_write_jobs_total")],
                               before[series("cogsync_write_jobs_total")])
            self.assertEqual(after[series("cogsync_request_duration_seconds_bucket", operation="ListRecords",
                                          le="+Inf")] - before[series("cogsync_request_duration_seconds_bucket",
                                                                      operation="ListRecords", le="+Inf")], 2)
            self.assertIn(series("cogsync_outbox_backlog", sink="internal.bulk-status"), after)
            for (name, labels) in after:
                self.assertNotIn("IdentityPoolId", dict(labels))
                self.assertFalse(any(pool in v or ident in v for _, v in labels), (name, labels))

    def test_prometheus_client_reads_what_the_strict_parser_reads(self):
        """The exposition after traffic of every kind (a write, a conflict, an unknown path, the
        identity API) reads the same, series for series, with Prometheus's Python client."""
        with CogsyncServer() as server:
            client = server.client()
            pool, ident = new_pool(), new_identity()
            token = client.list_records(IdentityPoolId=pool, IdentityId=ident, DatasetName="d")["SyncSessionToken"]
            client.update_records(IdentityPoolId=pool, IdentityId=ident, DatasetName="d", SyncSessionToken=token,
                                  RecordPatches=[replace("k", "v", 0)])
            with self.assertRaises(ClientError):
                client.update_records(IdentityPoolId=pool, IdentityId=ident, DatasetName="d",
                                      SyncSessionToken=token, RecordPatches=[replace("k", "w", 0)])
            self.assertEqual(server.request("GET", "/no/such/operation").status, 404)
            with self.assertRaises(ClientError):
                identity_client(server.endpoint).describe_identity_pool(IdentityPoolId=pool)
            res = server.request("GET", "/metrics")
            text = res.body.decode("utf-8")
            reference = metrics_text.parse_with_prometheus_client(text)
            self.assertEqual(reference, metrics_text.parse(text))
            self.assertIn(series("cogsync_requests_total", operation="UpdateRecords", status="200"), reference)

    def test_identity_flow_counted_without_labels(self):
        """Identities created, credentials minted and OpenID tokens issued, each counted once per
        success after its commit (so before the answer), refusals and lookups not counted."""
        with CogsyncServer() as server:
            ci = identity_client(server.endpoint)
            pool = ci.create_identity_pool(IdentityPoolName="metrics", AllowUnauthenticatedIdentities=True,
                                           DeveloperProviderName="login.metrics")["IdentityPoolId"]
            before = self.scrape(server)
            ids = [ci.get_id(IdentityPoolId=pool)["IdentityId"] for _ in range(2)]
            for identity in ids + ids[:1]:
                ci.get_credentials_for_identity(IdentityId=identity)
            for _ in range(2):  # a new developer user, then the same one: one identity, two tokens
                ci.get_open_id_token_for_developer_identity(IdentityPoolId=pool, Logins={"login.metrics": "u1"})
            ci.get_open_id_token(IdentityId=ids[0])
            with self.assertRaises(ClientError):
                ci.get_credentials_for_identity(IdentityId=new_identity())
            with self.assertRaises(ClientError):
                ci.get_id(IdentityPoolId=new_pool())
            after = self.scrape(server)
            expected = {"cogsync_identities_created_total": 3, "cogsync_credentials_minted_total": 3,
                        "cogsync_identity_tokens_issued_total": 3}
            self.assertEqual({name: after[series(name)] - before[series(name)] for name in expected}, expected)
            for (name, labels) in after:
                if name in expected:
                    self.assertEqual(labels, frozenset(), name)


class SinkMetrics(HooksTestCase):
    """A stream record the receiver refuses for good (413) is one failed delivery and one dead
    letter of its sink; the record after it is delivered, and the backlog drains to 0."""

    @classmethod
    def hooks(cls, receiver, tmp_dir):
        receiver.reply = lambda path, body: (413, b"{}") if b"refused-record" in body else (200, b"{}")
        return {"sink.stream": {"type": "webhook", "url": receiver.url("/stream"), "streams": "*"}}

    def scrape(self):
        return scrape(self, self.server)

    def test_dead_letter_failure_and_backlog_per_sink(self):
        before = self.scrape()
        self.assertEqual(before[series("cogsync_dead_letters", sink="sink.stream")], 0)
        self.assertEqual(before[series("cogsync_sink_delivery_failures_total", sink="sink.stream")], 0)
        pool, ident = new_pool(), new_identity()
        self.enable_streams(pool, "changes")
        count = self.push(pool, ident, "ds", [replace("k", "refused-record", 0)])["Records"][0]["SyncCount"]
        self.push(pool, ident, "ds", [replace("k", "after", count)])
        self.receiver.wait_for(lambda ds: any(b'"after"' in d.raw for d in ds), path="/stream")
        backlog = series("cogsync_outbox_backlog", sink="sink.stream")
        # The cursor is stored once its page is done, just after the delivery the receiver saw.
        deadline = time.monotonic() + 10
        after = self.scrape()
        while after[backlog] != 0 and time.monotonic() < deadline:
            time.sleep(0.05)
            after = self.scrape()
        self.assertEqual(after[backlog], 0)
        self.assertEqual(after[series("cogsync_dead_letters", sink="sink.stream")], 1)
        self.assertEqual(after[series("cogsync_sink_delivery_failures_total", sink="sink.stream")], 1)


if __name__ == "__main__":
    unittest.main()
