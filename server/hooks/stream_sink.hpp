#pragma once
// A stream sink: "update" and "delete" events of pools whose CognitoStreams is ENABLED with a
// StreamName the sink serves become one record each (PROTOCOL.md 7.4, partition key = identity).
// "bulk_publish" events publish every live dataset of the pool as "replace" records (7.5); the
// bulk owner of the stream (the first stream sink serving it, in file order) then records
// SUCCEEDED, or FAILED once max_bulk_attempts attempts have failed.
#include <functional>
#include <memory>

#include "api/stream_payloads.hpp"
#include "config/hooks_config.hpp"
#include "server/hooks/sink.hpp"

namespace cogsync::server {

class stream_sink : public sink {
public:
    static constexpr int max_bulk_attempts = 8;

    stream_sink(config::name_filter streams, std::unique_ptr<stream_transport> transport)
        : streams_(std::move(streams)), transport_(std::move(transport)) {}
    void handle(const change_event& e, storage::record_store& store) override;

    // Whether this sink publishes records of the pool (streams ENABLED, StreamName served).
    bool serves(const storage::pool_config& c) const;
    // Set by the outbox deliverer: whether this sink records the outcome of bulk publishes to a stream.
    void set_bulk_owner(std::function<bool(const std::string& stream)> f) { is_bulk_owner_ = std::move(f); }
    // Where records beyond Kinesis's 1 MiB are kept (null: always inline).
    void set_payloads(api::stream_payloads* p) { payloads_ = p; }

private:
    void bulk_publish(const change_event& e, const std::string& stream, storage::record_store& store);
    void put(const change_event& e, const std::string& id, const std::string& stream);

    config::name_filter streams_;
    std::unique_ptr<stream_transport> transport_;
    std::function<bool(const std::string&)> is_bulk_owner_;
    api::stream_payloads* payloads_ = nullptr;
    int64_t bulk_event_ = 0;  // the bulk event being attempted, and how often it failed
    int bulk_failures_ = 0;
};

// Records SUCCEEDED/FAILED for a pool's bulk publish if it is still IN_PROGRESS.
void finish_bulk_publish(storage::record_store& store, const std::string& pool, const std::string& failure);

}  // namespace cogsync::server
