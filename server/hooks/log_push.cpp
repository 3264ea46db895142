#include "server/hooks/log_push.hpp"

#include <spdlog/spdlog.h>

namespace cogsync::server {

void log_push::send(const push_message& m) {
    spdlog::info("push sink {}: {} to device {} ({}, token {}): {}", name_, m.event_id, m.device_id, m.platform,
                 m.token, m.payload);
}

}  // namespace cogsync::server
