#pragma once
// `cogsync probe [--url URL]`: one GET, by default of the server's /ready (ready = store open and
// migrated, listener bound, not draining). Exit 0 on 200; otherwise one line on stderr naming the
// status or the transport failure, and exit 1. The image's HEALTHCHECK runs it, so the runtime
// image needs no curl.
#include "config/parse_settings.hpp"

namespace cogsync::server {

// The exit code: 0 when the URL answered 200, else 1. A malformed URL throws.
int run_probe(const config::probe_command& c);

}  // namespace cogsync::server
