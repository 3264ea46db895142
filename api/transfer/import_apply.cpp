#include "api/transfer/import_apply.hpp"

namespace cogsync::api::transfer {
namespace {

apply_result refused(std::string why) { return {applied::refused, std::move(why)}; }

std::string name_of(const storage::dataset_id& id) { return id.pool + "/" + id.identity + "/" + id.name; }

bool same(const storage::pool_config& a, const storage::pool_config& b) {
    auto same_push = [](const auto& x, const auto& y) {
        return x.has_value() == y.has_value() &&
               (!x || (x->application_arns == y->application_arns && x->role_arn == y->role_arn));
    };
    auto same_streams = [](const auto& x, const auto& y) {
        return x.has_value() == y.has_value() &&
               (!x || (x->stream_name == y->stream_name && x->role_arn == y->role_arn &&
                       x->streaming_status == y->streaming_status));
    };
    return same_push(a.push_sync, b.push_sync) && same_streams(a.cognito_streams, b.cognito_streams) &&
           a.events == b.events;
}

apply_result apply_pool(storage::write_view& v, const storage::pool_config& c) {
    auto stored = v.load_pool_config(c.pool);
    if (stored && same(*stored, c)) return {applied::unchanged, {}};
    if (stored) return refused("pool " + c.pool + ": the store holds another configuration for it; not replaced");
    v.save_pool_config(c);
    return {};
}

apply_result apply_device(storage::write_view& v, const storage::device& d, const import_limits& limits) {
    auto by_token = v.find_device_by_token(d.pool, d.identity, d.platform, d.token);
    if (by_token && by_token->device_id == d.device_id) return {applied::unchanged, {}};
    if (by_token) return refused("device " + d.device_id + ": its token is registered as device " + by_token->device_id);
    if (v.find_device(d.pool, d.identity, d.device_id))
        return refused("device " + d.device_id + ": registered with another platform or token; not replaced");
    if (v.device_count(d.pool, d.identity) >= limits.max_devices)
        return refused("device " + d.device_id + ": the identity has " + std::to_string(limits.max_devices) +
                       " devices, the limit");
    v.save_device(d);
    return {};
}

apply_result apply_subscription(storage::write_view& v, const storage::subscription& s, const import_limits& limits) {
    if (!v.find_device(s.dataset.pool, s.dataset.identity, s.device_id))
        return refused("subscription: device " + s.device_id + " is not registered to " + s.dataset.identity);
    if (v.load_dataset(s.dataset).state == storage::dataset_state::absent)
        return refused("subscription: no dataset " + name_of(s.dataset));
    if (v.is_subscribed(s.dataset, s.device_id)) return {applied::unchanged, {}};
    if (v.subscriber_count(s.dataset) >= limits.max_subscriptions)
        return refused("subscription: dataset " + name_of(s.dataset) + " has " +
                       std::to_string(limits.max_subscriptions) + " subscribed devices, the limit");
    v.subscribe(s.dataset, s.device_id);
    return {};
}

}  // namespace

storage::dataset with_tallies(const dataset_block& b) {
    storage::dataset d = b.d;
    d.data_storage = d.num_records = d.tombstones = d.tombstone_bytes = 0;
    for (const auto& [line, r] : b.records) {
        if (r.value) {
            ++d.num_records;
            d.data_storage += record_bytes(r.key, r.value);
        } else {
            ++d.tombstones;
            d.tombstone_bytes += static_cast<int64_t>(r.key.size());
        }
    }
    return d;
}

// Counts only move forward (PROTOCOL.md 5.7): a stored dataset is replaced by a later state of
// it, never by an earlier one, and an equal count is the same state (a second import).
apply_result apply_block(storage::write_view& v, const dataset_block& b, const import_limits& limits) {
    const auto& id = b.d.id;
    v.lock_identity(id.pool, id.identity);
    auto stored = v.load_dataset(id);
    if (stored.state != storage::dataset_state::absent) {
        if (stored.sync_count == b.d.sync_count) return {applied::unchanged, {}};
        if (stored.sync_count > b.d.sync_count)
            return refused("dataset " + name_of(id) + ": the store's sync count " + std::to_string(stored.sync_count) +
                           " is newer than the file's " + std::to_string(b.d.sync_count) + "; not replaced");
    }
    if (b.d.state == storage::dataset_state::live && stored.state != storage::dataset_state::live &&
        v.live_dataset_count(id.pool, id.identity) >= limits.sync.max_datasets)
        return refused("dataset " + name_of(id) + ": the identity has " + std::to_string(limits.sync.max_datasets) +
                       " live datasets, the limit");
    if (stored.state != storage::dataset_state::absent) v.drop_records(id);
    v.save_dataset(with_tallies(b));
    std::vector<storage::record> records;
    records.reserve(b.records.size());
    for (const auto& [line, r] : b.records) records.push_back(r);
    v.put_records(id, records);
    return {};
}

apply_result apply_single(storage::write_view& v, const single_line& s, const import_limits& limits) {
    if (const auto* c = std::get_if<storage::pool_config>(&s.item)) return apply_pool(v, *c);
    if (const auto* d = std::get_if<storage::device>(&s.item)) return apply_device(v, *d, limits);
    if (const auto* p = std::get_if<storage::identity_pool>(&s.item)) return apply_identity_pool(v, *p);
    if (const auto* i = std::get_if<identity_entry>(&s.item)) return apply_identity(v, *i);
    return apply_subscription(v, std::get<storage::subscription>(s.item), limits);
}

}  // namespace cogsync::api::transfer
