#pragma once
// What every connection shares: settings, the API context (and through it the store), the
// executor for steps that wait on the network, and the registry of live connections.
#include "api/context.hpp"
#include "config/settings.hpp"
#include "server/connection_registry.hpp"
#include "server/hooks/outbound_executor.hpp"

namespace cogsync::server {

struct shared_state {
    const config::settings& settings;
    api::context& api;
    outbound_executor& outbound;
    connection_registry& connections;
};

}  // namespace cogsync::server
