"""A local HTTP receiver for the hooks e2e tests (push webhooks, stream webhooks, Sync Trigger
webhooks).

WebhookReceiver() listens on 127.0.0.1, port 0 (any free port) by default, records every POST it
answers with 2xx, and can be stopped and started again on the same port. `status` makes it answer
that status (and record nothing) until reset; `reply` (a function path, body -> (status, bytes))
computes the answer for trigger tests. With `tls` (a server-side ssl.SSLContext) it serves https
and counts failed TLS handshakes in `tls_failures`. Every receiver a test starts, the test stops
(close()).

It speaks HTTP/1.1 keep-alive: `connections` counts the connections it accepted (after the TLS
handshake, with `tls`), and stop() closes the ones still open, so a stopped receiver answers
nothing, not even on a connection the client kept.
"""
import http.server
import json
import socket
import socketserver
import threading
import time


class _Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True
    allow_reuse_address = True


class _TlsServer(_Server):
    """Does the TLS handshake in the connection's own thread, so a client that rejects the
    certificate never stalls the accept loop; failed handshakes go to on_tls_failure."""
    tls = None
    on_tls_failure = None

    def finish_request(self, request, client_address):
        request.settimeout(10)
        try:
            request = self.tls.wrap_socket(request, server_side=True)
        except (OSError, ValueError) as e:
            self.on_tls_failure(e)
            return
        try:
            super().finish_request(request, client_address)
        finally:
            request.close()


class Delivery:
    def __init__(self, path, headers, body):
        self.path = path
        self.headers = headers  # dict, lowercase names
        self.raw = body
        try:
            self.json = json.loads(body.decode("utf-8"))
        except ValueError:
            self.json = None

    @property
    def event_id(self):
        return self.headers.get("x-cogsync-event-id")

    def __repr__(self):
        return f"Delivery({self.path}, {self.event_id}, {self.raw[:300]!r})"


class WebhookReceiver:
    def __init__(self, port=0, tls=None):
        self.port = port
        self.tls = tls
        self.tls_failures = []  # the handshake errors, as strings
        self.status = None   # int: answer this status to everything (recorded in .refused)
        self.reply = None    # fn(path, body_bytes) -> (status, bytes)
        self.deliveries = []
        self.refused = 0
        self.connections = 0
        self._open = set()  # sockets of the connections being served
        self._lock = threading.Lock()
        self._server = None
        self._thread = None

    def url(self, path="/"):
        return f"{'https' if self.tls else 'http'}://127.0.0.1:{self.port}{path}"

    def start(self):
        assert self._server is None, "receiver already running"
        receiver = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def setup(self):
                super().setup()
                receiver._opened(self.connection)

            def finish(self):
                receiver._closed(self.connection)
                super().finish()

            def do_POST(self):
                length = int(self.headers.get("Content-Length", "0"))
                body = self.rfile.read(length)
                status, out = receiver._answer(self.path, {k.lower(): v for k, v in self.headers.items()}, body)
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(out)))
                self.end_headers()
                self.wfile.write(out)

        if self.tls is None:
            self._server = _Server(("127.0.0.1", self.port), Handler)
        else:
            self._server = _TlsServer(("127.0.0.1", self.port), Handler)
            self._server.tls = self.tls
            self._server.on_tls_failure = self._tls_failed
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        return self

    def _answer(self, path, headers, body):
        with self._lock:
            if self.status is not None:
                self.refused += 1
                return self.status, b'{"error":"refused by test"}'
        if self.reply is not None:
            status, out = self.reply(path, body)
        else:
            status, out = 200, b"{}"
        if 200 <= status < 300:
            with self._lock:
                self.deliveries.append(Delivery(path, headers, body))
        return status, out

    def _opened(self, conn):
        with self._lock:
            self.connections += 1
            self._open.add(conn)

    def _closed(self, conn):
        with self._lock:
            self._open.discard(conn)

    def _tls_failed(self, error):
        with self._lock:
            self.tls_failures.append(str(error))

    def stop(self):
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            with self._lock:
                for conn in self._open:
                    try:
                        # the plain socket's shutdown, also under TLS: the handler thread's read
                        # sees EOF instead of a torn-down SSL object
                        socket.socket.shutdown(conn, socket.SHUT_RDWR)
                    except OSError:
                        pass
            self._thread.join(5)
            self._server = None
            self._thread = None

    def close(self):
        self.stop()

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.close()
        return False

    def snapshot(self, path=None):
        with self._lock:
            return [d for d in self.deliveries if path is None or d.path == path]

    def wait_for(self, predicate, timeout=20.0, path=None):
        """Waits until predicate(list of deliveries to `path`) is true; returns that list.
        Raises AssertionError with what arrived on timeout."""
        deadline = time.monotonic() + timeout
        while True:
            got = self.snapshot(path)
            if predicate(got):
                return got
            if time.monotonic() > deadline:
                raise AssertionError(f"timed out after {timeout}s; {len(got)} deliveries: {got[:20]}")
            time.sleep(0.05)


class HeldReplies:
    """A `reply` for WebhookReceiver that holds every call until release(), then answers each
    with the body it got (a Sync Trigger that accepts the change set as sent). Counts the calls
    held right now and the most ever held at once. The server gives a function 5 s (PROTOCOL.md
    7.3), so a test releases well before that; a call still held after `hold_s` seconds gets a
    500, so a test that fails leaves no receiver thread waiting."""

    def __init__(self, hold_s=30.0):
        self.hold_s = hold_s
        self.arrived = 0
        self.held = 0
        self.most_held = 0
        self._released = False
        self._cond = threading.Condition()

    def __call__(self, path, body):
        with self._cond:
            self.arrived += 1
            self.held += 1
            self.most_held = max(self.most_held, self.held)
            self._cond.notify_all()
            released = self._cond.wait_for(lambda: self._released, self.hold_s)
            self.held -= 1
        if not released:
            return 500, b'{"errorMessage":"held and never released"}'
        return 200, body

    def wait_held(self, n, timeout=20.0):
        """Waits until at least n calls are held at once."""
        with self._cond:
            if not self._cond.wait_for(lambda: self.held >= n, timeout):
                raise AssertionError(f"{self.held} call(s) held after {timeout}s, expected {n}")

    def release(self):
        """Answers every held call, and every later one at once."""
        with self._cond:
            self._released = True
            self._cond.notify_all()


def write_hooks_file(directory, sections, name="hooks.ini"):
    """Writes a cogsync hooks file (format: config/hooks_config.hpp). sections:
    {"sink.devices": {"type": "webhook", "url": ..., "platforms": "*"}, ...}. Returns its path."""
    import os
    path = os.path.join(directory, name)
    with open(path, "w", encoding="utf-8") as f:
        f.write("# cogsync hooks written by the e2e tests\n")
        for section, settings in sections.items():
            f.write(f"[{section}]\n")
            for k, v in settings.items():
                f.write(f"{k} = {v}\n")
            f.write("\n")
    return path
