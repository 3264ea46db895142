#include "server/probe_cli.hpp"

#include <chrono>
#include <cstdio>

#include "server/hooks/http_client.hpp"

namespace cogsync::server {

int run_probe(const config::probe_command& c) {
    http_call call;
    call.method = "GET";
    call.url = parse_http_url(c.url);
    call.timeout = std::chrono::milliseconds(c.timeout_ms);
    try {
        auto reply = send_http(call);
        if (reply.status == 200) return 0;
        std::fprintf(stderr, "cogsync probe: %s answered %u\n", c.url.c_str(), reply.status);
    } catch (const http_error& e) {
        std::fprintf(stderr, "cogsync probe: %s: %s\n", c.url.c_str(), e.what());
    }
    return 1;
}

}  // namespace cogsync::server
