"""Logs an operator can use (README "### Logs"): --log-format json writes one JSON object per line
naming the request (its x-amzn-RequestId) on every line logged for it, also from the outbound
thread of a Sync Trigger call; the text format names it too. --log-file is reopened on SIGHUP
(logrotate's mv + create): every line lands in exactly one file and the server keeps answering.
SIGHUP without --log-file is harmless."""
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import threading
import time
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support"))

from cogsync_server import LISTENING_RE, CogsyncServer, binary_path, new_identity, new_pool  # noqa: E402
from e2e_base import ClientError, replace  # noqa: E402
from hooks_base import HooksTestCase  # noqa: E402

TS_RE = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$")
FUNCTION = "arn:aws:lambda:us-east-1:123456789012:function:validate"
WAIT_S = 15.0


def wait_for(fn, what, timeout=WAIT_S):
    """Polls fn() until it returns something true; fails naming `what` after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        got = fn()
        if got:
            return got
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.02)


def request_id(error):
    return error.response["ResponseMetadata"]["RequestId"]


def bad_request(server):
    """A raw request the server refuses with a debug line; returns its x-amzn-RequestId."""
    res = server.request("GET", "/identitypools/not-a-pool/identities/x/datasets")
    assert res.status == 400, res
    return res.header("x-amzn-RequestId")


class JsonLines(HooksTestCase):
    SERVER_ARGS = ("--log-format", "json", "--log-level", "debug")

    @classmethod
    def hooks(cls, receiver, tmp_dir):
        receiver.reply = lambda path, body: (500, b'{"errorMessage":"no"}')
        return {"trigger.t": {"type": "webhook", "url": receiver.url("/t"), "functions": FUNCTION}}

    def lines(self):
        return [json.loads(line) for line in self.server.output().splitlines()]

    def lines_of(self, rid):
        return [line for line in self.lines() if line.get("request_id") == rid]

    def test_every_line_is_a_json_object_with_ts_level_and_msg(self):
        lines = self.lines()
        self.assertTrue(any(line["msg"].startswith("listening on 127.0.0.1:") for line in lines), lines)
        for line in lines:
            self.assertRegex(line["ts"], TS_RE)
            self.assertIn(line["level"], ("trace", "debug", "info", "warn", "error", "critical"))
            self.assertIsInstance(line["msg"], str)
        self.assertFalse(any("request_id" in line for line in lines if line["msg"].startswith("listening")))

    def test_a_refused_call_is_logged_with_the_request_id_boto3_saw(self):
        with self.assertRaises(ClientError) as caught:
            self.c.register_device(IdentityPoolId=new_pool(), IdentityId=new_identity(),
                                   Platform='GCM"}\n{"level":"error","msg":"forged\\', Token="t")
        rid = request_id(caught.exception)
        self.assertTrue(rid)
        got = wait_for(lambda: self.lines_of(rid), f"a line with request_id {rid}")
        self.assertEqual(got[0]["level"], "debug")
        self.assertIn('InvalidParameterException', got[0]["msg"])
        self.assertIn('Value \'GCM"}\n{"level":"error","msg":"forged\\\'', got[0]["msg"])

    def test_bytes_of_a_hostile_path_become_u_fffd_in_one_valid_line(self):
        res = self.server.raw_request("GET", '/identitypools/a"\\\xff\xc0b/identities/x/datasets')
        self.assertEqual(res.status, 400, res)
        rid = res.header("x-amzn-RequestId")
        got = wait_for(lambda: self.lines_of(rid), f"a line with request_id {rid}")
        self.assertIn('GET /identitypools/a"\\\ufffd\ufffdb/identities/x/datasets', got[0]["msg"])

    def test_a_sync_trigger_call_logs_on_the_outbound_thread_with_the_request_id(self):
        pool, ident = new_pool(), new_identity()
        self.c.set_cognito_events(IdentityPoolId=pool, Events={"SyncTrigger": FUNCTION})
        token = self.c.list_records(IdentityPoolId=pool, IdentityId=ident, DatasetName="ds")["SyncSessionToken"]
        with self.assertRaises(ClientError) as caught:
            self.c.update_records(IdentityPoolId=pool, IdentityId=ident, DatasetName="ds",
                                  RecordPatches=[replace("k", "v", 0)], SyncSessionToken=token)
        self.assertEqual(caught.exception.response["Error"]["Code"], "InvalidLambdaFunctionOutputException")
        rid = request_id(caught.exception)
        got = wait_for(lambda: [line for line in self.lines_of(rid) if line["msg"].startswith("Sync Trigger")],
                       f"the Sync Trigger line of {rid}")
        self.assertEqual(got[0]["msg"], f"Sync Trigger {FUNCTION}: HTTP 500")


class TextLines(unittest.TestCase):
    def test_a_text_line_names_the_request(self):
        with CogsyncServer("--log-level", "debug", env={"COGSYNC_LOG_FORMAT": "text"}) as server:
            rid = bad_request(server)
            line = wait_for(lambda: [x for x in server.output().splitlines() if rid in x], f"a line naming {rid}")
            self.assertRegex(line[0], r"\] \[debug\] \[" + re.escape(rid) + r"\] GET /identitypools/not-a-pool/")
            server.stop()

    def test_sighup_without_a_log_file_leaves_the_server_answering(self):
        with CogsyncServer() as server:
            server.send_signal(signal.SIGHUP)
            wait_for(lambda: "SIGHUP: no --log-file to reopen" in server.output(), "the SIGHUP line")
            self.assertTrue(server.running())
            self.assertEqual(server.client().list_datasets(IdentityPoolId=new_pool(),
                                                          IdentityId=new_identity())["Count"], 0)
            server.stop()


class AccessLog(unittest.TestCase):
    @staticmethod
    def list_datasets(server):
        """ListDatasets twice on one keep-alive connection; the first call's request id. The
        second answer comes after the first call's access line, if any, was logged."""
        c = server.client()
        pool, ident = new_pool(), new_identity()
        first = c.list_datasets(IdentityPoolId=pool, IdentityId=ident)["ResponseMetadata"]["RequestId"]
        c.list_datasets(IdentityPoolId=pool, IdentityId=ident)
        return first

    def test_off_by_default(self):
        with CogsyncServer("--log-format", "json") as server:
            rid = self.list_datasets(server)
            self.assertNotIn(rid, server.output())
            server.stop()

    def test_one_line_per_answered_request_with_its_id_when_asked(self):
        with CogsyncServer("--log-format", "json", "--access-log") as server:
            rid = self.list_datasets(server)
            res = server.raw_request("GET", "/no/such/route")
            lines = [json.loads(x) for x in server.output().splitlines()]
            mine = [x for x in lines if x.get("request_id") == rid]
            self.assertEqual(len(mine), 1, lines)
            self.assertEqual(mine[0]["level"], "info")
            self.assertRegex(mine[0]["msg"], r"^GET /identitypools/[^ ]+/identities/[^ ]+/datasets 200 [0-9.]+ ms$")
            refused = wait_for(lambda: [x for x in [json.loads(y) for y in server.output().splitlines()]
                                        if x.get("request_id") == res.header("x-amzn-RequestId")],
                               "the 404's access line")
            self.assertRegex(refused[-1]["msg"], r"^GET /no/such/route 404 ")
            server.stop()


class LogFileServer(CogsyncServer):
    """A server whose log goes to --log-file: up once that file names the listening port."""

    def __init__(self, *args, **kw):
        super().__init__(*args, **kw)
        self.log_path = os.path.join(self.tmp_dir, "cogsync.log")
        self.extra_args += ["--log-file", self.log_path]

    def read_log(self, path=None):
        try:
            with open(path or self.log_path, encoding="utf-8") as f:
                return f.read()
        except FileNotFoundError:
            return ""

    def start(self):
        args = [binary_path(), "serve", "--listen", "127.0.0.1:0", "--data-dir", self.data_dir, *self.extra_args]
        self.proc = subprocess.Popen(args, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                     stderr=subprocess.DEVNULL)
        found = wait_for(lambda: LISTENING_RE.search(self.read_log()) or self.proc.poll() is not None,
                         "the listening line in the log file")
        assert self.proc.poll() is None, f"cogsync exited with {self.proc.returncode}: {self.read_log()}"
        self.port = int(found.group(1))
        return self


class Rotation(unittest.TestCase):
    def test_a_log_file_that_cannot_be_opened_stops_the_start(self):
        with tempfile.TemporaryDirectory(prefix="cogsync-logs-") as tmp:
            res = subprocess.run([binary_path(), "serve", "--listen", "127.0.0.1:0", "--data-dir", tmp,
                                  "--log-file", os.path.join(tmp, "missing", "cogsync.log")],
                                 capture_output=True, text=True, timeout=30)
        self.assertEqual(res.returncode, 1, res)
        self.assertIn("cannot open the log file", res.stderr)
        self.assertIn("missing/cogsync.log", res.stderr)

    def test_mv_and_sighup_switch_files_without_losing_or_repeating_a_line(self):
        with LogFileServer("--log-format", "json", "--log-level", "debug") as server:
            self.assertEqual(os.stat(server.log_path).st_mode & 0o777, 0o640)
            rotated = server.log_path + ".1"
            ids, stop = [], threading.Event()

            def load():
                while not stop.is_set():
                    ids.append(bad_request(server))

            worker = threading.Thread(target=load)
            worker.start()
            try:
                wait_for(lambda: len(ids) >= 20, "requests before the move")
                os.rename(server.log_path, rotated)
                wait_for(lambda: len(ids) >= 40, "requests between the move and SIGHUP")
                server.send_signal(signal.SIGHUP)
                first = wait_for(lambda: server.read_log().splitlines()[:1], "the first line of the new file")
                at_switch = len(ids)
                wait_for(lambda: len(ids) >= at_switch + 20, "requests after SIGHUP")
            finally:
                stop.set()
                worker.join()
            self.assertEqual(os.stat(server.log_path).st_mode & 0o777, 0o640)
            self.assertEqual(server.client().list_datasets(IdentityPoolId=new_pool(),
                                                          IdentityId=new_identity())["Count"], 0)
            server.stop()
            old = [json.loads(x) for x in server.read_log(rotated).splitlines()]
            new = [json.loads(x) for x in server.read_log().splitlines()]
            seen = [x["request_id"] for x in old + new if "request_id" in x]
            self.assertEqual(sorted(seen), sorted(ids))  # each request's line once, in one file
            old_ids = {x["request_id"] for x in old if "request_id" in x}
            self.assertTrue(set(ids[:40]) <= old_ids)
            # the one request in flight when the new file was seen may have been logged before it
            self.assertTrue(set(ids[at_switch + 1:]).isdisjoint(old_ids))
            self.assertTrue(any(x["msg"].startswith("SIGHUP: log file") and x["msg"].endswith("reopened")
                                for x in new), new[:5])
            self.assertTrue(any(x["msg"].startswith("listening on") for x in old))
            self.assertEqual(new[-1]["msg"], "stopped")


if __name__ == "__main__":
    unittest.main()
