#include "server/hooks/bulk_status_sink.hpp"

namespace cogsync::server {

void bulk_status_sink::handle(const change_event& e, storage::record_store& store) {
    if (e.type != "bulk_publish") return;
    auto config = store.read([&](storage::read_view& v) { return v.load_pool_config(e.pool); });
    if (!config || !config->cognito_streams) return finish_bulk_publish(store, e.pool, "Cognito Streams is not configured");
    if (config->cognito_streams->streaming_status != "ENABLED")
        return finish_bulk_publish(store, e.pool, "Cognito Streams is DISABLED");
    for (const auto* s : stream_sinks_)
        if (s->serves(*config)) return;
    finish_bulk_publish(store, e.pool,
                        "no stream sink serves stream '" + config->cognito_streams->stream_name + "'");
}

}  // namespace cogsync::server
