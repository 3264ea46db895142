#pragma once
// Push transport "webhook": POST {"eventId","platform","token","deviceId","payload":<object>}
// with header X-Cogsync-Event-Id; any 2xx is success.
#include "config/hooks_config.hpp"
#include "server/hooks/http_client.hpp"
#include "server/hooks/sink.hpp"

namespace cogsync::server {

class webhook_push : public push_transport {
public:
    explicit webhook_push(const config::hook_section& h);
    void send(const push_message& m) override;

private:
    http_url url_;
    std::chrono::milliseconds timeout_;
};

// POSTs `body` (JSON) to `url` with X-Cogsync-Event-Id; throws as check_delivered() unless 2xx.
void post_event(const http_url& url, std::chrono::milliseconds timeout, const std::string& event_id,
                const std::string& body);

}  // namespace cogsync::server
