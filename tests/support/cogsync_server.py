"""Shared end-to-end fixture: run the real cogsync binary on an ephemeral port.

The binary comes from env COGSYNC_BIN (CTest passes $<TARGET_FILE:cogsync>). Each server gets a
fresh temporary data directory, is started with `serve --listen 127.0.0.1:0`, and is considered up
once its output (stdout and stderr, merged) contains `listening on 127.0.0.1:<PORT>`.

Every server a test starts, the test stops: stop() sends SIGTERM and asserts exit code 0;
close() kills whatever is still running through its own Popen handle and deletes the temp dir.

With COGSYNC_E2E_STORE=postgres, each server keeps its data in a fresh database of its own on the
PostgreSQL server COGSYNC_E2E_PG_URL names (a throwaway one, scripts/pg-test-server.sh), passed
as --store; a restart reopens the same database.
"""
import csv
import datetime
import http.client
import io
import json
import os
import re
import shutil
import signal
import socket
import sqlite3
import subprocess
import tempfile
import threading
import time
import urllib.parse
import uuid

import boto3
from botocore.config import Config

import sigv4

LISTENING_RE = re.compile(r"listening on 127\.0\.0\.1:(\d+)")
START_TIMEOUT_S = 15.0
STOP_TIMEOUT_S = 15.0
REGION = "us-east-1"
TOKEN_RE = re.compile(r"^[A-Za-z0-9_-]+$")


def binary_path():
    path = os.environ.get("COGSYNC_BIN")
    if not path:
        raise RuntimeError("COGSYNC_BIN is not set (path of the cogsync binary)")
    if not os.access(path, os.X_OK):
        raise RuntimeError(f"COGSYNC_BIN={path} is not an executable file")
    return path


def postgres_store():
    """A --store URL of a fresh database when the e2e run is on PostgreSQL, else None."""
    if os.environ.get("COGSYNC_E2E_STORE", "sqlite") != "postgres":
        return None
    admin = os.environ["COGSYNC_E2E_PG_URL"]
    name = "e2e_" + uuid.uuid4().hex
    subprocess.run(["psql", "-qAtX", "-v", "ON_ERROR_STOP=1", admin, "-c", f"CREATE DATABASE {name}"],
                   check=True, stdout=subprocess.DEVNULL)
    parts = urllib.parse.urlsplit(admin)
    return urllib.parse.urlunsplit(parts._replace(path="/" + name))


def _pg_text(value):
    """A value as psql wrote it, a bytea column's (\\x and hex digits) as the text it holds, so
    that rows read the same from either store."""
    if re.fullmatch(r"\\x(?:[0-9a-f]{2})*", value):
        return bytes.fromhex(value[2:]).decode("utf-8", "replace")
    return value


def new_pool():
    """A fresh identity pool id, so pool-level usage is not shared between tests."""
    return f"{REGION}:{uuid.uuid4()}"


def new_identity():
    return f"{REGION}:{uuid.uuid4()}"


def enc(segment):
    """Percent-encode one path segment the way the SDKs do (':' -> %3A)."""
    return urllib.parse.quote(segment, safe="")


def dataset_path(pool, identity, dataset=None, suffix=""):
    path = f"/identitypools/{enc(pool)}/identities/{enc(identity)}/datasets"
    if dataset is not None:
        path += "/" + enc(dataset)
    return path + suffix


def list_records_request(pool, identity, dataset):
    """ListRecords as (method, path, body, headers): the arguments of http.client's request()
    and of CogsyncServer.request()."""
    return "GET", dataset_path(pool, identity, dataset, "/records"), None, {}


def update_records_request(pool, identity, dataset, token, patches):
    """UpdateRecords as (method, path, body, headers), like list_records_request."""
    body = json.dumps({"SyncSessionToken": token, "RecordPatches": patches}).encode("utf-8")
    return "POST", dataset_path(pool, identity, dataset), body, {"Content-Type": "application/json"}


class HttpResult:
    """A raw HTTP answer: status, headers with their wire casing, body bytes."""

    def __init__(self, status, reason, raw_headers, body):
        self.status = status
        self.reason = reason
        self.raw_headers = raw_headers  # list of (name as sent, value)
        self.body = body

    def header(self, name):
        """Case-insensitive lookup; None when absent."""
        for k, v in self.raw_headers:
            if k.lower() == name.lower():
                return v
        return None

    def header_exact(self, name):
        """Lookup with the exact wire casing; None when absent."""
        for k, v in self.raw_headers:
            if k == name:
                return v
        return None

    def json(self):
        return json.loads(self.body.decode("utf-8"))

    def __repr__(self):
        return f"HttpResult({self.status}, {self.raw_headers!r}, {self.body[:500]!r})"


def read_response(resp):
    body = resp.read()
    return HttpResult(resp.status, resp.reason, list(resp.msg.items()), body)


class CogsyncServer:
    """One cogsync process on its own data dir. Use as a context manager or call close()."""

    def __init__(self, *extra_args, env=None, use_env_for_listen=False, preexec_fn=None, store=None):
        """preexec_fn runs in the child before exec (e.g. to set its resource limits); store: the
        --store URL on a PostgreSQL run (default: a fresh database)."""
        self.extra_args = list(extra_args)
        self.preexec_fn = preexec_fn
        self.extra_env = dict(env or {})
        self.use_env_for_listen = use_env_for_listen
        self.tmp_dir = tempfile.mkdtemp(prefix="cogsync-e2e-")
        self.data_dir = os.path.join(self.tmp_dir, "data")
        os.makedirs(self.data_dir)
        self.store = store or postgres_store()
        self.proc = None
        self.port = None
        self._lines = []
        self._lock = threading.Lock()
        self._reader = None
        self._all_output = []  # output of earlier incarnations, for failure messages

    # ---- process control -------------------------------------------------------------------
    def start(self):
        assert self.proc is None, "server already running"
        args = [binary_path(), "serve"]
        env = dict(os.environ)
        env.update(self.extra_env)
        if self.use_env_for_listen:
            env["COGSYNC_LISTEN"] = "127.0.0.1:0"
            env["COGSYNC_DATA_DIR"] = self.data_dir
        else:
            args += ["--listen", "127.0.0.1:0", "--data-dir", self.data_dir]
        if self.store and not any(a.startswith("--store") for a in self.extra_args):
            args += ["--store", self.store]
        args += self.extra_args
        self._lines = []
        self.proc = subprocess.Popen(
            args, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
            env=env, preexec_fn=self.preexec_fn)
        found = threading.Event()
        port_box = []
        proc = self.proc
        lines = self._lines

        def reader():
            for raw in iter(proc.stdout.readline, b""):
                line = raw.decode("utf-8", "replace")
                with self._lock:
                    lines.append(line)
                if not found.is_set():
                    m = LISTENING_RE.search(line)
                    if m:
                        port_box.append(int(m.group(1)))
                        found.set()
            proc.stdout.close()

        self._reader = threading.Thread(target=reader, daemon=True)
        self._reader.start()
        deadline = time.monotonic() + START_TIMEOUT_S
        while not found.is_set():
            if proc.poll() is not None:
                self._reader.join(2)
                out = self.output()
                self.proc = None
                raise RuntimeError(
                    f"cogsync exited with code {proc.returncode} before listening; args={args}\n"
                    f"output:\n{out}")
            if time.monotonic() > deadline:
                proc.kill()
                proc.wait()
                self._reader.join(2)
                out = self.output()
                self.proc = None
                raise RuntimeError(
                    f"cogsync did not log 'listening on 127.0.0.1:<port>' within "
                    f"{START_TIMEOUT_S}s; args={args}\noutput:\n{out}")
            found.wait(0.05)
        self.port = port_box[0]
        return self

    def output(self):
        with self._lock:
            return "".join(self._lines)

    def _finish_reader(self):
        if self._reader is not None:
            self._reader.join(5)
            self._reader = None
        self._all_output.append(self.output())

    def stop(self, sig=signal.SIGTERM):
        """Graceful stop; returns the exit code and asserts it is 0."""
        self.send_signal(sig)
        return self.wait_exit(STOP_TIMEOUT_S)

    def send_signal(self, sig=signal.SIGTERM):
        """Signals the process through our own handle and returns at once (see wait_exit)."""
        assert self.proc is not None, "server not running"
        self.proc.send_signal(sig)

    def running(self):
        return self.proc is not None and self.proc.poll() is None

    def wait_exit(self, timeout=STOP_TIMEOUT_S):
        """Waits for the exit a signal asked for; asserts it came within `timeout` seconds (else
        kills the process) and with code 0. Returns the exit code."""
        assert self.proc is not None, "server not running"
        proc = self.proc
        try:
            code = proc.wait(timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
            self.proc = None
            self._finish_reader()
            raise AssertionError(
                f"cogsync did not exit within {timeout}s of its stop signal; output:\n"
                f"{self._all_output[-1]}")
        self.proc = None
        self._finish_reader()
        if code != 0:
            raise AssertionError(
                f"cogsync exited with code {code} after its stop signal (expected 0); output:\n"
                f"{self._all_output[-1]}")
        return code

    def kill9(self):
        assert self.proc is not None, "server not running"
        self.proc.kill()  # SIGKILL via our own handle
        self.proc.wait()
        self.proc = None
        self._finish_reader()

    def restart(self):
        """Start again on the same data dir (after kill9() or stop())."""
        if self.proc is not None:
            self.stop()
        return self.start()

    def close(self):
        """Kill whatever is still running (our own process only) and delete the temp dir."""
        if self.proc is not None:
            if self.proc.poll() is None:
                self.proc.kill()
            self.proc.wait()
            self.proc = None
            self._finish_reader()
        shutil.rmtree(self.tmp_dir, ignore_errors=True)

    def store_rows(self, sql):
        """The rows (tuples of text) of a read-only query on this server's store, whichever it
        is: its SQLite file, opened read-only, or its PostgreSQL database through psql."""
        if self.store:  # CSV keeps a value's line breaks (a PEM key) inside its row
            out = subprocess.run(["psql", "-qAtX", "-v", "ON_ERROR_STOP=1", self.store, "-c",
                                  f"COPY ({sql}) TO STDOUT WITH (FORMAT csv)"],
                                 check=True, capture_output=True, text=True).stdout
            return [tuple(map(_pg_text, row)) for row in csv.reader(io.StringIO(out))]
        db = sqlite3.connect(f"file:{os.path.join(self.data_dir, 'cogsync.db')}?mode=ro", uri=True)
        try:
            return [tuple(v if v is None or isinstance(v, str) else str(v) if not isinstance(v, bytes)
                          else v.decode() for v in row) for row in db.execute(sql)]
        finally:
            db.close()

    def store_tables(self):
        """The names of the store's tables."""
        if self.store:
            sql = "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()"
        else:
            sql = "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        return [t for (t,) in self.store_rows(sql)]

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.close()
        return False

    # ---- clients ---------------------------------------------------------------------------
    @property
    def endpoint(self):
        return f"http://127.0.0.1:{self.port}"

    def client(self, validate=True, **config_kw):
        cfg = dict(retries={"total_max_attempts": 1}, connect_timeout=10, read_timeout=60,
                   parameter_validation=validate)
        cfg.update(config_kw)
        return boto3.session.Session().client(
            "cognito-sync", endpoint_url=self.endpoint, region_name=REGION,
            aws_access_key_id="test", aws_secret_access_key="test", config=Config(**cfg))

    def signed_client(self, access_key, secret, session_token=None, **config_kw):
        return signed_client(self.endpoint, access_key, secret, session_token, **config_kw)

    def connection(self, timeout=30):
        return http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)

    def request(self, method, path, body=None, headers=None, conn=None):
        """One raw HTTP request. body may be bytes, str or a JSON-able object."""
        own = conn is None
        if own:
            conn = self.connection()
        hdrs = dict(headers or {})
        if body is not None and not isinstance(body, (bytes, str)):
            body = json.dumps(body)
            hdrs.setdefault("Content-Type", "application/json")
        if isinstance(body, str):
            body = body.encode("utf-8")
        try:
            conn.request(method, path, body=body, headers=hdrs)
            return read_response(conn.getresponse())
        finally:
            if own:
                conn.close()

    def signed_request(self, method, path, access_key, secret, body=b"", headers=None,
                       session_token=None, when=None, send_body=None):
        """A raw request signed with SigV4 (Authorization header). send_body, when given, is
        sent instead of the signed body (to test tampering). Returns an HttpResult."""
        if isinstance(body, str):
            body = body.encode("utf-8")
        hdrs = dict(headers or {})
        if body:
            hdrs.setdefault("Content-Type", "application/json")
        _, signed = sigv4_sign(method, self.endpoint + path, access_key, secret, body, hdrs,
                               session_token=session_token, when=when)
        payload = body if send_body is None else send_body
        return self.request(method, path, body=payload if payload else None, headers=signed)

    def presigned_url(self, method, path, access_key, secret, expires=300, session_token=None):
        """path?query with the SigV4 signature in the query string (botocore SigV4QueryAuth)."""
        url, _ = sigv4_sign(method, self.endpoint + path, access_key, secret,
                            session_token=session_token, presign_expires=expires)
        parts = urllib.parse.urlsplit(url)
        return parts.path + ("?" + parts.query if parts.query else "")

    def raw_request(self, method, path, body=b"", headers=None, timeout=30):
        """Send a request over a plain socket, ignoring send errors (the server may answer and
        close before reading a large body), then parse whatever answer arrives."""
        lines = [f"{method} {path} HTTP/1.1", f"Host: 127.0.0.1:{self.port}",
                 f"Content-Length: {len(body)}"]
        lines += [f"{k}: {v}" for k, v in (headers or {}).items()]
        data = ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body
        sock = socket.create_connection(("127.0.0.1", self.port), timeout)
        try:
            try:
                sock.sendall(data)
            except (BrokenPipeError, ConnectionResetError):
                pass
            resp = http.client.HTTPResponse(sock, method=method)
            resp.begin()
            return read_response(resp)
        finally:
            sock.close()


def write_credentials_file(directory, keys, name="credentials.ini"):
    """Write a cogsync credentials file (format: config/credentials.hpp) into `directory`.
    keys: {access_key: {setting: value}}, e.g. {"AKID1": {"secret": "s", "kind": "developer",
    "pools": "*"}}. Returns its path."""
    path = os.path.join(directory, name)
    with open(path, "w", encoding="utf-8") as f:
        f.write("# cogsync credentials written by the e2e tests\n")
        for key, settings in keys.items():
            f.write(f"[{key}]\n")
            for k, v in settings.items():
                f.write(f"{k} = {v}\n")
            f.write("\n")
    return path


def signed_client(endpoint, access_key, secret, session_token=None, **config_kw):
    """A boto3 cognito-sync client that signs with the given key (one attempt, no retries)."""
    cfg = dict(retries={"total_max_attempts": 1}, connect_timeout=10, read_timeout=60)
    cfg.update(config_kw)
    return boto3.session.Session().client(
        "cognito-sync", endpoint_url=endpoint, region_name=REGION,
        aws_access_key_id=access_key, aws_secret_access_key=secret,
        aws_session_token=session_token, config=Config(**cfg))


def identity_client(endpoint):
    """A boto3 cognito-identity client with placeholder keys (one attempt, no retries)."""
    return boto3.session.Session().client(
        "cognito-identity", endpoint_url=endpoint, region_name=REGION, aws_access_key_id="test",
        aws_secret_access_key="test", config=Config(retries={"total_max_attempts": 1}))


def sigv4_sign(method, url, access_key, secret, body=b"", headers=None, session_token=None,
               when=None, presign_expires=None, region=REGION):
    """Sign a request the way botocore does (signing name cognito-sync) and return
    (url, headers). `url` is the full http://host:port/path?query URL, path already
    percent-encoded as on the wire. With presign_expires the signature goes into the query
    (SigV4QueryAuth) and the returned url carries it. `when` (an aware datetime) signs the
    Authorization header at that moment instead of now, with the suite's own signer (sigv4.py:
    no botocore version lets a caller set its signing clock)."""
    from botocore.auth import SigV4Auth, SigV4QueryAuth
    from botocore.awsrequest import AWSRequest
    from botocore.credentials import Credentials

    if when is not None:
        assert presign_expires is None, "presigned URLs are signed now"
        signed = {**(headers or {}), "X-Amz-Date": sigv4.amz_date(when)}
        if session_token:
            signed["X-Amz-Security-Token"] = session_token
        signed["Authorization"] = sigv4.authorization(method, url, signed, body, access_key, secret,
                                                      region, "cognito-sync")
        return url, signed
    req = AWSRequest(method=method, url=url, data=body, headers=dict(headers or {}))
    creds = Credentials(access_key, secret, session_token)
    if presign_expires is None:
        signer = SigV4Auth(creds, "cognito-sync", region)
    else:
        signer = SigV4QueryAuth(creds, "cognito-sync", region, expires=presign_expires)
    signer.add_auth(req)
    return req.url, {k: v for k, v in req.headers.items()}


def error_code(exc):
    return exc.response["Error"]["Code"]


def error_message(exc):
    return exc.response["Error"].get("Message", "")


def http_status(exc):
    return exc.response["ResponseMetadata"]["HTTPStatusCode"]


# The suites' server: one node, or with COGSYNC_E2E_CLUSTER=N, N nodes on one PostgreSQL database
# behind HAProxy (tests/support/cluster.py).
NodeServer = CogsyncServer
if os.environ.get("COGSYNC_E2E_CLUSTER"):
    from cluster import ClusterServer as CogsyncServer  # noqa: E402,F401,F811
