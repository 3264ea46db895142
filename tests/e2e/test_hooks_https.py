"""Outbound https (server/hooks/http_client.hpp): a stream webhook sink posting to a TLS receiver whose
certificate comes from a throwaway CA. With `ca_file` naming that CA, records arrive. Without it
(certificate untrusted), or with a URL whose host name the certificate does not cover, every
delivery fails the handshake and is retried and logged, never sent unverified; once the server is
restarted with `ca_file`, the retried records arrive from the sink's cursor. Successive deliveries
share one TLS connection."""
import os
import re
import shutil
import tempfile
import time
import unittest

from hooks_base import CogsyncServer, HooksTestCase, ROLE_ARN, new_identity, new_pool, replace  # noqa: F401
from tls_certs import TestCertificates
from webhook_receiver import WebhookReceiver, write_hooks_file

FAILED_RE = r"sink sink\.{name}: delivery of event \S+ failed \(attempt (\d+)\)"


class HttpsWebhook(HooksTestCase):
    @classmethod
    def sections(cls, trust_untrusted):
        port = cls.receiver.port
        out = {
            "sink.trusted": {"type": "webhook", "url": f"https://127.0.0.1:{port}/trusted",
                             "ca_file": cls.certs.ca_file, "streams": "*"},
            "sink.untrusted": {"type": "webhook", "url": f"https://127.0.0.1:{port}/untrusted", "streams": "*"},
            # the certificate names IP 127.0.0.1 only: the host-name check must refuse "localhost"
            "sink.wrongname": {"type": "webhook", "url": f"https://localhost:{port}/wrongname",
                               "ca_file": cls.certs.ca_file, "streams": "*", "timeout_ms": "2000"},
        }
        if trust_untrusted:
            out["sink.untrusted"]["ca_file"] = cls.certs.ca_file
        return out

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="cogsync-https-")
        cls.server = None
        cls.receiver = None
        try:
            cls.certs = TestCertificates(cls.tmp)
            cls.receiver = WebhookReceiver(tls=cls.certs.server_context()).start()
            cls.hooks_path = write_hooks_file(cls.tmp, cls.sections(trust_untrusted=False))
            cls.server = CogsyncServer("--hooks-file", cls.hooks_path)
            cls.server.start()
            cls.c = cls.server.client()
        except BaseException:
            cls.tearDownClass()
            raise

    @classmethod
    def tearDownClass(cls):
        try:
            if cls.server is not None:
                try:
                    if cls.server.proc is not None:
                        cls.server.stop()
                finally:
                    cls.server.close()
        finally:
            if cls.receiver is not None:
                cls.receiver.close()
            shutil.rmtree(cls.tmp, ignore_errors=True)

    def write(self):
        pool, ident = new_pool(), new_identity()
        self.enable_streams(pool, "changes")
        self.push(pool, ident, "ds", [replace("k", "v", 0)])
        return ident

    def mine(self, ident):
        return lambda ds: [d for d in ds if d.json and d.json.get("identityId") == ident]

    def wait_log(self, predicate, timeout=20.0):
        deadline = time.monotonic() + timeout
        while not predicate(self.server.output()):
            if time.monotonic() > deadline:
                raise AssertionError(f"log condition not met; output:\n{self.server.output()[-4000:]}")
            time.sleep(0.05)

    def test_trusted_ca_delivers_over_tls(self):
        ident = self.write()
        got = self.receiver.wait_for(lambda ds: self.mine(ident)(ds), path="/trusted")
        rec = self.mine(ident)(got)[0].json
        self.assertEqual((rec["dataSetName"], rec["operation"]), ("ds", "replace"))
        self.assertEqual(rec["kinesisSyncRecords"][0]["value"], "v")

    def test_trusted_ca_keeps_the_tls_connection_alive(self):
        before = self.receiver.connections
        for _ in range(3):
            ident = self.write()
            self.receiver.wait_for(lambda ds: self.mine(ident)(ds), path="/trusted")
        # 0 when an earlier test left one open; 1 when the receiver's 10 s socket timeout closed it
        self.assertLessEqual(self.receiver.connections - before, 1)

    def test_untrusted_certificate_is_retried_never_sent_then_delivered_with_ca_file(self):
        ident = self.write()
        self.receiver.wait_for(lambda ds: self.mine(ident)(ds), path="/trusted")

        def attempts(name):
            return [int(a) for a in re.findall(FAILED_RE.format(name=name), self.server.output())]

        self.wait_log(lambda out: max(attempts("untrusted"), default=0) >= 3)
        self.wait_log(lambda out: max(attempts("wrongname"), default=0) >= 2)
        self.assertRegex(self.server.output(), r"sink sink\.untrusted: .*certificate verify failed")
        self.assertGreaterEqual(len(self.receiver.tls_failures), 3, self.receiver.tls_failures)
        self.assertEqual(self.receiver.snapshot("/untrusted"), [])
        self.assertEqual(self.receiver.snapshot("/wrongname"), [])

        write_hooks_file(self.tmp, self.sections(trust_untrusted=True))
        self.server.restart()
        type(self).c = self.server.client()
        got = self.receiver.wait_for(lambda ds: self.mine(ident)(ds), path="/untrusted")
        self.assertEqual(self.mine(ident)(got)[0].json["kinesisSyncRecords"][0]["value"], "v")
        time.sleep(1.0)
        self.assertEqual(self.receiver.snapshot("/wrongname"), [])


if __name__ == "__main__":
    unittest.main()
