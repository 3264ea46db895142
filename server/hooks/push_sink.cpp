#include "server/hooks/push_sink.hpp"

#include <set>

#include "server/hooks/push_payload.hpp"

namespace cogsync::server {

void push_sink::handle(const change_event& e, storage::record_store& store) {
    if (e.type != "update") return;
    storage::dataset_id id{e.pool, e.identity, e.dataset};
    auto [config, devices] = store.read([&](storage::read_view& v) {
        return std::make_pair(v.load_pool_config(e.pool), v.subscribers(id));
    });
    if (!config || !config->push_sync) return;
    std::set<std::string> configured;
    for (const auto& arn : config->push_sync->application_arns) configured.insert(arn_platform(arn));
    for (const auto& d : devices) {
        if (d.device_id == e.device_id) continue;
        if (!configured.count(d.platform) || !platforms_.matches(d.platform)) continue;
        transport_->send({push_event_id(e.id, d.device_id), d.platform, d.token, d.device_id,
                          push_payload(d.platform, e.pool, e.identity, e.dataset, e.sync_count)});
    }
}

}  // namespace cogsync::server
