"""A cluster (cluster.py: N nodes on one fresh PostgreSQL database behind HAProxy) for a harness
in another language, which starts it as it would start one `cogsync serve`:

    python3 tests/support/cluster_main.py [serve arguments...]

Prints the nodes' start-up output, then a bare line `listening on 127.0.0.1:PORT` (HAProxy's
port), once HAProxy sees every node UP. On SIGTERM or SIGINT it drains every node (SIGTERM to
each), stops HAProxy and exits with the nodes' highest exit code, their output on stderr when
that is not 0. Needs COGSYNC_BIN, COGSYNC_E2E_STORE=postgres and COGSYNC_E2E_PG_URL, as the
Python suites on the cluster do. tests/e2e/js/server.mjs starts it when COGSYNC_E2E_CLUSTER is set.
"""
import os
import signal
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import cogsync_server  # noqa: E402,F401  (first: with COGSYNC_E2E_CLUSTER it imports cluster itself)
from cluster import ClusterServer  # noqa: E402


def main():
    server = ClusterServer(*sys.argv[1:])
    code = 1
    try:
        server.start()
        # Blocked only now: the nodes and HAProxy, started above, must not inherit the mask.
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGTERM, signal.SIGINT})
        # The nodes' start-up logs first, on the same stream, so that a harness that waits for
        # the bare line below already holds what they say (a suite may check it).
        print(server.output(), flush=True)
        print(f"listening on 127.0.0.1:{server.port}", flush=True)
        signal.sigwait({signal.SIGTERM, signal.SIGINT})
        code = server.stop()
        if code != 0:
            sys.stderr.write(server.output())
    finally:
        server.close()
    return code


if __name__ == "__main__":
    sys.exit(main())
