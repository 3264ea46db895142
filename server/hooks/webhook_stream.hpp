#pragma once
// Stream transport "webhook": POSTs the stream record itself (PROTOCOL.md 7.4) with headers
// X-Cogsync-Event-Id, X-Cogsync-Stream and X-Cogsync-Partition-Key; any 2xx is success.
#include "config/hooks_config.hpp"
#include "server/hooks/http_client.hpp"
#include "server/hooks/sink.hpp"

namespace cogsync::server {

class webhook_stream : public stream_transport {
public:
    explicit webhook_stream(const config::hook_section& h)
        : url_(parse_http_url(h.get("url"), h.get("ca_file"))), timeout_(h.timeout_ms) {}
    void put(const stream_put& r) override;

private:
    http_url url_;
    std::chrono::milliseconds timeout_;
};

}  // namespace cogsync::server
