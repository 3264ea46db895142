"""Hardening against slow, idle, greedy and malformed clients: read and idle timeouts, the
connection cap, URL/header/body limits, percent-decoding, per-identity rate limiting, and a burst
of garbage that must never take the server down (PROTOCOL.md 4.5 for the error shapes).

Timing assertions are generous upper bounds only ("closed within 10 s")."""
import http.client
import json
import os
import random
import select
import socket
import sys
import threading
import time
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support"))

from cogsync_server import dataset_path, enc, new_identity, new_pool, read_response  # noqa: E402
from e2e_base import ServerTestCase, replace  # noqa: E402

IP = "InvalidParameterException"
CLOSE_WITHIN_S = 10.0


def wait_closed(sock, within=CLOSE_WITHIN_S):
    """Seconds until the peer closed `sock` (EOF or reset; any answer before that is read and
    dropped), or None if it was still open after `within` seconds."""
    start = time.monotonic()
    while time.monotonic() - start < within:
        ready, _, _ = select.select([sock], [], [], 0.2)
        if not ready:
            continue
        try:
            if not sock.recv(65536):
                return time.monotonic() - start
        except (ConnectionResetError, BrokenPipeError):
            return time.monotonic() - start
    return None


class HardeningTestCase(ServerTestCase):
    def connect(self, timeout=10):
        return socket.create_connection(("127.0.0.1", self.server.port), timeout)

    def health(self):
        return self.server.request("GET", "/health").status

    def seed(self):
        """Store a record, to check later that nothing disturbed it."""
        pool, ident = self.ids()
        self.put_new(pool, ident, "seed", {"k": "intact"})
        return pool, ident

    def assertSeedIntact(self, pool, ident):
        listed = self.list_records(pool, ident, "seed")
        self.assertEqual([(r["Key"], r["Value"], r["SyncCount"]) for r in listed["Records"]],
                         [("k", "intact", 1)])


class Timeouts(HardeningTestCase):
    SERVER_ARGS = ("--read-timeout-ms", "1500", "--idle-timeout-ms", "1500")

    def test_slow_client_is_cut_off_while_others_are_served(self):
        request = (f"GET /health HTTP/1.1\r\nHost: 127.0.0.1:{self.server.port}\r\n"
                   "X-Padding: " + "p" * 100 + "\r\n\r\n").encode()
        sock = self.connect()
        result = {}

        def trickle():
            start = time.monotonic()
            try:
                for i in range(len(request)):
                    if time.monotonic() - start > CLOSE_WITHIN_S:
                        result["open_after"] = i
                        return
                    sock.sendall(request[i:i + 1])
                    ready, _, _ = select.select([sock], [], [], 0.5)
                    if ready:
                        try:
                            if not sock.recv(65536):
                                break
                        except (ConnectionResetError, BrokenPipeError):
                            break
            except (ConnectionResetError, BrokenPipeError):
                pass
            result["closed_after_s"] = time.monotonic() - start
            result["bytes_sent"] = i

        t = threading.Thread(target=trickle)
        t.start()
        try:
            served = 0
            while t.is_alive() and served < 5:
                self.assertEqual(self.health(), 200)
                pool, ident = self.ids()
                self.assertIn("SyncSessionToken", self.list_records(pool, ident, "slow"))
                served += 1
                time.sleep(0.2)
            self.assertGreater(served, 0)
        finally:
            t.join(CLOSE_WITHIN_S + 5)
            sock.close()
        self.assertNotIn("open_after", result, f"slow client still connected: {result}")
        self.assertIn("closed_after_s", result, result)
        self.assertLess(result["bytes_sent"], len(request) - 1,
                        f"the whole request got through at one byte per 0.5 s: {result}")
        self.assertEqual(self.health(), 200)

    def test_idle_keep_alive_connection_is_closed(self):
        sock = self.connect()
        try:
            sock.sendall(f"GET /health HTTP/1.1\r\nHost: 127.0.0.1:{self.server.port}\r\n\r\n"
                         .encode())
            data = b""
            while b'{"status":"ok"}' not in data:
                chunk = sock.recv(65536)
                self.assertTrue(chunk, f"closed before answering: {data!r}")
                data += chunk
            self.assertTrue(data.startswith(b"HTTP/1.1 200"), data)
            closed = wait_closed(sock)
            self.assertIsNotNone(closed, "idle keep-alive connection still open after 10 s")
        finally:
            sock.close()

    def test_silent_new_connection_is_closed(self):
        sock = self.connect()
        try:
            self.assertIsNotNone(wait_closed(sock),
                                 "a connection that never sent a byte is still open after 10 s")
        finally:
            sock.close()
        self.assertEqual(self.health(), 200)


class ConnectionCap(HardeningTestCase):
    SERVER_ARGS = ("--max-connections", "8")

    def test_connections_beyond_the_cap_are_closed(self):
        held = []
        try:
            for _ in range(8):
                conn = self.server.connection(timeout=10)
                res = self.server.request("GET", "/health", conn=conn)  # accepted and kept alive
                self.assertEqual(res.status, 200, res)
                held.append(conn)
            extra = self.connect()
            try:
                try:
                    extra.sendall(f"GET /health HTTP/1.1\r\nHost: x\r\n\r\n".encode())
                except (ConnectionResetError, BrokenPipeError):
                    pass
                start = time.monotonic()
                answer = b""
                closed = False
                while time.monotonic() - start < CLOSE_WITHIN_S:
                    ready, _, _ = select.select([extra], [], [], 0.2)
                    if not ready:
                        continue
                    try:
                        chunk = extra.recv(65536)
                    except (ConnectionResetError, BrokenPipeError):
                        closed = True
                        break
                    if not chunk:
                        closed = True
                        break
                    answer += chunk
                self.assertTrue(closed, "the 9th connection was not closed within 10 s")
                self.assertFalse(answer.startswith(b"HTTP/1.1 200"),
                                 f"the 9th connection was served: {answer!r}")
            finally:
                extra.close()
            # The 8 held connections still work.
            for conn in held:
                self.assertEqual(self.server.request("GET", "/health", conn=conn).status, 200)
            for conn in held[:3]:
                conn.close()
            del held[:3]
            deadline = time.monotonic() + CLOSE_WITHIN_S
            served = 0
            while served < 3 and time.monotonic() < deadline:
                try:
                    if self.health() == 200:
                        served += 1
                        continue
                except (ConnectionError, OSError):
                    pass
                time.sleep(0.1)
            self.assertEqual(served, 3, "new clients not served after connections were freed")
            pool, ident = self.ids()
            self.assertEqual(self.put_new(pool, ident, "cap", {"k": "v"}), 1)
        finally:
            for conn in held:
                conn.close()


class RequestLimits(HardeningTestCase):
    SERVER_ARGS = ("--max-body-bytes", "4096", "--max-header-bytes", "2048",
                   "--max-url-bytes", "1024", "--max-header-count", "32")

    def test_url_too_long(self):
        pool, ident = self.ids()
        base = dataset_path(pool, ident, "u", "/records") + "?maxResults=5&pad="
        at_limit = base + "a" * (1024 - len(base))
        self.assertEqual(len(at_limit), 1024)
        self.assertNotEqual(self.server.raw_request("GET", at_limit).status, 414)
        res = self.server.raw_request("GET", at_limit + "a")
        self.assertAwsError(res, 414, "RequestURITooLong")
        res = self.server.raw_request("GET", "/" + "x" * 1500)
        self.assertAwsError(res, 414, "RequestURITooLong")
        self.assertEqual(self.health(), 200)

    def test_header_too_large(self):
        pool, ident = self.ids()
        sock = self.connect()
        try:
            sock.sendall((f"GET {dataset_path(pool, ident, 'h', '/records')} HTTP/1.1\r\n"
                          f"Host: x\r\nX-Big: {'b' * 4000}\r\n\r\n").encode())
            resp = http.client.HTTPResponse(sock, method="GET")
            resp.begin()
            res = read_response(resp)
            self.assertAwsError(res, 400, IP)
            self.assertIsNotNone(wait_closed(sock), "connection kept open after oversized headers")
        finally:
            sock.close()
        # Just under the limit is fine.
        res = self.server.request("GET", "/health", headers={"X-Big": "b" * 1500})
        self.assertEqual(res.status, 200, res)

    def test_too_many_headers(self):
        pool, ident = self.ids()
        path = dataset_path(pool, ident, "h", "/records")
        many = {f"X-H{i}": "v" for i in range(40)}
        res = self.server.raw_request("GET", path, headers=many)
        self.assertAwsError(res, 400, IP)
        self.assertIn("headers", json.loads(res.body)["message"])
        few = {f"X-H{i}": "v" for i in range(20)}
        self.assertEqual(self.server.raw_request("GET", path, headers=few).status, 200)

    def test_body_too_large(self):
        pool, ident = self.ids()
        path = dataset_path(pool, ident, "big")
        res = self.server.raw_request("POST", path, body=b"{" + b" " * 5000 + b"}",
                                      headers={"Content-Type": "application/json"})
        self.assertAwsError(res, 413, "RequestEntityTooLarge")

    def test_invalid_percent_escapes(self):
        pool, ident = self.ids()
        good = dataset_path(pool, ident, "ds", "/records")
        for bad in (good.replace("/ds/", "/d%00s/"),
                    good.replace("/ds/", "/d%zzs/"),
                    good.replace("/ds/", "/d%2/"),
                    good.replace("%3A", "%00", 1),
                    good.replace("/ds/", "/ds%/")):
            with self.subTest(path=bad):
                res = self.server.raw_request("GET", bad)
                self.assertAwsError(res, 400, IP)
        for bad_query in ("?maxResults=%zz", "?lastSyncCount=%0"):
            with self.subTest(query=bad_query):
                self.assertAwsError(self.server.raw_request("GET", good + bad_query), 400, IP)
        self.assertEqual(self.server.raw_request("GET", good).status, 200)

    def test_garbage_never_kills_the_server(self):
        pool, ident = self.seed()
        path = dataset_path(pool, ident, "seed").encode()
        host = f"Host: 127.0.0.1:{self.server.port}\r\n".encode()
        rng = random.Random(1234)
        payloads = [rng.randbytes(n) for n in (1, 17, 512, 3000, 20000)]
        payloads += [
            b"\r\n\r\n\r\n",
            b"GET",                                    # truncated request line
            b"GET /health HTTP/1.1\r\nHost: x",        # truncated headers
            b"GET /health HTTP/1.1\r\n" + host + b"Content-Length: 10\r\n\r\n{\"a\"",  # short body
            b"POST " + path + b" HTTP/1.1\r\n" + host +
            b"Content-Length: 99999999999999999999999\r\n\r\n{}",
            b"POST " + path + b" HTTP/1.1\r\n" + host + b"Content-Length: -1\r\n\r\n",
            b"POST " + path + b" HTTP/1.1\r\n" + host +
            b"Content-Length: 2\r\nContent-Length: 7\r\n\r\n{}",
            b"POST " + path + b" HTTP/1.1\r\n" + host +
            b"Transfer-Encoding: chunked\r\n\r\n" + (b"fa0\r\n" + b"x" * 4000 + b"\r\n") * 3 +
            b"0\r\n\r\n",
            b"POST " + path + b" HTTP/1.1\r\n" + host +
            b"Transfer-Encoding: chunked\r\n\r\nffffffffffffffffffffffff\r\n",
            b"POST " + path + b" HTTP/1.1\r\n" + host + b"Transfer-Encoding: chunked\r\n\r\nzz\r\n",
            b"POST " + path + b" HTTP/1.1\r\n" + host + b"Content-Length: 30\r\n\r\n"
            b"{\"RecordPatches\":[{\"Op\":\x00",
            b"GET /health HTTP/9.9\r\n\r\n",
            b"G\x00T /health HTTP/1.1\r\n\r\n",
            b"GET /health HTTP/1.1\r\nBad Header Without Colon\r\n\r\n",
            b"GET /health HTTP/1.1\r\n" + host + b"X: \x00\x01\x02\r\n\r\n",
            b"GET /health HTTP/1.1\r\n" + host + b"\r\n" * 50,  # pipelined, then blank lines
            (b"GET /health HTTP/1.1\r\n" + host + b"\r\n") * 50,
            b"GET " + b"/%" * 3000 + b" HTTP/1.1\r\n\r\n",
            b"POST " + path + b" HTTP/1.1\r\n" + host + b"Content-Length: 9\r\n\r\n[1,2,{]}]",
        ]
        statuses = []
        for i, data in enumerate(payloads):
            sock = self.connect(timeout=5)
            try:
                try:
                    sock.sendall(data)
                    if i % 2:
                        sock.shutdown(socket.SHUT_WR)  # half of them hang up after sending
                except (ConnectionResetError, BrokenPipeError):
                    pass
                answer = b""
                ready, _, _ = select.select([sock], [], [], 3)
                if ready:
                    try:
                        answer = sock.recv(65536)
                    except (ConnectionResetError, BrokenPipeError):
                        pass
                if answer.startswith(b"HTTP/1.1 "):
                    statuses.append((i, int(answer[9:12])))
            finally:
                sock.close()
            self.assertIsNone(self.server.proc.poll(),
                              f"server died on payload {i}: {data[:80]!r}\n{self.server.output()}")
        for i, status in statuses:
            self.assertLess(status, 500, f"payload {i} {payloads[i][:80]!r} got {status}")
        self.assertEqual(self.health(), 200)
        self.assertSeedIntact(pool, ident)

    def test_oversized_chunked_body_is_refused(self):
        pool, ident = self.ids()
        path = dataset_path(pool, ident, "chunked").encode()
        sock = self.connect()
        try:
            try:
                sock.sendall(b"POST " + path + b" HTTP/1.1\r\nHost: x\r\n"
                             b"Transfer-Encoding: chunked\r\nContent-Type: application/json\r\n\r\n"
                             + (b"fa0\r\n" + b" " * 4000 + b"\r\n") * 3 + b"0\r\n\r\n")
            except (ConnectionResetError, BrokenPipeError):
                pass
            data = b""
            while True:
                ready, _, _ = select.select([sock], [], [], 5)
                if not ready:
                    break
                try:
                    chunk = sock.recv(65536)
                except ConnectionResetError:
                    break
                if not chunk:
                    break
                data += chunk
            self.assertTrue(data.startswith(b"HTTP/1.1 413"), data[:200])
            self.assertIn(b"x-amzn-ErrorType: RequestEntityTooLarge", data)
        finally:
            sock.close()
        self.assertEqual(self.health(), 200)


class DefaultLimits(HardeningTestCase):
    def test_default_url_limit_is_8192(self):
        pool, ident = self.ids()
        base = dataset_path(pool, ident, "u", "/records") + "?maxResults=5&pad="
        at_limit = base + "a" * (8192 - len(base))
        self.assertEqual(len(at_limit), 8192)
        res = self.server.raw_request("GET", at_limit)
        self.assertNotEqual(res.status, 414, res)
        self.assertLess(res.status, 500, res)
        self.assertAwsError(self.server.raw_request("GET", at_limit + "a"), 414,
                            "RequestURITooLong")
        self.assertAwsError(self.server.raw_request("GET", "/" + "x" * 12000), 414,
                            "RequestURITooLong")
        self.assertEqual(self.health(), 200)

    def test_deeply_nested_json_is_refused_not_a_stack_overflow(self):
        # A megabyte of '[' once took the server down (the JSON reader recursed per level).
        pool, ident = self.seed()
        for path in (dataset_path(pool, ident, "seed"),                       # UpdateRecords
                     f"/identitypools/{enc(pool)}/events"):                   # SetCognitoEvents
            for body in (b"[" * 1_000_000, b'{"a":' * 200_000):
                with self.subTest(path=path, body=body[:10]):
                    res = self.server.request("POST", path, body,
                                              {"Content-Type": "application/json"})
                    self.assertAwsError(res, 400, "SerializationException")
                    self.assertIn("nested deeper", res.json()["message"])
        self.assertEqual(self.health(), 200)
        self.assertSeedIntact(pool, ident)


class RateLimit(HardeningTestCase):
    # A slow refill (one request every 2 s), so a loaded machine cannot outpace the throttle.
    SERVER_ARGS = ("--rate-limit", "0.5", "--rate-limit-burst", "4")

    def test_one_identity_is_throttled_others_are_not(self):
        pool = new_pool()
        hot, cold = new_identity(), new_identity()
        conn = self.server.connection()
        try:
            results = [self.server.request("GET", dataset_path(pool, hot, "r", "/records"),
                                           conn=conn) for _ in range(20)]
            statuses = [r.status for r in results]
            self.assertIn(200, statuses)
            self.assertIn(429, statuses, statuses)
            throttled = next(r for r in results if r.status == 429)
            body = self.assertAwsError(throttled, 429, "TooManyRequestsException")
            self.assertEqual(body["__type"], "TooManyRequestsException")
            # Another identity (same pool) is served right away.
            for _ in range(3):
                res = self.server.request("GET", dataset_path(pool, cold, "r", "/records"),
                                          conn=conn)
                self.assertEqual(res.status, 200, res)
        finally:
            conn.close()
        # boto3 sees the modelled error. The default client makes one attempt: botocore's
        # retries={"max_attempts": 1} means one retry, whose backoff often outlasts the refill.
        c = self.server.client()
        codes = set()
        for _ in range(10):
            try:
                c.list_records(IdentityPoolId=pool, IdentityId=hot, DatasetName="r")
                codes.add("ok")
            except Exception as exc:  # noqa: BLE001 - we record the error code
                codes.add(exc.response["Error"]["Code"])
        self.assertIn("TooManyRequestsException", codes)
        self.assertEqual(self.health(), 200)

    def test_an_identity_named_under_another_pool_has_its_own_bucket(self):
        """A caller allowed on one pool names another pool's identity under its own pool: it
        drains only that pool's bucket, and the identity is still served in its real pool."""
        own_pool, victims_pool, victim = new_pool(), new_pool(), new_identity()
        conn = self.server.connection()
        try:
            statuses = [self.server.request("GET", dataset_path(own_pool, victim, "r", "/records"),
                                            conn=conn).status for _ in range(20)]
            self.assertIn(429, statuses, statuses)
            res = self.server.request("GET", dataset_path(victims_pool, victim, "r", "/records"),
                                      conn=conn)
            self.assertEqual(res.status, 200, res)
        finally:
            conn.close()

    def test_throttled_writes_store_nothing(self):
        pool, ident = new_pool(), new_identity()
        token = self.list_records(pool, ident, "w")["SyncSessionToken"]
        for _ in range(20):  # exhaust the bucket
            self.server.request("GET", dataset_path(pool, ident, "w", "/records"))
        res = self.server.request("POST", dataset_path(pool, ident, "w"),
                                  {"SyncSessionToken": token,
                                   "RecordPatches": [replace("k", "v", 0)]})
        self.assertAwsError(res, 429, "TooManyRequestsException")
        time.sleep(2.5)  # let the bucket refill
        self.assertIs(self.list_records(pool, ident, "w")["DatasetExists"], False)


if __name__ == "__main__":
    unittest.main()
