"""Shared setup of the hooks e2e tests (tests/e2e/test_hooks_*.py): a receiver, a hooks file and
one server started with --hooks-file; every process started is stopped through its handle."""
import os
import sys
import tempfile
import shutil
import time
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support"))

import metrics_text  # noqa: E402
from cogsync_server import CogsyncServer, new_identity, new_pool  # noqa: E402,F401
from e2e_base import ClientError, error_code, replace  # noqa: E402,F401
from webhook_receiver import WebhookReceiver, write_hooks_file  # noqa: E402,F401

GCM_ARN = "arn:aws:sns:us-east-1:123456789012:app/GCM/MyApp"
APNS_ARN = "arn:aws:sns:us-east-1:123456789012:app/APNS/MyApp"
ROLE_ARN = "arn:aws:iam::123456789012:role/cognito-sync"


def lease_held(node, sink):
    """1 while `node` says it delivers `sink` (its cogsync_sink_lease_held gauge), else 0."""
    samples = metrics_text.parse(node.request("GET", "/metrics").body.decode("utf-8"))
    return samples[("cogsync_sink_lease_held", frozenset({"sink": sink}.items()))]


def first_seen(values):
    """values without the repeats of one seen before, in the order first seen (deliveries at
    least once: a repeat is allowed, but the first arrivals must be in order)."""
    seen, out = set(), []
    for v in values:
        if v not in seen:
            seen.add(v)
            out.append(v)
    return out


class HooksServerMixin:
    """One server per class started with --hooks-file (cls.server, its client cls.c); the class
    sets cls.server = None before anything can fail and calls stop_server() in tearDownClass."""

    @classmethod
    def start_server(cls, hooks_path, *args):
        cls.server = CogsyncServer("--hooks-file", hooks_path, *args)
        cls.server.start()
        cls.c = cls.server.client()

    @classmethod
    def stop_server(cls):
        try:
            if cls.server is not None and cls.server.proc is not None:
                cls.server.stop()
        finally:
            if cls.server is not None:
                cls.server.close()


class HooksTestCase(HooksServerMixin, unittest.TestCase):
    """Subclasses define hooks(receiver, tmp_dir) -> {section: settings}; SERVER_ARGS add flags."""

    SERVER_ARGS = ()

    @classmethod
    def hooks(cls, receiver, tmp_dir):
        raise NotImplementedError

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="cogsync-hooks-")
        cls.receiver = WebhookReceiver().start()
        cls.server = None
        try:
            cls.start_server(write_hooks_file(cls.tmp, cls.hooks(cls.receiver, cls.tmp)), *cls.SERVER_ARGS)
        except BaseException:
            cls.tearDownClass()
            raise

    @classmethod
    def tearDownClass(cls):
        try:
            cls.stop_server()
        finally:
            cls.receiver.close()
            shutil.rmtree(cls.tmp, ignore_errors=True)

    def wait_delivered(self, timeout=20.0):
        """Waits until every sink has delivered every event so far (cogsync_outbox_backlog 0 on
        /metrics; the backlog counts from the stored cursors, so any node of a cluster tells)."""
        deadline = time.monotonic() + timeout
        while True:
            samples = metrics_text.parse(self.server.request("GET", "/metrics").body.decode("utf-8"))
            backlog = {k: v for k, v in samples.items() if k[0] == "cogsync_outbox_backlog"}
            if backlog and not any(backlog.values()):
                return
            if time.monotonic() > deadline:
                raise AssertionError(f"outbox backlog still {backlog}")
            time.sleep(0.05)

    def push(self, pool, ident, ds, patches, client=None, **kw):
        c = client or self.c
        token = c.list_records(IdentityPoolId=pool, IdentityId=ident, DatasetName=ds)["SyncSessionToken"]
        return c.update_records(IdentityPoolId=pool, IdentityId=ident, DatasetName=ds,
                                RecordPatches=patches, SyncSessionToken=token, **kw)

    def enable_streams(self, pool, stream, client=None):
        (client or self.c).set_identity_pool_configuration(
            IdentityPoolId=pool,
            CognitoStreams={"StreamName": stream, "RoleArn": ROLE_ARN, "StreamingStatus": "ENABLED"})
