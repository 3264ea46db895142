#include "server/hooks/stream_sink.hpp"

#include <algorithm>
#include <chrono>

#include "server/hooks/stream_record.hpp"

namespace cogsync::server {

namespace {

int64_t now_ms() {
    using namespace std::chrono;
    return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

constexpr std::size_t bulk_page = 50;

// The stream record of one live dataset as it stands now (tombstones left out).
change_event dataset_snapshot(storage::read_view& v, const storage::dataset& ds) {
    change_event c;
    c.type = "update";
    c.pool = ds.id.pool;
    c.identity = ds.id.identity;
    c.dataset = ds.id.name;
    c.sync_count = ds.sync_count;
    c.last_modified_ms = ds.last_modified_ms;
    for (auto& r : v.records_page(ds.id, storage::record_page_query{})) {
        if (!r.value) continue;
        c.records.push_back({r.key, r.value, r.sync_count, r.last_modified_ms, r.device_last_modified_ms, "replace"});
    }
    return c;
}

}  // namespace

void finish_bulk_publish(storage::record_store& store, const std::string& pool, const std::string& failure) {
    auto at = now_ms();
    store.write([&](storage::write_view& v) {
        auto s = v.load_bulk_publish(pool);
        if (s.status != "IN_PROGRESS") return false;
        s.status = failure.empty() ? "SUCCEEDED" : "FAILED";
        s.complete_ms = failure.empty() ? at : 0;
        s.failure = failure;
        v.save_bulk_publish(pool, s);
        return true;
    });
}

bool stream_sink::serves(const storage::pool_config& c) const {
    return c.cognito_streams && c.cognito_streams->streaming_status == "ENABLED" &&
           streams_.matches(c.cognito_streams->stream_name);
}

void stream_sink::handle(const change_event& e, storage::record_store& store) {
    if (e.type != "update" && e.type != "delete" && e.type != "bulk_publish") return;
    auto config = store.read([&](storage::read_view& v) { return v.load_pool_config(e.pool); });
    if (!config || !serves(*config)) return;
    const auto& stream = config->cognito_streams->stream_name;
    if (e.type == "bulk_publish") return bulk_publish(e, stream, store);
    put(e, event_id(e.id), stream);
}

// Inline up to Kinesis's limit; beyond it the records are kept and the record points to them
// with payloadType S3Url (PROTOCOL.md 7.4).
void stream_sink::put(const change_event& e, const std::string& id, const std::string& stream) {
    auto data = stream_record(e);
    if (payloads_ && data.size() + e.identity.size() > api::kinesis_record_limit) {
        auto file_id = id;
        std::replace(file_id.begin(), file_id.end(), '/', '_');
        data = stream_record(e, payloads_->keep(file_id, kinesis_sync_records(e), now_ms()));
    }
    transport_->put({id, stream, e.identity, std::move(data)});
}

void stream_sink::bulk_publish(const change_event& e, const std::string& stream, storage::record_store& store) {
    bool owner = is_bulk_owner_ && is_bulk_owner_(stream);
    if (bulk_event_ != e.id) bulk_event_ = e.id, bulk_failures_ = 0;
    try {
        std::optional<storage::dataset_id> after;
        int n = 0;
        for (;;) {
            auto page = store.read([&](storage::read_view& v) {
                return v.live_datasets_of_pool(e.pool, after ? &*after : nullptr, bulk_page);
            });
            for (const auto& ds : page) {
                auto snap = store.read([&](storage::read_view& v) { return dataset_snapshot(v, ds); });
                put(snap, event_id(e.id) + "/" + std::to_string(++n), stream);
            }
            if (page.size() < bulk_page) break;
            after = page.back().id;
        }
    } catch (const std::exception& ex) {
        if (++bulk_failures_ < max_bulk_attempts) throw;
        if (owner) finish_bulk_publish(store, e.pool, std::string("publishing to stream failed: ") + ex.what());
        return;
    }
    if (owner) finish_bulk_publish(store, e.pool, "");
}

}  // namespace cogsync::server
