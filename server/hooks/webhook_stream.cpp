#include "server/hooks/webhook_stream.hpp"

namespace cogsync::server {

void webhook_stream::put(const stream_put& r) {
    http_call call;
    call.url = url_;
    call.timeout = timeout_;
    call.headers = {{"Content-Type", "application/json"},
                    {"X-Cogsync-Event-Id", r.event_id},
                    {"X-Cogsync-Stream", r.stream},
                    {"X-Cogsync-Partition-Key", r.partition_key}};
    call.body = r.data;
    check_delivered(send_http(call).status, url_.host + ":" + url_.port + url_.target);
}

}  // namespace cogsync::server
