#pragma once
// Wires the daemon: data directory, store, API context, worker pool, I/O threads, listener and
// signal handling. run() returns after SIGINT/SIGTERM once everything stopped cleanly.
#include "config/settings.hpp"

namespace cogsync::server {

int run_server(const config::settings& s);

}  // namespace cogsync::server
