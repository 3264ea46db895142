#!/usr/bin/env python3
"""A Sync Trigger webhook that takes its time: every POST is answered after --delay seconds with
the event it received, which is a valid reply that changes nothing (PROTOCOL.md 7.3: the reply's
datasetRecords is applied, everything else must come back as sent). bench/suite.sh starts it on
port 0, reads the port from its "listening on 127.0.0.1:<PORT>" line and stops it by its PID.

    bench/slow_trigger.py [--delay 4.5] [--port 0]
"""
import argparse
import http.server
import signal
import sys
import time


class Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    # Every writer of the trigger scenario connects at once; the default backlog of 5 would make
    # the kernel drop SYNs and add seconds of retransmission to the delay being measured.
    request_queue_size = 1024


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--delay", type=float, default=4.5, help="seconds before each answer")
    parser.add_argument("--port", type=int, default=0)
    args = parser.parse_args()

    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *_):
            pass

        def do_POST(self):
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            time.sleep(args.delay)
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    server = Server(("127.0.0.1", args.port), Handler)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    print(f"listening on 127.0.0.1:{server.server_address[1]}", flush=True)
    try:
        server.serve_forever()
    except (KeyboardInterrupt, SystemExit):
        pass
    server.server_close()


if __name__ == "__main__":
    main()
