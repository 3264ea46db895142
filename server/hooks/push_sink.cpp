#include "server/hooks/push_sink.hpp"

#include <set>

#include "server/hooks/push_payload.hpp"

namespace cogsync::server {

std::vector<storage::device> push_sink::targets(const change_event& e, storage::record_store& store,
                                                const std::string& only) const {
    if (e.type != "update") return {};
    storage::dataset_id id{e.pool, e.identity, e.dataset};
    auto [config, devices] = store.read([&](storage::read_view& v) {
        return std::make_pair(v.load_pool_config(e.pool), v.subscribers(id));
    });
    if (!config || !config->push_sync) return {};
    std::set<std::string> configured;
    for (const auto& arn : config->push_sync->application_arns) configured.insert(arn_platform(arn));
    std::vector<storage::device> out;
    for (auto& d : devices) {
        if (d.device_id == e.device_id || (!only.empty() && d.device_id != only)) continue;
        if (!configured.count(d.platform) || !platforms_.matches(d.platform)) continue;
        out.push_back(std::move(d));
    }
    return out;
}

void push_sink::send(const change_event& e, const storage::device& d) {
    transport_->send({push_event_id(e.id, d.device_id), d.platform, d.token, d.device_id,
                      push_payload(d.platform, e.pool, e.identity, e.dataset, e.sync_count)});
}

void push_sink::handle(const change_event& e, storage::record_store& store) {
    std::vector<target_failure> failed;
    for (const auto& d : targets(e, store, "")) {
        try {
            send(e, d);
        } catch (const delivery_refused& ex) {
            failed.push_back({d.device_id, ex.what(), true});
        } catch (const std::exception& ex) {
            failed.push_back({d.device_id, ex.what(), false});
        }
    }
    if (!failed.empty()) throw targets_failed(std::move(failed));
}

void push_sink::handle_target(const change_event& e, const std::string& target, storage::record_store& store) {
    if (target.empty()) return handle(e, store);
    for (const auto& d : targets(e, store, target)) send(e, d);
}

}  // namespace cogsync::server
